/**
 * The day's order flow: each arrival picks a firm and a symbol and starts that firm's kind of order
 * (retail orders sent to wholesalers, agency orders to exchanges and ATSs, introducing brokers' orders
 * to their executing broker, proprietary quoting-style orders, institutional parents, representative
 * orders), and customers later cancel or replace what rests. Firms that receive routes handle them here.
 */

import { atsSweep } from './ats-sweep.ts'
import { conditionalOrders, holdUntilTriggered, stopTrigger } from './conditional-orders.ts'
import type { Account } from './customers.ts'
import { bookSide, type ExchangeVenue } from './exchange-venue.ts'
import type { FirmOrder, RouteDest } from './firm-order.ts'
import { InstitutionalDesk } from './institutional-desk.ts'
import {
  agencyShares,
  fractionalShares,
  limitPrice,
  type PriceStyle,
  pickStyle,
  propShares,
  retailShares,
} from './order-shapes.ts'
import { representativeQuote } from './quote-routes.ts'
import { type Nbbo, type OrderTerms, priceText, type Side } from './record-values.ts'
import { RepresentativeDesk } from './representative-desk.ts'
import { cumulative } from './rng.ts'
import type { Sim } from './sim.ts'
import { SECOND, sessionAt } from './trading-hours.ts'
import type { Firm, Sym } from './world.ts'

const ROLE_WEIGHT: Readonly<Record<Firm['role'], number>> = {
  wholesaler: 4,
  retail: 30,
  institutional: 5,
  prop: 24,
  agency: 12,
  introducing: 5,
}

// How many remembered orders between sweeps of the closed ones: often enough to keep the map near the
// open orders, rarely enough that the sweep costs nothing next to the orders themselves.
const FORGET_EVERY = 1 << 12

/** How a customer treats a resting order. */
type Patience = 'retail' | 'agency' | 'prop'

/** Starts orders and reacts to routed ones. */
export class OrderFlow {
  private readonly firmWeights: number[]
  readonly institutional: InstitutionalDesk
  readonly representative: RepresentativeDesk
  /** Customers' orders by account and symbol, to keep an account from trading against itself. */
  private readonly byAccount = new Map<string, FirmOrder[]>()
  private remembered = 0
  /** Limit orders a wholesaler holds for a while, shown in its quote, by IMID, symbol and side. */
  private readonly held = new Map<string, { order: FirmOrder; until: number }[]>()

  constructor(protected readonly sim: Sim) {
    this.firmWeights = cumulative(sim.world.firms.map((f) => ROLE_WEIGHT[f.role]))
    this.institutional = new InstitutionalDesk(sim)
    this.representative = new RepresentativeDesk(sim)
  }

  /** One order arrival at time t. */
  arrive(t: number): void {
    const sim = this.sim
    const rng = sim.rng
    sim.stats.arrivals++
    const sym = sim.symbol(rng.weighted(sim.world.symbolWeights))
    sim.parts.quoting.nudge(sym, t)
    const firm = sim.world.firms[rng.weighted(this.firmWeights)]
    switch (firm.role) {
      case 'wholesaler':
      case 'prop':
        this.prop(t, firm, sym)
        break
      case 'retail':
        this.retail(t, firm, sym)
        break
      case 'institutional':
        // v4.1: now and then an institution's order meets several resting orders in an ATS (MEOTS).
        if (sim.options.fileVersion === '4.1.0' && rng.chance(0.04) && atsSweep(sim, this, t, firm, sym))
          break
        if (!(rng.chance(0.75) && this.institutional.start(t, firm, sym))) this.agency(t, firm, sym)
        break
      case 'agency': {
        const r = rng.float()
        if (r < 0.06 && this.representative.start(t, firm, sym)) break
        if (r < 0.14 && this.institutional.start(t, firm, sym)) break
        this.agency(t, firm, sym)
        break
      }
      case 'introducing':
        this.introducing(t, firm, sym)
        break
    }
  }

