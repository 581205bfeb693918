-- The date's current versions, resolved once for the whole build (docs/formats/day-index.md): the event
-- ids of exactly what current_events gives for the date (current_events_of reads only the date), with the two columns the counts group by. The
-- view picks them with window functions over the few columns that decide it; every other column stays
-- out of the window's work and is read once, by day-index-current.sql.
CREATE OR REPLACE TEMP TABLE di_current AS
SELECT _event_id, symbol, _reporter FROM current_events_of({{DATE}});

-- Stored versions (what a search counts) and current versions (what the day browser totals) per symbol
-- and reporter.
CREATE OR REPLACE TEMP TABLE di_counts AS
WITH v AS (
  SELECT symbol, _reporter, count(*) AS versions FROM events WHERE event_date = {{DATE}} GROUP BY ALL
), c AS (
  SELECT symbol, _reporter, count(*) AS current FROM di_current GROUP BY ALL
)
SELECT v.symbol, v._reporter, v.versions, coalesce(c.current, 0) AS current
FROM v LEFT JOIN c ON c.symbol IS NOT DISTINCT FROM v.symbol AND c._reporter = v._reporter;
