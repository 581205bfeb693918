-- Wash trades and prearranged trading: executions whose buyer and seller are the same customer (one
-- CCID), or accounts of one large trader (one LTID), whatever brokers and venues they went through.
-- The two orders were entered at most {{MAX_ENTRY_GAP_NS}} ns apart (arranged together, not two
-- unrelated orders of one customer meeting by chance). Executions of one customer in one symbol less than
-- {{WINDOW_NS}} ns apart make one alert.
-- Executions between two of a firm's own accounts (holder type P or O on both sides) count only when
-- {{FIRM_ACCOUNTS}} is true: desks of one firm meeting each other are a self-match question, not a wash.
INSERT INTO sv_alerts
WITH pairs AS (
  SELECT b._event_id, b._type, b.venue, b._roe_id, b._event_ns, b.symbol, b.quantity, b.price,
    CASE WHEN b.who = s.who THEN 'customer ' || b.who ELSE 'large trader ' || b.ltid END AS owner,
    b.who = s.who AS same_customer,
    b.reporter AS buy_reporter, b.fdid AS buy_fdid, b.ccid AS buy_ccid, b.roe_id AS buy_roe, b.lifecycle_id AS buy_lc,
    b.entered_ns AS buy_entered, s.entered_ns AS sell_entered, s.reporter AS sell_reporter, s.fdid AS sell_fdid, s.ccid AS sell_ccid, s.roe_id AS sell_roe, s.lifecycle_id AS sell_lc
  FROM sv_fills b JOIN sv_fills s ON s._event_id = b._event_id AND s.side = 'S'
  WHERE b.side = 'B'
    AND (b.who = s.who OR b.ltid = s.ltid)
    AND abs(b.entered_ns - s.entered_ns) <= {{MAX_ENTRY_GAP_NS}}
    AND ({{FIRM_ACCOUNTS}} OR NOT (b.holder_type IN ('P', 'O') AND s.holder_type IN ('P', 'O')))
), clustered AS (
  SELECT *, sum(CASE WHEN _event_ns - prev_ns <= {{WINDOW_NS}} THEN 0 ELSE 1 END)
    OVER (PARTITION BY symbol, owner ORDER BY _event_ns, _event_id) AS cluster
  FROM (SELECT *, lag(_event_ns) OVER (PARTITION BY symbol, owner ORDER BY _event_ns, _event_id) AS prev_ns FROM pairs)
), grouped AS (
  SELECT symbol, owner, cluster, min(_event_ns) AS from_ns, max(_event_ns) AS to_ns,
    bool_and(same_customer) AS same_customer, count(DISTINCT _event_id) AS executions, sum(quantity) AS shares,
    min(price) AS low, max(price) AS high,
    list(DISTINCT buy_reporter ORDER BY buy_reporter) AS buy_brokers,
    list(DISTINCT sell_reporter ORDER BY sell_reporter) AS sell_brokers,
    list(DISTINCT venue ORDER BY venue) AS venues, max(abs(buy_entered - sell_entered)) AS gap,
    list(DISTINCT {'reporter': buy_reporter, 'fdid': buy_fdid, 'ccid': buy_ccid})
      || list(DISTINCT {'reporter': sell_reporter, 'fdid': sell_fdid, 'ccid': sell_ccid}) AS participants,
    list(DISTINCT {'reporter': buy_reporter, 'firmROEID': buy_roe, 'lifecycle': buy_lc})
      || list(DISTINCT {'reporter': sell_reporter, 'firmROEID': sell_roe, 'lifecycle': sell_lc})
      || list(DISTINCT {'reporter': venue, 'firmROEID': _roe_id, 'lifecycle': buy_lc}) AS events
  FROM clustered GROUP BY ALL
)
SELECT 'wash', symbol, from_ns, to_ns,
  CASE WHEN same_customer THEN 1.0 ELSE 0.8 END * least(1.0, 0.5 + shares / {{SCORE_SHARES}}),
  list_distinct(participants), list_distinct(events),
  printf('%s was on both sides of %d execution%s of %s shares at %s%s, from orders entered %.3f s apart (limit %.0f s), buying through %s and selling through %s on %s (threshold: %d execution%s within %s s)',
    owner, executions, CASE WHEN executions = 1 THEN '' ELSE 's' END, sv_num(shares),
    sv_num(low), CASE WHEN high > low THEN '-' || sv_num(high) ELSE '' END, gap / 1e9,
    {{MAX_ENTRY_GAP_NS}} / 1e9, array_to_string(buy_brokers, ', '), array_to_string(sell_brokers, ', '), array_to_string(venues, ', '),
    {{MIN_EXECUTIONS}}, CASE WHEN {{MIN_EXECUTIONS}} = 1 THEN '' ELSE 's' END, ({{WINDOW_NS}} / 1e9)::VARCHAR)
