-- Each venue's quotes of a symbol over a window from a day index's venue-quotes part: the venue's last change
-- at or before the window's start ($2) and every change after it up to $3, venue by venue in the order they
-- happened. QUOTES: the scan of the symbol's bucket; $1 the symbol.
WITH s AS (SELECT * FROM {{QUOTES}} WHERE symbol = $1 AND ns <= $3),
picked AS (
  SELECT * FROM s WHERE ns > $2
  UNION ALL
  SELECT * FROM s WHERE ns <= $2 QUALIFY row_number() OVER (PARTITION BY venue ORDER BY n DESC) = 1
)
SELECT venue, n, CAST(ns AS VARCHAR) AS ns,
  CAST(bid_price AS VARCHAR) AS bid_price, CAST(bid_size AS VARCHAR) AS bid_size,
  CAST(ask_price AS VARCHAR) AS ask_price, CAST(ask_size AS VARCHAR) AS ask_size
FROM picked ORDER BY venue, n
