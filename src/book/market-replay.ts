/**
 * Market reconstruction over a window (Rule 613): every order event, route, execution and quote of some
 * symbols across all firms and venues in time order, each with its lifecycle IDs, interleaved with every
 * change of the NBBO, which is rebuilt from the venues' books.
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { KEY_NUM_SQL, lifecyclesOfVersions } from '../link/index.ts'
import { literal } from '../store/database.ts'
import { currentEventsOf, freshPartScan } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { marketStateOf } from './market-state.ts'
import { buildNbbo, mergeBookEvents, type Nbbo, type NbboSeries } from './nbbo.ts'
import { indexedNbboWindow, NBBO_PART, type NbboRow, nbboOfRow } from './nbbo-day-index.ts'
import { formatPrice, formatQuantity } from './price.ts'
import { readBookEvents, venuesOf } from './stored-events.ts'
import { symbolDay } from './symbol-day.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'book')

/** One item of a replay, in time order. */
export type ReplayItem =
  | {
      readonly kind: 'event'
      readonly ns: string
      readonly reporter: string
      readonly type: string
      readonly firmROEID: string
      readonly symbol: string
      readonly side: string | null
      readonly price: string | null
      readonly quantity: string | null
      readonly routedOrderID: string | null
      readonly lifecycleIds: string[]
    }
  | {
      readonly kind: 'nbbo'
      readonly ns: string
      readonly symbol: string
      readonly bidPrice: string | null
      /** Exact decimal text, as every price and quantity of a replay. */
      readonly bidSize: string
      readonly bidVenues: readonly string[]
      readonly askPrice: string | null
      readonly askSize: string
      readonly askVenues: readonly string[]
      /** Bid above offer: a protected quote was traded through or the feed is incomplete. */
      readonly crossed: boolean
      /** Bid equal to offer. */
      readonly locked: boolean
    }

/** An NBBO change of a replay. */
export type ReplayNbbo = Extract<ReplayItem, { kind: 'nbbo' }>

function nbboItem(symbol: string, n: Nbbo, ns: bigint): ReplayNbbo {
  const state = marketStateOf(n.bidPrice, n.askPrice)
  return {
    kind: 'nbbo',
    ns: ns.toString(),
    symbol,
    bidPrice: n.bidPrice === undefined ? null : formatPrice(n.bidPrice),
    bidSize: formatQuantity(n.bidSize),
    bidVenues: n.bidVenues,
    askPrice: n.askPrice === undefined ? null : formatPrice(n.askPrice),
    askSize: formatQuantity(n.askSize),
    askVenues: n.askVenues,
    crossed: state === 'crossed',
    locked: state === 'locked',
  }
}

/**
 * A replay of a window whose events' lifecycle ids are looked up only for the items asked for: a page of a
 * busy symbol's window needs a hundred, not the thousands of the whole window.
 */
export interface Replay {
  /** Every event and NBBO change in time order; the events' `lifecycleIds` are empty here. */
  readonly items: readonly ReplayItem[]
  /** `items` (some of this replay's) with their events' lifecycle ids, in the same order. */
  withLifecycles(items: readonly ReplayItem[]): Promise<ReplayItem[]>
}

/** Replays `symbols` between two instants (ns, inclusive; one event date), every event with its lifecycle ids. */
export async function replayMarket(
  repo: Repository,
  symbols: readonly string[],
  fromNs: bigint,
  toNs: bigint,
): Promise<ReplayItem[]> {
  const replay = await replayWindow(repo, symbols, fromNs, toNs)
  return replay.withLifecycles(replay.items)
}