FROM grouped
WHERE executions >= {{MIN_EXECUTIONS}};

-- The same arrangement that did not trade: one customer's (or large trader's) buy and sell orders at the
-- same price and size, entered at most {{MAX_ENTRY_GAP_NS}} ns apart, which never executed against each
-- other (one was cancelled, or rejected by the venue, before the other arrived).
INSERT INTO sv_alerts
WITH shared AS (
  SELECT DISTINCT b.lifecycle_id AS buy_lc, s.lifecycle_id AS sell_lc
  FROM sv_fills b JOIN sv_fills s ON s._event_id = b._event_id AND s.side = 'S' WHERE b.side = 'B'
), venues AS (
  SELECT lifecycle_id, list(DISTINCT _reporter ORDER BY _reporter) AS venues
  FROM sv_events WHERE _type IN ('EXOA', 'MEOA') GROUP BY lifecycle_id
)
SELECT 'wash', b.symbol, least(b.entered_ns, s.entered_ns), greatest(b.entered_ns, s.entered_ns),
  CASE WHEN b.who = s.who THEN 0.7 ELSE 0.6 END,
  list_distinct([{'reporter': b.reporter, 'fdid': b.fdid, 'ccid': b.ccid}, {'reporter': s.reporter, 'fdid': s.fdid, 'ccid': s.ccid}]),
  [{'reporter': b.reporter, 'firmROEID': b.roe_id, 'lifecycle': b.lifecycle_id},
   {'reporter': s.reporter, 'firmROEID': s.roe_id, 'lifecycle': s.lifecycle_id}],
  printf('%s entered a buy through %s and a sell through %s of %s shares each at %s, %.3f s apart (limit %.0f s), to %s: matching orders that did not execute against each other',
    CASE WHEN b.who = s.who THEN 'customer ' || b.who ELSE 'large trader ' || b.ltid END, b.reporter, s.reporter,
    sv_num(b.quantity), sv_num(b.price), abs(b.entered_ns - s.entered_ns) / 1e9, {{MAX_ENTRY_GAP_NS}} / 1e9,
    array_to_string(list_sort(list_distinct(coalesce(vb.venues, []) || coalesce(vs.venues, []))), ', '))
FROM sv_orders b JOIN sv_orders s ON s.symbol = b.symbol AND s.side = 'S' AND s.price = b.price AND s.quantity = b.quantity
  AND abs(b.entered_ns - s.entered_ns) <= {{MAX_ENTRY_GAP_NS}} AND (b.who = s.who OR b.ltid = s.ltid)
LEFT JOIN shared x ON x.buy_lc = b.lifecycle_id AND x.sell_lc = s.lifecycle_id
LEFT JOIN venues vb ON vb.lifecycle_id = b.lifecycle_id
LEFT JOIN venues vs ON vs.lifecycle_id = s.lifecycle_id
WHERE b.side = 'B' AND x.buy_lc IS NULL
  AND ({{FIRM_ACCOUNTS}} OR NOT (b.holder_type IN ('P', 'O') AND s.holder_type IN ('P', 'O')));
