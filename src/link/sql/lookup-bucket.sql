-- One bucket of a sorted lookup file (lookup-index.sql, lookup-keys.sql, lookup-links.sql), in the table's
-- order: a filtered scan of one table keeps it, and the table's sort lets the scan skip all but the
-- bucket's rows. {{ENCRYPTION}}: the store key's options when the store is encrypted (store-cipher.ts),
-- else nothing.
COPY (
  SELECT * EXCLUDE (bucket) FROM lk_ix WHERE bucket = {{BUCKET}}
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {{ROW_GROUP}}{{ENCRYPTION}});
