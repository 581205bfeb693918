-- The date's customer index (docs/formats/day-index.md): one row per current version and per FDID it names
-- (an order's firmDesignatedID, source 0; the FDIDs of the first buy and sell side details, sources 1 and
-- 2, as event-fdids.sql takes them), with what a customer's day shows of the version, in hash buckets of
-- the FDID so that a customer's day reads one bucket per account. The branches (day-index-customers.ts)
-- read the build's current versions just written, one narrow scan per source that can hold a value.
COPY (
  SELECT hash(fdid) % {{BUCKETS}} AS bucket, * FROM ({{BRANCHES}})
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
