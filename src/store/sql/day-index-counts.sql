-- The date's counts per symbol and reporter (docs/formats/day-index.md), as day-index-resolve.sql made them.
COPY (
  SELECT * FROM di_counts ORDER BY symbol NULLS LAST, _reporter
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd{{ENCRYPTION}});
