/**
 * The book's internal structures: resting orders as nodes of an intrusive doubly linked FIFO per price level,
 * and one side's levels in an array sorted so the best level is last (new best prices append, the top is
 * removed with a pop). Not exported from the folder; `OrderBook` is the only user.
 */
import type { BookSide } from './book-event.ts'

/** A resting order; `visible` and `leaves - visible` are what it adds to its level. */
export class OrderNode {
  prev: OrderNode | null = null
  next: OrderNode | null = null
  constructor(
    public id: string,
    public side: BookSide,
    public price: bigint,
    public quantity: bigint,
    public displayQty: bigint,
    public leaves: bigint,
    public visible: bigint,
    public ns: bigint,
    public seq: number,
    public level: PriceLevel,
  ) {}
}

/** One price on one side: its FIFO queue and running totals. */
export class PriceLevel {
  head: OrderNode | null = null
  tail: OrderNode | null = null
  orders = 0
  /** Displayed and non-displayed 1e-6 shares. */
  displayed = 0n
  hidden = 0n
  constructor(
    /** Price in 1e-8 dollars, negated on the ask side so that larger is always better. */
    readonly rank: bigint,
    readonly price: bigint,
  ) {}
}

/** Displayed shares of an order: its display size, capped by what is left; 0 for a hidden order. */
export function visibleOf(displayQty: bigint, leaves: bigint): bigint {
  return displayQty <= 0n ? 0n : displayQty < leaves ? displayQty : leaves
}

/** One side of a book: levels by rank, sorted ascending (best last). */
export class SideLevels {
  readonly byRank = new Map<bigint, PriceLevel>()
  sorted: PriceLevel[] = []
  constructor(readonly side: BookSide) {}

  /** The rank of a price on this side (asks negated so larger is better). */
  rankOf(price: bigint): bigint {
    return this.side === 'B' ? price : -price
  }

  /** The level at a rank, created when missing. */
  levelAt(rank: bigint, price: bigint): PriceLevel {
    const sorted = this.sorted
    const n = sorted.length
    // Most activity is at the top of the book, so look there before searching.
    if (n > 0) {
      const top = sorted[n - 1]
      if (top.rank === rank) return top
      if (top.rank < rank) return this.insertAt(n, rank, price)
    }
    const i = this.lowerBound(rank)
    if (i < n && sorted[i].rank === rank) return sorted[i]
    return this.insertAt(i, rank, price)
  }

  private insertAt(i: number, rank: bigint, price: bigint): PriceLevel {
    const level = new PriceLevel(rank, price)
    this.byRank.set(rank, level)
    if (i === this.sorted.length) this.sorted.push(level)
    else this.sorted.splice(i, 0, level)
    return level
  }

  /** Drops an empty level. */
  remove(level: PriceLevel): void {
    this.byRank.delete(level.rank)
    const sorted = this.sorted
    const last = sorted.length - 1
    if (sorted[last] === level) sorted.pop()
    else sorted.splice(this.lowerBound(level.rank), 1)
  }

  /** Index of the first level whose rank is >= rank. */
  lowerBound(rank: bigint): number {
    const sorted = this.sorted
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (sorted[mid].rank < rank) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** The best level with displayed shares (or any shares when `hidden`), or undefined. */
  best(hidden: boolean): PriceLevel | undefined {
    const sorted = this.sorted
    for (let i = sorted.length - 1; i >= 0; i--) {
      const level = sorted[i]
      if (level.displayed > 0n || (hidden && level.hidden > 0n)) return level
    }
    return undefined
  }

  /** Appends an order at the back of its level's queue. */
  append(node: OrderNode): void {
    const level = node.level
    node.prev = level.tail
    node.next = null
    if (level.tail === null) level.head = node
    else level.tail.next = node
    level.tail = node
    level.orders++
    level.displayed += node.visible
    level.hidden += node.leaves - node.visible
  }

  /** Takes an order out of its level's queue, dropping the level when it empties. */
  unlink(node: OrderNode): void {
    const level = node.level
    if (node.prev === null) level.head = node.next
    else node.prev.next = node.next
    if (node.next === null) level.tail = node.prev
    else node.next.prev = node.prev
    node.prev = null
    node.next = null
    level.orders--
    level.displayed -= node.visible
    level.hidden -= node.leaves - node.visible
    if (level.orders === 0) this.remove(level)
  }
}
