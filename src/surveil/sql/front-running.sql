-- Front-running: while a firm holds a customer order of {{MIN_ORDER_SHARES}} shares or more (from its
-- entry until the firm first routes it on, at most {{MAX_HOLD_NS}} ns), the firm's own proprietary account
-- (holder type P) trades the same symbol on the same side. The proprietary account's trades on the other
-- side within {{EXIT_NS}} ns after the customer order went out are the exit, named when present.
INSERT INTO sv_alerts
WITH held AS (
  SELECT *, least(coalesce(routed_ns, cancelled_ns, entered_ns + {{MAX_HOLD_NS}}), entered_ns + {{MAX_HOLD_NS}}) AS released_ns
  FROM sv_orders
  WHERE quantity >= {{MIN_ORDER_SHARES}} AND coalesce(holder_type, '') NOT IN ('P', 'O')
), ahead AS (
  SELECT h.lifecycle_id AS held_lc, f.*
  FROM held h JOIN sv_fills f ON f.reporter = h.reporter AND f.symbol = h.symbol AND f.side = h.side
    AND f.holder_type = 'P' AND f._event_ns > h.entered_ns AND f._event_ns < h.released_ns
), exits AS (
  SELECT h.lifecycle_id AS held_lc, count(DISTINCT f._event_id) AS executions, sum(f.quantity) AS shares,
    max(f._event_ns) AS last_ns,
    list(DISTINCT {'reporter': f.reporter, 'firmROEID': f.roe_id, 'lifecycle': f.lifecycle_id}) AS events
  FROM held h JOIN sv_fills f ON f.reporter = h.reporter AND f.symbol = h.symbol AND f.side <> h.side
    AND f.holder_type = 'P' AND f._event_ns > h.released_ns AND f._event_ns <= h.released_ns + {{EXIT_NS}}
    AND f.who IN (SELECT a.who FROM ahead a WHERE a.held_lc = h.lifecycle_id)
  GROUP BY ALL
), grouped AS (
  SELECT held_lc, count(DISTINCT _event_id) AS executions, sum(quantity) AS shares, min(_event_ns) AS first_ns,
    list(DISTINCT {'reporter': reporter, 'fdid': fdid, 'ccid': ccid}) AS participants,
    list(DISTINCT {'reporter': reporter, 'firmROEID': roe_id, 'lifecycle': lifecycle_id})
      || list(DISTINCT {'reporter': venue, 'firmROEID': _roe_id, 'lifecycle': lifecycle_id}) AS events
  FROM ahead GROUP BY held_lc
)
SELECT 'front-running', h.symbol, h.entered_ns, greatest(h.released_ns, coalesce(x.last_ns, 0)),
  CASE WHEN x.held_lc IS NULL THEN 0.7 ELSE 1.0 END,
  list_distinct(g.participants || [{'reporter': h.reporter, 'fdid': h.fdid, 'ccid': h.ccid}]),
  list_distinct([{'reporter': h.reporter, 'firmROEID': h.roe_id, 'lifecycle': h.lifecycle_id}] || g.events || coalesce(x.events, [])),
  printf('%s held a customer %s order of %s shares (threshold %d) for %.1f s before routing it; meanwhile its proprietary account %s %s shares in %d execution%s, %.1f s after the customer order arrived%s',
    h.reporter, CASE WHEN h.side = 'B' THEN 'buy' ELSE 'sell' END, sv_num(h.quantity), {{MIN_ORDER_SHARES}},
    (h.released_ns - h.entered_ns) / 1e9, CASE WHEN h.side = 'B' THEN 'bought' ELSE 'sold' END,
    sv_num(g.shares), g.executions, CASE WHEN g.executions = 1 THEN '' ELSE 's' END,
    (g.first_ns - h.entered_ns) / 1e9,
    CASE WHEN x.held_lc IS NULL THEN ''
         ELSE printf(', and %s %s shares within %.0f s after the customer order went out', CASE WHEN h.side = 'B' THEN 'sold' ELSE 'bought' END,
           sv_num(x.shares), (x.last_ns - h.released_ns) / 1e9) END)
FROM held h JOIN grouped g ON g.held_lc = h.lifecycle_id LEFT JOIN exits x ON x.held_lc = h.lifecycle_id;
