-- A page of a symbol's replay over a window from a date's day index, in the replay's order: by instant, a
-- nanosecond's events (in their files' order) before the NBBO change they caused; the NBBO in force at the
-- window's start first, at its start. DAY: the scan of the symbol's current versions; NBBO: the scan of its
-- NBBO series; $1 the date, $2 the symbol, $3 and $4 the window (ns, inclusive), $5 the items to skip,
-- $6 the page's size. Each row carries the window's whole count of items (`total`). Values are turned to
-- text, and key hashes taken, for the page's rows only: a whole day holds hundreds of thousands of items.
WITH ev AS (
  SELECT _event_ns AS ns, 0 AS kind, _file_id AS k1, _line AS k2, _reporter, _type, _roe_id, side, price,
    quantity, routedOrderID, _event_id
  FROM {{DAY}}
  WHERE event_date = $1 AND symbol = $2 AND _event_ns BETWEEN $3 AND $4
),
s AS (SELECT * FROM {{NBBO}} WHERE symbol = $2 AND ns <= $4),
nb AS (
  SELECT ns, 1 AS kind, seq AS k1, 0 AS k2, * EXCLUDE (ns, seq) FROM s WHERE ns > $3
  UNION ALL
  (SELECT $3::BIGINT AS ns, 1 AS kind, seq AS k1, 0 AS k2, * EXCLUDE (ns, seq) FROM s WHERE ns <= $3
   ORDER BY s.ns DESC LIMIT 1)
),
items AS (SELECT * FROM ev UNION ALL BY NAME SELECT * FROM nb),
page AS (SELECT * FROM items ORDER BY items.ns, kind, k1, k2 LIMIT $6 OFFSET $5)
SELECT kind, CAST(ns AS VARCHAR) AS ns, _reporter, _type, _roe_id, side, CAST(price AS VARCHAR) AS price,
  CAST(quantity AS VARCHAR) AS quantity, routedOrderID, _event_id::VARCHAR AS event_id,
  CASE WHEN kind = 0 THEN {{KEY_NUM}}::VARCHAR END AS key_num, venue, k1 AS seq,
  CAST(bid_price AS VARCHAR) AS bid_price, CAST(bid_size AS VARCHAR) AS bid_size, bid_venues,
  CAST(ask_price AS VARCHAR) AS ask_price, CAST(ask_size AS VARCHAR) AS ask_size, ask_venues,
  (SELECT count(*) FROM items) AS total
FROM page
ORDER BY page.ns, kind, k1, k2
