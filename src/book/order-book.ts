/**
 * An order-level book for one venue and symbol: price levels with FIFO queues (price-display-time priority),
 * displayed and hidden quantity, and the queries a regulator asks of it. Applying an event never throws:
 * inconsistent input is counted as an anomaly and applied as far as it makes sense.
 */
import type { BookEvent, BookSide, ExecuteEvent, OrderEvent, TradingStatus } from './book-event.ts'
import { type BookAnomaly, type BookSnapshot, noAnomalies, type SnapshotOrders } from './book-snapshot.ts'
import { formatPrice, formatQuantity, parsePrice, parseQuantity } from './price.ts'
import { OrderNode, PriceLevel, SideLevels, visibleOf } from './price-levels.ts'

const FREE_LIMIT = 4096

/** What applying one event gave: 'ok', or the first anomaly it met. */
export type ApplyStatus = 'ok' | BookAnomaly

/** One price level as seen from outside; `size` is the displayed size. */
export interface BookLevel {
  /** Price in 1e-8 dollars. */
  readonly price: bigint
  /** Displayed 1e-6 shares at this price. */
  readonly size: bigint
  /** Non-displayed 1e-6 shares at this price (hidden orders and reserve). */
  readonly hidden: bigint
  /** Resting orders at this price, hidden ones included. */
  readonly orders: number
}

/** The top levels of both sides, best first. */
export interface BookDepth {
  readonly bids: BookLevel[]
  readonly asks: BookLevel[]
}

/** A resting order as seen from outside. */
export interface BookOrder {
  readonly orderId: string
  readonly side: BookSide
  readonly price: bigint
  /** 1e-6 shares, as every quantity of the book. */
  readonly quantity: bigint
  readonly displayQty: bigint
  readonly leavesQty: bigint
  /** Shares it shows now (display size capped by leaves). */
  readonly displayed: bigint
  /** When it took its current priority. */
  readonly ns: bigint
  readonly seq: number
}

/** Where an order stands in its level's queue. */
export interface QueuePosition {
  readonly side: BookSide
  readonly price: bigint
  /** Orders that execute before it at its price: displayed ones ahead for a displayed order; for a hidden one, every displayed order plus the hidden ones ahead. */
  readonly ordersAhead: number
  /** 1e-6 shares of those orders. */
  readonly sharesAhead: bigint
  /** Orders resting at the price, itself included. */
  readonly levelOrders: number
  /** Displayed 1e-6 shares at the price. */
  readonly levelSize: bigint
}

/** Options of a book. */
export interface OrderBookOptions {
  /** Called for every anomaly with the event that caused it (the count is kept either way). */
  onAnomaly?: (anomaly: BookAnomaly, event: BookEvent) => void
}

/**
 * The order book of one venue and symbol.
 * @example
 * const book = new OrderBook('NSDQ', 'AMZN')
 * for (const ev of events) book.apply(ev)
 * book.depth(5) // { bids: [{ price, size, hidden, orders }, ...], asks: [...] }
 */
export class OrderBook {
  /** Trading status from the last EXTS; T until told otherwise. */
  status: TradingStatus = 'T'
  /** Events applied so far. */
  applied = 0
  /** Time and seq of the last applied event (-1n / -1 before any). */
  lastNs = -1n
  lastSeq = -1
  /** Anomalies met so far, by kind. */
  readonly anomalies: Record<BookAnomaly, number> = noAnomalies()
  private readonly orders = new Map<string, OrderNode>()
  /**
   * Orders accepted without a price (market orders): they never rest, so the cancel or route of their
   * unfilled rest that follows is not an anomaly. Not kept in snapshots.
   */
  private readonly unpriced = new Set<string>()
  private readonly free: OrderNode[] = []
  private readonly bids = new SideLevels('B')
  private readonly asks = new SideLevels('S')
  private readonly onAnomaly: OrderBookOptions['onAnomaly']

  constructor(
    readonly venue = '',
    readonly symbol = '',
    options: OrderBookOptions = {},
  ) {
    this.onAnomaly = options.onAnomaly
  }

