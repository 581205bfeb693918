-- The date's current versions (docs/formats/day-index.md): the versions day-index-resolve.sql chose, with
-- every column that holds a value on the date (COLUMNS below; the others are empty, and a reader's scan
-- brings them back as NULL), read once from the store and written by the engine's partitioned COPY in
-- hash buckets of the symbol ({{DIR}}/bucket=K/), unsorted: a bucket holds few enough rows that a reader
-- filters it whole, and every reader orders what it takes. {{ENCRYPTION}}: the store key's options when
-- the store is encrypted (store-cipher.ts), else nothing.
COPY (
  SELECT hash(coalesce(symbol, '')) % {{BUCKETS}} AS bucket, {{COLUMNS}} FROM events
  WHERE event_date = {{DATE}} AND _event_id IN (SELECT _event_id FROM di_current)
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
