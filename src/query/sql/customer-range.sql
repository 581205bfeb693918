-- What describes a customer's events over a date range whole: its totals, the chart's series, and the
-- order of its events (time, ties by version id: a cursor of (time, version) pages without overlap or gap);
-- and the page asked for. FOUND: customer-found.sql over the whole range; FAMILIES: rows (type, family) of
-- the catalogue's event types; EXECUTIONS and ORDERS: the types the chart draws as changes of position and
-- as orders; BINS: how many intervals the range is cut into for the chart; SYMBOLS: how many symbols'
-- positions it draws; AFTER_NS and AFTER_ID: the previous page's last event (-1 and 0 before the first);
-- LIMIT: `LIMIT n` or nothing; EVENTS: customer-events.sql over the page.
WITH families (type, family) AS (VALUES {{FAMILIES}}),
found AS MATERIALIZED ({{FOUND}}),
span AS (SELECT min(ns) AS lo, max(ns) AS hi FROM found),
binned AS (
  SELECT f.*, floor((f.ns - s.lo)::DOUBLE * {{BINS}} / (s.hi - s.lo + 1))::INTEGER AS bin
  FROM found f, span s
),
-- Position per symbol from executions on the customer's side: a trade's side is the one whose details name
-- the account (source 1: buy, 2: sell), another execution's its own; buys add, sells take away.
sided AS (
  SELECT *, CASE source WHEN 1 THEN 'B' WHEN 2 THEN 'S' ELSE side END AS customer_side FROM binned
  WHERE _type IN ({{EXECUTIONS}}) AND quantity IS NOT NULL
),
executed AS (SELECT coalesce(symbol, '?') AS symbol, * EXCLUDE (symbol) FROM sided WHERE customer_side IS NOT NULL),
-- Positions are summed for the drawn symbols only (a busy customer trades a thousand).
drawn AS (SELECT symbol FROM executed GROUP BY symbol ORDER BY count(*) DESC, symbol LIMIT {{SYMBOLS}}),
held AS (
  SELECT symbol, ns, _event_id, bin,
    sum(CASE WHEN customer_side = 'B' THEN 1 ELSE -1 END * CAST(quantity AS DOUBLE))
      OVER (PARTITION BY symbol ORDER BY ns, _event_id ROWS UNBOUNDED PRECEDING) AS position
  FROM executed
  WHERE symbol IN (SELECT symbol FROM drawn)
),
-- Per symbol and interval: the position after its last execution, and its lowest and highest in it.
position_points AS (
  SELECT symbol, ns, _event_id, position FROM held
  QUALIFY row_number() OVER (PARTITION BY symbol, bin ORDER BY ns DESC, _event_id DESC) = 1
    OR row_number() OVER (PARTITION BY symbol, bin ORDER BY position, ns, _event_id) = 1
    OR row_number() OVER (PARTITION BY symbol, bin ORDER BY position DESC, ns, _event_id) = 1
),
-- Per broker and interval: the order with the lowest price and the one with the highest, with how many
-- orders the interval holds (every order when an interval holds at most two).
order_points AS (
  SELECT _reporter, ns, _event_id, price, symbol, side, quantity,
    count(*) OVER (PARTITION BY _reporter, bin) AS orders
  FROM binned
  WHERE _type IN ({{ORDERS}}) AND price IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY _reporter, bin ORDER BY CAST(price AS DOUBLE), ns, _event_id) = 1
    OR row_number() OVER (PARTITION BY _reporter, bin ORDER BY CAST(price AS DOUBLE) DESC, ns, _event_id) = 1
),
page AS (
  SELECT * FROM found
  WHERE ns > {{AFTER_NS}} OR (ns = {{AFTER_NS}} AND _event_id > {{AFTER_ID}})
  ORDER BY ns, _event_id
  {{LIMIT}}
)
SELECT
  (SELECT count(*) FROM found) AS total,
  (SELECT list({reporter: _reporter, events: n} ORDER BY _reporter)
   FROM (SELECT _reporter, count(*) AS n FROM found GROUP BY _reporter)) AS brokers,
  (SELECT list({product: product, events: n} ORDER BY product)
   FROM (SELECT coalesce(f.family, 'other') AS product, count(*) AS n
         FROM found LEFT JOIN families f ON f.type = found._type GROUP BY ALL)) AS products,
  (SELECT CAST(lo AS VARCHAR) FROM span) AS first_ns,
  (SELECT CAST(hi AS VARCHAR) FROM span) AS last_ns,
  (SELECT count(DISTINCT symbol) FROM executed) AS position_symbols,
  (SELECT list({symbol: symbol, points: points} ORDER BY symbol)
   FROM (SELECT symbol, list({eventNs: CAST(ns AS VARCHAR), position: position} ORDER BY ns, _event_id) AS points
         FROM position_points GROUP BY symbol)) AS positions,
  (SELECT list({reporter: _reporter, points: points} ORDER BY _reporter)
   FROM (SELECT _reporter,
           list({eventNs: CAST(ns AS VARCHAR), price: price, symbol: symbol, side: side, quantity: quantity,
                 orders: orders} ORDER BY ns, _event_id) AS points
         FROM order_points GROUP BY _reporter)) AS orders,
  (SELECT list(ns ORDER BY ns, _event_id) FROM found) AS order_ns,
  (SELECT list(_event_id ORDER BY ns, _event_id) FROM found) AS order_ids,
  ({{EVENTS}}) AS events
