/**
 * The NBBO of a symbol at an instant (from the day index's series, or rebuilt from every venue's stored
 * events), and where an order stood against it: marketable or not, and how far from the best prices.
 */
import { etDateOf } from '../common/time/cat-date.ts'
import type { Repository } from '../store/repository.ts'
import type { BookSide } from './book-event.ts'
import {
  buildNbbo,
  distanceFromNbbo,
  isMarketable,
  mergeBookEvents,
  type Nbbo,
  type NbboDistance,
} from './nbbo.ts'
import { indexedNbboWindow } from './nbbo-day-index.ts'
import { readBookEvents, venuesOf } from './stored-events.ts'
import { keptSymbolDay, symbolDay } from './symbol-day.ts'

/** The NBBO at `ns` (after every event at or before it), or undefined before any venue quoted. */
export async function nbboAt(repo: Repository, symbol: string, ns: bigint): Promise<Nbbo | undefined> {
  const date = etDateOf(ns)
  const kept = await keptSymbolDay(repo, symbol, date)
  if (kept) return kept.nbbo().at(ns)
  // The day index's series holds the state at every instant: one read of the symbol's bucket, where the
  // symbol's book events from the open would be read and replayed.
  const indexed = await indexedNbboWindow(repo, symbol, date, ns, ns)
  if (indexed) return indexed.opening
  const day = await symbolDay(repo, symbol, date)
  if (day) return day.nbbo().at(ns)
  const streams = []
  for (const venue of await venuesOf(repo, symbol, date))
    streams.push((await readBookEvents(repo, venue, symbol, date, { untilNs: ns })).events)
  return buildNbbo(mergeBookEvents(streams)).at(ns)
}

/** An order's standing against the NBBO in force just before it (so its own quote does not count). */
export async function orderVersusNbbo(
  repo: Repository,
  order: { symbol: string; side: BookSide; price?: bigint; ns: bigint },
): Promise<{ nbbo: Nbbo | undefined; marketable: boolean; distance: NbboDistance | undefined }> {
  const nbbo = await nbboAt(repo, order.symbol, order.ns - 1n)
  return {
    nbbo,
    marketable: isMarketable(order, nbbo),
    distance:
      order.price === undefined
        ? undefined
        : distanceFromNbbo({ side: order.side, price: order.price }, nbbo),
  }
}
