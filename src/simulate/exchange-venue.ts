/**
 * An exchange: a price-time order book per symbol, and the exchange events it reports (EXOA on accept,
 * EXOT per execution, EXOC, EXOM, EXOR when it routes out, EXQT for market makers' quotes).
 */
import type { Values } from '../codec/index.ts'
import { ExchangeOrder } from './exchange-order.ts'
import type { Route } from './firm-order.ts'
import { putLegs } from './multi-leg.ts'
import { type BookSide, type Fill, OrderBook } from './order-book.ts'
import { type OrderTerms, priceText, putTerms, qtyText } from './record-values.ts'
import { EXCHANGE_CLOCK, type Sim } from './sim.ts'
import type { Lifecycle, TruthEvent } from './truth-recorder.ts'
import { type Firm, imidRef, type Sym, type Venue } from './world.ts'

/** A market maker's two-sided quote on one exchange and symbol. */
export interface Quote {
  readonly mm: Firm
  readonly sym: Sym
  bid: ExchangeOrder | undefined
  ask: ExchangeOrder | undefined
  refreshing: boolean
}

/** Book side of a CAT side code. */
export function bookSide(side: string): BookSide {
  return side === 'B' ? 'B' : 'S'
}

/** One simulated exchange. */
export class ExchangeVenue {
  private readonly books = new Map<number, OrderBook<ExchangeOrder>>()

  constructor(
    private readonly sim: Sim,
    readonly venue: Venue,
  ) {}

  /** The Exchange ID. */
  get id(): string {
    return this.venue.id
  }

  /** The book of a symbol (created on first use, when the market makers post their first quotes). */
  book(sym: Sym, t: number): OrderBook<ExchangeOrder> {
    let book = this.books.get(sym.index)
    if (!book) {
      book = new OrderBook<ExchangeOrder>()
      this.books.set(sym.index, book)
      this.sim.parts.quoting.open(this, sym, t)
    }
    return book
  }

  /** Best bid in cents, without opening a book. */
  bestBid(sym: Sym): number | undefined {
    return this.books.get(sym.index)?.bestBid()
  }

  /** Best ask in cents, without opening a book. */
  bestAsk(sym: Sym): number | undefined {
    return this.books.get(sym.index)?.bestAsk()
  }

  /** The book of a symbol if it is open (reading the market does not open one). */
  openedBook(sym: Sym): OrderBook<ExchangeOrder> | undefined {
    return this.books.get(sym.index)
  }

  /** Shares resting on a side at `price` or better for a taker, without opening a book. */
  sharesThrough(sym: Sym, side: BookSide, price: number): number {
    return this.books.get(sym.index)?.sharesThrough(side, price) ?? 0
  }

  private header(type: string, t: number): Values {
    return {
      actionType: 'NEW',
      recordID: this.sim.roeid(this.id),
      type,
      exchange: this.id,
      eventTimestamp: this.sim.stamp(EXCHANGE_CLOCK, t),
    }
  }

  private emit(type: string, values: Values, key?: TruthEvent, leaf = false): TruthEvent {
    return this.sim.sink.emit(this.id, type, values, { key, faultable: leaf ? 'leaf' : undefined })
  }

  /** Accepts a member's route into the book (EXOA), matches it, and rests or cancels the rest. */
  accept(t: number, route: Route, terms: OrderTerms, capacity: 'A' | 'P', sym: Sym): ExchangeOrder {
    const sim = this.sim
    const book = this.book(sym, t)
    const hidden = terms.type === 'LMT' && sim.rng.chance(0.06)
    const orderID = sim.id(`xo:${this.id}`, '')
    const dest = route.dest as { kind: 'E'; session: string }
    const lc = laneOf(route)
    const o = new ExchangeOrder(
      bookSide(terms.side),
      terms.price ?? 0,
      terms.quantity,
      hidden,
      sym,
      orderID,
      terms,
      undefined,
      lc,
      route,
      undefined,
      sim.truth,
    )
    const values = this.header('EXOA', t)
    Object.assign(values, {
      orderID,
      symbol: sym.symbol,
      displayQty: hidden ? '0' : qtyText(terms.quantity),
      routingParty: route.senderIMID,
      routedOrderID: route.routedOrderID,
      session: dest.session,
      capacity,
    })
    putTerms(values, terms, sim.date)
    const exoa = this.emit('EXOA', values, route.sent)
    o.keyEvent = exoa
    if (lc) {
      sim.truth.event(lc, exoa)
      sim.truth.link(lc, route.sent, exoa, 'accept')
    }
    route.target = o
    sim.faults?.accepted(route, exoa)
    this.execute(o, t, book)
    return o
  }