  /** Applies one event; events must come in `compareBookEvents` order. */
  apply(ev: BookEvent): ApplyStatus {
    this.applied++
    this.lastNs = ev.ns
    this.lastSeq = ev.seq
    switch (ev.kind) {
      case 'add':
        return this.add(ev)
      case 'execute':
        return this.execute(ev)
      case 'cancel':
        return this.cancel(ev)
      case 'modify':
        return this.modify(ev)
      case 'quote':
        return this.quote(ev)
      case 'status':
        this.status = ev.status
        return 'ok'
    }
  }

  // ---- events

  private add(ev: OrderEvent): ApplyStatus {
    if (this.orders.has(ev.orderId)) return this.report('duplicate-order', ev)
    if (ev.price === undefined) {
      this.unpriced.add(ev.orderId)
      return 'ok'
    }
    const leaves = ev.leavesQty ?? ev.quantity
    if (leaves <= 0n) return 'ok'
    return this.rest(ev, ev.orderId, leaves, ev.price)
  }

  /** Puts a new order at the back of its level. */
  private rest(ev: OrderEvent, id: string, leaves: bigint, price: bigint | undefined): ApplyStatus {
    if (price === undefined) return this.report('bad-price', ev)
    const side = ev.side === 'B' ? this.bids : this.asks
    const rank = side.rankOf(price)
    const level = side.levelAt(rank, price)
    const visible = visibleOf(ev.displayQty, leaves)
    let node = this.free.pop()
    if (node === undefined) {
      node = new OrderNode(
        id,
        ev.side,
        price,
        ev.quantity,
        ev.displayQty,
        leaves,
        visible,
        ev.ns,
        ev.seq,
        level,
      )
    } else {
      node.id = id
      node.side = ev.side
      node.price = price
      node.quantity = ev.quantity
      node.displayQty = ev.displayQty
      node.leaves = leaves
      node.visible = visible
      node.ns = ev.ns
      node.seq = ev.seq
      node.level = level
    }
    side.append(node)
    this.orders.set(id, node)
    return 'ok'
  }

  private cancel(ev: OrderEvent): ApplyStatus {
    const node = this.orders.get(ev.orderId)
    if (node === undefined) return this.unpriced.has(ev.orderId) ? 'ok' : this.report('unknown-order', ev)
    return this.reduce(node, ev.quantity, ev.leavesQty, ev)
  }

  /** Takes `qty` shares off an order (or sets its leaves when the event says), removing it at zero. */
  private reduce(node: OrderNode, qty: bigint, given: bigint | undefined, ev: BookEvent): ApplyStatus {
    const expected = node.leaves - qty
    let status: ApplyStatus = 'ok'
    let leaves = expected
    if (given !== undefined) {
      if (given !== expected) status = this.report('leaves-mismatch', ev)
      leaves = given
    } else if (expected < 0n) {
      status = this.report('overfill', ev)
    }
    if (leaves <= 0n) this.drop(node)
    else this.resize(node, node.displayQty, leaves)
    return status
  }

  private execute(ev: ExecuteEvent): ApplyStatus {
    let status: ApplyStatus = 'ok'
    // The passive side must rest; the aggressor rests only if its accept came first, and a cross names none.
    if (ev.buyOrderId !== undefined) {
      status = this.fill(ev.buyOrderId, ev.buyLeavesQty, ev.aggressor === 'S', ev)
    }
    if (ev.sellOrderId !== undefined) {
      const s = this.fill(ev.sellOrderId, ev.sellLeavesQty, ev.aggressor === 'B', ev)
      if (status === 'ok') status = s
    }
    return status
  }

  private fill(id: string, given: bigint | undefined, passive: boolean, ev: ExecuteEvent): ApplyStatus {
    const node = this.orders.get(id)
    if (node === undefined) return passive ? this.report('unknown-order', ev) : 'ok'
    return this.reduce(node, ev.quantity, given, ev)
  }

