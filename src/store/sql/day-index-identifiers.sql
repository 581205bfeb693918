-- The date's identifier index (docs/formats/day-index.md): one row per stored version (current or not, as
-- the events view holds them) and per identifier it carries that a search matches, with what a search hit
-- shows of the version, in hash buckets of the identifier so that a search reads one bucket's files.
-- {{PAIRS}}: {'field': name, 'key': column::VARCHAR} of every identifier a search matches.
COPY (
  SELECT hash(x.key) % {{BUCKETS}} AS bucket, x.key, x.field, _reporter, _roe_id, event_date, _type,
    _event_ns, _ts_digits, symbol, _received_ns, _event_id
  FROM (SELECT *, unnest([{{PAIRS}}]) AS x FROM events WHERE event_date = {{DATE}})
  WHERE x.key IS NOT NULL
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
