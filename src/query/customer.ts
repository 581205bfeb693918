/**
 * "Everything this customer did": a customer named by CCID, by a broker's FDID, or by large trader ID,
 * resolved to CCIDs; every account of those CCIDs at every broker; and the orders, trades and allocations
 * that name one of those accounts, page by page in time order, each with its lifecycle IDs, beside what
 * describes the whole range (totals by broker and product, the chart's position and orders). PII only with
 * the entitlement (see pii.ts).
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Family } from '../catalogue/types.ts'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { lifecyclesOfVersions } from '../link/lifecycle-keys.ts'
import { literal } from '../store/database.ts'
import { engine } from '../store/engine.ts'
import type { Repository } from '../store/repository.ts'
import { eventsThrough, keepRange, keptRange, rangeKey } from './customer-ranges.ts'
import { type CustomerRows, customerRows, type RangeRows } from './customer-rows.ts'
import { formatDecimal } from './display-format.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** Events per page when none is asked for, and the most a page holds. */
export const CUSTOMER_LIMIT = 1000
export const CUSTOMER_MAX_LIMIT = 10_000

/** How many intervals the chart cuts the range into, and how many symbols' positions it draws. */
const CHART_BINS = 300
const CHART_SYMBOLS = 10
/**
 * Executions and allocations change the customer's position (a trade by the side naming the account, the
 * others by their own side); new and accepted orders are drawn by price.
 */
const EXECUTIONS = ['MEOF', 'MEOT', 'MOOF', 'MOOT', 'MEPA', 'MOPA']
const ORDERS = ['MENO', 'MONO', 'MEOA', 'MOOA']

/** How a customer is named. */
export type CustomerSelector =
  | { readonly ccid: string }
  | { readonly reporter: string; readonly fdid: string }
  | { readonly ltid: string }

/** One account of a customer. */
export interface CustomerAccount {
  readonly ccid: string
  readonly crd: string
  readonly firm: string
  readonly imids: string[]
  readonly fdid: string
  readonly role: string
  readonly from: number
  readonly to: number | null
  readonly ltids: string[]
}

/** One event of a customer's activity. */
export interface CustomerEvent {
  readonly ccid: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly eventNs: string
  /** The event's time as a CAT timestamp in Eastern Time, as everywhere else. */
  readonly eventTimestamp: string
  readonly eventDate: number
  readonly symbol: string | null
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  readonly fdid: string
  readonly lifecycleIds: string[]
}

/** A point of the chart's position line: the position in a symbol after an execution. */
export interface PositionPoint {
  readonly eventNs: string
  readonly position: number
}

/** A point of the chart's orders: one order, and how many the broker sent in its interval. */
export interface OrderPoint {
  readonly eventNs: string
  readonly price: string
  readonly symbol: string | null
  readonly side: string | null
  readonly quantity: string | null
  readonly orders: number
}

/**
 * The chart of the whole range, cut into intervals: per symbol (the most executed ones), the position
 * after the last execution of each interval and the lowest and highest within it; per broker, the orders
 * with the lowest and the highest price of each interval.
 */
export interface CustomerChart {
  /** The first and last event of the range (null without events). */
  readonly from: string | null
  readonly to: string | null
  /** Symbols with an execution naming the customer's side; `positions` draws the most executed of them. */
  readonly positionSymbols: number
  readonly positions: { readonly symbol: string; readonly points: PositionPoint[] }[]
  readonly orders: { readonly reporter: string; readonly points: OrderPoint[] }[]
}

/** A customer's accounts, one page of their events over a date range, and what describes the whole range. */
export interface CustomerActivity {
  readonly ccids: string[]
  readonly accounts: CustomerAccount[]
  /** Events of the whole range, by broker (reporter) and by product (the event type's family). */
  readonly total: number
  readonly brokers: { readonly reporter: string; readonly events: number }[]
  readonly products: { readonly product: Family | 'other'; readonly events: number }[]
  readonly chart: CustomerChart
  /** Events of the range before this page. */
  readonly offset: number
  readonly events: CustomerEvent[]
  /** The cursor of the next page (`after`); null on the last. */
  readonly next: string | null
}

