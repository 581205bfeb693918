-- How many current events of a day ($1) are in the window ($2, $3: ns, inclusive) with the filters asked
-- for ({{FILTERS}}, as in browse-events.sql).
SELECT count(*)::VARCHAR AS n
FROM current_events
WHERE event_date = $1 {{FILTERS}} AND _event_ns BETWEEN $2 AND $3
