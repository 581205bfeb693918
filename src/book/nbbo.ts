/**
 * The national best bid and offer of one symbol from the books of several venues, as a series of changes,
 * and the questions asked of it: was an order marketable at T, how far was it from the NBBO.
 */
import { type BookEvent, type BookSide, compareBookEvents } from './book-event.ts'
import { OrderBook } from './order-book.ts'

/** One venue's displayed top of book (sizes in 1e-6 shares). */
export interface VenueTop {
  readonly bidPrice: bigint | undefined
  readonly bidSize: bigint
  readonly askPrice: bigint | undefined
  readonly askSize: bigint
}

/**
 * The consolidated quote: the highest displayed bid and lowest displayed offer over the venues that are not
 * halted, each with the displayed size summed over the venues at that price and those venues (sorted).
 */
export interface Nbbo {
  /** When it took effect, and the event (venue, seq) that changed it. */
  readonly ns: bigint
  readonly venue: string
  readonly seq: number
  readonly bidPrice: bigint | undefined
  /** 1e-6 shares, summed exactly over the venues at the price. */
  readonly bidSize: bigint
  readonly bidVenues: readonly string[]
  readonly askPrice: bigint | undefined
  readonly askSize: bigint
  readonly askVenues: readonly string[]
}

const EMPTY: Nbbo = {
  ns: -1n,
  venue: '',
  seq: -1,
  bidPrice: undefined,
  bidSize: 0n,
  bidVenues: [],
  askPrice: undefined,
  askSize: 0n,
  askVenues: [],
}

/** Keeps each venue's top of book and gives the new NBBO whenever it changes. */
export class NbboBuilder {
  private readonly tops = new Map<string, VenueTop>()
  private nbbo: Nbbo = EMPTY

  /** The current NBBO (empty sides before any quote). */
  current(): Nbbo {
    return this.nbbo
  }

  /** Sets a venue's top (NO quote when it halts); returns the new NBBO if that changed it, else undefined. */
  update(venue: string, ns: bigint, seq: number, top: VenueTop): Nbbo | undefined {
    const was = this.tops.get(venue)
    if (was !== undefined && sameTop(was, top)) return undefined
    this.tops.set(venue, top)
    let bidPrice: bigint | undefined
    let askPrice: bigint | undefined
    for (const t of this.tops.values()) {
      if (t.bidPrice !== undefined && (bidPrice === undefined || t.bidPrice > bidPrice)) bidPrice = t.bidPrice
      if (t.askPrice !== undefined && (askPrice === undefined || t.askPrice < askPrice)) askPrice = t.askPrice
    }
    let bidSize = 0n
    let askSize = 0n
    const bidVenues: string[] = []
    const askVenues: string[] = []
    for (const [v, t] of this.tops) {
      if (bidPrice !== undefined && t.bidPrice === bidPrice) {
        bidSize += t.bidSize
        bidVenues.push(v)
      }
      if (askPrice !== undefined && t.askPrice === askPrice) {
        askSize += t.askSize
        askVenues.push(v)
      }
    }
    bidVenues.sort()
    askVenues.sort()
    const old = this.nbbo
    if (
      old.bidPrice === bidPrice &&
      old.askPrice === askPrice &&
      old.bidSize === bidSize &&
      old.askSize === askSize &&
      sameList(old.bidVenues, bidVenues) &&
      sameList(old.askVenues, askVenues)
    ) {
      return undefined
    }
    this.nbbo = { ns, venue, seq, bidPrice, bidSize, bidVenues, askPrice, askSize, askVenues }
    return this.nbbo
  }
}

/** The NBBO over a day: its changes in time order, and lookups by instant. */
export class NbboSeries {
  constructor(readonly changes: readonly Nbbo[]) {}

  /** The NBBO in force at `ns` (after every event at or before it), or undefined before the first quote. */
  at(ns: bigint): Nbbo | undefined {
    const c = this.changes
    let lo = 0
    let hi = c.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (c[mid].ns <= ns) lo = mid + 1
      else hi = mid
    }
    return lo > 0 ? c[lo - 1] : undefined
  }
}

/** A venue's displayed top of book as it changed: when, and the event's position among the venue's. */
export interface VenueTopChange extends VenueTop {
  readonly venue: string
  readonly ns: bigint
  readonly seq: number
}

/**
 * Builds the NBBO of one symbol from the events of all its venues, in `compareBookEvents` order (see
 * `mergeBookEvents`). A venue's quote leaves the NBBO while its status is H (halted). `onVenueTop` is told
 * every change of a venue's own top (none while its book stays empty), in the order they happened.
 * @example
 * const series = buildNbbo(mergeBookEvents([nsdqEvents, arcaEvents]))
 * isMarketable({ side: 'B', price: 22_400_000_000n }, series.at(t))
 */
