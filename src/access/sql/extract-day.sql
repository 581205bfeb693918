-- A day's current events ({{DATE}}: the event date), every column the store view gives, in time order
-- (ties by event id) so that the same day extracts the same file. {{FILTERS}} adds the symbol and reporter
-- conditions asked for.
SELECT *
FROM current_events_of({{DATE}})
WHERE true {{FILTERS}}
ORDER BY _event_ns, _event_id
