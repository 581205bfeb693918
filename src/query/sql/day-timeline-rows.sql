-- The rows of the timeline part of a day index build (docs/formats/day-index.md), unsorted, in tl_rows:
-- the date's current versions with the columns a day browser's page shows (browse-events.sql) and each
-- version's lifecycle ids from the build's lifecycle rows (empty when the build has none); then
-- day-timeline-slice.sql writes them in time order. {{CURRENT}}: the build's current versions; {{COLUMNS}}:
-- the columns kept; {{LIFECYCLES}}: the build's lifecycle rows; {{LIFECYCLE_ID}}: a lifecycle row's id (of
-- its lc_date and lc_num).
--
-- Each statement has one operator holding much (the grouping, the join), and the sort comes after them: in
-- one statement, the join's table of every version's lifecycles stayed pinned while the sort filled, and a
-- 96 M-event day ran out of 4 GB there.

-- Nearly every version is in one lifecycle: its first and last come from a grouping with fixed-size
-- states, which the engine spills beyond its memory limit.
CREATE OR REPLACE TEMP TABLE tl_spans AS
SELECT _event_id, min(lc_date) AS lc_date, min(lc_num) AS lc_num, max(lc_date) AS last_date,
  max(lc_num) AS last_num
FROM (SELECT _event_id, lc_date, lc_num FROM {{LIFECYCLES}})
GROUP BY _event_id;

-- The ordered list of distinct ids, whose states the engine cannot spill (a 29 M-event day ran out of 4 GB
-- in it), only for the few versions in several.
CREATE OR REPLACE TEMP TABLE tl_several AS
SELECT _event_id, list(DISTINCT {{LIFECYCLE_ID}} ORDER BY {{LIFECYCLE_ID}}) AS ids
FROM (SELECT _event_id, lc_date, lc_num FROM {{LIFECYCLES}})
WHERE _event_id IN (SELECT _event_id FROM tl_spans WHERE lc_date <> last_date OR lc_num <> last_num)
GROUP BY _event_id;

CREATE OR REPLACE TEMP TABLE tl_rows AS
SELECT c.*,
  CASE
    WHEN s._event_id IS NULL THEN []::VARCHAR[]
    WHEN s.lc_date = s.last_date AND s.lc_num = s.last_num THEN [{{LIFECYCLE_ID}}]
    ELSE v.ids
  END AS lifecycle_ids
FROM (SELECT {{COLUMNS}} FROM {{CURRENT}}) c
LEFT JOIN tl_spans s USING (_event_id)
LEFT JOIN tl_several v USING (_event_id);

DROP TABLE tl_spans;
DROP TABLE tl_several;