  /** Terms for a new order of the given side and price style. */
  terms(
    t: number,
    sym: Sym,
    side: Side,
    shares: number,
    style: PriceStyle | 'market',
    ioc = false,
  ): OrderTerms {
    const session = sessionAt(this.sim.hours, t)
    // Market orders are for the regular session only.
    const market = style === 'market' && session !== 'PREREG' && session !== 'POST'
    if (market) return { side, type: 'MKT', quantity: shares, tif: 'DAY', session }
    const priceStyle: PriceStyle = style === 'market' ? 'marketable' : style
    const price = limitPrice(this.sim, sym, bookSide(side), t, priceStyle)
    return { side, type: 'LMT', price, quantity: shares, tif: ioc ? 'IOC' : 'DAY', session }
  }

  /**
   * Whether the account still has an open order on the other side of the symbol: brokers refuse such an
   * order (it could execute against the customer's own order, a wash), so the customer does not send it.
   */
  crossesOwn(account: Account, sym: Sym, side: Side): boolean {
    const key = `${account.fdid}|${sym.symbol}`
    const open = (this.byAccount.get(key) ?? []).filter((o) => !o.closed)
    this.byAccount.set(key, open)
    return open.some((o) => bookSide(o.terms.side) !== bookSide(side))
  }

  /** Notes a customer's order for `crossesOwn`. */
  remember(account: Account, order: FirmOrder): void {
    const key = `${account.fdid}|${order.sym.symbol}`
    this.byAccount.set(key, [...(this.byAccount.get(key) ?? []), order])
    if (++this.remembered % FORGET_EVERY === 0) this.forgetClosed()
  }

  // Most accounts trade a symbol once or twice a day, so without this their closed orders (and the
  // lifecycles those hold) stayed referenced all day: the heap grew with the day and every collection
  // traced it again, which made a 10 M-event day run at half the speed of a 1 M-event one.
  private forgetClosed(): void {
    for (const [key, orders] of this.byAccount) {
      const open = orders.filter((o) => !o.closed)
      if (open.length > 0) this.byAccount.set(key, open)
      else this.byAccount.delete(key)
    }
  }

  private side(): Side {
    const r = this.sim.rng.float()
    return r < 0.51 ? 'B' : r < 0.95 ? 'SL' : 'SS'
  }

  /** A wholesaler for retail flow (the wholesaler firms, round robin by chance). */
  private wholesaler(except?: Firm): Firm | undefined {
    const list = this.sim.world.firms.filter((f) => f.role === 'wholesaler' && f !== except)
    return list.length > 0 ? this.sim.rng.pick(list) : undefined
  }

  private exchangeDest(firm: Firm, imid: string, venue: ExchangeVenue): RouteDest {
    return { kind: 'E', venue, session: this.sim.parts.brokerage.session(firm, imid, venue) }
  }

  /** Sends an order to an exchange: the best-priced one when it is marketable, else a usual one. */
  toExchange(t: number, order: FirmOrder): void {
    const b = this.sim.parts.brokerage
    const side = bookSide(order.terms.side)
    const marketable = order.terms.type === 'MKT' || this.sim.rng.chance(0.5)
    const venue =
      (marketable ? b.bestVenueFor(order.sym, side, order.terms.price) : undefined) ?? b.pickVenue(order.sym)
    // A few routes are rejected by the venue (routeRejectedFlag); the firm then tries another one.
    if (this.sim.rng.chance(0.004)) {
      b.route(t, order, this.exchangeDest(order.firm, order.imid, venue), { rejected: true })
      const other = b.pickVenue(order.sym)
      b.route(t + this.sim.latency(), order, this.exchangeDest(order.firm, order.imid, other))
      return
    }
    b.route(t, order, this.exchangeDest(order.firm, order.imid, venue))
  }

