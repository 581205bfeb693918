/**
 * What broker-dealers report: new orders, routes and acceptances, internal routes and child orders,
 * cancels and cancel/replaces that travel down a chain of routes (routing table, spec §4.2), internalized
 * trades, fulfillments, allocations and supplements. Each record also becomes a truth event with its link.
 */
import type { NameValues, Timestamp, Values } from '../codec/index.ts'
import { nextTradingDay } from '../common/time/index.ts'
import type { Account } from './customers.ts'
import type { ExchangeOrder } from './exchange-order.ts'
import { bookSide, type ExchangeVenue } from './exchange-venue.ts'
import { FirmOrder, type FirmOrderKind, type Inbound, type Route, type RouteDest } from './firm-order.ts'
import { putLegs } from './multi-leg.ts'
import type { BookSide } from './order-book.ts'
import { type Nbbo, type OrderTerms, priceText, putAts, putTerms, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { planTradeReport, reportTrade } from './trade-reports.ts'
import { SECOND } from './trading-hours.ts'
import type { Lifecycle, TruthEvent } from './truth-recorder.ts'
import { eventType, type Firm, imidRef, instrumentField, type Sym } from './world.ts'

/** How a new order is entered. */
export interface NewOrderOptions {
  readonly lc?: Lifecycle
  readonly deptType?: string
  /** Client orders a representative order works (representativeInd Y with aggregatedOrders). */
  readonly clients?: readonly FirmOrder[]
  /** The account is not open yet: FDID PENDING, real FDID in a later MENOS. */
  readonly pendingFdid?: boolean
  readonly handling?: NameValues
  readonly negotiated?: boolean
}

/** How a route is sent. */
export interface RouteOptions {
  /** The destination rejects the route (routeRejectedFlag; no acceptance follows). */
  readonly rejected?: boolean
  /** Terms as routed, when they differ from the order's. */
  readonly terms?: OrderTerms
}

interface Hop {
  readonly order: FirmOrder
  readonly t: number
}

/** The firm orders a request passes through and, when it ends at an exchange, the route and order there. */
interface Chain {
  readonly hops: Hop[]
  readonly at: number
  readonly exchange?: ExchangeOrder
  readonly route?: Route
  readonly venue?: ExchangeVenue
}

/** An order key a desk holds: what an order goes back to when an internal route is cancelled. */
export interface DeskKey {
  readonly orderID: string
  readonly keyDate: Timestamp
  readonly keyEvent: TruthEvent
}

/** Reports broker-dealer events and moves orders between firms and venues. */
export class Brokerage {
  constructor(private readonly sim: Sim) {}

  private header(firm: Firm, imid: string, type: string, t: number): Values {
    const v: Values = {
      actionType: 'NEW',
      firmROEID: this.sim.roeid(imid),
      type,
      eventTimestamp: this.sim.stamp(firm, t),
    }
    // CATReporterIMID is optional; some firms write it, some do not.
    if (firm.index % 3 !== 1) v.CATReporterIMID = imid
    return v
  }

  private isAts(firm: Firm, imid: string): boolean {
    return firm.atsImid === imid
  }

  /** The best bid and offer across the exchanges: prices only, all a limit price is placed from. */
  bestPrices(sym: Sym): { bid: number | undefined; ask: number | undefined } {
    let bid: number | undefined
    let ask: number | undefined
    for (const v of this.sim.parts.venues.values()) {
      const book = v.openedBook(sym)
      if (!book) continue
      const b = book.bestBid()
      const a = book.bestAsk()
      if (b !== undefined && (bid === undefined || b > bid)) bid = b
      if (a !== undefined && (ask === undefined || a < ask)) ask = a
    }
    return { bid, ask }
  }

  /** The consolidated best bid and offer across the exchanges, as a firm at time t sees it. */
  nbbo(sym: Sym, clock: Firm, t: number): Nbbo {
    const { bid, ask } = this.bestPrices(sym)
    let bidQty = 0
    let askQty = 0
    for (const v of this.sim.parts.venues.values()) {
      const book = v.openedBook(sym)
      if (!book) continue
      if (bid !== undefined && book.bestBid() === bid) bidQty += book.sharesAt('B', bid)
      if (ask !== undefined && book.bestAsk() === ask) askQty += book.sharesAt('S', ask)
    }
    return { bid, ask, bidQty, askQty, t: this.sim.stamp(clock, t) }
  }

  /** The exchange (other than `except`) where a buy/sell at `limit` would trade at the best price. */
  bestVenueFor(
    sym: Sym,
    side: BookSide,
    limit: number | undefined,
    except?: ExchangeVenue,
  ): ExchangeVenue | undefined {
    let best: ExchangeVenue | undefined
    let bestPrice = 0
    for (const v of this.sim.parts.venues.values()) {
      if (v === except) continue
      const p = side === 'B' ? v.bestAsk(sym) : v.bestBid(sym)
      if (p === undefined) continue
      if (limit !== undefined && (side === 'B' ? p > limit : p < limit)) continue
      if (!best || (side === 'B' ? p < bestPrice : p > bestPrice)) {
        best = v
        bestPrice = p
      }
    }
    return best
  }

  /** An exchange for a new route: the listing exchange more often, otherwise spread over the rest. */
  pickVenue(sym: Sym): ExchangeVenue {
    const venues = [...this.sim.parts.venues.values()]
    const listing = this.sim.parts.venues.get(sym.listing)
    if (listing && this.sim.rng.chance(0.35)) return listing
    return venues[this.sim.rng.weighted(venueWeights(venues.length))]
  }

  /** A session id for a firm's connection to an exchange. */
  session(firm: Firm, imid: string, venue: ExchangeVenue): string {
    return `${imid}${venue.venue.index}S${1 + this.sim.rng.int(firm.sessionsPerExchange)}`
  }

  private newFirmOrder(
    firm: Firm,
    imid: string,
    sym: Sym,
    lc: Lifecycle,
    key: { orderID: string; keyDate: Timestamp },
    event: TruthEvent,
    terms: OrderTerms,
    kind: FirmOrderKind,
    deptType: string,
    account: Account | undefined,
  ): FirmOrder {
    return new FirmOrder(
      firm,
      imid,
      sym,
      lc,
      key.orderID,
      key.keyDate,
      event,
      terms,
      kind,
      deptType,
      account,
      this.sim.truth,
    )
  }

  private newKey(firm: Firm, imid: string, t: number): { orderID: string; keyDate: Timestamp } {
    return {
      orderID: this.sim.id(`o:${imid}`, `${imid[0]}${imid[3] ?? ''}`),
      keyDate: this.sim.keyDate(firm, t),
    }
  }

  /** A new order (MENO): starts a lifecycle unless one is given. */
  newOrder(
    t: number,
    firm: Firm,
    sym: Sym,
    terms: OrderTerms,
    account: Account,
    opts: NewOrderOptions = {},
  ): FirmOrder {
    const sim = this.sim
    const lc = opts.lc ?? sim.truth.lifecycle(sym.symbol)
    const key = this.newKey(firm, firm.imid, t)
    const deptType = opts.deptType ?? (account.holderType === 'P' || account.holderType === 'O' ? 'T' : 'A')
    const type = eventType(sym, 'MENO')
    const values = this.header(firm, firm.imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(sym)]: sym.symbol,
      manualFlag: false,
      electronicDupFlag: false,
      deptType,
      solicitationFlag: false,
      custDspIntrFlag: false,
      firmDesignatedID: opts.pendingFdid ? 'PENDING' : account.fdid,
      accountHolderType: account.holderType,
      affiliateFlag: false,
      negotiatedTradeFlag: opts.negotiated ?? false,
      representativeInd: opts.clients ? 'Y' : 'N',
    })
    putTerms(values, terms, sim.date)
    putLegs(values, sym)
    if (opts.handling) values.handlingInstructions = opts.handling
    if (opts.clients) {
      values.aggregatedOrders = opts.clients.map((c) => ({ orderID: c.orderID, orderKeyDate: c.keyDate }))
    }
    const meno = sim.sink.emit(firm.imid, type, values, { faultable: 'key' })
    sim.truth.event(lc, meno)
    const order = this.newFirmOrder(firm, firm.imid, sym, lc, key, meno, terms, 'order', deptType, account)
    if (!opts.lc) sim.truth.release(lc)
    return order
  }

  /** Sends an order (or child) to an exchange or another firm (MEOR); the receiver accepts after a latency. */
  route(t: number, order: FirmOrder, dest: RouteDest, opts: RouteOptions = {}): Route {
    const sim = this.sim
    const firm = order.firm
    const terms = opts.terms ?? order.terms
    const senderIMID = imidRef(firm, order.imid)
    const routedOrderID = sim.id(`ro:${order.imid}`, `${order.imid}-`)
    const affiliate = dest.kind === 'F' && dest.firm === firm
    const fault = opts.rejected ? undefined : sim.faults?.routeFault(dest.kind)
    const type = eventType(order.sym, 'MEOR')
    // v4.1: half the rejected routes are reported as sent, the rejection afterwards (MEORS).
    const rejectedLater =
      opts.rejected === true && sim.sink.has(eventType(order.sym, 'MEORS')) && sim.rng.chance(0.5)
    const values = this.header(firm, order.imid, type, t)
    Object.assign(values, order.key())
    Object.assign(values, {
      manualFlag: false,
      electronicDupFlag: false,
      senderIMID,
      destination: dest.kind === 'E' ? dest.venue.id : imidRef(dest.firm, dest.imid),
      destinationType: dest.kind,
      routedOrderID,
      affiliateFlag: affiliate,
      isoInd: 'NA',
      routeRejectedFlag: (opts.rejected ?? false) && !rejectedLater,
      dupROIDCond: false,
      multiLegInd: false,
    })
    putTerms(values, terms, sim.date)
    putLegs(values, order.sym)
    if (dest.kind === 'E') values.session = fault === 'wrongSession' ? `${dest.session}X` : dest.session
    if (dest.kind === 'E') putOriginCode(values, order)
    if (fault === 'wrongDestination') values.destination = sim.faults!.wrongDestination(dest, firm)
    if (this.isAts(firm, order.imid)) values.seqNum = String(sim.next(`seq:${order.imid}`))
    const meor = sim.sink.emit(order.imid, type, values, {
      key: order.keyEvent,
      // A route whose rejection its supplement reports is no leaf: without it the supplement names nothing.
      faultable: opts.rejected && !rejectedLater ? 'leaf' : undefined,
    })
    sim.truth.event(order.lc, meor)
    sim.truth.link(order.lc, order.keyEvent, meor, 'route')
    if (rejectedLater) {
      const back = t + 2 * sim.latency()
      sim.at(back, order.lc, () => this.routeSupplement(order, 'MEORS', values, meor, back))
    }
    const route: Route = {
      from: order,
      dest,
      senderIMID,
      routedOrderID,
      sent: meor,
      target: undefined,
      live: !opts.rejected,
    }
    if (fault) sim.faults!.attach(route, fault)
    if (opts.rejected) {
      sim.stats.rejectedRoutes++
      return route
    }
    order.route = route
    if (dest.kind === 'E') {
      const capacity = order.account?.holderType === 'P' || order.account?.holderType === 'O' ? 'P' : 'A'
      sim.at(t + sim.toExchange(), order.lc, () => {
        if (order.sym.legs) dest.venue.acceptComplex(sim.queue.now, route, terms, capacity, order.sym)
        else dest.venue.accept(sim.queue.now, route, terms, capacity, order.sym)
      })
    } else {
      sim.at(t + sim.latency(), order.lc, () => this.acceptAtFirm(sim.queue.now, route, terms, order.sym))
    }
    return route
  }

  /** A firm accepts a routed order (MEOA) and handles it as its role does. */
  acceptAtFirm(t: number, route: Route, terms: OrderTerms, sym: Sym): FirmOrder {
    const dest = route.dest as { kind: 'F'; firm: Firm; imid: string }
    const from = route.from as FirmOrder
    const order = this.accept(
      t,
      route,
      terms,
      sym,
      dest.firm,
      dest.imid,
      'F',
      from.lc,
      from.firm === dest.firm,
    )
    this.sim.parts.flow.onInbound(order, t)
    return order
  }

  /** The exchange's routing broker accepts an order the exchange routed out (MEOA, senderType E). */
  acceptFromExchange(t: number, route: Route, venue: ExchangeVenue, terms: OrderTerms, sym: Sym): void {
    const from = route.from as ExchangeOrder
    const router = (route.dest as { firm: Firm }).firm
    const order = this.accept(t, route, terms, sym, router, router.imid, 'E', from.lc!, false)
    const away = this.bestVenueFor(
      sym,
      bookSide(terms.side),
      terms.type === 'MKT' ? undefined : terms.price,
      venue,
    )
    if (!away) {
      order.end(t)
      return
    }
    this.route(t + this.sim.internal(), order, {
      kind: 'E',
      venue: away,
      session: this.session(router, router.imid, away),
    })
  }

  private accept(
    t: number,
    route: Route,
    terms: OrderTerms,
    sym: Sym,
    firm: Firm,
    imid: string,
    senderType: 'F' | 'E',
    lc: Lifecycle,
    affiliate: boolean,
  ): FirmOrder {
    const sim = this.sim
    const key = this.newKey(firm, imid, t)
    const receiverIMID = imidRef(firm, imid)
    const deptType = this.isAts(firm, imid) ? 'ATS' : firm.role === 'wholesaler' ? 'T' : 'A'
    const fault = sim.faults?.faultOf(route)
    const type = eventType(sym, 'MEOA')
    const values = this.header(firm, imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(sym)]: sym.symbol,
      manualFlag: false,
      electronicDupFlag: false,
      receiverIMID,
      senderIMID: route.senderIMID,
      senderType,
      routedOrderID: fault === 'routedOrderIdMismatch' ? `${route.routedOrderID}X` : route.routedOrderID,
      affiliateFlag: affiliate,
      deptType,
      isoInd: 'NA',
      custDspIntrFlag: false,
      solicitationFlag: false,
    })
    putTerms(values, terms, sim.date)
    putLegs(values, sym)
    if (this.isAts(firm, imid)) {
      putAts(values, sim.next(`seq:${imid}`), terms, this.nbbo(sym, firm, t))
    }
    const meoa = sim.sink.emit(imid, type, values, { drop: fault === 'missingAccept' })
    sim.truth.event(lc, meoa)
    sim.truth.link(lc, route.sent, meoa, 'accept')
    if (fault) sim.faults!.accepted(route, meoa)
    const order = this.newFirmOrder(firm, imid, sym, lc, key, meoa, terms, 'order', deptType, undefined)
    const inbound: Inbound = { route, senderType, receiverIMID }
    order.inbound = inbound
    route.target = order
    return order
  }

  /**
   * Hands an order to another desk of the firm under a new order id (MEIR with the parent key); returns
   * the key the handing desk keeps (for `cancelInternalRoute`).
   */
  internalRoute(t: number, order: FirmOrder, deskType: string): DeskKey {
    const kept: DeskKey = { orderID: order.orderID, keyDate: order.keyDate, keyEvent: order.keyEvent }
    const sim = this.sim
    const firm = order.firm
    const key = this.newKey(firm, order.imid, t)
    const type = eventType(order.sym, 'MEIR')
    const values = this.header(firm, order.imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(order.sym)]: order.sym.symbol,
      parentOrderKeyDate: order.keyDate,
      parentOrderID: order.orderID,
      manualFlag: false,
      deptType: 'A',
      receivingDeskType: deskType,
      multiLegInd: false,
    })
    putTerms(values, order.terms, sim.date)
    putLegs(values, order.sym)
    const meir = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'key' })
    sim.truth.event(order.lc, meir)
    sim.truth.link(order.lc, order.keyEvent, meir, 'internalRoute')
    order.orderID = key.orderID
    order.keyDate = key.keyDate
    order.keyEvent = meir
    return kept
  }

  /**
   * A customer's request to cancel or modify (MEOCR, MEOMR) or a desk's request to change an internal
   * route (MEIMR, MEICR), reported apart from what it asks for (v4.1; MO and ML types for options and
   * packages), for a share of the orders: linked to the order key's event as a `request`.
   */
  maybeRequest(t: number, order: FirmOrder, equityType: string, fields: Values, share = 0.3): void {
    const sim = this.sim
    const type = eventType(order.sym, equityType)
    if (order.kind !== 'order' || !sim.sink.has(type) || !sim.rng.chance(share)) return
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, order.key(), { manualFlag: false }, fields)
    const e = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'request')
  }

  /**
   * The customer changes an order another desk works (v4.1): the receiving desk reports MEIM (MOIM), under
   * a new desk order id half the time (with the prior one), linked to the internal route it modifies.
   */
  modifyInternalRoute(t: number, order: FirmOrder, deskType: string, terms: OrderTerms): void {
    const sim = this.sim
    const type = eventType(order.sym, 'MEIM')
    const newKey = sim.rng.chance(0.5)
    const key = newKey
      ? this.newKey(order.firm, order.imid, t)
      : { orderID: order.orderID, keyDate: order.keyDate }
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(order.sym)]: order.sym.symbol,
      manualFlag: false,
      deptType: 'A',
      receivingDeskType: deskType,
      initiator: 'C',
      leavesQty: qtyText(terms.quantity - order.filled),
    })
    if (newKey) {
      values.priorOrderKeyDate = order.keyDate
      values.priorOrderID = order.orderID
    }
    putTerms(values, terms, sim.date)
    putLegs(values, order.sym)
    const e = sim.sink.emit(order.imid, type, values, {
      key: order.keyEvent,
      faultable: newKey ? 'key' : 'leaf',
    })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'modify')
    order.terms = terms
    if (newKey) {
      order.orderID = key.orderID
      order.keyDate = key.keyDate
      order.keyEvent = e
    }
  }

  /**
   * The desk that handed an order on takes it back (v4.1): the receiving desk reports MEIC (MOIC) for what
   * was left, linked to the internal route, and the order is again the handing desk's under its own key.
   */
  cancelInternalRoute(t: number, order: FirmOrder, kept: DeskKey, initiator: 'C' | 'F'): void {
    const sim = this.sim
    const type = eventType(order.sym, 'MEIC')
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, order.key())
    Object.assign(values, {
      manualFlag: false,
      cancelQty: qtyText(order.leaves),
      leavesQty: '0',
      initiator,
    })
    const e = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'cancel')
    order.orderID = kept.orderID
    order.keyDate = kept.keyDate
    order.keyEvent = kept.keyEvent
  }

  /** A child order sliced from a parent (MECO). */
  child(t: number, parent: FirmOrder, terms: OrderTerms): FirmOrder {
    const sim = this.sim
    const firm = parent.firm
    const key = this.newKey(firm, parent.imid, t)
    const type = eventType(parent.sym, 'MECO')
    const values = this.header(firm, parent.imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(parent.sym)]: parent.sym.symbol,
      parentOrderKeyDate: parent.keyDate,
      parentOrderID: parent.orderID,
      handlingInstructions: { ALG: true },
    })
    putTerms(values, terms, sim.date)
    putLegs(values, parent.sym)
    const meco = sim.sink.emit(parent.imid, type, values, { key: parent.keyEvent, faultable: 'key' })
    sim.truth.event(parent.lc, meco)
    sim.truth.link(parent.lc, parent.keyEvent, meco, 'child')
    const child = this.newFirmOrder(
      firm,
      parent.imid,
      parent.sym,
      parent.lc,
      key,
      meco,
      terms,
      'child',
      parent.deptType,
      parent.account,
    )
    child.parent = parent
    return child
  }

  /** The firm fills a customer's order from its own account and reports the trade (MEOT, tape-reported). */
  internalize(t: number, order: FirmOrder, priceCents: number): void {
    const sim = this.sim
    if (order.closed || order.busy || order.leaves <= 0) return
    const firm = order.firm
    const own = sim.accounts.own(firm, 'O')
    const shares = order.leaves
    const customer = { orderKeyDate: order.keyDate, orderID: order.orderID, side: order.terms.side }
    const principal = {
      side: order.terms.side === 'B' ? (sim.rng.chance(0.4) ? 'SS' : 'SL') : 'B',
      firmDesignatedID: own.fdid,
      accountHolderType: own.holderType,
    }
    const buy = order.terms.side === 'B'
    const plan = planTradeReport(sim, sim.rng.chance(0.7) ? 'L' : 'DN')
    const values = this.header(firm, order.imid, 'MEOT', t)
    Object.assign(values, {
      tradeKeyDate: sim.keyDate(firm, t),
      tradeID: sim.id(`t:${order.imid}`, 'T'),
      symbol: order.sym.symbol,
      manualFlag: false,
      cancelFlag: false,
      quantity: qtyText(shares),
      price: priceText(priceCents),
      capacity: 'P',
      tapeTradeID: plan.reportedTapeTradeID,
      marketCenterID: plan.marketCenterID,
      sideDetailsInd: 'NA',
      buyDetails: [buy ? customer : principal],
      sellDetails: [buy ? principal : customer],
    })
    const meant = { ...values }
    const meot = sim.sink.emit(order.imid, 'MEOT', values, {
      refs: [order.keyEvent],
      faultable: plan.fault ? undefined : 'leaf',
    })
    sim.truth.event(order.lc, meot)
    sim.truth.link(order.lc, order.keyEvent, meot, 'execution')
    reportTrade(
      sim,
      plan,
      { values: meant, event: meot, lifecycles: [order.lc] },
      {
        imid: order.imid,
        capacity: 'P',
        side: principal.side,
      },
    )
    sim.stats.internalized++
    order.applyFill(shares, priceCents, t)
    order.end(t)
  }

  /**
   * Fills a client order from the firm's representative order (MEOF, MOOF); the event joins both lifecycles.
   * A client filled from further representative orders (`more`, v4.1) gets a supplement naming each
   * (MEOFS, MOOFS: the fulfillment's key, one firm-side order), which joins that order's lifecycle too.
   */
  fulfill(
    t: number,
    client: FirmOrder,
    rep: FirmOrder,
    shares: number,
    priceCents: number,
    more: readonly FirmOrder[] = [],
  ): void {
    const sim = this.sim
    const firm = client.firm
    const type = eventType(client.sym, 'MEOF')
    const values = this.header(firm, client.imid, type, t)
    Object.assign(values, {
      fillKeyDate: sim.keyDate(firm, t),
      fulfillmentID: sim.id(`f:${client.imid}`, 'F'),
      [instrumentField(client.sym)]: client.sym.symbol,
      manualFlag: false,
      fulfillmentLinkType: 'Y',
      cancelFlag: false,
      quantity: qtyText(shares),
      price: priceText(priceCents),
      capacity: 'A',
      clientDetails: [{ orderKeyDate: client.keyDate, orderID: client.orderID, side: client.terms.side }],
      firmDetails: [{ orderKeyDate: rep.keyDate, orderID: rep.orderID, side: rep.terms.side }],
    })
    // v4.1 days: the back office amends a few fulfillments (the capacity booked was wrong); the
    // amendment names the fulfillment, which is then no leaf.
    const amend = sim.options.fileVersion === '4.1.0' && sim.rng.chance(0.35)
    // What the amendment restates, as reported before any fault touches the record.
    const restated: Values = { ...values }
    const meof = sim.sink.emit(client.imid, type, values, {
      refs: [client.keyEvent, rep.keyEvent],
      faultable: amend || more.length > 0 ? 'key' : 'leaf',
    })
    sim.truth.event(client.lc, meof)
    sim.truth.link(client.lc, client.keyEvent, meof, 'fill')
    if (rep.lc !== client.lc) sim.truth.event(rep.lc, meof)
    sim.truth.link(rep.lc, rep.keyEvent, meof, 'fill')
    for (const other of more) {
      const stype = eventType(client.sym, 'MEOFS')
      const sv = this.header(firm, client.imid, stype, t)
      Object.assign(sv, {
        fillKeyDate: restated.fillKeyDate,
        fulfillmentID: restated.fulfillmentID,
        [instrumentField(client.sym)]: client.sym.symbol,
        firmDetails: [{ orderKeyDate: other.keyDate, orderID: other.orderID, side: other.terms.side }],
      })
      const e = sim.sink.emit(client.imid, stype, sv, { key: meof, refs: [meof, other.keyEvent] })
      sim.truth.event(client.lc, e)
      sim.truth.link(client.lc, meof, e, 'supplement')
      if (rep.lc !== client.lc) {
        sim.truth.event(rep.lc, e)
        sim.truth.link(rep.lc, meof, e, 'supplement')
      }
      sim.truth.event(other.lc, e)
      sim.truth.link(other.lc, other.keyEvent, e, 'fill')
    }
    client.applyFill(shares, priceCents, t)
    if (amend) this.amendLater(t, client, rep, restated, meof, [client.keyEvent, rep.keyEvent])
  }

  /**
   * Restates a fulfillment as amended (MEFA, MOFA) under a new fulfillment id naming the prior one: the
   * same orders on both sides, as principal. It joins the lifecycles of both orders, like the MEOF.
   */
  private amendLater(
    t: number,
    client: FirmOrder,
    rep: FirmOrder,
    fill: Values,
    meof: TruthEvent,
    sides: readonly [TruthEvent, TruthEvent],
  ): void {
    const sim = this.sim
    const firm = client.firm
    const at = t + sim.internal() + Math.floor(sim.rng.exp(30 * 1e9))
    if (rep.lc !== client.lc) sim.truth.hold(rep.lc)
    sim.at(at, client.lc, () => {
      try {
        const type = eventType(client.sym, 'MEFA')
        const values = this.header(firm, client.imid, type, at)
        Object.assign(values, {
          fillKeyDate: sim.keyDate(firm, at),
          fulfillmentID: sim.id(`f:${client.imid}`, 'F'),
          priorFillKeyDate: fill.fillKeyDate,
          priorFulfillmentID: fill.fulfillmentID,
          [instrumentField(client.sym)]: client.sym.symbol,
          manualFlag: false,
          quantity: fill.quantity,
          capacity: 'P',
          price: fill.price,
          fulfillmentLinkType: fill.fulfillmentLinkType,
          clientDetails: fill.clientDetails,
          firmDetails: fill.firmDetails,
        })
        const mefa = sim.sink.emit(client.imid, type, values, { refs: [meof, ...sides], faultable: 'leaf' })
        sim.truth.event(client.lc, mefa)
        sim.truth.link(client.lc, meof, mefa, 'modify')
        sim.truth.link(client.lc, sides[0], mefa, 'fill')
        if (rep.lc !== client.lc) sim.truth.event(rep.lc, mefa)
        sim.truth.link(rep.lc, sides[1], mefa, 'fill')
      } finally {
        if (rep.lc !== client.lc) sim.truth.release(rep.lc)
      }
    })
  }

  /** Books filled shares (or contracts) to an institution's sub-account (MEPA or MOPA, v4 only; no lifecycle link). */
  allocate(t: number, order: FirmOrder, account: Account, shares: number, priceCents: number): void {
    const sim = this.sim
    const type = eventType(order.sym, 'MEPA')
    if (!sim.sink.has(type)) return
    const firm = order.firm
    const values = this.header(firm, order.imid, type, t)
    Object.assign(values, {
      allocationKeyDate: sim.keyDate(firm, t),
      allocationID: sim.id(`a:${order.imid}`, 'A'),
      [instrumentField(order.sym)]: order.sym.symbol,
      cancelFlag: false,
      quantity: qtyText(shares),
      price: priceText(priceCents),
      side: order.terms.side,
      firmDesignatedID: account.fdid,
      institutionFlag: true,
      tradeDate: sim.date,
      settlementDate: nextTradingDay(sim.options.calendar, sim.date),
      allocationType: 'CUS',
      accountHolderType: account.holderType,
    })
    if (order.account && order.account.fdid !== account.fdid) values.newOrderFDID = order.account.fdid
    const restated: Values = { ...values }
    sim.sink.emit(order.imid, type, values, { faultable: 'leaf' })
    // v4.1: the middle office restates a few allocations a while later (MEAA, MOAA: a new allocation id
    // naming the prior one, with the time the instruction came). Allocations link to nothing.
    const amended = eventType(order.sym, 'MEAA')
    if (!sim.sink.has(amended) || !sim.rng.chance(0.2)) return
    const at = t + SECOND + Math.floor(sim.rng.exp(3 * 60 * SECOND))
    if (at >= sim.hours.end) return
    sim.at(at, undefined, () => {
      const again = this.header(firm, order.imid, amended, at)
      for (const [k, v] of Object.entries(restated))
        if (!(k in again) && k !== 'allocationKeyDate' && k !== 'allocationID') again[k] = v
      Object.assign(again, {
        allocationKeyDate: sim.keyDate(firm, at),
        allocationID: sim.id(`a:${order.imid}`, 'A'),
        priorAllocationKeyDate: restated.allocationKeyDate,
        priorAllocationID: restated.allocationID,
        allocationInstructionTime: restated.eventTimestamp,
      })
      sim.sink.emit(order.imid, amended, again, { faultable: 'leaf' })
    })
  }

  /**
   * A held conditional order becomes effective (MEOE, MOOE, MLOE; v4.1): its key, its terms as it now
   * works and the price that triggered it, linked to the order key's event as a `modify`.
   */
  effective(t: number, order: FirmOrder, triggerCents: number): void {
    const sim = this.sim
    const type = eventType(order.sym, 'MEOE')
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, order.key())
    putTerms(values, order.terms, sim.date)
    putLegs(values, order.sym)
    values.triggerPrice = priceText(triggerCents)
    const e = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'modify')
  }

  /**
   * The desk restates a representative order that more clients joined (v4.1): an Order Modified (MEOM,
   * MOOM) on the same key with the new size, naming the clients it had, and at the same instant an Order
   * Modified Supplement (MEOMS, MOOMS) naming the ones that joined.
   */
  restateRepresentative(
    t: number,
    rep: FirmOrder,
    quantity: number,
    had: readonly FirmOrder[],
    joined: readonly FirmOrder[],
  ): void {
    const sim = this.sim
    const type = eventType(rep.sym, 'MEOM')
    const terms: OrderTerms = { ...rep.terms, quantity }
    const clients = (list: readonly FirmOrder[]) =>
      list.map((c) => ({ orderID: c.orderID, orderKeyDate: c.keyDate }))
    const values = this.header(rep.firm, rep.imid, type, t)
    Object.assign(values, rep.key(), { leavesQty: qtyText(quantity - rep.filled) })
    putTerms(values, terms, sim.date)
    Object.assign(values, {
      manualFlag: false,
      electronicDupFlag: false,
      initiator: 'F',
      isoInd: 'NA',
      custDspIntrFlag: false,
      representativeInd: 'Y',
      aggregatedOrders: clients(had),
    })
    // A modification its supplement names is no leaf: rejected, it leaves the supplement naming nothing.
    const meom = sim.sink.emit(rep.imid, type, values, { key: rep.keyEvent, faultable: 'key' })
    sim.truth.event(rep.lc, meom)
    sim.truth.link(rep.lc, rep.keyEvent, meom, 'modify')
    const stype = eventType(rep.sym, 'MEOMS')
    const sv = this.header(rep.firm, rep.imid, stype, t)
    Object.assign(sv, rep.key(), { aggregatedOrders: clients(joined) })
    const e = sim.sink.emit(rep.imid, stype, sv, { key: meom })
    sim.truth.event(rep.lc, e)
    sim.truth.link(rep.lc, meom, e, 'supplement')
    rep.terms = terms
  }

  /** Reports the real FDID of an order entered as PENDING (MENOS, MONOS; a package's Order Supplement, MLOS). */
  supplement(t: number, order: FirmOrder): void {
    const sim = this.sim
    const type = order.sym.legs ? 'MLOS' : eventType(order.sym, 'MENOS')
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, {
      firmDesignatedID: order.account!.fdid,
    })
    Object.assign(values, order.key())
    const menos = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'leaf' })
    sim.truth.event(order.lc, menos)
    sim.truth.link(order.lc, order.keyEvent, menos, 'supplement')
  }

  /** The firm orders a cancel or modification passes through, and where it ends (exchange or a firm). */
  private chain(order: FirmOrder, t0: number): Chain | 'inFlight' {
    const hops: Hop[] = [{ order, t: t0 }]
    let cur = order
    let t = t0
    for (;;) {
      const r = cur.route
      if (!r?.live) return { hops, at: t }
      if (!r.target) return 'inFlight'
      if (r.dest.kind === 'E') {
        return {
          hops,
          at: t + this.sim.toExchange(),
          exchange: r.target as ExchangeOrder,
          route: r,
          venue: r.dest.venue,
        }
      }
      t += this.sim.latency()
      cur = r.target as FirmOrder
      if (cur.closed) return { hops, at: t }
      hops.push({ order: cur, t })
    }
  }

  /** Ends the orders of a chain whose downstream order went away while a request travelled. */
  private settle(hops: readonly Hop[], t: number): void {
    for (let i = hops.length - 1; i >= 0; i--) {
      const o = hops[i].order
      o.busy = false
      if (!o.closed && !o.route?.live) {
        if (o.leaves <= 0 || i === hops.length - 1 || !o.route) o.end(t)
      }
    }
  }

  /**
   * Cancels an order on request (customer or firm): the request travels down the routes; where it ends
   * the order is cancelled, then every firm on the way reports MEOC (MECOC for a child) and the exchange
   * EXOC. Nothing is reported when the order filled before the request arrived.
   */
  cancel(t0: number, order: FirmOrder, initiator: 'C' | 'F', done?: (ok: boolean) => void): void {
    const sim = this.sim
    if (order.closed || order.busy) {
      done?.(false)
      return
    }
    const c = this.chain(order, t0)
    if (c === 'inFlight') {
      sim.at(t0 + 3_000_000, order.lc, () => this.cancel(sim.queue.now, order, initiator, done))
      return
    }
    for (const h of c.hops) h.order.busy = true
    if (initiator === 'C') this.maybeRequest(t0, order, 'MEOCR', { cancelQty: qtyText(order.leaves) })
    sim.at(c.at, order.lc, () => {
      const last = c.hops[c.hops.length - 1].order
      let ok: boolean
      if (c.exchange) ok = c.venue!.cancel(c.at, c.exchange, initiator, false) > 0
      else if (this.isAts(last.firm, last.imid)) ok = sim.parts.ats.get(last.imid)!.remove(last)
      else ok = !last.closed && last.leaves > 0
      if (!ok) {
        this.settle(c.hops, c.at)
        done?.(false)
        return
      }
      for (const h of c.hops) this.reportCancel(h.order, h.t, initiator)
      for (const h of c.hops) h.order.busy = false
      for (let i = c.hops.length - 1; i >= 0; i--) {
        const o = c.hops[i].order
        o.route = undefined
        o.end(c.at)
      }
      done?.(true)
    })
  }

  /**
   * The firm pulls its route (IM spec §4.2, "A cancels the route"): it reports MECR (MOCR, MLCR) and the
   * receiver cancels (its MEOC with initiator F, or the exchange's EXOC); the firm's order stays open to be
   * routed again. Only a route whose receiver still holds the order itself (an exchange, or a firm that did
   * not route it on); `done(false)` otherwise, or when the order went away meanwhile.
   */
  cancelRoute(t0: number, order: FirmOrder, done: (ok: boolean) => void): void {
    const sim = this.sim
    const route = order.route
    if (order.closed || order.busy || !route?.live || this.isAts(order.firm, order.imid)) {
      done(false)
      return
    }
    const c = this.chain(order, t0)
    if (c === 'inFlight' || c.hops.length > 2 || (c.hops.length === 2 && c.exchange)) {
      done(false)
      return
    }
    for (const h of c.hops) h.order.busy = true
    sim.at(c.at, order.lc, () => {
      const receiver = c.hops[1]?.order
      // v4.1: now and then the destination refuses the cancellation (it is working the order).
      const refused = sim.sink.has(eventType(order.sym, 'MECRS')) && sim.rng.chance(0.25)
      const ok = refused
        ? false
        : c.exchange
          ? c.venue!.cancel(c.at, c.exchange, 'F', false) > 0
          : receiver !== undefined &&
            !receiver.closed &&
            receiver.leaves > 0 &&
            !this.isAts(receiver.firm, receiver.imid)
      if (!ok) {
        // v4.1: the firm had sent the cancellation; its destination rejects it (MECR, then MECRS).
        if (sim.sink.has(eventType(order.sym, 'MECRS'))) {
          const mecr = this.reportRouteCancel(order, route, t0)
          this.routeSupplement(order, 'MECRS', mecr.values, mecr.event, c.at)
        }
        this.settle(c.hops, c.at)
        done(false)
        return
      }
      this.reportRouteCancel(order, route, t0)
      if (receiver) {
        this.reportCancel(receiver, c.hops[1].t, 'F')
        receiver.busy = false
        receiver.route = undefined
        // The sender is still busy, so hearing that its route ended leaves its order open.
        receiver.end(c.at)
      }
      route.live = false
      order.route = undefined
      order.busy = false
      done(true)
    })
  }

  private reportRouteCancel(
    order: FirmOrder,
    route: Route,
    t: number,
  ): { event: TruthEvent; values: Values } {
    const sim = this.sim
    const dest = route.dest
    const type = eventType(order.sym, 'MECR')
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, order.key())
    Object.assign(values, {
      manualFlag: false,
      cancelQty: qtyText(order.leaves),
      senderIMID: route.senderIMID,
      destination: dest.kind === 'E' ? dest.venue.id : imidRef(dest.firm, dest.imid),
      destinationType: dest.kind,
      routedOrderID: route.routedOrderID,
      routeRejectedFlag: false,
      multiLegInd: false,
    })
    if (dest.kind === 'E') values.session = dest.session
    // It names the route by its routedOrderID: the route (or its last modification) is the event it cancels.
    const e = sim.sink.emit(order.imid, type, values, { key: route.sent, faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, route.sent, e, 'cancel')
    return { event: e, values }
  }

  /**
   * The destination rejected a route, its modification or its cancellation, reported afterwards (MEORS,
   * MEMRS, MECRS; MO for options): the route's fields of the record it supplements, routeRejectedFlag set.
   */
  private routeSupplement(
    order: FirmOrder,
    equityType: 'MEORS' | 'MEMRS' | 'MECRS',
    of: Values,
    parent: TruthEvent,
    t: number,
  ): void {
    const sim = this.sim
    const type = eventType(order.sym, equityType)
    const values = this.header(order.firm, order.imid, type, t)
    for (const f of ['orderKeyDate', 'orderID', instrumentField(order.sym), 'senderIMID', 'destination'])
      values[f] = of[f]
    Object.assign(values, {
      manualFlag: false,
      destinationType: of.destinationType,
      routedOrderID: of.routedOrderID,
      routeRejectedFlag: true,
      multiLegInd: false,
    })
    if (of.session !== undefined) values.session = of.session
    const e = sim.sink.emit(order.imid, type, values, {
      key: parent,
      faultable: equityType === 'MECRS' ? 'leaf' : undefined,
    })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, parent, e, 'supplement')
  }

  /**
   * The firm changes the price of an order it routed, on its own (IM spec §4.2, "A itself modifies the
   * routed order"): it reports MEMR (MOMR, MLMR) under a new routedOrderID naming the old one
   * (priorRoutedOrderID), and the receiver its MEOM received on that route, or the exchange its EXOM. The
   * firm's own order keeps its terms. Only a route whose receiver still holds the order itself, as for
   * `cancelRoute`; `done(false)` otherwise.
   */
  modifyRoute(t0: number, order: FirmOrder, price: number, done: (ok: boolean) => void): void {
    const sim = this.sim
    const route = order.route
    if (order.closed || order.busy || !route?.live || this.isAts(order.firm, order.imid)) {
      done(false)
      return
    }
    const c = this.chain(order, t0)
    if (c === 'inFlight' || c.hops.length > 2 || (c.hops.length === 2 && c.exchange)) {
      done(false)
      return
    }
    const receiver = c.hops[1]?.order
    if (receiver && this.isAts(receiver.firm, receiver.imid)) {
      done(false)
      return
    }
    for (const h of c.hops) h.order.busy = true
    sim.at(c.at, order.lc, () => {
      const alive = c.exchange
        ? !c.exchange.closed && c.exchange.remaining > 0 && !c.exchange.outbound
        : receiver !== undefined && !receiver.closed && receiver.leaves > 0
      const terms: OrderTerms = { ...(receiver?.terms ?? c.exchange?.terms ?? order.terms), price }
      // v4.1: now and then the destination refuses the modification (it is working the order).
      const refused = alive && sim.sink.has(eventType(order.sym, 'MEMRS')) && sim.rng.chance(0.25)
      if (!alive || refused) {
        // v4.1: the modification had gone out; its destination rejects it (MEMR, then MEMRS).
        if (sim.sink.has(eventType(order.sym, 'MEMRS'))) {
          const memr = this.reportRouteModify(order, route, terms, t0, true)
          this.routeSupplement(order, 'MEMRS', memr.values, memr.event, c.at)
        }
        this.settle(c.hops, c.at)
        done(false)
        return
      }
      this.reportRouteModify(order, route, terms, t0)
      if (receiver) this.reportModify(receiver, c.hops[1].t, terms, true, 'F')
      for (const h of c.hops) h.order.busy = false
      if (c.exchange) c.venue!.modify(c.at, c.exchange, terms, route)
      done(true)
    })
  }

  private reportRouteModify(
    order: FirmOrder,
    route: Route,
    terms: OrderTerms,
    t: number,
    rejected = false,
  ): { event: TruthEvent; values: Values } {
    const sim = this.sim
    const dest = route.dest
    const type = eventType(order.sym, 'MEMR')
    const routedOrderID = sim.id(`ro:${order.imid}`, `${order.imid}-`)
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, order.key())
    Object.assign(values, {
      manualFlag: false,
      senderIMID: route.senderIMID,
      destination: dest.kind === 'E' ? dest.venue.id : imidRef(dest.firm, dest.imid),
      destinationType: dest.kind,
      routedOrderID,
      priorRoutedOrderID: route.routedOrderID,
      affiliateFlag: dest.kind === 'F' && dest.firm === order.firm,
      isoInd: 'NA',
      routeRejectedFlag: false,
      dupROIDCond: false,
      multiLegInd: false,
    })
    putTerms(values, terms, sim.date)
    putLegs(values, order.sym)
    if (dest.kind === 'E') {
      values.session = dest.session
      putOriginCode(values, order)
    }
    // Not faultable like a record: a rejected MEMR would leave its receiver's modification without a
    // route; its fault is naming no route (routeNotFound, fault-injector.ts).
    const e = sim.sink.emit(order.imid, type, values, { key: route.sent })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, route.sent, e, 'modify')
    // A rejected modification leaves the route as it was.
    if (!rejected) {
      route.routedOrderID = routedOrderID
      route.sent = e
    }
    return { event: e, values }
  }

  /** MEOC (or MECOC for a child order) for the order's whole remaining quantity. */
  reportCancel(order: FirmOrder, t: number, initiator: 'C' | 'F'): void {
    const sim = this.sim
    const child = order.kind === 'child'
    const type = eventType(order.sym, child ? 'MECOC' : 'MEOC')
    const values = this.header(order.firm, order.imid, type, t)
    Object.assign(values, {
      cancelQty: qtyText(order.leaves),
      leavesQty: '0',
    })
    Object.assign(values, order.key())
    if (child) values.side = order.terms.side
    else {
      values.manualFlag = false
      values.initiator = initiator
    }
    if (this.isAts(order.firm, order.imid)) values.seqNum = String(sim.next(`seq:${order.imid}`))
    const e = sim.sink.emit(order.imid, type, values, { key: order.keyEvent, faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'cancel')
  }

  /**
   * Cancel/replace on request: each firm on the chain reports MEOM (MECOM for a child; a new order id
   * most of the time) and, when it had routed the order, a new MEOR with a new routedOrderID; the exchange
   * reports EXOM (spec §4.2: customer modifies a routed order). Nothing happens if the order is gone.
   */
  modify(
    t0: number,
    order: FirmOrder,
    price: number | undefined,
    quantity: number,
    done?: (ok: boolean) => void,
  ): void {
    const sim = this.sim
    if (order.closed || order.busy || quantity <= order.filled) {
      done?.(false)
      return
    }
    const c = this.chain(order, t0)
    if (c === 'inFlight') {
      sim.at(t0 + 3_000_000, order.lc, () => this.modify(sim.queue.now, order, price, quantity, done))
      return
    }
    for (const h of c.hops) h.order.busy = true
    if (order.kind === 'order') {
      const requested: Values = { isoInd: 'NA', custDspIntrFlag: false }
      putTerms(
        requested,
        { ...order.terms, price: order.terms.type === 'LMT' ? price : undefined, quantity },
        sim.date,
      )
      putLegs(requested, order.sym)
      this.maybeRequest(t0, order, 'MEOMR', requested)
    }
    sim.at(c.at, order.lc, () => {
      const last = c.hops[c.hops.length - 1].order
      const alive = c.exchange
        ? !c.exchange.closed && c.exchange.remaining > 0 && !c.exchange.outbound
        : !last.closed && last.leaves > 0
      if (!alive || quantity <= order.filled) {
        this.settle(c.hops, c.at)
        done?.(false)
        return
      }
      const atsLast = !c.exchange && this.isAts(last.firm, last.imid)
      if (atsLast) sim.parts.ats.get(last.imid)!.remove(last)
      for (const [i, h] of c.hops.entries()) {
        const o = h.order
        const terms: OrderTerms = { ...o.terms, price: o.terms.type === 'LMT' ? price : undefined, quantity }
        // Every hop after the first received the modification on its sender's new route.
        this.reportModify(o, h.t, terms, i > 0)
        if (o.route) {
          // The new route leaves before the next hop (or the exchange) receives the modification it
          // carries: a firm downstream by at least 1 ms, as for any route, so coarse clocks show the order.
          const sent = h.t + sim.internal()
          const firm = c.hops[i + 1]?.t
          const latest = firm !== undefined ? firm - 1_000_000 : c.exchange ? c.at - 1 : undefined
          this.reroute(o, latest === undefined ? sent : Math.max(h.t, Math.min(sent, latest)))
        }
      }
      for (const h of c.hops) h.order.busy = false
      if (c.exchange) c.venue!.modify(c.at, c.exchange, last.terms, c.route!)
      else if (atsLast) sim.parts.ats.get(last.imid)!.enter(last, c.at)
      done?.(true)
    })
  }

  private reportModify(
    o: FirmOrder,
    t: number,
    terms: OrderTerms,
    rerouted: boolean,
    initiator: 'C' | 'F' = 'C',
  ): void {
    const sim = this.sim
    const child = o.kind === 'child'
    // v4.1: a customer's change of price or size only at the firm that entered the order is reported by
    // some firms as an Order Adjusted (MEOJ, MOOJ) instead of a full restatement; packages have none.
    const adjusted =
      !child &&
      !o.inbound &&
      sim.options.fileVersion === '4.1.0' &&
      terms.side === o.terms.side &&
      terms.type === o.terms.type &&
      sim.sink.has(eventType(o.sym, 'MEOJ')) &&
      sim.rng.chance(0.25)
    const type = eventType(o.sym, child ? 'MECOM' : adjusted ? 'MEOJ' : 'MEOM')
    const newKey = !child && sim.rng.chance(0.7)
    const key = newKey ? this.newKey(o.firm, o.imid, t) : { orderID: o.orderID, keyDate: o.keyDate }
    const values = this.header(o.firm, o.imid, type, t)
    Object.assign(values, {
      orderKeyDate: key.keyDate,
      orderID: key.orderID,
      [instrumentField(o.sym)]: o.sym.symbol,
      leavesQty: qtyText(terms.quantity - o.filled),
    })
    putTerms(values, terms, sim.date)
    putLegs(values, o.sym)
    if (newKey) {
      values.priorOrderKeyDate = o.keyDate
      values.priorOrderID = o.orderID
    }
    if (!child) {
      Object.assign(values, {
        manualFlag: false,
        electronicDupFlag: false,
        initiator,
        isoInd: 'NA',
        custDspIntrFlag: false,
        representativeInd: 'N',
      })
      if (o.inbound) {
        values.receiverIMID = o.inbound.receiverIMID
        values.senderIMID = o.inbound.route.senderIMID
        values.senderType = o.inbound.senderType
        values.routedOrderID = o.inbound.route.routedOrderID
      }
    }
    if (this.isAts(o.firm, o.imid))
      putAts(values, sim.next(`seq:${o.imid}`), terms, this.nbbo(o.sym, o.firm, t))
    const e = sim.sink.emit(o.imid, type, values, {
      key: o.keyEvent,
      faultable: o.inbound ? undefined : newKey ? 'key' : 'leaf',
    })
    sim.truth.event(o.lc, e)
    sim.truth.link(o.lc, o.keyEvent, e, 'modify')
    // The modification came on the sender's new route: that route's accept.
    if (!child && rerouted && o.inbound) sim.truth.link(o.lc, o.inbound.route.sent, e, 'accept')
    o.terms = terms
    if (newKey) {
      o.orderID = key.orderID
      o.keyDate = key.keyDate
      o.keyEvent = e
    }
  }

  /** The new MEOR that follows a modification of a routed order (a new routedOrderID). */
  private reroute(o: FirmOrder, t: number): void {
    const sim = this.sim
    const route = o.route!
    const dest = route.dest
    const routedOrderID = sim.id(`ro:${o.imid}`, `${o.imid}-`)
    const type = eventType(o.sym, 'MEOR')
    const values = this.header(o.firm, o.imid, type, t)
    Object.assign(values, {
      manualFlag: false,
      electronicDupFlag: false,
      senderIMID: route.senderIMID,
      destination: dest.kind === 'E' ? dest.venue.id : imidRef(dest.firm, dest.imid),
      destinationType: dest.kind,
      routedOrderID,
      affiliateFlag: dest.kind === 'F' && dest.firm === o.firm,
      isoInd: 'NA',
      routeRejectedFlag: false,
      dupROIDCond: false,
      multiLegInd: false,
    })
    Object.assign(values, o.key())
    putTerms(values, o.terms, sim.date)
    putLegs(values, o.sym)
    if (dest.kind === 'E') {
      values.session = dest.session
      putOriginCode(values, o)
    }
    const meor = sim.sink.emit(o.imid, type, values, { key: o.keyEvent })
    sim.truth.event(o.lc, meor)
    sim.truth.link(o.lc, o.keyEvent, meor, 'route')
    route.routedOrderID = routedOrderID
    route.sent = meor
  }
}

/**
 * The origin code an options exchange needs on a route (exchOriginCode, rule 2028): C for a customer's
 * order, F for the firm's own account, M for a market maker's; a package's too. Equity routes carry none.
 */
function putOriginCode(values: Values, order: FirmOrder): void {
  if (!order.sym.option && !order.sym.legs) return
  const holder = order.account?.holderType
  values.exchOriginCode = holder === 'O' ? 'M' : holder === 'P' ? 'F' : 'C'
}

function venueWeights(n: number): number[] {
  const out: number[] = []
  let sum = 0
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1.5)
    out.push(sum)
  }
  return out
}
