/**
 * One search box over a day: any key a regulator may hold — a CAT lifecycle id, a firmROEID or exchange
 * recordID, an order, routed order, trade or quote id, a symbol, a reporter (IMID, Exchange ID or CRD), a
 * customer's FDID, CCID or large trader id — answered with typed hits carrying what a view needs to open
 * each one. Every lookup is a filter the engine pushes into the store's scans or reference tables.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { lifecyclesOfKeys } from '../link/lifecycle-keys.ts'
import { lookupLifecycle, parseLifecycleId } from '../link/lifecycle-lookup.ts'
import {
  countsScan,
  type DayIndex,
  freshDayIndex,
  identifierBucket,
  identifierScan,
  SEARCH_IDENTIFIERS,
} from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { type CustomerAccount, customerAccounts } from './customer.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** A lifecycle whose CAT lifecycle id was searched. */
export interface LifecycleHit {
  readonly kind: 'lifecycle'
  readonly lifecycleId: string
  readonly symbol: string | null
  readonly events: number
  readonly reporters: string[]
}

/** A record (all its versions) carrying the searched key in one of its identifiers. */
export interface EventHit {
  readonly kind: 'event'
  /** The identifiers that hold the key: firmROEID (recordID for exchanges), orderID, routedOrderID… */
  readonly matchedOn: string[]
  readonly reporter: string
  readonly firmROEID: string
  readonly eventDate: number
  /** Its latest version's type, time (CAT timestamp, Eastern Time) and symbol. */
  readonly type: string
  readonly eventTimestamp: string
  readonly eventNs: string
  readonly symbol: string | null
  /** Versions of the record that carry the key. */
  readonly versions: number
  /** The lifecycles the record belongs to (none before its date is linked, or for quotes). */
  readonly lifecycleIds: string[]
}

/** A symbol of the reference data. */
export interface SymbolHit {
  readonly kind: 'symbol'
  readonly symbol: string
  readonly name: string
  readonly listing: string
  /** Stored record versions of the symbol on the date. */
  readonly records: number
}

/** A reporter: a firm's IMID (or an ATS's), an exchange, or a firm found by CRD. */
export interface ReporterHit {
  readonly kind: 'reporter'
  readonly matchedOn: 'imid' | 'crd' | 'exchangeId'
  readonly reporter: string
  readonly role: 'firm' | 'ats' | 'exchange'
  readonly crd: string | null
  readonly name: string
  /** Stored record versions the reporter sent for the date. */
  readonly records: number
}

/** A customer found by an account's FDID, a CCID or a large trader id, with its accounts (no PII). */
export interface CustomerHit {
  readonly kind: 'customer'
  readonly matchedOn: 'fdid' | 'ccid' | 'ltid'
  readonly ccid: string
  readonly accounts: CustomerAccount[]
}

/** One hit of a search. */
export type SearchHit = LifecycleHit | EventHit | SymbolHit | ReporterHit | CustomerHit

/** What a search found. */
export interface SearchResult {
  readonly query: string
  readonly eventDate: number
  readonly hits: SearchHit[]
  /** More records matched than `limit`; the first ones are given. */
  readonly truncated: boolean
}

/** Records given at most per search unless asked otherwise. */
export const SEARCH_LIMIT = 100

/**
 * Everything `query` names on `eventDate` (YYYYMMDD). An empty query is a usage error; nothing found is an
 * empty list of hits, not an error.
 * @example
 * const r = await search(repo, '20260302_1a2b', 20260302)
 * r.hits.filter((h) => h.kind === 'event')
 */
export async function search(
  repo: Repository,
  query: string,
  eventDate: number,
  limit = SEARCH_LIMIT,
): Promise<SearchResult> {
  const q = query.trim()
  if (q === '') throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give something to search for')
  if (!Number.isInteger(limit) || limit < 1)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the limit must be a whole number ≥ 1')
  const hits: SearchHit[] = []
  const lifecycle = await lifecycleHit(repo, q)
  if (lifecycle) hits.push(lifecycle)
  hits.push(...(await reporterHits(repo, q, eventDate)))
  hits.push(...(await symbolHits(repo, q, eventDate)))
  hits.push(...(await customerHits(repo, q, eventDate)))
  const events = await eventHits(repo, q, eventDate, limit + 1)
  hits.push(...events.slice(0, limit))
  return { query: q, eventDate, hits, truncated: events.length > limit }
}

async function lifecycleHit(repo: Repository, q: string): Promise<LifecycleHit | undefined> {
  if (!parseLifecycleId(q)) return undefined
  try {
    const lc = await lookupLifecycle(repo.db, repo.paths, { lifecycleId: q })
    return {
      kind: 'lifecycle',
      lifecycleId: lc.lifecycleId,
      symbol: lc.events.find((e) => e.symbol)?.symbol ?? null,
      events: lc.events.length,
      reporters: [...new Set(lc.events.map((e) => e.reporter))],
    }
  } catch (e) {
    if (e instanceof OpenCatError && e.code === 'OCAT_ERR_NOT_FOUND') return undefined
    throw e
  }
}

async function recordsOf(repo: Repository, column: '_reporter' | 'symbol', value: string, date: number) {
  const index = await freshDayIndex(repo, date)
  const row = index
    ? await repo.db.one<{ n: string }>(
        `SELECT coalesce(sum(versions), 0)::VARCHAR AS n FROM ${countsScan(repo, index)} WHERE ${column} = $1`,
        [value],
      )
    : await repo.db.one<{ n: string }>(
        `SELECT count(*)::VARCHAR AS n FROM events WHERE event_date = $1 AND ${column} = $2`,
        [date, value],
      )
  return Number(row?.n ?? 0)
}