  /**
   * v4.1: accepts a member's package into the complex order book (EXCA, linked to the route as its
   * accept). Packages do not execute in the simulation: it rests there and expires at the end of the day,
   * which nobody reports.
   */
  acceptComplex(t: number, route: Route, terms: OrderTerms, capacity: 'A' | 'P', pkg: Sym): void {
    const sim = this.sim
    const dest = route.dest as { kind: 'E'; session: string }
    const values = this.header('EXCA', t)
    Object.assign(values, {
      orderID: sim.id(`xo:${this.id}`, ''),
      underlying: pkg.symbol,
      routingParty: route.senderIMID,
      routedOrderID: route.routedOrderID,
      session: dest.session,
      capacity,
    })
    putTerms(values, terms, sim.date)
    putLegs(values, pkg)
    const exca = this.emit('EXCA', values, route.sent)
    const lc = laneOf(route)
    if (lc) {
      sim.truth.event(lc, exca)
      sim.truth.link(lc, route.sent, exca, 'accept')
    }
    sim.faults?.accepted(route, exca)
  }

  /** Matches an order as the aggressor; rests what is left unless it is IOC or MKT. */
  private execute(o: ExchangeOrder, t: number, book: OrderBook<ExchangeOrder>): void {
    const market = o.terms.type === 'MKT'
    book.match(o.side, market ? undefined : o.price, o.remaining, (fill) => this.trade(t, o, fill))
    if (o.remaining <= 0) {
      o.close(t)
      return
    }
    if (market || o.terms.tif === 'IOC') {
      if (!this.maybeRouteOut(t, o)) this.cancelRest(t, o)
      return
    }
    // Order protection (Reg NMS Rules 610(d) and 611): a rest that would lock or cross another exchange's
    // quote is routed there when it can be, and otherwise cancelled back instead of displayed.
    if (this.locksAway(o.sym, o.side, o.price)) {
      if (!this.routeOut(t, o)) this.cancelRest(t, o)
      return
    }
    book.add(o)
  }

  /** The best price of a side over the other exchanges: the protected quotes this one must not lock or cross. */
  private awayBest(sym: Sym, side: BookSide): number | undefined {
    let best: number | undefined
    for (const v of this.sim.parts.venues.values()) {
      if (v === this) continue
      const p = side === 'B' ? v.bestBid(sym) : v.bestAsk(sym)
      if (p !== undefined && (best === undefined || (side === 'B' ? p > best : p < best))) best = p
    }
    return best
  }

  /** True when resting `side` at `price` would lock or cross another exchange's best opposite price. */
  private locksAway(sym: Sym, side: BookSide, price: number): boolean {
    const opposite = this.awayBest(sym, side === 'B' ? 'S' : 'B')
    return opposite !== undefined && (side === 'B' ? price >= opposite : price <= opposite)
  }

  /** Reports one execution (EXOT) and passes the fill to both orders. */
  private trade(t: number, aggressor: ExchangeOrder, fill: Fill<ExchangeOrder>): void {
    const sim = this.sim
    const resting = fill.resting
    aggressor.remaining -= fill.shares
    const buy = aggressor.side === 'B' ? aggressor : resting
    const sell = aggressor.side === 'B' ? resting : aggressor
    const values = this.header('EXOT', t)
    Object.assign(values, {
      tradeID: sim.id(`xt:${this.id}`, 'T'),
      symbol: resting.sym.symbol,
      price: priceText(fill.price),
      quantity: qtyText(fill.shares),
      aggressorSide: aggressor.side,
      hiddenFlag: resting.hidden,
    })
    if (!buy.quoteOf) values.buyOrderID = buy.orderID
    if (!sell.quoteOf) values.sellOrderID = sell.orderID
    if (resting.quoteOf) values.routingParty = imidRef((resting.quoteOf as Quote).mm)
    values.buyLeavesQty = qtyText(buy.remaining)
    values.sellLeavesQty = qtyText(sell.remaining)
    const exot = this.emit('EXOT', values, undefined, true)
    for (const side of buy.lc === sell.lc ? [buy] : [buy, sell]) {
      if (side.lc) sim.truth.event(side.lc, exot)
    }
    for (const side of [buy, sell]) {
      if (side.lc && side.keyEvent) sim.truth.link(side.lc, side.keyEvent, exot, 'execution')
    }
    sim.stats.executions++
    resting.applyFill(fill.shares, fill.price, t)
    aggressor.applyFill(fill.shares, fill.price, t)
    if (resting.quoteOf) sim.parts.quoting.hit(this, resting, t)
    else if (resting.remaining <= 0) resting.close(t)
  }