  private modify(ev: OrderEvent): ApplyStatus {
    const prior = ev.priorOrderId
    const replaces = prior !== undefined && prior !== ev.orderId
    const node = this.orders.get(replaces ? prior : ev.orderId)
    const leaves = ev.leavesQty ?? ev.quantity
    if (node === undefined) {
      const status = this.report('unknown-order', ev)
      if (leaves > 0n && !this.orders.has(ev.orderId)) this.rest(ev, ev.orderId, leaves, ev.price)
      return status
    }
    if (replaces) {
      // A replacement is a new order: it goes to the back whatever changed (NASDAQ ITCH "U" semantics).
      this.drop(node)
      if (this.orders.has(ev.orderId)) return this.report('duplicate-order', ev)
      return leaves > 0n ? this.rest(ev, ev.orderId, leaves, ev.price) : 'ok'
    }
    return this.change(node, ev, leaves)
  }

  /** Changes an order in place when it keeps priority, else moves it to the back of its (new) level. */
  private change(node: OrderNode, ev: OrderEvent, leaves: bigint): ApplyStatus {
    const price = ev.price ?? node.price
    let status: ApplyStatus = 'ok'
    if (ev.side !== node.side) status = this.report('side-change', ev)
    if (leaves <= 0n) {
      this.drop(node)
      return status
    }
    const keeps =
      status === 'ok' && price === node.price && leaves <= node.leaves && ev.displayQty <= node.displayQty
    node.quantity = ev.quantity
    if (keeps) {
      this.resize(node, ev.displayQty, leaves)
      return status
    }
    this.drop(node)
    const s = this.rest(ev, ev.orderId, leaves, price)
    return status === 'ok' ? s : status
  }

  private quote(ev: OrderEvent): ApplyStatus {
    const node = this.orders.get(ev.orderId)
    const leaves = ev.price === undefined ? 0n : ev.quantity
    if (node === undefined) return leaves > 0n ? this.rest(ev, ev.orderId, leaves, ev.price) : 'ok'
    return this.change(node, ev, leaves)
  }

  // ---- node bookkeeping

  private resize(node: OrderNode, displayQty: bigint, leaves: bigint): void {
    const level = node.level
    const visible = visibleOf(displayQty, leaves)
    level.displayed += visible - node.visible
    level.hidden += leaves - visible - (node.leaves - node.visible)
    node.displayQty = displayQty
    node.leaves = leaves
    node.visible = visible
  }

  private drop(node: OrderNode): void {
    ;(node.side === 'B' ? this.bids : this.asks).unlink(node)
    this.orders.delete(node.id)
    // Resting orders live long enough to be promoted by the GC; recycling them spares the old generation.
    if (this.free.length < FREE_LIMIT) this.free.push(node)
  }

  private report(anomaly: BookAnomaly, ev: BookEvent): BookAnomaly {
    this.anomalies[anomaly]++
    this.onAnomaly?.(anomaly, ev)
    return anomaly
  }

  // ---- queries

  /** Resting orders. */
  get orderCount(): number {
    return this.orders.size
  }

  /** Price levels on a side, hidden-only ones included. */
  levelCount(side: BookSide): number {
    return (side === 'B' ? this.bids : this.asks).sorted.length
  }

  /** The best bid with displayed size, or undefined. */
  bestBid(): BookLevel | undefined {
    const level = this.bids.best(false)
    return level && levelView(level)
  }

  /** The best offer with displayed size, or undefined. */
  bestAsk(): BookLevel | undefined {
    const level = this.asks.best(false)
    return level && levelView(level)
  }

  /** The best displayed level of a side, without allocating (for NBBO). @internal */
  topLevel(side: BookSide): PriceLevel | undefined {
    return (side === 'B' ? this.bids : this.asks).best(false)
  }

  /**
   * The best `n` levels of each side, best first. Levels are those with displayed size, unless `hidden` is
   * set, which also lists levels holding only hidden shares.
   */
  depth(n = Number.POSITIVE_INFINITY, options: { hidden?: boolean } = {}): BookDepth {
    return {
      bids: levelsOf(this.bids, n, options.hidden === true),
      asks: levelsOf(this.asks, n, options.hidden === true),
    }
  }

