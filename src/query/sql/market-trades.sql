-- The trades of one symbol ($2) on one event date ($1) between two instants ($3, $4: ns, inclusive), as the
-- tape shows them: exchange executions (EXOT) and FINRA's trade reports of OTC trades (TRFT). A firm's own
-- MEOT of an OTC trade is left out: its trade report is the print. {{DAY}}: the date's current versions,
-- current_events or the day index's symbol buckets (src/store/day-index.ts). KEEP: a query over `picked`
-- keeping its columns and adding `_total` (market-thin.sql for a chart), or every row with no total.
WITH picked AS (
  SELECT _event_ns AS ns, _event_id, _reporter, _roe_id, _type, price, quantity, marketCenterID,
    coalesce(tapeTradeID, tradeID) AS trade_id
  FROM {{DAY}}
  WHERE event_date = $1 AND symbol = $2 AND _type IN ('EXOT', 'TRFT') AND _event_ns BETWEEN $3 AND $4
),
kept AS ({{KEEP}})
SELECT ns::VARCHAR AS event_ns, _reporter, _roe_id, _type, price::VARCHAR AS price,
  quantity::VARCHAR AS quantity, marketCenterID, trade_id, _total
FROM kept
ORDER BY kept.ns, _event_id