  /** Cancels an IOC or market order's unfilled rest (EXOC, the exchange's own doing). */
  private cancelRest(t: number, o: ExchangeOrder): void {
    this.exoc(t, o, o.remaining, undefined)
    o.remaining = 0
    o.close(t)
  }

  private exoc(t: number, o: ExchangeOrder, cancelQty: number, initiator: 'C' | 'F' | undefined): TruthEvent {
    const values = this.header('EXOC', t)
    Object.assign(values, {
      orderID: o.orderID,
      symbol: o.sym.symbol,
      side: o.terms.side,
      cancelQty: qtyText(cancelQty),
      leavesQty: '0',
    })
    if (o.terms.type === 'LMT') values.price = priceText(o.price)
    if (initiator) values.initiator = initiator
    const exoc = this.emit('EXOC', values, o.keyEvent, true)
    if (o.lc) {
      this.sim.truth.event(o.lc, exoc)
      this.sim.truth.link(o.lc, o.keyEvent!, exoc, 'cancel')
    }
    return exoc
  }

  /** Cancels a resting order on request; returns the shares cancelled (0 when it was already gone). */
  cancel(t: number, o: ExchangeOrder, initiator: 'C' | 'F' | undefined, notify = true): number {
    if (o.closed || o.remaining <= 0 || o.outbound) return 0
    const book = this.books.get(o.sym.index)!
    const q = o.remaining
    book.remove(o)
    this.exoc(t, o, q, initiator)
    o.remaining = 0
    o.close(t, notify)
    return q
  }

  /**
   * Applies a member's cancel/replace (EXOM): a lower size keeps time priority and the order id; a price
   * change or a larger size gets a new order id and goes to the back. False when the order is gone.
   */
  modify(t: number, o: ExchangeOrder, terms: OrderTerms, route: Route): boolean {
    if (o.closed || o.remaining <= 0 || o.outbound) return false
    const leaves = terms.quantity - o.filled
    if (leaves <= 0) return false
    const sim = this.sim
    const book = this.books.get(o.sym.index)!
    const keep = terms.price === o.price && terms.quantity <= o.quantity
    const prior = o.keyEvent!
    const priorID = o.orderID
    if (keep) book.reduce(o, leaves)
    else {
      book.remove(o)
      o.orderID = sim.id(`xo:${this.id}`, '')
    }
    o.quantity = terms.quantity
    o.terms = terms
    o.route = route
    const values = this.header('EXOM', t)
    Object.assign(values, {
      orderID: o.orderID,
      symbol: o.sym.symbol,
      side: terms.side,
      quantity: qtyText(terms.quantity),
      displayQty: o.hidden ? '0' : qtyText(terms.quantity),
      leavesQty: qtyText(leaves),
      routingParty: route.senderIMID,
      routedOrderID: route.routedOrderID,
      session: (route.dest as { session: string }).session,
    })
    if (!keep) values.priorOrderID = priorID
    if (terms.type === 'LMT') values.price = priceText(terms.price!)
    const exom = this.emit('EXOM', values, prior)
    if (o.lc) {
      sim.truth.event(o.lc, exom)
      sim.truth.link(o.lc, prior, exom, 'modify')
      sim.truth.link(o.lc, route.sent, exom, 'accept')
    }
    route.target = o
    if (!keep) {
      o.keyEvent = exom
      o.price = terms.price ?? 0
      o.remaining = leaves
      this.execute(o, t, book)
    }
    return true
  }

  /**
   * Routes an IOC or market order's rest to a better-priced exchange through the routing broker (EXOR),
   * as Reg NMS has exchanges do; rare, and only for orders a member sent.
   */
  private maybeRouteOut(t: number, o: ExchangeOrder): boolean {
    return this.sim.rng.chance(0.35) && this.routeOut(t, o)
  }