/** Which page: at most `limit` events (every one with 'all') after the cursor `after` (a page's `next`). */
export interface CustomerPageQuery {
  readonly limit?: number | 'all'
  readonly after?: string
}

/** The CCIDs a selector names (as of any time in [from, to]). */
export async function resolveCcids(
  repo: Repository,
  sel: CustomerSelector,
  from: number,
  to: number,
): Promise<string[]> {
  let rows: { ccid: string }[]
  if ('ccid' in sel)
    rows = await repo.db.all('SELECT DISTINCT ccid FROM cais_customers WHERE ccid = $1', [sel.ccid])
  else if ('fdid' in sel) {
    rows = await repo.db.all(
      `SELECT DISTINCT h.ccid FROM fdid_holders h JOIN ref_imids i ON i.crd = h.crd
       WHERE i.imid = $1 AND h.fdid = $2 AND h.from_date <= $4 AND (h.to_date IS NULL OR h.to_date >= $3)`,
      [sel.reporter, sel.fdid, from, to],
    )
  } else {
    rows = await repo.db.all(
      `SELECT DISTINCT h.ccid FROM fdid_ltids l JOIN fdid_holders h ON h.crd = l.crd AND h.fdid = l.fdid
       WHERE l.ltid = $1 AND l.from_date <= $3 AND (l.to_date IS NULL OR l.to_date >= $2)`,
      [sel.ltid, from, to],
    )
  }
  return rows.map((r) => r.ccid).sort()
}

/** Every account of the given CCIDs at every broker. */
export async function customerAccounts(
  repo: Repository,
  ccids: readonly string[],
): Promise<CustomerAccount[]> {
  if (ccids.length === 0) return []
  // The latest file's word on each account decides its holders; look only at the customer's accounts.
  const rows = await repo.db.all<Record<string, unknown>>(
    `WITH pairs AS (SELECT DISTINCT crd, fdid FROM cais_holders WHERE list_contains($1::VARCHAR[], ccid)),
     latest AS (
       SELECT h.* FROM cais_holders h JOIN pairs USING (crd, fdid)
       QUALIFY dense_rank() OVER (PARTITION BY h.crd, h.fdid ORDER BY h.received_ns DESC, h.file_id DESC) = 1
     )
     SELECT h.ccid, CAST(h.crd AS VARCHAR) AS crd, coalesce(f.name, '') AS firm, h.fdid, h.role, h.from_date, h.to_date,
            (SELECT list(DISTINCT imid ORDER BY imid) FROM ref_imids i WHERE i.crd = h.crd) AS imids,
            (SELECT list(DISTINCT ltid ORDER BY ltid) FROM fdid_ltids l WHERE l.crd = h.crd AND l.fdid = h.fdid) AS ltids
     FROM latest h LEFT JOIN ref_firms f ON f.crd = h.crd
     WHERE list_contains($1::VARCHAR[], h.ccid)
     ORDER BY h.ccid, crd, h.fdid`,
    [engine().listValue([...ccids])],
  )
  return rows.map((r) => ({
    ccid: String(r.ccid),
    crd: String(r.crd),
    firm: String(r.firm),
    imids: (r.imids as string[] | null) ?? [],
    fdid: String(r.fdid),
    role: String(r.role),
    from: Number(r.from_date),
    to: r.to_date === null ? null : Number(r.to_date),
    ltids: ((r.ltids as string[] | null) ?? []).filter(Boolean),
  }))
}

/** A page's cursor: the time and version id of its last event. */
function parseCursor(text: string): { ns: bigint; id: bigint } {
  const m = /^(\d{1,19})\.(\d{1,20})$/.exec(text)
  if (!m) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `"${text}" is not a cursor a page gave (next)`)
  return { ns: BigInt(m[1]), id: BigInt(m[2]) }
}

let families: Promise<string> | undefined

/**
 * The type → family rows of every catalogue version (the first version knowing a type decides). The
 * catalogue loads when a range is first described: search, which reads a customer's accounts from this
 * module, starts without building it.
 */
