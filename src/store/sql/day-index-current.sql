-- The date's current versions (docs/formats/day-index.md): the versions day-index-resolve.sql chose, with
-- every column that holds a value on the date (COLUMNS below; the others are empty, and a reader's scan
-- brings them back as NULL), read once from the store and written by the engine's partitioned COPY in
-- hash buckets of the symbol ({{DIR}}/bucket=K/), unsorted: a bucket holds few enough rows that a reader
-- filters it whole, and every reader orders what it takes. {{ROW_GROUP}}: rows per row group, so that
-- every bucket's open group fits the engine's memory limit (memory-limit.ts). {{ENCRYPTION}}: the store key's options when
-- the store is encrypted (store-cipher.ts), else nothing. {{CURRENT}}: the rows to keep: every stored
-- version of the date when each is current (no version was corrected or deleted: the two counts of
-- di_counts agree), else those joined to di_current (a join spills to disk, where `IN` held every
-- current id of the day in memory: 10 M ids passed a 370 MB limit).
COPY (
  SELECT hash(coalesce(symbol, '')) % {{BUCKETS}} AS bucket, {{COLUMNS}} FROM events{{CURRENT}}
  WHERE event_date = {{DATE}}
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}', ROW_GROUP_SIZE {{ROW_GROUP}}{{ENCRYPTION}});
