/**
 * The day's options order flow: customers of retail, agency, institutional and introducing firms buy and
 * sell calls and puts (opening or closing positions), market makers take liquidity with IOC orders.
 * Retail orders mostly go through a wholesaler (an options consolidator) to an options exchange, others
 * straight to one; an introducing broker's go through its executing broker. Options are not internalized
 * or crossed off-exchange: every firm that receives an option order routes it on to an exchange.
 */
import type { Values } from '../codec/index.ts'
import type { DeskKey } from './brokerage.ts'
import { conditionalOrders, holdUntilTriggered, stopTrigger } from './conditional-orders.ts'
import type { Account } from './customers.ts'
import type { FirmOrder } from './firm-order.ts'
import { floorTrade } from './floor-trades.ts'
import { allocateFills } from './institutional-desk.ts'
import { putLegs } from './multi-leg.ts'
import { OrderFlow } from './order-flow.ts'
import { pickStyle } from './order-shapes.ts'
import { ownQuote, routeQuote } from './quote-routes.ts'
import { type OrderTerms, priceText, putTerms, qtyText, type Side } from './record-values.ts'
import { cumulative } from './rng.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'
import type { TruthEvent } from './truth-recorder.ts'
import type { Firm, Sym } from './world.ts'

const ROLE_WEIGHT: Readonly<Record<Firm['role'], number>> = {
  wholesaler: 8,
  retail: 40,
  institutional: 10,
  prop: 17,
  agency: 18,
  introducing: 7,
}

/** Starts option orders and routes received ones to an options exchange. */
export class OptionsFlow extends OrderFlow {
  private readonly optionFirmWeights: number[]

  constructor(sim: Sim) {
    super(sim)
    this.optionFirmWeights = cumulative(sim.world.firms.map((f) => ROLE_WEIGHT[f.role]))
  }

  /** One option order arrival at time t. */
  override arrive(t: number): void {
    const sim = this.sim
    const rng = sim.rng
    sim.stats.arrivals++
    const series = sim.symbol(rng.weighted(sim.world.symbolWeights))
    sim.parts.quoting.nudge(series, t)
    const firm = sim.world.firms[rng.weighted(this.optionFirmWeights)]
    if (firm.marketMaker) this.marketMaker(t, firm, series)
    else this.customer(t, firm, series)
  }

  /** A customer's order: contracts, open or close, routed through a wholesaler, a broker or direct. */
  private customer(t: number, firm: Firm, series: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    // An institutional broker works some option orders with its algorithm (MOIR, MOCO children); an agency
    // broker gathers some clients' orders into a representative order and fills them from it (MOOF).
    if (firm.role === 'institutional' && rng.chance(0.4) && this.institutional.start(t, firm, series)) return
    if (firm.role === 'agency' && rng.chance(0.06) && this.representative.start(t, firm, series)) return
    const institution = firm.role === 'institutional' || (firm.role === 'agency' && rng.chance(0.3))
    const account: Account | undefined =
      (institution ? sim.accounts.institution(firm, rng) : undefined) ?? sim.accounts.retail(firm, rng)
    if (!account) {
      this.marketMaker(t, firm, series)
      return
    }
    const side: Side = rng.chance(0.55) ? 'B' : 'SL'
    if (this.crossesOwn(account, series, side)) return
    const contracts =
      account.holderType === 'A'
        ? Math.min(2_000, Math.round(rng.pareto(10, 1.3)))
        : Math.min(100, 1 + rng.geometric(4))
    const style = rng.chance(0.12) ? 'market' : pickStyle(rng, 0.35, 0.35)
    const terms = this.optionTerms(this.terms(t, series, side, contracts, style), rng.chance(0.7))
    // v4.1: a few market orders are stops, held until the premium reaches their trigger (then MOOE).
    const stop =
      terms.type === 'MKT' && conditionalOrders(sim, 'MOOE') && rng.chance(0.15)
        ? stopTrigger(sim, side === 'B', sim.fair.cents(series, t))
        : undefined
    // A few new accounts are not open yet: the FDID follows later (MONOS).
    const pending = rng.chance(0.004)
    const order = sim.parts.brokerage.newOrder(t, firm, series, terms, account, {
      pendingFdid: pending,
      handling: stop !== undefined ? { STOP: priceText(stop) } : undefined,
    })
    this.remember(account, order)
    if (pending) this.supplementLater(order, t)
    // An institution's fills are booked to its sub-accounts once the order ends (MOPA).
    if (account.allocations) order.listener = { onEnd: (o, tEnd) => allocateFills(sim, o, tEnd) }
    const send = (t1: number) => {
      const wholesalers = sim.world.firms.filter((f) => f.role === 'wholesaler')
      const brokers = sim.world.firms.filter((f) => f.role === 'agency' || f.role === 'institutional')
      if (firm.role === 'introducing' && brokers.length > 0) {
        const broker = brokers[firm.index % brokers.length]
        sim.parts.brokerage.route(t1, order, { kind: 'F', firm: broker, imid: broker.imid })
      } else if (firm.role === 'retail' && wholesalers.length > 0 && rng.chance(0.6)) {
        const w = rng.pick(wholesalers)
        sim.parts.brokerage.route(t1, order, { kind: 'F', firm: w, imid: w.imid })
      } else {
        this.toExchange(t1, order)
        if (terms.type === 'LMT' && rng.chance(0.08)) this.moveLater(order, t1)
      }
    }
    // v4.1: the floor broker of a firm takes a few institutions' orders to an exchange's trading crowd (MOOT).
    const floor = stop === undefined && account.holderType === 'A' && contracts >= 20 && rng.chance(0.15)
    if (floor && floorTrade(sim, order, t)) return
    if (stop !== undefined) {
      const ref = () => sim.fair.cents(series, sim.queue.now)
      holdUntilTriggered(sim, order, side === 'B', stop, ref, send)
    } else send(t + sim.internal())
    if (terms.type === 'LMT') this.plan(order, t, institution ? 'agency' : 'retail')
  }