  /** The level at a price, or undefined when nothing rests there. */
  level(side: BookSide, price: bigint): BookLevel | undefined {
    const levels = side === 'B' ? this.bids : this.asks
    const level = levels.byRank.get(levels.rankOf(price))
    return level && levelView(level)
  }

  /** One side's displayed levels, best first, down to and including `worst` (all of them without it). */
  sideDepth(side: BookSide, worst?: bigint): BookLevel[] {
    const levels = side === 'B' ? this.bids : this.asks
    const stop = worst === undefined ? undefined : levels.rankOf(worst)
    const out: BookLevel[] = []
    const sorted = levels.sorted
    for (let i = sorted.length - 1; i >= 0 && (stop === undefined || sorted[i].rank >= stop); i--) {
      if (sorted[i].displayed > 0n) out.push(levelView(sorted[i]))
    }
    return out
  }

  /** True when the best displayed bid is at or above the best displayed offer. */
  isCrossed(): boolean {
    const bid = this.bids.best(false)
    const ask = this.asks.best(false)
    return bid !== undefined && ask !== undefined && bid.price >= ask.price
  }

  /** A resting order, or undefined. */
  order(orderId: string): BookOrder | undefined {
    const node = this.orders.get(orderId)
    return node && orderView(node)
  }

  /** The orders resting at one price, in priority order. */
  levelOrders(side: BookSide, price: bigint): BookOrder[] {
    const levels = side === 'B' ? this.bids : this.asks
    const level = levels.byRank.get(levels.rankOf(price))
    const out: BookOrder[] = []
    for (let node = level?.head ?? null; node !== null; node = node.next) out.push(orderView(node))
    return out
  }

  /** Every resting order of a side, best price first, FIFO within a price. */
  *sideOrders(side: BookSide): Generator<BookOrder> {
    const sorted = (side === 'B' ? this.bids : this.asks).sorted
    for (let i = sorted.length - 1; i >= 0; i--) {
      for (let node = sorted[i].head; node !== null; node = node.next) yield orderView(node)
    }
  }

  /** An order's place in its level's queue, or undefined when it does not rest. */
  queuePosition(orderId: string): QueuePosition | undefined {
    const target = this.orders.get(orderId)
    if (target === undefined) return undefined
    const level = target.level
    let ordersAhead = 0
    let sharesAhead = 0n
    if (target.visible > 0n) {
      for (let node = level.head; node !== target && node !== null; node = node.next) {
        if (node.visible === 0n) continue
        ordersAhead++
        sharesAhead += node.visible
      }
    } else {
      // Displayed shares execute before non-displayed ones at the same price; time decides within each class.
      sharesAhead = level.displayed
      let before = true
      for (let node = level.head; node !== null; node = node.next) {
        if (node === target) {
          before = false
          continue
        }
        if (node.visible > 0n || before) ordersAhead++
        if (before) sharesAhead += node.leaves - node.visible
      }
    }
    return {
      side: target.side,
      price: target.price,
      ordersAhead,
      sharesAhead,
      levelOrders: level.orders,
      levelSize: level.displayed,
    }
  }

  // ---- snapshots

  /** The book's complete state, JSON-serializable. */
  snapshot(): BookSnapshot {
    const orders: SnapshotOrders = {
      orderId: [],
      side: [],
      price: [],
      quantity: [],
      displayQty: [],
      leavesQty: [],
      age: [],
      seq: [],
    }
    const now = this.lastNs
    for (const side of [this.bids, this.asks]) {
      const sorted = side.sorted
      for (let i = sorted.length - 1; i >= 0; i--) {
        const price = formatPrice(sorted[i].price)
        for (let node = sorted[i].head; node !== null; node = node.next) {
          orders.orderId.push(node.id)
          orders.side.push(node.side)
          orders.price.push(price)
          orders.quantity.push(formatQuantity(node.quantity))
          orders.displayQty.push(formatQuantity(node.displayQty))
          orders.leavesQty.push(formatQuantity(node.leaves))
          orders.age.push(Number(now - node.ns))
          orders.seq.push(node.seq)
        }
      }
    }
    return {
      format: 'opencat-book-snapshot/2',
      venue: this.venue,
      symbol: this.symbol,
      applied: this.applied,
      ns: this.lastNs < 0n ? '' : this.lastNs.toString(),
      seq: this.lastSeq,
      status: this.status,
      anomalies: { ...this.anomalies },
      orders,
    }
  }