function familyRows(): Promise<string> {
  families ??= import('../catalogue/catalogue.ts').then(({ CATALOGUES }) => {
    const family = new Map<string, Family>()
    for (const c of CATALOGUES)
      for (const e of c.events.values()) if (!family.has(e.type)) family.set(e.type, e.family)
    return [...family].map(([t, f]) => `(${literal(t)}, ${literal(f)})`).join(', ')
  })
  return families
}

/**
 * The key a range's description is kept under in this process: its rows (the relation's SQL names the
 * builds it reads; its parameters hold the rows resolved from the store), its accounts, and the reference
 * data that decides which firm a reporter's records are of (a reload gives another key).
 */
async function rangeKeyOf(repo: Repository, rows: RangeRows, accountRows: string): Promise<string> {
  const reference = await repo.db.one<{ v: string | null }>(
    'SELECT sum(hash(imid, crd, from_date, to_date))::VARCHAR AS v FROM ref_imids',
  )
  return rangeKey([repo.paths.root, rows.sql, JSON.stringify(rows.params), accountRows, reference?.v ?? ''])
}

/**
 * A customer's accounts and one page of the events naming them between two event dates (YYYYMMDD,
 * inclusive), in time order (ties by version id), with the totals and the chart of the whole range.
 */
export async function customerActivity(
  repo: Repository,
  sel: CustomerSelector,
  from: number,
  to: number,
  page: CustomerPageQuery = {},
): Promise<CustomerActivity> {
  if (from > to) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the start date is after the end date')
  const limit = page.limit ?? CUSTOMER_LIMIT
  if (limit !== 'all' && !(Number.isInteger(limit) && limit >= 1 && limit <= CUSTOMER_MAX_LIMIT))
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `the limit is a whole number of events from 1 to ${CUSTOMER_MAX_LIMIT}`,
    )
  const cursor = page.after === undefined ? { ns: -1n, id: 0n } : parseCursor(page.after)
  const ccids = await resolveCcids(repo, sel, from, to)
  if (ccids.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      'no customer matches; check the CCID, FDID or LTID and the dates',
    )
  const accounts = await customerAccounts(repo, ccids)
  // One account per firm and FDID (a joint account is listed once per holder): its holder listed last.
  const byAccount = [...new Map(accounts.map((a) => [`${a.crd}|${a.fdid}`, a])).values()]
  const rows = await customerRows(repo, byAccount, from, to)
  const accountRows = byAccount
    .map(
      (a) =>
        `(${literal(a.crd)}, ${literal(a.fdid)}, ${Number(a.from)}, ${a.to === null ? 'NULL::INTEGER' : Number(a.to)}, ${literal(a.ccid)})`,
    )
    .join(', ')
  const foundOf = (of: CustomerRows) => sql('customer-found', { ROWS: of.sql, ACCOUNTS: accountRows })
  const key = await rangeKeyOf(repo, rows, accountRows)
  // Every event is asked for at once only with 'all': the range's own query gives them.
  let range = limit === 'all' ? undefined : keptRange(key)
  let found: Record<string, unknown>[] | undefined
  if (!range) {
    // The range described whole, with the page asked for; its order is kept for the pages after it.
    const out =
      (
        await repo.db.allValues<Record<string, unknown>>(
          sql('customer-range', {
            FOUND: foundOf(rows),
            FAMILIES: await familyRows(),
            EXECUTIONS: EXECUTIONS.map(literal).join(', '),
            ORDERS: ORDERS.map(literal).join(', '),
            BINS: CHART_BINS,
            SYMBOLS: CHART_SYMBOLS,
            AFTER_NS: cursor.ns,
            AFTER_ID: cursor.id,
            LIMIT: limit === 'all' ? '' : `LIMIT ${limit}`,
            EVENTS: sql('customer-events', { PAGE: 'page' }),
          }),
          rows.params,
        )
      )[0] ?? {}
    const { order_ns, order_ids, events, ...described } = out
    range = {
      described,
      ns: BigInt64Array.from((order_ns as bigint[] | null) ?? []),
      ids: BigUint64Array.from((order_ids as bigint[] | null) ?? []),
    }
    keepRange(key, range)
    found = (events as Record<string, unknown>[] | null) ?? []
  }
  const before = eventsThrough(range, cursor.ns, cursor.id)
  const end = limit === 'all' ? range.ids.length : Math.min(range.ids.length, before + limit)
  if (!found) {
    // A page after one the range was described for: only its versions' rows are read.
    const pageRows = rows.only([...range.ids.subarray(before, end)])
    const out =
      before === end
        ? undefined
        : await repo.db.one<Record<string, unknown>>(
            sql('customer-page', {
              FOUND: foundOf(pageRows),
              EVENTS: sql('customer-events', { PAGE: 'found' }),
            }),
            pageRows.params,
          )
    found = (out?.events as Record<string, unknown>[] | null) ?? []
  }
  const described = range.described
  const more = end < range.ids.length
  // Lifecycle ids the rows do not carry: of this page's versions only, from the key buckets of their
  // records in their date's current linkage run.
  const lifecycles = new Map<string, string[]>()
  const byDate = new Map<number, Record<string, unknown>[]>()
  for (const c of found) {
    if (Array.isArray(c.lifecycle_ids)) lifecycles.set(String(c._event_id), c.lifecycle_ids as string[])
    else {
      const list = byDate.get(Number(c.event_date))
      if (list) list.push(c)
      else byDate.set(Number(c.event_date), [c])
    }
  }
  for (const [date, list] of byDate) {
    const ids = await lifecyclesOfVersions(
      repo,
      date,
      list.map((c) => ({ key: BigInt(String(c.key_num)), eventId: String(c._event_id) })),
    )
    for (const [id, l] of ids) lifecycles.set(id, l)
  }
  const last = found[found.length - 1]
  type Listed<T> = T[] | null | undefined
  return {
    ccids,
    accounts,
    total: Number(described.total ?? 0),
    brokers: ((described.brokers as Listed<{ reporter: string; events: string }>) ?? []).map((b) => ({
      reporter: b.reporter,
      events: Number(b.events),
    })),
    products: ((described.products as Listed<{ product: Family; events: string }>) ?? []).map((p) => ({
      product: p.product,
      events: Number(p.events),
    })),
    chart: {
      from: (described.first_ns as string | null) ?? null,
      to: (described.last_ns as string | null) ?? null,
      positionSymbols: Number(described.position_symbols ?? 0),
      positions: ((described.positions as Listed<{ symbol: string; points: PositionPoint[] }>) ?? []).map(
        (p) => ({
          symbol: p.symbol,
          points: p.points.map((x) => ({ ...x, position: Number(x.position) })),
        }),
      ),
      orders: ((described.orders as Listed<{ reporter: string; points: OrderPoint[] }>) ?? []).map((o) => ({
        reporter: o.reporter,
        points: o.points.map((x) => ({
          ...x,
          price: formatDecimal(String(x.price)),
          quantity: x.quantity == null ? null : formatDecimal(String(x.quantity)),
          orders: Number(x.orders),
        })),
      })),
    },
    offset: before,
    events: found.map((r) => ({
      ccid: String(r.ccid),
      reporter: String(r._reporter),
      firmROEID: String(r._roe_id),
      type: String(r._type),
      eventNs: String(r.event_ns),
      eventTimestamp: formatCatTimestamp(BigInt(String(r.event_ns))),
      eventDate: Number(r.event_date),
      symbol: (r.symbol as string | null) ?? null,
      side: (r.side as string | null) ?? null,
      price: r.price == null ? null : formatDecimal(String(r.price)),
      quantity: r.quantity == null ? null : formatDecimal(String(r.quantity)),
      fdid: String(r.fdid),
      lifecycleIds: (lifecycles.get(String(r._event_id)) ?? []).filter(Boolean),
    })),
    next: more && last ? `${last.event_ns}.${last._event_id}` : null,
  }
}
