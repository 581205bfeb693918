-- The date's current versions (docs/formats/day-index.md): exactly what current_events gives for the date,
-- every column, first written unsorted in hash buckets of the symbol ({{DIR}}/bucket=K/), each of which
-- day-index-current-bucket.sql then sorts into one file: sorting a bucket at a time keeps the sort's
-- memory a bucket's. {{ENCRYPTION}}: the store key's options when the store is encrypted
-- (store-cipher.ts), else nothing. A current version is a stored version (its event id names it): the view
-- picks which with window functions over the few columns that decide it, and the rows are then read whole
-- from the store, which keeps every other column out of the window's work.
COPY (
  SELECT hash(coalesce(symbol, '')) % {{BUCKETS}} AS bucket, * FROM events_all
  WHERE event_date = {{DATE}} AND _event_id IN (SELECT _event_id FROM current_events WHERE event_date = {{DATE}})
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