  /** Routes the order's rest out through the routing broker (EXOR); false when it cannot be routed. */
  private routeOut(t: number, o: ExchangeOrder): boolean {
    const sim = this.sim
    const router = sim.world.exchangeRouter
    if (!o.route || !o.lc || sim.world.exchanges.length < 2) return false
    if ((o.route.from as { firm?: Firm }).firm === router) return false
    const away = sim.parts.brokerage.bestVenueFor(
      o.sym,
      o.side,
      o.terms.type === 'MKT' ? undefined : o.price,
      this,
    )
    if (!away) return false
    const routedOrderID = sim.id(`xr:${this.id}`, `${this.id}R`)
    const values = this.header('EXOR', t)
    Object.assign(values, {
      orderID: o.orderID,
      symbol: o.sym.symbol,
      routingParty: imidRef(router),
      routedOrderID,
    })
    putTerms(values, { ...o.terms, quantity: o.remaining }, sim.date)
    const exor = this.emit('EXOR', values, o.keyEvent)
    sim.truth.event(o.lc, exor)
    sim.truth.link(o.lc, o.keyEvent!, exor, 'route')
    const route: Route = {
      from: o,
      dest: { kind: 'F', firm: router, imid: router.imid },
      senderIMID: this.id,
      routedOrderID,
      sent: exor,
      target: undefined,
      live: true,
    }
    o.outbound = route
    const terms: OrderTerms = { ...o.terms, quantity: o.remaining, tif: 'IOC' }
    o.remaining = 0
    sim.at(t + sim.latency(), o.lc, () =>
      sim.parts.brokerage.acceptFromExchange(sim.queue.now, route, this, terms, o.sym),
    )
    return true
  }

  /** Replaces a market maker's quote (EXQT); sides are kept from locking or crossing any exchange's book. */
  quote(t: number, q: Quote, bid: number, bidQty: number, ask: number, askQty: number): void {
    const sim = this.sim
    const book = this.book(q.sym, t)
    if (q.bid) book.remove(q.bid)
    if (q.ask) book.remove(q.ask)
    const bestAsk = book.bestAsk()
    const bestBid = book.bestBid()
    // Nor may a quote lock or cross another exchange's: it is priced a tick inside the away market.
    const awayAsk = this.awayBest(q.sym, 'S')
    const awayBid = this.awayBest(q.sym, 'B')
    for (const p of [bestAsk, awayAsk]) if (p !== undefined) bid = Math.min(bid, p - 1)
    for (const p of [bestBid, awayBid]) if (p !== undefined) ask = Math.max(ask, p + 1)
    bid = Math.max(1, bid)
    if (ask <= bid) ask = bid + 1
    const make = (side: BookSide, price: number, shares: number) => {
      const terms: OrderTerms = {
        side: side === 'B' ? 'B' : 'SL',
        type: 'LMT',
        price,
        quantity: shares,
        tif: 'DAY',
        session: 'REG',
      }
      return new ExchangeOrder(
        side,
        price,
        shares,
        false,
        q.sym,
        '',
        terms,
        undefined,
        undefined,
        undefined,
        q,
        sim.truth,
      )
    }
    q.bid = make('B', bid, bidQty)
    q.ask = make('S', ask, askQty)
    book.add(q.bid)
    book.add(q.ask)
    const values = this.header('EXQT', t)
    values.quoteID = sim.id(`q:${this.id}`, 'Q')
    values.symbol = q.sym.symbol
    values.routingParty = imidRef(q.mm)
    values.bidPrice = priceText(bid)
    values.bidQty = String(bidQty)
    values.askPrice = priceText(ask)
    values.askQty = String(askQty)
    this.emit('EXQT', values, undefined, true)
  }

  /** Withdraws a quote (EXQT with zero sizes and no prices). */
  withdraw(t: number, q: Quote): void {
    const book = this.books.get(q.sym.index)
    if (!book || (!q.bid && !q.ask)) return
    if (q.bid) book.remove(q.bid)
    if (q.ask) book.remove(q.ask)
    q.bid = undefined
    q.ask = undefined
    const values = this.header('EXQT', t)
    values.quoteID = this.sim.id(`q:${this.id}`, 'Q')
    values.symbol = q.sym.symbol
    values.routingParty = imidRef(q.mm)
    values.bidQty = '0'
    values.askQty = '0'
    this.emit('EXQT', values, undefined, true)
  }

  /** At the close: cancels resting orders limited to the regular session; at the end of the day, all. */
  closeSession(t: number, final: boolean): void {
    for (const book of this.books.values()) {
      const doomed = [...book.orders()].filter(
        (o) => !o.quoteOf && (final || o.terms.session === 'REG' || o.terms.session === 'PREREG'),
      )
      for (const o of doomed) this.cancel(t, o, undefined)
    }
  }
}

/** The lifecycle a route belongs to (its sender's). */
function laneOf(route: Route): Lifecycle | undefined {
  return (route.from as { lc?: Lifecycle }).lc
}
