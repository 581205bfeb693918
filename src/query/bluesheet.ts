/**
 * Blue-sheet style report: the executions of one symbol over a date range, grouped by customer (CCID) and
 * broker, with side, trade count, shares and average price — what regulators once requested from each
 * broker separately, produced from the repository's linked lifecycles.
 */
import type { Repository } from '../store/repository.ts'

/** One line of the report. */
export interface BlueSheetRow {
  readonly ccid: string
  readonly broker: string
  readonly fdid: string
  readonly side: 'BUY' | 'SELL'
  readonly trades: number
  readonly shares: string
  readonly averagePrice: string
  readonly firstNs: string
  readonly lastNs: string
}

/** The report for a symbol between two event dates (YYYYMMDD, inclusive). */
export async function blueSheet(
  repo: Repository,
  symbol: string,
  from: number,
  to: number,
): Promise<BlueSheetRow[]> {
  const rows = await repo.db.all<Record<string, unknown>>(
    `WITH executions AS (
       SELECT k.lifecycle_id, e._event_id, e.quantity, e.price, e._event_ns
       FROM current_events e JOIN linkage_keys k ON k._event_id = e._event_id
       WHERE e.symbol = $1 AND e.event_date BETWEEN $2 AND $3 AND e._type IN ('EXOT', 'MEOT', 'MEOF')
     ),
     -- The customer order that started each lifecycle names the account.
     origins AS (
       SELECT DISTINCT k.lifecycle_id, c.ccid, c._reporter AS broker, c.fdid, o.side
       FROM event_customers c
       JOIN linkage_keys k ON k._event_id = c._event_id
       JOIN current_events o ON o._event_id = c._event_id
       WHERE c._type IN ('MENO', 'MONO') AND c.symbol = $1
     ),
     attributed AS (
       SELECT o.ccid, o.broker, o.fdid, CASE WHEN o.side = 'B' THEN 'BUY' ELSE 'SELL' END AS side, x.*
       FROM executions x JOIN origins o USING (lifecycle_id)
       UNION ALL
       -- A firm's own account on a trade side (no customer order behind it).
       SELECT c.ccid, c._reporter, c.fdid,
              CASE WHEN json_extract_string(e.buyDetails, '$[0].firmDesignatedID') = c.fdid THEN 'BUY' ELSE 'SELL' END,
              NULL, e._event_id, e.quantity, e.price, e._event_ns
       FROM event_customers c JOIN current_events e ON e._event_id = c._event_id
       WHERE c._type = 'MEOT' AND c.symbol = $1 AND c.event_date BETWEEN $2 AND $3
     )
     SELECT ccid, broker, fdid, side, count(DISTINCT _event_id) AS trades, CAST(sum(quantity) AS VARCHAR) AS shares,
            CAST(round(sum(quantity * price) / sum(quantity), 6) AS VARCHAR) AS avg_price,
            CAST(min(_event_ns) AS VARCHAR) AS first_ns, CAST(max(_event_ns) AS VARCHAR) AS last_ns
     FROM (SELECT DISTINCT ccid, broker, fdid, side, _event_id, quantity, price, _event_ns FROM attributed)
     GROUP BY ccid, broker, fdid, side
     ORDER BY sum(quantity) DESC, ccid, broker`,
    [symbol, from, to],
  )
  return rows.map((r) => ({
    ccid: String(r.ccid),
    broker: String(r.broker),
    fdid: String(r.fdid),
    side: r.side as 'BUY' | 'SELL',
    trades: Number(r.trades),
    shares: String(r.shares),
    averagePrice: String(r.avg_price),
    firstNs: String(r.first_ns),
    lastNs: String(r.last_ns),
  }))
}
