-- A blue sheet: the executions of one symbol ($1) between two event dates ($2, $3, YYYYMMDD) by customer
-- (CCID), broker and side, with trades, exact shares and notional, first and last time. Filled by
-- bluesheet.ts: DAYS, the symbol's current versions of every stored date of the types read here
-- (EXECUTIONS and ORIGINS; each date's from the day index's buckets or current_events); CUSTOMERS, the
-- event_customers rule over them; KEYS, the linkage keys of the current runs (each date's from its day
-- index's lifecycle rows of the symbol's buckets, or its run's key files); QTY_UNITS and PRICE_UNITS, a
-- quantity and a price as integers of their smallest units, and NOTIONAL, the sum of their products in
-- two parts (exact-decimal.ts).
WITH symbol_events AS MATERIALIZED ({{DAYS}}),
-- Lifecycles by their stored parts (lc_date, lc_num): the readable id is one-to-one with them and is never
-- shown here, so it is not built for every key read.
keys AS MATERIALIZED (
  SELECT k._event_id, k.lc_date, k.lc_num
  FROM {{KEYS}} k
  WHERE k._event_id IN (SELECT _event_id FROM symbol_events)
),
executions AS (
  SELECT k.lc_date, k.lc_num, e._event_id, e.quantity, e.price, e._event_ns
  FROM symbol_events e JOIN keys k ON k._event_id = e._event_id
  WHERE e.symbol = $1 AND e.event_date BETWEEN $2 AND $3 AND e._type IN ({{EXECUTIONS}})
),
customers AS MATERIALIZED (SELECT * FROM {{CUSTOMERS}} WHERE symbol = $1),
-- The customer order that started each lifecycle names the account.
origins AS (
  SELECT DISTINCT k.lc_date, k.lc_num, c.ccid, c._reporter AS broker, c.fdid, o.side
  FROM customers c
  JOIN keys k ON k._event_id = c._event_id
  JOIN symbol_events o ON o._event_id = c._event_id
  WHERE c._type IN ({{ORIGINS}})
),
attributed AS (
  SELECT o.ccid, o.broker, o.fdid, CASE WHEN o.side = 'B' THEN 'BUY' ELSE 'SELL' END AS side,
         x._event_id, x.quantity, x.price, x._event_ns
  FROM executions x JOIN origins o USING (lc_date, lc_num)
  UNION ALL
  -- A firm's own account on a trade side (no customer order behind it).
  SELECT c.ccid, c._reporter, c.fdid,
         CASE WHEN json_extract_string(e.buyDetails, '$[0].firmDesignatedID') = c.fdid THEN 'BUY' ELSE 'SELL' END,
         e._event_id, e.quantity, e.price, e._event_ns
  FROM customers c JOIN symbol_events e ON e._event_id = c._event_id
  WHERE c._type = 'MEOT' AND c.event_date BETWEEN $2 AND $3
),
-- Each execution once per line, its amounts in units.
amounts AS (
  SELECT ccid, broker, fdid, side, _event_id, {{QTY_UNITS}} AS qty, {{PRICE_UNITS}} AS px, _event_ns
  FROM (SELECT DISTINCT ccid, broker, fdid, side, _event_id, quantity, price, _event_ns FROM attributed)
)
SELECT ccid, broker, fdid, side, count(DISTINCT _event_id) AS trades, sum(qty) AS qty, {{NOTIONAL}},
       CAST(min(_event_ns) AS VARCHAR) AS first_ns, CAST(max(_event_ns) AS VARCHAR) AS last_ns
FROM amounts
GROUP BY ccid, broker, fdid, side
