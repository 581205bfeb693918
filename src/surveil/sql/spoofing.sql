-- Spoofing and layering: a customer's large limit orders on one side of a symbol (on one venue or
-- several, through one broker or several), cancelled soon after entry and barely filled, while the same
-- customer executes on the other side. Orders entered less than {{WINDOW_NS}} ns apart form one group;
-- a group spread over {{LAYERS}} or more price levels is layering, otherwise spoofing.
INSERT INTO sv_alerts
WITH big AS (
  SELECT o.*, (SELECT list(DISTINCT v._reporter) FROM sv_events v
               WHERE v.lifecycle_id = o.lifecycle_id AND v._type IN ('EXOA', 'MEOA')) AS venues
  FROM sv_orders o
  WHERE o.price IS NOT NULL AND o.quantity >= {{MIN_ORDER_SHARES}} AND o.cancelled_ns IS NOT NULL
    AND o.cancelled_ns - o.entered_ns <= {{MAX_LIFETIME_NS}} AND o.filled::DOUBLE <= {{MAX_FILLED}} * o.quantity::DOUBLE
), grouped AS (
  SELECT *, sum(CASE WHEN entered_ns - prev_ns <= {{WINDOW_NS}} THEN 0 ELSE 1 END)
    OVER (PARTITION BY who, symbol, side ORDER BY entered_ns, _event_id) AS grp
  FROM (SELECT *, lag(entered_ns) OVER (PARTITION BY who, symbol, side ORDER BY entered_ns, _event_id) AS prev_ns FROM big)
), groups AS (
  SELECT who, symbol, side, grp, min(entered_ns) AS from_ns, max(cancelled_ns) AS to_ns,
    count(*) AS orders, sum(quantity) AS shares, count(DISTINCT price) AS levels,
    min(price) AS low, max(price) AS high, max(cancelled_ns - entered_ns) AS longest,
    list_sort(list_distinct(flatten(list(venues)))) AS venues, list(DISTINCT reporter ORDER BY reporter) AS brokers,
    list(DISTINCT {'reporter': reporter, 'fdid': fdid, 'ccid': ccid}) AS participants,
    list({'reporter': reporter, 'firmROEID': roe_id, 'lifecycle': lifecycle_id}) AS events
  FROM grouped GROUP BY ALL
), opposite AS (
  -- The customer's executions on the other side while the group stood.
  SELECT g.who, g.symbol, g.side, g.grp, count(DISTINCT f._event_id) AS executions, sum(f.quantity) AS traded,
    min(f._event_ns) AS first_ns,
    list(DISTINCT {'reporter': f.reporter, 'fdid': f.fdid, 'ccid': f.ccid}) AS participants,
    list(DISTINCT {'reporter': f.reporter, 'firmROEID': f.roe_id, 'lifecycle': f.lifecycle_id})
      || list(DISTINCT {'reporter': f.venue, 'firmROEID': f._roe_id, 'lifecycle': f.lifecycle_id}) AS events
  FROM groups g JOIN sv_fills f ON f.who = g.who AND f.symbol = g.symbol AND f.side <> g.side
    AND f._event_ns BETWEEN g.from_ns AND g.to_ns
  GROUP BY ALL
)
SELECT CASE WHEN g.levels >= {{LAYERS}} THEN 'layering' ELSE 'spoofing' END, g.symbol, g.from_ns, g.to_ns,
  least(1.0, 0.5 + 0.5 * (g.shares / o.traded) / ({{MIN_RATIO}} * 4)),
  list_distinct(g.participants || o.participants), list_distinct(g.events || o.events),
  printf('%d %s order%s of %s shares in all (each at least %d) at %d price level%s (%s%s) on %s through %s, cancelled within %.1f s (limit %.1f s), while the same customer %s %s shares in %d execution%s: %.0f times as many shares shown as traded (threshold %.0f)%s',
    g.orders, CASE WHEN g.side = 'B' THEN 'buy' ELSE 'sell' END, CASE WHEN g.orders = 1 THEN '' ELSE 's' END,
    sv_num(g.shares), {{MIN_ORDER_SHARES}}, g.levels, CASE WHEN g.levels = 1 THEN '' ELSE 's' END,
    sv_num(g.low), CASE WHEN g.high > g.low THEN '-' || sv_num(g.high) ELSE '' END,
    array_to_string(g.venues, ', '), array_to_string(g.brokers, ', '), g.longest / 1e9, {{MAX_LIFETIME_NS}} / 1e9,
    CASE WHEN g.side = 'B' THEN 'sold' ELSE 'bought' END, sv_num(o.traded), o.executions,
    CASE WHEN o.executions = 1 THEN '' ELSE 's' END, g.shares / o.traded, {{MIN_RATIO}}::DOUBLE,
    CASE WHEN g.levels >= {{LAYERS}} THEN printf('; %d levels (layering from %d)', g.levels, {{LAYERS}}) ELSE '' END)
FROM groups g JOIN opposite o USING (who, symbol, side, grp)
WHERE g.shares::DOUBLE >= {{MIN_RATIO}} * o.traded::DOUBLE;