export function buildNbbo(
  events: Iterable<BookEvent>,
  onVenueTop?: (change: VenueTopChange) => void,
): NbboSeries {
  const venues = new Map<string, VenueState>()
  const builder = new NbboBuilder()
  const changes: Nbbo[] = []
  for (const ev of events) {
    let v = venues.get(ev.venue)
    if (v === undefined) {
      v = {
        book: new OrderBook(ev.venue, ev.symbol),
        bidPrice: undefined,
        bidSize: 0n,
        askPrice: undefined,
        askSize: 0n,
      }
      venues.set(ev.venue, v)
    }
    v.book.apply(ev)
    const halted = v.book.status === 'H'
    const bid = halted ? undefined : v.book.topLevel('B')
    const ask = halted ? undefined : v.book.topLevel('S')
    const bidPrice = bid?.price
    const bidSize = bid?.displayed ?? 0n
    const askPrice = ask?.price
    const askSize = ask?.displayed ?? 0n
    // Most events do not touch the venue's top: compare before building anything.
    if (bidPrice === v.bidPrice && bidSize === v.bidSize && askPrice === v.askPrice && askSize === v.askSize)
      continue
    v.bidPrice = bidPrice
    v.bidSize = bidSize
    v.askPrice = askPrice
    v.askSize = askSize
    onVenueTop?.({ venue: ev.venue, ns: ev.ns, seq: ev.seq, bidPrice, bidSize, askPrice, askSize })
    const changed = builder.update(ev.venue, ev.ns, ev.seq, { bidPrice, bidSize, askPrice, askSize })
    if (changed !== undefined) {
      // Several changes within one nanosecond collapse into the last; only that one was ever in force.
      const last = changes[changes.length - 1]
      if (last !== undefined && last.ns === changed.ns) changes[changes.length - 1] = changed
      else changes.push(changed)
    }
  }
  return new NbboSeries(changes)
}

interface VenueState {
  readonly book: OrderBook
  bidPrice: bigint | undefined
  bidSize: bigint
  askPrice: bigint | undefined
  askSize: bigint
}

/** Merges per-venue event streams (each in order) into one stream in `compareBookEvents` order. */
export function* mergeBookEvents(streams: Iterable<Iterable<BookEvent>>): Generator<BookEvent> {
  const heads: { it: Iterator<BookEvent>; ev: BookEvent }[] = []
  for (const s of streams) {
    const it = s[Symbol.iterator]()
    const r = it.next()
    if (!r.done) heads.push({ it, ev: r.value })
  }
  // Few venues: a linear scan for the smallest head beats a heap.
  while (heads.length > 0) {
    let min = 0
    for (let i = 1; i < heads.length; i++) if (compareBookEvents(heads[i].ev, heads[min].ev) < 0) min = i
    const head = heads[min]
    yield head.ev
    const r = head.it.next()
    if (r.done) heads.splice(min, 1)
    else head.ev = r.value
  }
}

/** An order to check against the NBBO; no price means a market order. */
export interface PricedOrder {
  readonly side: BookSide
  readonly price?: bigint
}

/** True when the order could execute on arrival against the NBBO: a buy at or above the NBO, a sell at or below the NBB. */
export function isMarketable(order: PricedOrder, nbbo: Nbbo | undefined): boolean {
  if (nbbo === undefined) return false
  if (order.side === 'B')
    return nbbo.askPrice !== undefined && (order.price === undefined || order.price >= nbbo.askPrice)
  return nbbo.bidPrice !== undefined && (order.price === undefined || order.price <= nbbo.bidPrice)
}

/** How an order's price relates to the NBBO, in 1e-8 dollars; undefined where that side is empty. */
export interface NbboDistance {
  /** How much more aggressive than the best price on its own side: positive means it would improve the NBBO. */
  readonly fromSameSide: bigint | undefined
  /** How far from the best opposite price: 0 or less means marketable. */
  readonly toOppositeSide: bigint | undefined
}

/** The order's distance from the NBBO (a limit order; market orders have none). */
export function distanceFromNbbo(
  order: { side: BookSide; price: bigint },
  nbbo: Nbbo | undefined,
): NbboDistance {
  const bid = nbbo?.bidPrice
  const ask = nbbo?.askPrice
  if (order.side === 'B') {
    return {
      fromSameSide: bid === undefined ? undefined : order.price - bid,
      toOppositeSide: ask === undefined ? undefined : ask - order.price,
    }
  }
  return {
    fromSameSide: ask === undefined ? undefined : ask - order.price,
    toOppositeSide: bid === undefined ? undefined : order.price - bid,
  }
}

function sameTop(a: VenueTop, b: VenueTop): boolean {
  return (
    a.bidPrice === b.bidPrice &&
    a.bidSize === b.bidSize &&
    a.askPrice === b.askPrice &&
    a.askSize === b.askSize
  )
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
