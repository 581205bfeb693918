-- The timeline part of a day index build (docs/formats/day-index.md): the date's current versions in time
-- order (ties by event id), with the columns a day browser's page shows (browse-events.sql) and each
-- version's lifecycle ids from the build's lifecycle rows (empty when the build has none), in row groups
-- small enough that a page's filters on the time skip all but the groups holding it. {{CURRENT}}: the
-- build's current versions; {{COLUMNS}}: the columns kept; {{LIFECYCLES}}: the build's lifecycle rows;
-- {{LIFECYCLE_ID}}: a lifecycle row's id; {{FILE}}: the part's file; {{ENCRYPTION}}: the store key's
-- options when the store is encrypted, else nothing.
COPY (
  SELECT c.*, coalesce(l.lifecycle_ids, []::VARCHAR[]) AS lifecycle_ids
  FROM (SELECT {{COLUMNS}} FROM {{CURRENT}}) c
  LEFT JOIN (
    SELECT _event_id, list(DISTINCT {{LIFECYCLE_ID}} ORDER BY {{LIFECYCLE_ID}}) AS lifecycle_ids
    FROM {{LIFECYCLES}} GROUP BY _event_id
  ) l USING (_event_id)
  ORDER BY _event_ns, _event_id
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384{{ENCRYPTION}});