  private retail(t: number, firm: Firm, sym: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    const account = sim.accounts.retail(firm, rng)
    if (!account) {
      this.prop(t, firm, sym)
      return
    }
    const side = this.side()
    if (this.crossesOwn(account, sym, side)) return
    const market = rng.chance(0.45)
    const fractional = market && rng.chance(0.04)
    const shares = fractional ? fractionalShares(rng) : retailShares(sim, sym, t)
    const terms = this.terms(t, sym, side, shares, market ? 'market' : pickStyle(rng, 0.35, 0.35))
    if (fractional && terms.type !== 'MKT') return
    // v4.1: a few market orders are stops, held until the price reaches their trigger (then MEOE).
    const stop =
      market && !fractional && conditionalOrders(sim, 'MEOE') && rng.chance(0.08)
        ? stopTrigger(sim, side === 'B', sim.fair.cents(sym, t))
        : undefined
    const pending = rng.chance(0.003)
    const order = sim.parts.brokerage.newOrder(t, firm, sym, terms, account, {
      pendingFdid: pending,
      handling: stop !== undefined ? { STOP: priceText(stop) } : undefined,
    })
    this.remember(account, order)
    if (pending) this.supplementLater(order, t)
    const send = (t1: number) => {
      const wholesaler = this.wholesaler()
      if (wholesaler && (fractional || rng.chance(0.9))) this.toWholesaler(t1, order, wholesaler)
      else this.toExchange(t1, order)
    }
    if (stop !== undefined) {
      const ref = () => sim.fair.cents(sym, sim.queue.now)
      holdUntilTriggered(sim, order, side === 'B', stop, ref, send)
    } else send(t + sim.internal())
    if (terms.type === 'LMT') this.plan(order, t, 'retail')
  }

  private toWholesaler(t: number, order: FirmOrder, wholesaler: Firm): void {
    const b = this.sim.parts.brokerage
    const dest: RouteDest = { kind: 'F', firm: wholesaler, imid: wholesaler.imid }
    if (this.sim.rng.chance(0.01)) {
      b.route(t, order, dest, { rejected: true })
      const other = this.wholesaler(wholesaler) ?? wholesaler
      b.route(t + this.sim.latency(), order, { kind: 'F', firm: other, imid: other.imid })
      return
    }
    b.route(t, order, dest)
  }

  protected supplementLater(order: FirmOrder, t: number): void {
    const sim = this.sim
    const when = Math.min(t + 2 * 60 * SECOND + sim.rng.exp(10 * 60 * SECOND), sim.hours.end - SECOND)
    sim.at(when, order.lc, () => sim.parts.brokerage.supplement(sim.queue.now, order))
  }

  private agency(t: number, firm: Firm, sym: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    const inst = rng.chance(0.35) ? sim.accounts.institution(firm, rng) : undefined
    const account: Account | undefined = inst ?? sim.accounts.retail(firm, rng)
    if (!account) {
      this.prop(t, firm, sym)
      return
    }
    const shares = agencyShares(sim, sym, t, account.holderType === 'A')
    const side = this.side()
    if (this.crossesOwn(account, sym, side)) return
    const terms = this.terms(t, sym, side, shares, rng.chance(0.12) ? 'market' : pickStyle(rng, 0.4, 0.35))
    const order = sim.parts.brokerage.newOrder(t, firm, sym, terms, account)
    this.remember(account, order)
    const t1 = t + sim.internal()
    const r = rng.float()
    const ats = sim.world.firms.filter((f) => f.atsImid)
    if (r < 0.12 && ats.length > 0 && terms.type === 'LMT') {
      const operator = rng.pick(ats)
      sim.parts.brokerage.route(t1, order, { kind: 'F', firm: operator, imid: operator.atsImid! })
    } else if (r < 0.22 && this.wholesaler()) this.toWholesaler(t1, order, this.wholesaler()!)
    else this.toExchange(t1, order)
    if (terms.type === 'LMT') this.plan(order, t, 'agency')
    // v4.1 days: a smart router moves or re-prices some of the orders it left on an exchange (MECR, MEMR).
    if (r >= 0.22 && terms.type === 'LMT' && sim.options.fileVersion === '4.1.0' && rng.chance(0.3))
      this.moveLater(order, t1, 4 * SECOND)
  }

