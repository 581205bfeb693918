-- The date's customer index (docs/formats/day-index.md): one row per current version and per FDID it names
-- (an order's firmDesignatedID, source 0; the FDIDs of the first buy and sell side details, sources 1 and
-- 2, as event-fdids.sql takes them), with what a customer's day shows of the version and its lifecycle ids,
-- in hash buckets of the FDID so that a customer's day reads one bucket per account. The branches
-- (day-index-customers.ts) read the build's current versions just written, one narrow scan per source that
-- can hold a value. The lifecycle ids are those of the date's linkage run, from the key rows of each
-- version under its record's key (what link's lifecyclesOfVersions gives it), or none without a run. Only
-- the key rows of the versions that name an FDID are grouped: most of a day's versions name none, and
-- grouping every key row of the date (with its lifecycle id made readable) cost four times the rest.
COPY (
  WITH c AS MATERIALIZED ({{BRANCHES}})
  SELECT hash(c.fdid) % {{BUCKETS}} AS bucket, c.*, k.lifecycle_ids
  FROM c
  LEFT JOIN (
    SELECT _event_id, key_num, list(DISTINCT lifecycle_id ORDER BY lifecycle_id) AS lifecycle_ids
    FROM {{KEYS}} WHERE _event_id IN (SELECT _event_id FROM c) GROUP BY ALL
  ) k ON k._event_id = c._event_id AND k.key_num = {{KEY_NUM}}
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
