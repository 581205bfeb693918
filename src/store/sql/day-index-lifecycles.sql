-- The date's lifecycle rows (docs/formats/day-index.md): every key row of the date's linkage run whose
-- version is one of the build's current versions, in the bucket of that version's symbol (as
-- day-index-current.sql buckets it), so that a reader of a symbol's versions finds their lifecycles in the
-- same buckets instead of every key file of the date. KEYS: the run's key rows of the date; CURRENT: the
-- build's current versions just written.
COPY (
  SELECT hash(coalesce(c.symbol, '')) % {{BUCKETS}} AS bucket, k._event_id, k.key_num, k.lc_date, k.lc_num
  FROM {{KEYS}} k JOIN (SELECT _event_id, symbol FROM {{CURRENT}}) c ON c._event_id = k._event_id
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
