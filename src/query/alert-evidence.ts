/**
 * The evidence behind a surveillance alert, rebuilt from the store with the engine: the NBBO and the books
 * of the venues involved just before, at and shortly after each moment that matters (the alert's orders
 * and executions, and how its orders ended), every lifecycle the alert names, and each customer's whole
 * day at every broker. One shape for `opencat surveil evidence --json` and the portal's API.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { type Lifecycle, lookupLifecycle, trimDecimal } from '../link/lifecycle-lookup.ts'
import { literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import { type Alert, alertRuns, storedAlerts } from '../surveil/index.ts'
import { type CustomerEvent, customerActivity } from './customer.ts'
import type { NbboView } from './market.ts'
import { type BookLevelsView, marketSeries } from './market-series.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** How much evidence to gather. */
export interface EvidenceOptions {
  /** How long after each moment the `after` view of the market is taken, in ns. @default 1 s */
  readonly afterNs?: bigint
  /** Price levels per side of each book. @default 5 */
  readonly depth?: number
  /** Moments looked at, earliest first (an alert naming more keeps the first ones). @default 40 */
  readonly maxMoments?: number
  /** Events listed per customer (the count says how many there were). @default 500 */
  readonly maxCustomerEvents?: number
}

/** An event of an alert's lifecycles at one of its moments. */
export interface EvidenceEvent {
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly lifecycle: string
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  /** Named by the alert itself (otherwise it is how one of the alert's orders ended). */
  readonly inAlert: boolean
}

/** The market at one instant: the NBBO (as `opencat nbbo`) and each involved venue's book (as `opencat book`). */
export interface MarketSnapshot {
  readonly ns: string
  readonly at: string
  readonly nbbo: NbboView
  readonly books: BookLevelsView[]
}

/** One moment that matters, with the market just before it, with it, and a little after. */
export interface EvidenceMoment {
  readonly ns: string
  /** CAT timestamp, Eastern Time. */
  readonly time: string
  readonly events: EvidenceEvent[]
  readonly market: {
    /** After every event before the moment (ns − 1). */
    readonly before: MarketSnapshot
    /** After every event at the moment, its own included. */
    readonly at: MarketSnapshot
    /** `afterNs` later. */
    readonly after: MarketSnapshot
  }
}

/** A customer behind the alert and everything the customer did that day, at every broker. */
export interface EvidenceCustomer {
  /** null for an account no customer file names (its activity is then unknown beyond the alert). */
  readonly ccid: string | null
  /** The alert's accounts of this customer. */
  readonly accounts: { reporter: string; fdid: string | null }[]
  /** Every account of the customer at every broker (from the customer files). */
  readonly allAccounts: { reporter: string; fdid: string }[]
  readonly totalEvents: number
  /** Per symbol: the customer's events that day and the lifecycles they belong to, busiest first. */
  readonly symbols: { symbol: string; events: number; lifecycles: number }[]
  /** The day's events, earliest first, at most `maxCustomerEvents`; `inAlert` marks the alert's own. */
  readonly events: (CustomerEvent & { inAlert: boolean })[]
  readonly truncated: boolean
}

/** The evidence of one alert. */
export interface AlertEvidence {
  readonly date: number
  /** The latest run holding the alert. */
  readonly run: number
  /** Whether the date's latest run still holds it (false: withdrawn since). */
  readonly current: boolean
  /** Every run of the date holding the alert, oldest first. */
  readonly runs: number[]
  readonly latestRun: number
  readonly alert: Alert
  /** The venues whose books are shown: those the alert's lifecycles reached. */
  readonly venues: string[]
  readonly moments: EvidenceMoment[]
  readonly momentsTotal: number
  readonly lifecycles: Lifecycle[]
  /** Lifecycles the alert names that the current linkage no longer has (their records were deleted or corrected since). */
  readonly goneLifecycles: string[]
  readonly customers: EvidenceCustomer[]
}

/** Finds an alert of a date by id: in the latest run holding it. */
export async function findAlert(
  repo: Repository,
  date: number,
  id: string,
): Promise<{ alert: Alert; run: number; runs: number[]; latestRun: number }> {
  const runs = alertRuns(repo, date)
  if (runs.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no surveillance run for ${date}: run opencat surveil --date first`,
    )
  let found: Alert | undefined
  let foundRun = 0
  const holding: number[] = []
  for (const r of runs) {
    const alert = (await storedAlerts(repo, date, r.run)).find((a) => a.id === id)
    if (!alert) continue
    holding.push(r.run)
    found = alert
    foundRun = r.run
  }
  if (!found)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no alert ${id} in any surveillance run of ${date} (${runs.length} run${runs.length === 1 ? '' : 's'})`,
    )
  return { alert: found, run: foundRun, runs: holding, latestRun: runs.at(-1)!.run }
}

interface Row {
  lifecycle: string
  reporter: string
  firm_roe_id: string
  type: string
  ns: string
  side: string | null
  price: string | null
  quantity: string | null
}

/**
 * The evidence of alert `id` of `date`.
 * @example
 * const ev = await alertEvidence(repo, 20260302, 'A20260302-0123456789ab')
 */
