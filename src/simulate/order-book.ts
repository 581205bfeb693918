/**
 * A limit order book for one symbol on one venue: price levels in price-time priority, matching of an
 * arriving order against the other side, and lazy removal of cancelled orders. Prices are integer cents.
 */

/** Which side of the book: buy or sell (all sell kinds, SL/SS/SX, rest on the sell side). */
export type BookSide = 'B' | 'S'

/** An order resting in (or arriving at) a book. */
export interface BookOrder {
  readonly side: BookSide
  price: number
  remaining: number
  /** True while the order rests in a book; the book drops dead orders lazily. */
  live: boolean
  /** Hidden (non-displayed) liquidity. */
  readonly hidden: boolean
}

interface Level<T extends BookOrder> {
  readonly price: number
  readonly orders: T[]
  head: number
  /** Shares of the live orders at this level. */
  shares: number
  /** Orders removed from the middle of the queue and not yet dropped from the array. */
  dead: number
}

/** One side of a book; the best price sits at the end of `prices` so taking it is a pop. */
class BookHalf<T extends BookOrder> {
  readonly levels = new Map<number, Level<T>>()
  // Bids ascend (best = highest last), asks descend (best = lowest last).
  readonly prices: number[] = []

  constructor(private readonly ascending: boolean) {}

  best(): number | undefined {
    return this.prices.length > 0 ? this.prices[this.prices.length - 1] : undefined
  }

  private before(a: number, b: number): boolean {
    return this.ascending ? a < b : a > b
  }

  add(order: T): void {
    let level = this.levels.get(order.price)
    if (!level) {
      level = { price: order.price, orders: [], head: 0, shares: 0, dead: 0 }
      this.levels.set(order.price, level)
      let lo = 0
      let hi = this.prices.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (this.before(this.prices[mid], order.price)) lo = mid + 1
        else hi = mid
      }
      this.prices.splice(lo, 0, order.price)
    }
    level.orders.push(order)
    level.shares += order.remaining
  }

  /** Drops a level that has no live shares left. */
  dropIfEmpty(level: Level<T>): void {
    if (level.shares > 0) return
    this.levels.delete(level.price)
    const i = this.prices.lastIndexOf(level.price)
    if (i >= 0) this.prices.splice(i, 1)
  }

  /** The first live order of a level, skipping cancelled ones. */
  front(level: Level<T>): T | undefined {
    while (level.head < level.orders.length) {
      const o = level.orders[level.head]
      if (o.live && o.remaining > 0) return o
      level.head++
    }
    return undefined
  }

  compact(level: Level<T>): void {
    if (level.head > 32 && level.head * 2 > level.orders.length) {
      level.orders.splice(0, level.head)
      level.head = 0
    }
    // Cancelled orders deep in a queue would otherwise stay referenced for the rest of the day.
    if (level.dead > 32 && level.dead * 2 > level.orders.length - level.head) {
      let n = 0
      for (let i = level.head; i < level.orders.length; i++) {
        const o = level.orders[i]
        if (o.live && o.remaining > 0) level.orders[n++] = o
      }
      level.orders.length = n
      level.head = 0
      level.dead = 0
    }
  }
}

/** A fill produced by matching: the resting order, the shares and the price (the resting order's). */
export interface Fill<T> {
  readonly resting: T
  readonly shares: number
  readonly price: number
}

/** A price-time priority limit order book. */
export class OrderBook<T extends BookOrder> {
  private readonly bids = new BookHalf<T>(true)
  private readonly asks = new BookHalf<T>(false)

  /** Highest bid in cents, if any. */
  bestBid(): number | undefined {
    return this.bids.best()
  }

  /** Lowest ask in cents, if any. */
  bestAsk(): number | undefined {
    return this.asks.best()
  }

  /** Shares resting at the best bid or ask. */
  sharesAt(side: BookSide, price: number): number {
    return (side === 'B' ? this.bids : this.asks).levels.get(price)?.shares ?? 0
  }

  /** Shares resting on a side at `price` or better for the taker (asks at or below it, bids at or above it). */
  sharesThrough(side: BookSide, price: number): number {
    let shares = 0
    for (const level of (side === 'B' ? this.bids : this.asks).levels.values())
      if (side === 'B' ? level.price >= price : level.price <= price) shares += level.shares
    return shares
  }

  /** True when a buy (or sell) at `price` (undefined: market) would trade right away. */
  marketable(side: BookSide, price: number | undefined): boolean {
    const other = side === 'B' ? this.asks.best() : this.bids.best()
    if (other === undefined) return false
    return price === undefined || (side === 'B' ? price >= other : price <= other)
  }

  /**
   * Matches an arriving order against the other side while it is marketable, calling `onFill` for each
   * fill at the resting price, and returns the shares left. The arriving order is not added.
   */
  match(side: BookSide, price: number | undefined, shares: number, onFill: (fill: Fill<T>) => void): number {
    const half = side === 'B' ? this.asks : this.bids
    while (shares > 0) {
      const best = half.best()
      if (best === undefined) break
      if (price !== undefined && (side === 'B' ? best > price : best < price)) break
      const level = half.levels.get(best)!
      const resting = half.front(level)
      if (!resting) {
        level.shares = 0
        half.dropIfEmpty(level)
        continue
      }
      const q = Math.min(shares, resting.remaining)
      resting.remaining -= q
      level.shares -= q
      shares -= q
      if (resting.remaining === 0) {
        resting.live = false
        level.head++
      }
      onFill({ resting, shares: q, price: best })
      half.compact(level)
      half.dropIfEmpty(level)
    }
    return shares
  }

  /** Rests an order; the caller has matched it first, so it never crosses the book. */
  add(order: T): void {
    if (this.marketable(order.side, order.price)) {
      throw new Error(`order book: resting ${order.side} at ${order.price} would cross the book`)
    }
    const half = order.side === 'B' ? this.bids : this.asks
    order.live = true
    half.add(order)
  }

  /** Takes an order out of the book (cancel, or the old version of a replaced order). */
  remove(order: T): void {
    const half = order.side === 'B' ? this.bids : this.asks
    if (!order.live) return
    const level = half.levels.get(order.price)
    order.live = false
    if (!level) return
    level.shares -= order.remaining
    level.dead++
    half.compact(level)
    half.dropIfEmpty(level)
  }

  /** Lowers a resting order's shares in place (keeps its time priority). */
  reduce(order: T, shares: number): void {
    const level = order.live
      ? (order.side === 'B' ? this.bids : this.asks).levels.get(order.price)
      : undefined
    if (level) level.shares -= order.remaining - shares
    order.remaining = shares
  }

  /** Every live order, best levels first (for end-of-day expiry). */
  *orders(): Generator<T> {
    for (const half of [this.bids, this.asks]) {
      for (let i = half.prices.length - 1; i >= 0; i--) {
        const level = half.levels.get(half.prices[i])!
        for (let j = level.head; j < level.orders.length; j++) {
          const o = level.orders[j]
          if (o.live && o.remaining > 0) yield o
        }
      }
    }
  }
}
