/**
 * Market reconstruction over a window (Rule 613): every order event, route, execution and quote of some
 * symbols across all firms and venues in time order, each with its lifecycle IDs, interleaved with every
 * change of the NBBO, which is rebuilt from the venues' books.
 */

import { etDateOf } from '../common/time/cat-date.ts'
import { KEY_NUM_SQL, lifecyclesOfVersions } from '../link/index.ts'
import { literal } from '../store/database.ts'
import { currentEventsOf } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { marketStateOf } from './market-state.ts'
import { buildNbbo, mergeBookEvents, type Nbbo } from './nbbo.ts'
import { formatPrice, formatQuantity } from './price.ts'
import { readBookEvents, venuesOf } from './stored-events.ts'

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

function nbboItem(symbol: string, n: Nbbo, ns: bigint): ReplayItem {
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

/** Replays `symbols` between two instants (ns, inclusive; one event date). */
export async function replayMarket(
  repo: Repository,
  symbols: readonly string[],
  fromNs: bigint,
  toNs: bigint,
): Promise<ReplayItem[]> {
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
  // Each row's lifecycles from the buckets of its record's key, not a lookup over every key of the date.
  const lifecycles = await lifecyclesOfVersions(
    repo,
    date,
    rows.map((r) => ({ key: BigInt(String(r.key_num)), eventId: String(r.event_id) })),
  )
  for (const r of rows) {
    items.push({
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
      lifecycleIds: (lifecycles.get(String(r.event_id)) ?? []).filter(Boolean),
    })
  }
  for (const symbol of symbols) {
    const streams = []
    for (const venue of await venuesOf(repo, symbol, date))
      streams.push((await readBookEvents(repo, venue, symbol, date, { untilNs: toNs })).events)
    const series = buildNbbo(mergeBookEvents(streams))
    const opening = series.at(fromNs)
    if (opening) items.push(nbboItem(symbol, opening, fromNs))
    for (const c of series.changes) if (c.ns > fromNs && c.ns <= toNs) items.push(nbboItem(symbol, c, c.ns))
  }
  // Events before NBBO changes at the same instant: the change is their consequence.
  return items.sort((a, b) => {
    const d = BigInt(a.ns) - BigInt(b.ns)
    return d < 0n ? -1 : d > 0n ? 1 : a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1
  })
}

/** A DECIMAL cast to text without its fraction's trailing zeros (`'0.00000000'` is `'0'`, not `''`). */
function decimalText(text: string | null): string | null {
  if (text === null || !text.includes('.')) return text
  return text.replace(/0+$/, '').replace(/\.$/, '')
}
