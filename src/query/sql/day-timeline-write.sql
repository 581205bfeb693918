-- The timeline part of a day index build (docs/formats/day-index.md): the date's current versions in time
-- order (ties by event id), with the columns a day browser's page shows (browse-events.sql) and each
-- version's lifecycle ids from the build's lifecycle rows (empty when the build has none), in row groups
-- small enough that a page's filters on the time skip all but the groups holding it. Nearly every version
-- is in one lifecycle: its id comes from a grouping with fixed-size states, which the engine spills beyond
-- its memory limit; the ordered list of distinct ids, whose states it cannot spill (a 29 M-event day ran
-- out of 4 GB in it), is built only for the few versions in several. {{CURRENT}}: the build's current
-- versions; {{COLUMNS}}: the columns kept; {{LIFECYCLES}}: the build's lifecycle rows; {{LIFECYCLE_ID}}: a
-- lifecycle row's id (of its lc_date and lc_num); {{FILE}}: the part's file; {{ENCRYPTION}}: the store
-- key's options when the store is encrypted, else nothing.
COPY (
  WITH lc AS (SELECT _event_id, lc_date, lc_num FROM {{LIFECYCLES}}),
  spans AS (
    SELECT _event_id, min(lc_date) AS lc_date, min(lc_num) AS lc_num,
      max(lc_date) AS last_date, max(lc_num) AS last_num
    FROM lc GROUP BY _event_id
  ),
  several AS (
    SELECT _event_id, list(DISTINCT {{LIFECYCLE_ID}} ORDER BY {{LIFECYCLE_ID}}) AS ids
    FROM lc
    WHERE _event_id IN (SELECT _event_id FROM spans WHERE lc_date <> last_date OR lc_num <> last_num)
    GROUP BY _event_id
  )
  SELECT c.*,
    CASE
      WHEN s._event_id IS NULL THEN []::VARCHAR[]
      WHEN s.lc_date = s.last_date AND s.lc_num = s.last_num THEN [{{LIFECYCLE_ID}}]
      ELSE v.ids
    END AS lifecycle_ids
  FROM (SELECT {{COLUMNS}} FROM {{CURRENT}}) c
  LEFT JOIN spans s USING (_event_id)
  LEFT JOIN several v USING (_event_id)
  ORDER BY _event_ns, _event_id
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384{{ENCRYPTION}});