const MATCHES = SEARCH_IDENTIFIERS.map((i) => `CASE WHEN "${i.column}" = $2 THEN '${i.field}' END`).join(', ')
const COLUMNS = SEARCH_IDENTIFIERS.map((i) => `"${i.column}"`).join(', ')

/** The SQL of a search's records: from the date's identifier index when fresh, else from the store. */
async function eventsSql(
  repo: Repository,
  index: DayIndex | undefined,
  q: string,
): Promise<string | undefined> {
  if (!index) return sql('search-events', { MATCHES, COLUMNS })
  const scan = identifierScan(repo, index, await identifierBucket(repo, index, q))
  return scan ? sql('search-events-indexed', { BUCKET: scan }) : undefined
}

async function reporterHits(repo: Repository, q: string, date: number): Promise<ReporterHit[]> {
  const upper = q.toUpperCase()
  const firms = await repo.db.all<{
    imid: string
    crd: string
    ats: boolean
    name: string | null
    by: string
  }>(
    `SELECT i.imid, i.crd::VARCHAR AS crd, i.ats, f.name, CASE WHEN i.imid = $1 THEN 'imid' ELSE 'crd' END AS by
     FROM ref_imids i LEFT JOIN ref_firms f ON f.crd = i.crd
     WHERE (i.imid = $1 OR i.crd::VARCHAR = $2) AND i.from_date <= $3 AND coalesce(i.to_date, 99991231) >= $3
     ORDER BY i.imid`,
    [upper, q, date],
  )
  const exchanges = await repo.db.all<{ exchange_id: string; name: string }>(
    `SELECT exchange_id, name FROM ref_exchanges
     WHERE exchange_id = $1 AND from_date <= $2 AND coalesce(to_date, 99991231) >= $2`,
    [upper, date],
  )
  const out: ReporterHit[] = []
  for (const f of firms)
    out.push({
      kind: 'reporter',
      matchedOn: f.by === 'imid' ? 'imid' : 'crd',
      reporter: f.imid,
      role: f.ats ? 'ats' : 'firm',
      crd: f.crd,
      name: f.name ?? '',
      records: await recordsOf(repo, '_reporter', f.imid, date),
    })
  for (const x of exchanges)
    out.push({
      kind: 'reporter',
      matchedOn: 'exchangeId',
      reporter: x.exchange_id,
      role: 'exchange',
      crd: null,
      name: x.name,
      records: await recordsOf(repo, '_reporter', x.exchange_id, date),
    })
  return out
}

async function symbolHits(repo: Repository, q: string, date: number): Promise<SymbolHit[]> {
  const rows = await repo.db.all<{ symbol: string; name: string | null; listing: string | null }>(
    `SELECT symbol, name, listing FROM ref_symbols
     WHERE symbol = $1 AND from_date <= $2 AND coalesce(to_date, 99991231) >= $2 ORDER BY symbol LIMIT 1`,
    [q.toUpperCase(), date],
  )
  const out: SymbolHit[] = []
  for (const r of rows)
    out.push({
      kind: 'symbol',
      symbol: r.symbol,
      name: r.name ?? '',
      listing: r.listing ?? '',
      records: await recordsOf(repo, 'symbol', r.symbol, date),
    })
  return out
}

async function customerHits(repo: Repository, q: string, date: number): Promise<CustomerHit[]> {
  // Accounts as the latest customer file states them, open on the date (an account opened later, or
  // closed before, is not that day's customer).
  const rows = await repo.db.all<{ ccid: string; matched: 'fdid' | 'ccid' | 'ltid' }>(
    `SELECT DISTINCT ccid, 'fdid' AS matched FROM fdid_holders
       WHERE fdid = $1 AND from_date <= $2 AND (to_date IS NULL OR to_date >= $2)
     UNION SELECT DISTINCT ccid, 'ccid' FROM cais_customers WHERE ccid = $1
     UNION SELECT DISTINCT h.ccid, 'ltid' FROM fdid_ltids l JOIN fdid_holders h ON h.crd = l.crd AND h.fdid = l.fdid
       WHERE l.ltid = $1 AND l.from_date <= $2 AND (l.to_date IS NULL OR l.to_date >= $2)
     ORDER BY ccid, matched`,
    [q, date],
  )
  const out: CustomerHit[] = []
  for (const r of rows) {
    if (out.some((h) => h.ccid === r.ccid)) continue
    out.push({
      kind: 'customer',
      matchedOn: r.matched,
      ccid: r.ccid,
      accounts: await customerAccounts(repo, [r.ccid]),
    })
  }
  return out
}

async function eventHits(repo: Repository, q: string, date: number, limit: number): Promise<EventHit[]> {
  const text = await eventsSql(repo, await freshDayIndex(repo, date), q)
  if (text === undefined) return []
  const rows = await repo.db.all<{
    reporter: string
    firm_roe_id: string
    event_date: number
    fields: string[]
    type: string
    event_ns: string
    ts_digits: number | null
    symbol: string | null
    versions: string
    key_num: string
  }>(text, [date, q, limit])
  if (rows.length === 0) return []
  const lifecycles = await lifecyclesOfKeys(
    repo,
    date,
    rows.map((r) => BigInt(r.key_num)),
  )
  return rows.map((r) => ({
    kind: 'event',
    matchedOn: r.fields,
    reporter: r.reporter,
    firmROEID: r.firm_roe_id,
    eventDate: Number(r.event_date),
    type: r.type,
    eventTimestamp: formatCatTimestamp(BigInt(r.event_ns), Number(r.ts_digits ?? 9)),
    eventNs: r.event_ns,
    symbol: r.symbol,
    versions: Number(r.versions),
    lifecycleIds: lifecycles.get(r.key_num) ?? [],
  }))
}