  /** A book in the state a snapshot recorded; a snapshot of another format is refused. */
  static fromSnapshot(snapshot: BookSnapshot, options: OrderBookOptions = {}): OrderBook {
    if (snapshot.format !== 'opencat-book-snapshot/2')
      throw new Error(`book snapshot format ${String(snapshot.format)} is not opencat-book-snapshot/2`)
    const book = new OrderBook(snapshot.venue, snapshot.symbol, options)
    book.applied = snapshot.applied
    book.lastNs = snapshot.ns === '' ? -1n : BigInt(snapshot.ns)
    book.lastSeq = snapshot.seq
    book.status = snapshot.status
    Object.assign(book.anomalies, snapshot.anomalies)
    const o = snapshot.orders
    let level: PriceLevel | undefined
    let levelText = ''
    let levelSide = ''
    for (let i = 0; i < o.orderId.length; i++) {
      const sideLevels = o.side[i] === 'B' ? book.bids : book.asks
      // Orders come level by level, so the level is usually the previous order's.
      if (level === undefined || levelText !== o.price[i] || levelSide !== o.side[i]) {
        const price = exact(parsePrice(o.price[i]), o.price[i])
        const rank = sideLevels.rankOf(price)
        levelText = o.price[i]
        levelSide = o.side[i]
        level = sideLevels.byRank.get(rank)
        if (level === undefined) {
          // Appending and sorting once beats a sorted insert per level.
          level = new PriceLevel(rank, price)
          sideLevels.byRank.set(rank, level)
          sideLevels.sorted.push(level)
        }
      }
      const leaves = exact(parseQuantity(o.leavesQty[i]), o.leavesQty[i])
      const displayQty = exact(parseQuantity(o.displayQty[i]), o.displayQty[i])
      const visible = visibleOf(displayQty, leaves)
      const ns = book.lastNs - BigInt(o.age[i])
      const node = new OrderNode(
        o.orderId[i],
        o.side[i],
        level.price,
        exact(parseQuantity(o.quantity[i]), o.quantity[i]),
        displayQty,
        leaves,
        visible,
        ns,
        o.seq[i],
        level,
      )
      sideLevels.append(node)
      book.orders.set(node.id, node)
    }
    const ascending = (a: PriceLevel, b: PriceLevel) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)
    book.bids.sorted.sort(ascending)
    book.asks.sorted.sort(ascending)
    return book
  }
}

function exact(units: bigint | undefined, text: string): bigint {
  if (units === undefined) throw new Error(`book snapshot holds ${JSON.stringify(text)}, not a CAT decimal`)
  return units
}

function levelView(level: PriceLevel): BookLevel {
  return { price: level.price, size: level.displayed, hidden: level.hidden, orders: level.orders }
}

function levelsOf(side: SideLevels, n: number, hidden: boolean): BookLevel[] {
  const out: BookLevel[] = []
  const sorted = side.sorted
  for (let i = sorted.length - 1; i >= 0 && out.length < n; i--) {
    const level = sorted[i]
    if (level.displayed > 0n || hidden) out.push(levelView(level))
  }
  return out
}

function orderView(node: OrderNode): BookOrder {
  return {
    orderId: node.id,
    side: node.side,
    price: node.price,
    quantity: node.quantity,
    displayQty: node.displayQty,
    leavesQty: node.leaves,
    displayed: node.visible,
    ns: node.ns,
    seq: node.seq,
  }
}