export async function alertEvidence(
  repo: Repository,
  date: number,
  id: string,
  options: EvidenceOptions = {},
): Promise<AlertEvidence> {
  const afterNs = options.afterNs ?? 1_000_000_000n
  const depth = options.depth ?? 5
  const maxMoments = options.maxMoments ?? 40
  const maxEvents = options.maxCustomerEvents ?? 500
  await repo.ensureViews()
  const { alert, run, runs, latestRun } = await findAlert(repo, date, id)
  const lifecycleIds = [
    ...new Set(alert.events.map((e) => e.lifecycle).filter((l): l is string => !!l)),
  ].sort()
  const rows =
    lifecycleIds.length === 0
      ? []
      : await repo.db.all<Row>(
          sql('alert-lifecycle-events', { DATE: date, LIFECYCLES: lifecycleIds.map(literal).join(', ') }),
        )
  const named = new Set(alert.events.map((e) => `${e.reporter}|${e.firmROEID}`))
  // The moments: the alert's own events, and the last event of each of its lifecycles (how the order ended).
  const last = new Map<string, Row>()
  for (const r of rows) last.set(r.lifecycle, r)
  const key = new Map<string, Row>()
  for (const r of rows) {
    const k = `${r.reporter}|${r.firm_roe_id}`
    if ((named.has(k) || last.get(r.lifecycle) === r) && !key.has(k)) key.set(k, r)
  }
  const byNs = new Map<string, EvidenceEvent[]>()
  for (const r of [...key.values()].sort((a, b) => cmp(BigInt(a.ns), BigInt(b.ns)))) {
    const list = byNs.get(r.ns) ?? []
    list.push({
      reporter: r.reporter,
      firmROEID: r.firm_roe_id,
      type: r.type,
      lifecycle: r.lifecycle,
      side: r.side,
      price: trimDecimal(r.price) ?? null,
      quantity: trimDecimal(r.quantity) ?? null,
      inAlert: named.has(`${r.reporter}|${r.firm_roe_id}`),
    })
    byNs.set(r.ns, list)
  }
  const instants = [...byNs.keys()].map(BigInt).sort(cmp)
  const shown = instants.slice(0, maxMoments)
  const market = await marketSeries(repo, alert.symbol, (shown.at(-1) ?? BigInt(alert.to)) + afterNs)
  const symbolVenues = new Set(market.venues)
  const venues = [...new Set(rows.map((r) => r.reporter).filter((r) => symbolVenues.has(r)))].sort()
  const snapshot = (ns: bigint): MarketSnapshot => ({
    ns: String(ns),
    at: formatCatTimestamp(ns),
    nbbo: market.nbbo(ns),
    books: venues.map((venue) => market.book(venue, ns, depth)),
  })
  const moments: EvidenceMoment[] = shown.map((ns) => ({
    ns: String(ns),
    time: formatCatTimestamp(ns),
    events: byNs.get(String(ns))!,
    market: { before: snapshot(ns - 1n), at: snapshot(ns), after: snapshot(ns + afterNs) },
  }))
  const lifecycles: Lifecycle[] = []
  const goneLifecycles: string[] = []
  for (const lifecycleId of lifecycleIds) {
    try {
      lifecycles.push(await lookupLifecycle(repo.db, repo.paths, { lifecycleId }))
    } catch (e) {
      // The store is read as it is now: a withdrawn alert's orders may have been deleted since.
      if (!(e instanceof OpenCatError && e.code === 'OCAT_ERR_NOT_FOUND')) throw e
      goneLifecycles.push(lifecycleId)
    }
  }
  return {
    date,
    run,
    current: run === latestRun,
    runs,
    latestRun,
    alert,
    venues,
    moments,
    momentsTotal: instants.length,
    lifecycles,
    goneLifecycles,
    customers: await customersOf(repo, date, alert, maxEvents),
  }
}

async function customersOf(
  repo: Repository,
  date: number,
  alert: Alert,
  maxEvents: number,
): Promise<EvidenceCustomer[]> {
  const named = new Set(alert.events.map((e) => `${e.reporter}|${e.firmROEID}`))
  const byCustomer = new Map<string, { ccid: string | null; accounts: EvidenceCustomer['accounts'] }>()
  for (const p of alert.participants) {
    const k = p.ccid ?? `${p.reporter}:${p.fdid}`
    const c = byCustomer.get(k) ?? { ccid: p.ccid, accounts: [] }
    c.accounts.push({ reporter: p.reporter, fdid: p.fdid })
    byCustomer.set(k, c)
  }
  const out: EvidenceCustomer[] = []
  for (const [, c] of [...byCustomer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c.ccid === null) {
      out.push({ ...c, allAccounts: [], totalEvents: 0, symbols: [], events: [], truncated: false })
      continue
    }
    const activity = await customerActivity(repo, { ccid: c.ccid }, date, date)
    const symbols = new Map<string, { events: number; lifecycles: Set<string> }>()
    for (const e of activity.events) {
      const s = symbols.get(e.symbol ?? '') ?? { events: 0, lifecycles: new Set<string>() }
      s.events++
      for (const l of e.lifecycleIds) s.lifecycles.add(l)
      symbols.set(e.symbol ?? '', s)
    }
    out.push({
      ...c,
      allAccounts: activity.accounts.flatMap((a) => a.imids.map((reporter) => ({ reporter, fdid: a.fdid }))),
      totalEvents: activity.events.length,
      symbols: [...symbols]
        .map(([symbol, s]) => ({ symbol, events: s.events, lifecycles: s.lifecycles.size }))
        .sort((a, b) => b.events - a.events || (a.symbol < b.symbol ? -1 : 1)),
      events: activity.events
        .slice(0, maxEvents)
        .map((e) => ({ ...e, inAlert: named.has(`${e.reporter}|${e.firmROEID}`) })),
      truncated: activity.events.length > maxEvents,
    })
  }
  return out
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
