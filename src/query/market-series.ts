/**
 * The market of one symbol at many instants of a day from a single read of the store: each venue's book
 * events are read once (up to the last instant asked), the NBBO is built over all venues and each venue's
 * book replayed, so the views cost one query per venue instead of several per instant. The views are those
 * `opencat nbbo` and `opencat book` give at the same instants.
 */
import {
  type BookEvent,
  BookReplayer,
  buildNbbo,
  formatPrice,
  formatQuantity,
  marketStateOf,
  mergeBookEvents,
  readBookEvents,
  symbolDay,
  venuesOf,
} from '../book/index.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import type { Repository } from '../store/repository.ts'
import { type LevelView, type NbboView, nbboViewOf } from './market.ts'

/** A venue's displayed price levels at an instant, as `opencat book` lists them. */
export interface BookLevelsView {
  readonly venue: string
  readonly status: string
  /** Events applied to reach the instant. */
  readonly applied: number
  readonly bids: LevelView[]
  readonly asks: LevelView[]
  readonly crossed: boolean
  readonly locked: boolean
}

/** Views of one symbol's market at instants of its date. */
export interface MarketSeries {
  readonly venues: readonly string[]
  nbbo(ns: bigint): NbboView
  book(venue: string, ns: bigint, depth: number): BookLevelsView
}

/** Reads `symbol`'s book events of the date of `untilNs`, every venue, up to `untilNs`. */
export async function marketSeries(repo: Repository, symbol: string, untilNs: bigint): Promise<MarketSeries> {
  const date = etDateOf(untilNs)
  // The portal keeps a symbol's day in memory: its events cut at the instant are the ones a read would give.
  const day = await symbolDay(repo, symbol, date)
  const venues = day ? day.venues : await venuesOf(repo, symbol, date)
  const events = new Map<string, BookEvent[]>()
  for (const venue of venues)
    events.set(
      venue,
      day
        ? (day.events(venue)?.events ?? []).filter((e) => e.ns <= untilNs)
        : (await readBookEvents(repo, venue, symbol, date, { untilNs })).events,
    )
  const series = buildNbbo(mergeBookEvents([...events.values()]))
  const replayers = new Map<string, BookReplayer>()
  return {
    venues,
    nbbo(ns) {
      return nbboViewOf(symbol, ns, series.at(ns))
    },
    book(venue, ns, depth) {
      let replayer = replayers.get(venue)
      if (!replayer) {
        replayer = new BookReplayer(events.get(venue) ?? [], { everyEvents: 2_000 })
        replayers.set(venue, replayer)
      }
      const book = replayer.bookAt(ns)
      const d = book.depth(depth)
      const level = (l: (typeof d.bids)[number]): LevelView => ({
        price: formatPrice(l.price),
        size: formatQuantity(l.size),
        ...(l.hidden > 0n ? { hidden: formatQuantity(l.hidden) } : {}),
        orders: l.orders,
      })
      const state = marketStateOf(book.bestBid()?.price, book.bestAsk()?.price)
      return {
        venue,
        status: book.status,
        applied: book.applied,
        bids: d.bids.map(level),
        asks: d.asks.map(level),
        crossed: state === 'crossed',
        locked: state === 'locked',
      }
    },
  }
}
