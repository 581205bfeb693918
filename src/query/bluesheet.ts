/**
 * Blue-sheet style report: the executions of one symbol over a date range, grouped by customer (CCID) and
 * broker, with side, trade count, shares and average price — what regulators once requested from each
 * broker separately, produced from the repository's linked lifecycles. Shares and average prices are exact
 * over the spec's full ranges (Price Numeric(18,8), Real Quantity Numeric(18,6)).
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import { eventCustomersOf } from '../identity/identity-views.ts'
import { currentRuns } from '../link/linkage-layout.ts'
import {
  currentEventsOf,
  dayIndexWithLifecycles,
  freshDayIndex,
  holdsUnsymbolled,
  symbolBucketsScan,
} from '../store/day-index.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import { formatScaled, joinSplitSums, productSumSql, roundDiv, unitsSql } from './exact-decimal.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** The executions a report counts, and the customer orders that name the account behind a lifecycle. */
const EXECUTIONS = ['EXOT', 'MEOT', 'MEOF']
const ORIGINS = ['MENO', 'MONO']
/** The only types the report reads: a busy symbol's other versions (routes, quotes, cancels) stay unread. */
const READ_TYPES = [...EXECUTIONS, ...ORIGINS].map((t) => `'${t}'`).join(', ')

/** One line of the report. */
export interface BlueSheetRow {
  readonly ccid: string
  readonly broker: string
  readonly fdid: string
  readonly side: 'BUY' | 'SELL'
  readonly trades: number
  /** Total shares, exact decimal text. */
  readonly shares: string
  /** Share-weighted average price, rounded to 8 decimals (the precision of a CAT price), halves away from 0. */
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
  // The symbol's current versions of every stored date (a customer order may start a lifecycle on an
  // earlier date than its executions): each date's from the symbol's buckets of its day index when it is
  // fresh, else from current_events. An option series is an exchange event's symbol and a firm's optionID
  // (symbol empty), so the bucket of the empty symbol is read too when the date has versions without one.
  const days: string[] = []
  // Their lifecycles: each date's from the lifecycle rows of the same buckets of its day index when they
  // are of the date's current linkage run (a busy symbol's versions fall in every key bucket), else from
  // the run's key files.
  const keys: string[] = []
  const runs = currentRuns(repo.paths)
  for (const d of storedEventDates(repo.paths)) {
    const fresh = await freshDayIndex(repo, d)
    const buckets = fresh && !(await holdsUnsymbolled(repo, fresh)) ? [symbol] : [symbol, '']
    days.push(
      `SELECT * FROM ${await currentEventsOf(repo, d, buckets)} WHERE event_date = ${Number(d)} AND coalesce(symbol, optionID) = $1 AND _type IN (${READ_TYPES})`,
    )
    const index = await dayIndexWithLifecycles(repo, d, runs.get(d))
    const indexed = index && (await symbolBucketsScan(repo, index, 'lifecycles', buckets))
    if (index) {
      if (indexed) keys.push(`SELECT _event_id, lc_date, lc_num FROM ${indexed}`)
    } else if (runs.has(d))
      keys.push(`SELECT _event_id, lc_date, lc_num FROM linkage_key_ids WHERE event_date = ${Number(d)}`)
  }
  if (days.length === 0) return []
  const rows = await repo.db.all<Record<string, unknown>>(
    sql('bluesheet', {
      DAYS: days.join(' UNION ALL BY NAME '),
      CUSTOMERS: eventCustomersOf('symbol_events'),
      KEYS:
        keys.length === 0
          ? '(SELECT NULL::UBIGINT AS _event_id, NULL::INTEGER AS lc_date, NULL::BIGINT AS lc_num WHERE false)'
          : `(${keys.join(' UNION ALL ')})`,
      EXECUTIONS: EXECUTIONS.map((t) => `'${t}'`).join(', '),
      ORIGINS: ORIGINS.map((t) => `'${t}'`).join(', '),
      // Quantities (DECIMAL(18,6)) and prices (DECIMAL(18,8)) in units below 10^18; notional in 10^-14.
      QTY_UNITS: unitsSql('quantity', 6),
      PRICE_UNITS: unitsSql('price', 8),
      NOTIONAL: productSumSql('px', 'qty', 'notional'),
    }),
    [symbol, from, to],
  )
  const lines = rows.map((r) => {
    const qty = BigInt(String(r.qty ?? 0))
    // Share-weighted average: (units of 10^-14 dollar-shares) / (units of 10^-6 shares) = 10^-8 dollars.
    const average = qty === 0n ? undefined : roundDiv(joinSplitSums(r.notional_hi, r.notional_lo), qty)
    return {
      qty,
      row: {
        ccid: String(r.ccid),
        broker: String(r.broker),
        fdid: String(r.fdid),
        side: r.side as 'BUY' | 'SELL',
        trades: Number(r.trades),
        shares: formatScaled(qty, 6),
        averagePrice: average === undefined ? '' : formatScaled(average, 8),
        firstNs: String(r.first_ns),
        lastNs: String(r.last_ns),
      },
    }
  })
  lines.sort(
    (a, b) =>
      (a.qty > b.qty ? -1 : a.qty < b.qty ? 1 : 0) ||
      compare(a.row.ccid, b.row.ccid) ||
      compare(a.row.broker, b.row.broker) ||
      compare(a.row.fdid, b.row.fdid) ||
      compare(a.row.side, b.row.side),
  )
  return lines.map((l) => l.row)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