/** Replays `symbols` between two instants (ns, inclusive; one event date), lifecycle ids on demand. */
export async function replayWindow(
  repo: Repository,
  symbols: readonly string[],
  fromNs: bigint,
  toNs: bigint,
): Promise<Replay> {
  const date = etDateOf(fromNs)
  const items: ReplayItem[] = []
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT CAST(e._event_ns AS VARCHAR) AS ns, e._reporter, e._type, e._roe_id, e.symbol, e.side,
            CAST(e.price AS VARCHAR) AS price, CAST(e.quantity AS VARCHAR) AS quantity, e.routedOrderID,
            e._event_id::VARCHAR AS event_id, ${KEY_NUM_SQL}::VARCHAR AS key_num
     FROM ${await currentEventsOf(repo, date, symbols)} e
     WHERE e.event_date = $1 AND e.symbol IN (${symbols.length === 0 ? 'NULL' : symbols.map(literal).join(', ')})
       AND e._event_ns BETWEEN $2 AND $3
     ORDER BY e._event_ns, e._file_id, e._line`,
    [date, fromNs, toNs],
  )
  /** Each event item's record version, for its lifecycle lookup. */
  const versions = new Map<ReplayItem, { key: bigint; eventId: string }>()
  for (const r of rows) items.push(eventItem(r, versions))
  for (const symbol of symbols) {
    // The day index's NBBO series when it has one: a busy symbol's window then costs no replay from the open.
    const indexed = await indexedNbboWindow(repo, symbol, date, fromNs, toNs)
    if (indexed) {
      if (indexed.opening) items.push(nbboItem(symbol, indexed.opening, fromNs))
      for (const c of indexed.changes) items.push(nbboItem(symbol, c, c.ns))
      continue
    }
    const series = await nbboSeriesOf(repo, symbol, date, toNs)
    const opening = series.at(fromNs)
    if (opening) items.push(nbboItem(symbol, opening, fromNs))
    for (const c of series.changes) if (c.ns > fromNs && c.ns <= toNs) items.push(nbboItem(symbol, c, c.ns))
  }
  // Events before NBBO changes at the same instant: the change is their consequence.
  items.sort((a, b) => {
    const d = BigInt(a.ns) - BigInt(b.ns)
    return d < 0n ? -1 : d > 0n ? 1 : a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1
  })
  return {
    items,
    withLifecycles: (wanted) => withLifecycles(repo, date, symbols, wanted, versions),
  }
}

/** An event of a replay from its row (a version of the store), noting its version for its lifecycles. */
function eventItem(r: Record<string, unknown>, versions: Map<ReplayItem, EventVersion>): ReplayItem {
  const item: ReplayItem = {
    kind: 'event',
    ns: String(r.ns),
    reporter: String(r._reporter),
    type: String(r._type),
    firmROEID: String(r._roe_id),
    symbol: String(r.symbol),
    side: (r.side as string | null) ?? null,
    price: decimalText(r.price as string | null),
    quantity: decimalText(r.quantity as string | null),
    routedOrderID: (r.routedOrderID as string | null) ?? null,
    lifecycleIds: [],
  }
  versions.set(item, { key: BigInt(String(r.key_num)), eventId: String(r.event_id) })
  return item
}

/** A replayed event's record version: its key hash and event id. */
interface EventVersion {
  readonly key: bigint
  readonly eventId: string
}

/** `wanted` with their events' lifecycle ids. */
async function withLifecycles(
  repo: Repository,
  date: number,
  symbols: readonly string[],
  wanted: readonly ReplayItem[],
  versions: ReadonlyMap<ReplayItem, EventVersion>,
): Promise<ReplayItem[]> {
  const asked = wanted.flatMap((it) => versions.get(it) ?? [])
  // Each event's lifecycles from the buckets of its record's key, not a lookup over every key of the date.
  const lifecycles = await lifecyclesOfVersions(repo, date, asked, symbols)
  return wanted.map((it) => {
    const v = versions.get(it)
    return v ? { ...it, lifecycleIds: (lifecycles.get(v.eventId) ?? []).filter(Boolean) } : it
  })
}

/** A page of a symbol's replay: the window's count of items, and the page's, each with the NBBO after it. */
export interface ReplayPage {
  readonly total: number
  readonly items: readonly {
    readonly item: ReplayItem
    /** The NBBO in force right after an event (its instant's changes included); none before any quote. */
    readonly nbboAfter: ReplayNbbo | undefined
  }[]
}

/**
 * Items `offset` to `offset + limit` of `symbol`'s replay between two instants, as `replayWindow` orders them,
 * with their events' lifecycle ids: from the date's day index (the page read in the engine's order, the NBBO
 * after its events from the index's series) when it holds the NBBO part, else from the whole replay.
 */
export async function replayPage(
  repo: Repository,
  symbol: string,
  fromNs: bigint,
  toNs: bigint,
  offset: number,
  limit: number,
): Promise<ReplayPage> {
  const date = etDateOf(fromNs)
  const indexed = await indexedReplayPage(repo, symbol, date, fromNs, toNs, offset, limit)
  if (indexed) return indexed
  const replay = await replayWindow(repo, [symbol], fromNs, toNs)
  const all = replay.items
  // The NBBO after each item is the latest NBBO change at or before it in the replay itself (changes at an
  // instant follow its events).
  const after: (ReplayNbbo | undefined)[] = []
  let last: ReplayNbbo | undefined
  for (const it of all) {
    if (it.kind === 'nbbo') last = it
    after.push(last)
  }
  const page = await replay.withLifecycles(all.slice(offset, offset + limit))
  return {
    total: all.length,
    items: page.map((item, k) => {
      if (item.kind !== 'event') return { item, nbboAfter: undefined }
      let j = offset + k
      while (j + 1 < all.length && all[j + 1].ns === item.ns) j++
      return { item, nbboAfter: after[j] }
    }),
  }
}

/** `replayPage` from the date's fresh day index; undefined when it lacks the symbol's buckets or NBBO part. */
async function indexedReplayPage(
  repo: Repository,
  symbol: string,
  date: number,
  fromNs: bigint,
  toNs: bigint,
  offset: number,
  limit: number,
): Promise<ReplayPage | undefined> {
  const nbbo = (await freshPartScan(repo, date, NBBO_PART, symbol))?.scan
  if (nbbo === undefined) return undefined
  const day = await currentEventsOf(repo, date, [symbol])
  const pageSql = sql('day-replay-page', { DAY: day, NBBO: nbbo, KEY_NUM: KEY_NUM_SQL })
  const rows = await repo.db.allValues<Record<string, unknown> & NbboRow & { kind: number; total: bigint }>(
    pageSql,
    [date, symbol, fromNs, toNs, offset, limit],
  )
  const versions = new Map<ReplayItem, EventVersion>()
  const page = rows.map((r) =>
    r.kind === 0 ? eventItem({ ...r, symbol }, versions) : nbboItem(symbol, nbboOfRow(r), BigInt(r.ns)),
  )
  const items = await withLifecycles(repo, date, [symbol], page, versions)
  const events = items.filter((it) => it.kind === 'event')
  const first = events[0]
  const window =
    first === undefined
      ? undefined
      : await indexedNbboWindow(repo, symbol, date, BigInt(first.ns), BigInt(events[events.length - 1].ns))
  const changes = window ? [...(window.opening ? [window.opening] : []), ...window.changes] : []
  let c = -1
  // A page past the window's end holds no row to carry the count: it is asked of the first page.
  const counted =
    rows[0] ?? (await repo.db.allValues<{ total: bigint }>(pageSql, [date, symbol, fromNs, toNs, 0, 1]))[0]
  return {
    total: Number(counted?.total ?? 0),
    items: items.map((item) => {
      if (item.kind !== 'event') return { item, nbboAfter: undefined }
      const ns = BigInt(item.ns)
      while (c + 1 < changes.length && changes[c + 1].ns <= ns) c++
      // The change in force at the window's start stands at its start, as the replay lists it.
      const at = c < 0 ? undefined : changes[c].ns < fromNs ? fromNs : changes[c].ns
      return { item, nbboAfter: at === undefined ? undefined : nbboItem(symbol, changes[c], at) }
    }),
  }
}

/**
 * The NBBO series of a symbol's date up to `untilNs` at least: the portal's kept day when it has one (its
 * series runs to the end of the day, and a change is never revised by later events), else every venue's
 * book events read up to that instant.
 */
async function nbboSeriesOf(
  repo: Repository,
  symbol: string,
  date: number,
  untilNs: bigint,
): Promise<NbboSeries> {
  const day = await symbolDay(repo, symbol, date)
  if (day) return day.nbbo()
  const streams = []
  for (const venue of await venuesOf(repo, symbol, date))
    streams.push((await readBookEvents(repo, venue, symbol, date, { untilNs })).events)
  return buildNbbo(mergeBookEvents(streams))
}

/** A DECIMAL cast to text without its fraction's trailing zeros (`'0.00000000'` is `'0'`, not `''`). */
function decimalText(text: string | null): string | null {
  if (text === null || !text.includes('.')) return text
  return text.replace(/0+$/, '').replace(/\.$/, '')
}