  /**
   * The firm takes a resting order back from its exchange to send it to another (MOCR, the exchange's
   * EXOC with initiator F, a new MOOR), as a smart router does when the quotes move away; or, half of
   * the time, it leaves it there at a price a few cents less aggressive (MOMR, the exchange's EXOM).
   */
  protected moveLater(order: FirmOrder, t: number, after = 20 * SECOND): void {
    const sim = this.sim
    sim.at(t + sim.rng.logNormal(after, 1), order.lc, () => {
      const now = sim.queue.now
      if (now >= sim.hours.close) return
      if (sim.rng.chance(0.5) && order.terms.price !== undefined) {
        const step = 1 + sim.rng.int(3)
        const price = order.terms.side === 'B' ? order.terms.price - step : order.terms.price + step
        if (price >= 1) sim.parts.brokerage.modifyRoute(now, order, price, () => {})
        return
      }
      const from = order.route?.dest
      sim.parts.brokerage.cancelRoute(now, order, (ok) => {
        if (!ok) return
        const venues = [...sim.parts.venues.values()].filter((v) => from?.kind !== 'E' || v !== from.venue)
        if (venues.length === 0) return
        const venue = sim.rng.pick(venues)
        const at = sim.queue.now + sim.internal()
        sim.parts.brokerage.route(at, order, {
          kind: 'E',
          venue,
          session: sim.parts.brokerage.session(order.firm, order.imid, venue),
        })
      })
    })
  }

  private introducing(t: number, firm: Firm, sym: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    const account = sim.accounts.retail(firm, rng)
    const executing = sim.world.firms.filter((f) => f.role === 'agency' || f.role === 'institutional')
    if (!account || executing.length === 0) {
      this.prop(t, firm, sym)
      return
    }
    const side = this.side()
    if (this.crossesOwn(account, sym, side)) return
    const terms = this.terms(
      t,
      sym,
      side,
      retailShares(sim, sym, t),
      rng.chance(0.3) ? 'market' : pickStyle(rng, 0.4, 0.3),
    )
    const order = sim.parts.brokerage.newOrder(t, firm, sym, terms, account)
    this.remember(account, order)
    const broker = executing[firm.index % executing.length]
    sim.parts.brokerage.route(t + sim.internal(), order, { kind: 'F', firm: broker, imid: broker.imid })
    if (terms.type === 'LMT') this.plan(order, t, 'agency')
  }

  private prop(t: number, firm: Firm, sym: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    const account = sim.accounts.own(firm, firm.marketMaker && rng.chance(0.5) ? 'O' : 'P')
    const style = pickStyle(rng, 0.25, 0.6)
    const ioc = style === 'marketable' && rng.chance(0.7)
    const terms = this.terms(
      t,
      sym,
      rng.chance(0.5) ? 'B' : rng.chance(0.8) ? 'SL' : 'SS',
      propShares(sim, sym, t),
      style,
      ioc,
    )
    const order = sim.parts.brokerage.newOrder(t, firm, sym, terms, account, { deptType: 'T' })
    this.toExchange(t + sim.internal(), order)
    if (!ioc) this.plan(order, t, 'prop')
  }

  /** What the customer does with a resting order later: mostly cancel, sometimes replace, sometimes wait. */
  plan(order: FirmOrder, t: number, patience: Patience): void {
    const sim = this.sim
    const rng = sim.rng
    const life = patience === 'prop' ? rng.logNormal(1.5 * SECOND, 1.2) : rng.logNormal(40 * SECOND, 1.5)
    const r = rng.float()
    if (r > 0.97) return
    const modify = r > (patience === 'prop' ? 0.7 : 0.82)
    sim.at(t + life, order.lc, () => {
      const now = sim.queue.now
      if (order.closed || order.busy) return
      if (!modify) {
        sim.parts.brokerage.cancel(now, order, 'C')
        return
      }
      const side = bookSide(order.terms.side)
      const price = order.terms.type === 'LMT' ? limitPrice(sim, order.sym, side, now, 'touch') : undefined
      const shrink = rng.chance(0.25) && order.terms.quantity >= 200
      const quantity = shrink
        ? order.terms.quantity - 100 * (1 + rng.int(Math.floor(order.terms.quantity / 200)))
        : order.terms.quantity
      sim.parts.brokerage.modify(
        now,
        order,
        shrink ? order.terms.price : price,
        Math.max(1, quantity),
        (ok) => {
          if (ok) this.plan(order, sim.queue.now, patience)
        },
      )
    })
  }

