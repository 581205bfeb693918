-- Every FDID an event names (orders, trade sides, allocations), with the firm's CRD; `symbol` is the
-- option series (optionID) for option events. EVENTS: current versions of events (current_events for
-- the event_fdids view, or some dates' and symbols' rows of them). The three places are one list per
-- event unnested (a lateral union of them becomes a join of every event with itself in the engine).
SELECT * FROM (
  SELECT e._event_id, e._reporter, e._type, e._roe_id, e.event_date, e._event_ns,
    coalesce(e.symbol, e.optionID) AS symbol, i.crd,
    unnest([e.firmDesignatedID, json_extract_string(e.buyDetails, '$[0].firmDesignatedID'),
            json_extract_string(e.sellDetails, '$[0].firmDesignatedID')]) AS fdid
  FROM {{EVENTS}} e
  JOIN ref_imids i ON i.imid = e._reporter AND e.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
)
WHERE fdid IS NOT NULL
