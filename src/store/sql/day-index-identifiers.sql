-- The date's identifier index (docs/formats/day-index.md): one row per stored version (current or not, as
-- the events view holds them) and per identifier it carries that a search matches, with what a search hit
-- shows of the version, in hash buckets of the identifier so that a search reads one bucket's files.
-- The branches: one SELECT per identifier a search matches (SEARCH_IDENTIFIERS), each reading only its own
-- column and the shown ones; its `IS NOT NULL` lets the scan skip every store file whose statistics say the
-- column is empty there (the store writes a file per event type, and most identifiers are a few types').
COPY (
  SELECT hash(key) % {{BUCKETS}} AS bucket, * FROM ({{BRANCHES}})
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
