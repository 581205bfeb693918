-- One page of a day's current events ($1: event date) in time order, ties by event id, after the cursor
-- ($2: eventTimestamp ns, $3: event id; the first page starts before the window) and inside the window
-- ($4, $5: ns, both inclusive), at most $6 rows. {{FILTERS}} adds the symbol and reporter conditions
-- asked for (each an equality the engine pushes into the scan). {{TOTAL}} is the size of the whole
-- selection on the first page (counted in the same pass over the store), NULL on the others. {{DAY}}: the
-- date's current versions, current_events, the day index's symbol buckets (src/store/day-index.ts) or,
-- for every symbol, its timeline (timeline-day-index.ts). {{LIFECYCLES}}: the timeline's lifecycle ids when
-- they are the current linkage run's, else NULL (they are looked up by the records' keys).
SELECT _event_id::VARCHAR AS event_id, _event_ns::VARCHAR AS event_ns, _ts_digits, _reporter, _roe_id, _type,
  _action, symbol, side, price::VARCHAR AS price, quantity::VARCHAR AS quantity, orderID, routedOrderID,
  (hash(_reporter, _roe_id) >> 1)::BIGINT::VARCHAR AS key_num, {{TOTAL}} AS total, {{LIFECYCLES}} AS lifecycle_ids
FROM {{DAY}}
WHERE event_date = $1 {{FILTERS}}
  AND _event_ns BETWEEN $4 AND $5
  -- The first condition follows from the second; alone, it lets a scan in time order skip what is before.
  AND _event_ns >= $2 AND (_event_ns > $2 OR (_event_ns = $2 AND _event_id > $3::UBIGINT))
ORDER BY _event_ns, _event_id
LIMIT $6
