-- Every current event of the lifecycles an alert names, on the alert's date, each with its lifecycle: the
-- alert's own orders and executions, and what became of those orders (routes, rests, cancels, fills).
-- {{DATE}} is the event date (YYYYMMDD), {{LIFECYCLES}} a list of quoted lifecycle ids.
SELECT k.lifecycle_id AS lifecycle, e._reporter AS reporter, e._roe_id AS firm_roe_id, e._type AS type,
  e._event_ns::VARCHAR AS ns, e.side, e.price::VARCHAR AS price, e.quantity::VARCHAR AS quantity
FROM linkage_keys k JOIN current_events e ON e._event_id = k._event_id
WHERE k.event_date = {{DATE}} AND e.event_date = {{DATE}} AND k.lifecycle_id IN ({{LIFECYCLES}})
ORDER BY e._event_ns, e._event_id, k.lifecycle_id