  /** A firm received a route (MEOA): an ATS crosses it, a wholesaler fills or routes it, others route it on. */
  onInbound(order: FirmOrder, t: number): void {
    const sim = this.sim
    const firm = order.firm
    if (order.imid === firm.atsImid) {
      sim.parts.ats.get(order.imid)!.enter(order, t)
      return
    }
    if (firm.role === 'wholesaler') {
      this.wholesale(order, t)
      return
    }
    this.toExchange(t + sim.internal(), order)
  }

  private wholesale(order: FirmOrder, t: number): void {
    const sim = this.sim
    const rng = sim.rng
    const q = sim.parts.brokerage.nbbo(order.sym, order.firm, t)
    const terms = order.terms
    const buy = terms.side === 'B'
    const fractional = !Number.isInteger(terms.quantity)
    const marketable =
      terms.type === 'MKT' ||
      (buy ? q.ask !== undefined && terms.price! >= q.ask : q.bid !== undefined && terms.price! <= q.bid)
    const twoSided = q.bid !== undefined && q.ask !== undefined
    if (fractional || (marketable && twoSided && rng.chance(0.9))) {
      const fair = sim.fair.cents(order.sym, t)
      // Price improvement of a fraction of a cent on part of the flow.
      const improvement = rng.chance(0.6) ? rng.pick([0.1, 0.25, 0.5]) : 0
      let price = buy ? (q.ask ?? Math.ceil(fair)) - improvement : (q.bid ?? Math.floor(fair)) + improvement
      if (terms.type === 'LMT') price = buy ? Math.min(price, terms.price!) : Math.max(price, terms.price!)
      price = Math.max(0.01, price)
      sim.at(t + sim.internal(), order.lc, () => sim.parts.brokerage.internalize(sim.queue.now, order, price))
      return
    }
    // v4.1: some limit orders it will not fill it holds a few seconds first, shown in its quote.
    if (sim.options.fileVersion === '4.1.0' && terms.type === 'LMT' && twoSided && rng.chance(0.7)) {
      this.show(order, t, q)
      return
    }
    this.toExchange(t + sim.internal(), order)
  }

  /**
   * The wholesaler holds a customer's limit order for a few seconds before routing it on. While two or
   * more of one symbol and side are held, its own quote shows them on that side (a representative quote:
   * MENQ naming the first, MENQS each further one), withdrawn when the first of them leaves (MEQC).
   */
  private show(order: FirmOrder, t: number, q: Nbbo): void {
    const sim = this.sim
    const buy = order.terms.side === 'B'
    const key = `${order.imid}|${order.sym.index}|${buy ? 'B' : 'S'}`
    const held = (this.held.get(key) ?? []).filter((h) => !h.order.closed)
    const until = t + 30 * SECOND + Math.floor(sim.rng.exp(90 * SECOND))
    held.push({ order, until })
    this.held.set(key, held)
    const leave = () => {
      if (order.closed) return
      if (order.busy) sim.at(sim.queue.now + 5_000_000, order.lc, leave)
      else this.toExchange(sim.queue.now, order)
    }
    sim.at(until, order.lc, () => {
      this.held.set(
        key,
        (this.held.get(key) ?? []).filter((h) => h.order !== order),
      )
      leave()
    })
    if (held.length < 2) return
    const orders = held.map((h) => h.order)
    const shares = orders.reduce((s, o) => s + o.leaves, 0)
    const prices = orders.map((o) => o.terms.price!)
    const best = buy ? Math.max(...prices) : Math.min(...prices)
    // The other side is the wholesaler's own, a cent outside the market.
    const quote = buy
      ? { bid: best, bidQty: shares, ask: q.ask! + 1, askQty: 100 }
      : { bid: Math.max(1, q.bid! - 1), bidQty: 100, ask: best, askQty: shares }
    const gone = Math.min(...held.map((h) => h.until))
    representativeQuote(
      sim,
      order.firm,
      order.sym,
      t + sim.internal(),
      quote,
      buy ? 'bid' : 'ask',
      orders,
      gone,
    )
  }
}
