-- One symbol bucket of the date's current versions ({{SOURCE}}: the scan of its unsorted files), sorted by
-- symbol then event time (ties by event id) in small row groups, so that a symbol's rows are a few row
-- groups of its bucket's file, found by their min/max statistics.
COPY (
  SELECT * FROM {{SOURCE}} ORDER BY symbol NULLS LAST, _event_ns, _event_id
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {{ROW_GROUP}}{{ENCRYPTION}});
