-- Trading ahead of news: for each news item (sv_news) whose symbol moved at least {{MIN_MOVE}} (from the
-- last execution before the news to the last within {{AFTER_NS}} ns after it), every customer who traded
-- at least {{MIN_SHARES}} shares in the direction of the move in the {{LOOKBACK_NS}} ns before the news,
-- and (when {{REQUIRE_EXIT}}) traded back out within {{EXIT_NS}} ns after it.
INSERT INTO sv_alerts
WITH prints AS (SELECT DISTINCT _event_id, symbol, _event_ns, price FROM sv_fills),
moves AS (
  SELECT n.symbol, n.news_ns, n.headline,
    (SELECT arg_max(p.price, {'t': p._event_ns, 'e': p._event_id}) FROM prints p WHERE p.symbol = n.symbol AND p._event_ns < n.news_ns) AS before,
    (SELECT arg_max(p.price, {'t': p._event_ns, 'e': p._event_id}) FROM prints p WHERE p.symbol = n.symbol
       AND p._event_ns >= n.news_ns AND p._event_ns <= n.news_ns + {{AFTER_NS}}) AS after
  FROM sv_news n
), directed AS (
  SELECT *, (after - before) / before AS move, CASE WHEN after > before THEN 'B' ELSE 'S' END AS way
  FROM moves WHERE before > 0 AND abs(after - before)::DOUBLE >= {{MIN_MOVE}} * before::DOUBLE
), ahead AS (
  SELECT m.symbol, m.news_ns, m.headline, m.move, m.way, f.who, count(DISTINCT f._event_id) AS executions,
    sum(f.quantity) AS shares, min(f._event_ns) AS first_ns,
    list(DISTINCT {'reporter': f.reporter, 'fdid': f.fdid, 'ccid': f.ccid}) AS participants,
    list(DISTINCT {'reporter': f.reporter, 'firmROEID': f.roe_id, 'lifecycle': f.lifecycle_id})
      || list(DISTINCT {'reporter': f.venue, 'firmROEID': f._roe_id, 'lifecycle': f.lifecycle_id}) AS events
  FROM directed m JOIN sv_fills f ON f.symbol = m.symbol AND f.side = m.way
    AND f._event_ns >= m.news_ns - {{LOOKBACK_NS}} AND f._event_ns < m.news_ns
  GROUP BY ALL
  HAVING sum(f.quantity)::DOUBLE >= {{MIN_SHARES}}
), exits AS (
  SELECT a.symbol, a.news_ns, a.who, sum(f.quantity) AS shares, max(f._event_ns) AS last_ns,
    list(DISTINCT {'reporter': f.reporter, 'firmROEID': f.roe_id, 'lifecycle': f.lifecycle_id}) AS events
  FROM ahead a JOIN sv_fills f ON f.symbol = a.symbol AND f.who = a.who AND f.side <> a.way
    AND f._event_ns >= a.news_ns AND f._event_ns <= a.news_ns + {{EXIT_NS}}
  GROUP BY ALL
)
SELECT 'news', a.symbol, a.first_ns, greatest(a.news_ns, coalesce(x.last_ns, a.news_ns)),
  least(1.0, 0.5 + abs(a.move) / ({{MIN_MOVE}} * 4)) * CASE WHEN x.who IS NULL THEN 0.7 ELSE 1.0 END,
  a.participants, list_distinct(a.events || coalesce(x.events, [])),
  printf('one customer %s %s shares in %d execution%s %.1f minutes before the news "%s" (lookback %.0f minutes, threshold %d shares); the price then moved %+.2f%% (threshold %.0f%%)%s',
    CASE WHEN a.way = 'B' THEN 'bought' ELSE 'sold' END, sv_num(a.shares), a.executions,
    CASE WHEN a.executions = 1 THEN '' ELSE 's' END, (a.news_ns - a.first_ns) / 6e10, a.headline,
    {{LOOKBACK_NS}} / 6e10, {{MIN_SHARES}}, 100 * a.move, 100.0 * {{MIN_MOVE}},
    CASE WHEN x.who IS NULL THEN '' ELSE printf(', and %s %s shares within %.0f minutes after it',
      CASE WHEN a.way = 'B' THEN 'sold' ELSE 'bought' END, sv_num(x.shares), (x.last_ns - a.news_ns) / 6e10) END)
FROM ahead a LEFT JOIN exits x USING (symbol, news_ns, who)
WHERE NOT {{REQUIRE_EXIT}} OR x.who IS NOT NULL;
