-- Each venue's quotes of a symbol over a window from a day index's venue-quotes part: the venue's last change
-- at or before the window's start ($2) and, after it, the last change of each nanosecond up to $3 (only
-- that one was ever in force), venue by venue in the order they happened. QUOTES: the scan of the symbol's
-- bucket; $1 the symbol. KEEP: a query over `picked` keeping its columns and adding `_total` (the venue's
-- changes picked; a reader narrowing them, as a chart's thinning does), or every row with no total.
WITH s AS (SELECT * FROM {{QUOTES}} WHERE symbol = $1 AND ns <= $3),
picked AS (
  SELECT * FROM s WHERE ns > $2 QUALIFY row_number() OVER (PARTITION BY venue, ns ORDER BY n DESC) = 1
  UNION ALL
  SELECT * FROM s WHERE ns <= $2 QUALIFY row_number() OVER (PARTITION BY venue ORDER BY n DESC) = 1
),
kept AS ({{KEEP}})
SELECT venue, n, CAST(ns AS VARCHAR) AS ns,
  CAST(bid_price AS VARCHAR) AS bid_price, CAST(bid_size AS VARCHAR) AS bid_size,
  CAST(ask_price AS VARCHAR) AS ask_price, CAST(ask_size AS VARCHAR) AS ask_size, _total
FROM kept ORDER BY venue, n