  /** A market maker takes liquidity (mostly IOC) or leaves a resting order for its own account. */
  private marketMaker(t: number, firm: Firm, series: Sym): void {
    const sim = this.sim
    const rng = sim.rng
    const account = sim.accounts.own(firm, firm.marketMaker ? 'O' : 'P')
    const style = pickStyle(rng, 0.25, 0.5)
    const ioc = style === 'marketable' && rng.chance(0.7)
    const side: Side = rng.chance(0.5) ? 'B' : 'SL'
    const contracts = 10 * (1 + rng.geometric(1.5))
    const terms = this.optionTerms(this.terms(t, series, side, contracts, style, ioc), rng.chance(0.5))
    const order = sim.parts.brokerage.newOrder(t, firm, series, terms, account, { deptType: 'T' })
    this.toExchange(t + sim.internal(), order)
    if (!ioc) this.plan(order, t, 'prop')
  }

  /**
   * The receiver hands a package to its complex-order desk (MLIR under a new key), which works it as one
   * child order (MLCO); the child is cancelled (MLCOC) when the package ends.
   */
  private toComplexDesk(order: FirmOrder, t: number): void {
    const sim = this.sim
    sim.at(t + sim.internal(), order.lc, () => {
      if (order.closed || order.busy || order.listener) return
      const brokerage = sim.parts.brokerage
      const kept = brokerage.internalRoute(sim.queue.now, order, 'O')
      const child = brokerage.child(sim.queue.now + sim.internal(), order, { ...order.terms })
      order.listener = {
        onEnd: (_o, tEnd) => {
          if (child.closed) return
          brokerage.reportCancel(child, Math.max(tEnd, sim.queue.now), 'F')
          child.end(tEnd)
        },
      }
      if (sim.sink.has('MLIM') && sim.rng.chance(0.6)) this.reworkPackage(order, child, kept, order.keyEvent)
      if (sim.sink.has('MLRQ') && sim.rng.chance(0.5)) this.quotePackage(order)
    })
  }

  /**
   * v4.1: the complex-order desk asks a market maker to price the package (MLRQ to the receiver, its
   * MLQR); a receiver that makes markets itself also enters its own package quote (MLNQ).
   */
  private quotePackage(order: FirmOrder): void {
    const sim = this.sim
    const makers = sim.world.firms.filter((f) => f.marketMaker && f !== order.firm)
    const price = order.terms.price
    if (makers.length === 0 || price === undefined) return
    const now = sim.queue.now
    const size = order.terms.quantity
    const q = {
      bid: Math.max(1, price - 1 - sim.rng.int(3)),
      bidQty: size,
      ask: price + 1 + sim.rng.int(3),
      askQty: size,
    }
    routeQuote(sim, sim.rng.pick(makers), order.firm, order.imid, order.sym, now + sim.internal(), q, true)
    if (order.firm.marketMaker && sim.rng.chance(0.5)) ownQuote(sim, order.firm, order.sym, now, q)
  }

  /**
   * v4.1: a while after handing a package to its complex-order desk the sales desk either narrows the price
   * the desk may work it at (MLIMR, then MLIM; the desk re-prices its child, MLCOM) or takes the package
   * back (the child cancelled, MLCOC; MLICR, then MLIC), which is then its own again under its own key.
   */
  private reworkPackage(order: FirmOrder, child: FirmOrder, kept: DeskKey, handed: TruthEvent): void {
    const sim = this.sim
    const rng = sim.rng
    sim.at(sim.queue.now + 2 * SECOND + Math.floor(rng.exp(20 * SECOND)), order.lc, () => {
      if (order.closed || order.busy || child.closed || child.busy || order.terms.price === undefined) return
      // Not once the customer changed the package meanwhile (a new key of the receiving desk's own).
      if (order.keyEvent !== handed) return
      const brokerage = sim.parts.brokerage
      const now = sim.queue.now
      if (rng.chance(0.5) && order.terms.price > 1) {
        // A buy package: the desk may pay less than the customer's limit, never more.
        const terms = { ...order.terms, price: order.terms.price - 1 }
        const requested: Values = { deptType: 'A', receivingDeskType: 'O' }
        putTerms(requested, terms, sim.date)
        putLegs(requested, order.sym)
        brokerage.maybeRequest(now, order, 'MEIMR', requested, 0.7)
        brokerage.modifyInternalRoute(now, order, 'O', terms)
        brokerage.modify(now + sim.internal(), child, terms.price, child.terms.quantity)
        return
      }
      brokerage.reportCancel(child, now, 'F')
      child.end(now)
      order.listener = undefined
      brokerage.maybeRequest(now, order, 'MEICR', { cancelQty: qtyText(order.leaves) }, 0.7)
      brokerage.cancelInternalRoute(now + sim.internal(), order, kept, 'F')
    })
  }

  private optionTerms(terms: OrderTerms, open: boolean): OrderTerms {
    return { ...terms, openClose: open ? 'Open' : 'Close' }
  }

  /** A firm received an option order: it routes it on to an options exchange. */
  override onInbound(order: FirmOrder, t: number): void {
    // A multi-leg package stays with the receiver (multi-leg.ts); in v4.1 its complex-order desk takes
    // some under its own key.
    if (order.sym.legs) {
      if (this.sim.sink.has('MLIR') && this.sim.rng.chance(0.4)) this.toComplexDesk(order, t)
      return
    }
    this.toExchange(t + this.sim.internal(), order)
  }
}
