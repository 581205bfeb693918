-- The date's counts per symbol and reporter (docs/formats/day-index.md): stored versions (what a search
-- counts) and current versions (what the day browser totals), the latter from the current versions just
-- written ({{CURRENT}}: their scan).
COPY (
  WITH v AS (
    SELECT symbol, _reporter, count(*) AS versions FROM events WHERE event_date = {{DATE}} GROUP BY ALL
  ), c AS (
    SELECT symbol, _reporter, count(*) AS current FROM {{CURRENT}} GROUP BY ALL
  )
  SELECT v.symbol, v._reporter, v.versions, coalesce(c.current, 0) AS current
  FROM v LEFT JOIN c ON c.symbol IS NOT DISTINCT FROM v.symbol AND c._reporter = v._reporter
  ORDER BY v.symbol NULLS LAST, v._reporter
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd{{ENCRYPTION}});
