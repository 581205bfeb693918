-- A symbol's NBBO over a window from a day index's NBBO part: the state in force at the window's start
-- (the last change at or before $2) and every change after it up to $3, in time order. NBBO: the scan
-- of the symbol's bucket; $1 the symbol. KEEP: a query over `picked` keeping its columns and adding `_total`
-- (the changes picked; a reader narrowing them, as a chart's thinning does), or every row with no total.
WITH s AS (SELECT * FROM {{NBBO}} WHERE symbol = $1 AND ns <= $3),
picked AS (
  SELECT * FROM s WHERE ns > $2
  UNION ALL
  (SELECT * FROM s WHERE ns <= $2 ORDER BY ns DESC LIMIT 1)
),
kept AS ({{KEEP}})
SELECT CAST(ns AS VARCHAR) AS ns, venue, seq,
  CAST(bid_price AS VARCHAR) AS bid_price, CAST(bid_size AS VARCHAR) AS bid_size, bid_venues,
  CAST(ask_price AS VARCHAR) AS ask_price, CAST(ask_size AS VARCHAR) AS ask_size, ask_venues, _total
FROM kept ORDER BY kept.ns
