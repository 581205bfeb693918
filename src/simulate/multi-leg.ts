/**
 * Multi-leg orders: customers' spreads (two series of one underlying and expiration, one bought and one
 * sold) and buy-writes (100 shares bought, one call sold per package), entered as MLNO with legDetails and
 * routed to a wholesaler or an executing broker (MLOR → MLOA), whose complex-order desk works them. The
 * customer later cancels (MLOC by both firms) or re-prices them (MLOM, a new MLOR, the receiver's MLOM);
 * what is left expires unreported at the end of the day. In v4.1 some institutions' packages go straight to
 * an options exchange's complex order book instead (MLOR → EXCA). A package is a `Sym` with `legs`, so the
 * brokerage reports it with the same code as single-leg orders.
 */
import type { Values } from '../codec/index.ts'
import { conditionalOrders, holdUntilTriggered, stopTrigger } from './conditional-orders.ts'
import type { Account } from './customers.ts'
import type { FirmOrder } from './firm-order.ts'
import { priceText, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'
import type { Firm, Leg, Sym } from './world.ts'

/** Sets numberOfLegs, priceType and legDetails of a multi-leg event (nothing for other instruments). */
export function putLegs(values: Values, sym: Sym): void {
  if (!sym.legs) return
  values.numberOfLegs = String(sym.legs.length)
  values.priceType = 'PU'
  values.legDetails = sym.legs.map((l) => {
    const leg: Record<string, string> = { legRefID: l.legRefID }
    if (l.instrument.option) leg.optionID = l.instrument.symbol
    else leg.symbol = l.instrument.symbol
    if (l.openClose) leg.openCloseIndicator = l.openClose
    leg.side = l.side
    leg.legRatioQuantity = qtyText(l.ratio)
    return leg
  })
}

/** Starts customers' multi-leg orders in the options market. */
export class MultiLegDesk {
  private packages = 0

  constructor(
    /** The options market. */
    private readonly sim: Sim,
    /** The equity market, for the underlyings' quotes. */
    private readonly equities: Sim,
  ) {}

  /** One multi-leg arrival at time t. */
  arrive(t: number): void {
    const sim = this.sim
    const rng = sim.rng
    sim.stats.arrivals++
    const customers = sim.world.firms.filter(
      (f) => f.role === 'retail' || f.role === 'agency' || f.role === 'institutional',
    )
    const firm = rng.pick(customers)
    const account = sim.accounts.retail(firm, rng) ?? sim.accounts.institution(firm, rng)
    const dest = this.receiver(firm)
    if (!account || !dest) return
    const series = sim.symbol(rng.weighted(sim.world.symbolWeights))
    const built = rng.chance(0.3) ? this.buyWrite(series, t) : this.spread(series, t)
    if (!built) return
    this.enter(t, firm, account, dest, built.pkg, built.cents)
  }

  /** A wholesaler takes retail packages, an executing broker the others; never the firm itself (nor `not`). */
  private receiver(firm: Firm, not?: Firm): Firm | undefined {
    const role = firm.role === 'retail' ? 'wholesaler' : 'agency'
    const list = this.sim.world.firms.filter(
      (f) => f !== firm && f !== not && (f.role === role || f.role === 'wholesaler'),
    )
    return list.length > 0 ? this.sim.rng.pick(list) : undefined
  }

  private pkg(underlying: string, legs: Leg[]): Sym {
    this.packages++
    return {
      index: -this.packages,
      symbol: underlying,
      listing: legs[0].instrument.listing,
      name: `${underlying} package`,
      refCents: 0,
      sigma: 0,
      legs,
    }
  }

  /** A vertical spread: buy the dearer of two adjacent strikes, sell the cheaper (a debit spread). */
  private spread(series: Sym, t: number): { pkg: Sym; cents: number } | undefined {
    const sim = this.sim
    const o = series.option!
    const siblings = sim.world.symbols.filter(
      (s) =>
        s !== series &&
        s.option?.underlying === o.underlying &&
        s.option.expiry === o.expiry &&
        s.option.putCall === o.putCall,
    )
    if (siblings.length === 0) return undefined
    const other = sim.rng.pick(siblings)
    const a = sim.fair.cents(series, t)
    const b = sim.fair.cents(other, t)
    const [long, short] = a >= b ? [series, other] : [other, series]
    const open = sim.rng.chance(0.75) ? 'Open' : 'Close'
    const legs: Leg[] = [
      { legRefID: '1', instrument: long, side: 'B', ratio: 1, openClose: open },
      { legRefID: '2', instrument: short, side: 'SL', ratio: 1, openClose: open },
    ]
    return { pkg: this.pkg(o.underlying, legs), cents: Math.max(1, Math.round(Math.abs(a - b))) }
  }

  /** A buy-write: 100 shares of the underlying bought and one call sold, priced per share. */
  private buyWrite(series: Sym, t: number): { pkg: Sym; cents: number } | undefined {
    const sim = this.sim
    const o = series.option!
    if (o.putCall !== 'C') return this.spread(series, t)
    const stock = this.equities.world.symbols.find((s) => s.symbol === o.underlying)
    if (!stock) return undefined
    const q = this.equities.parts.brokerage.nbbo(stock, sim.world.firms[0], t)
    const spot = q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2 : stock.refCents
    const legs: Leg[] = [
      { legRefID: '1', instrument: stock, side: 'B', ratio: 100 },
      { legRefID: '2', instrument: series, side: 'SL', ratio: 1, openClose: 'Open' },
    ]
    const cents = Math.max(1, Math.round(spot - sim.fair.cents(series, t) / 100))
    return { pkg: this.pkg(o.underlying, legs), cents }
  }

  private enter(t: number, firm: Firm, account: Account, dest: Firm, pkg: Sym, cents: number): void {
    const sim = this.sim
    const rng = sim.rng
    const packages = account.holderType === 'A' ? 10 * (1 + rng.geometric(3)) : 1 + rng.geometric(2)
    const terms = {
      side: 'B' as const,
      type: 'LMT' as const,
      price: cents,
      quantity: packages,
      tif: 'DAY' as const,
      session: 'REG' as const,
    }
    // v4.1: a few packages wait for the underlying to reach a price (STOP), then become effective (MLOE).
    // The underlying's price is the middle of its quotes, read without touching the equity market's
    // random streams (asking for options leaves the equity market of a seed unchanged).
    const stock = this.equities.world.symbols.find((s) => s.symbol === pkg.symbol)
    const middle = (at: number) => {
      const q = this.equities.parts.brokerage.nbbo(stock!, sim.world.firms[0], at)
      return q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2 : Number.NaN
    }
    const now = stock && conditionalOrders(sim, 'MLOE') && rng.chance(0.05) ? middle(t) : Number.NaN
    const stop = Number.isNaN(now) ? undefined : stopTrigger(sim, true, now)
    // v4.1: a few new accounts are not open yet: the FDID follows later (MLOS).
    const pending = sim.sink.has('MLOS') && rng.chance(0.05)
    const order = sim.parts.brokerage.newOrder(t, firm, pkg, terms, account, {
      handling: stop !== undefined ? { STOP: priceText(stop) } : undefined,
      pendingFdid: pending,
    })
    if (pending) {
      const when = Math.min(t + 2 * 60 * SECOND + rng.exp(10 * 60 * SECOND), sim.hours.end - SECOND)
      sim.at(when, order.lc, () => sim.parts.brokerage.supplement(sim.queue.now, order))
    }
    // v4.1: some institutions' packages go straight to an options exchange's complex order book (MLOR with
    // destinationType E → the exchange's EXCA), where they rest untouched until the day ends.
    const toBook = account.holderType === 'A' && sim.sink.has('EXCA') && rng.chance(0.25)
    const send = (at: number) => {
      const brokerage = sim.parts.brokerage
      if (toBook) {
        const venue = brokerage.pickVenue(pkg)
        brokerage.route(at, order, { kind: 'E', venue, session: brokerage.session(firm, firm.imid, venue) })
        return
      }
      brokerage.route(at, order, { kind: 'F', firm: dest, imid: dest.imid })
      this.plan(order, at)
    }
    if (stop !== undefined) {
      holdUntilTriggered(sim, order, true, stop, () => middle(sim.queue.now), send)
    } else send(t + sim.internal())
  }

  /**
   * The customer cancels most packages after a while and re-prices some; the firm takes a few back from
   * their receiver to send them to another (MLCR, the receiver's MLOC, a new MLOR) and re-prices a few
   * routes on its own (MLMR, the receiver's MLOM); the rest expire.
   */
  private plan(order: FirmOrder, t: number): void {
    const sim = this.sim
    const rng = sim.rng
    const r = rng.float()
    if (r > 0.9) return
    const when = t + rng.logNormal(60 * SECOND, 1.2)
    if (when >= sim.hours.close) return
    sim.at(when, order.lc, () => {
      const now = sim.queue.now
      if (order.closed || order.busy) return
      if (r < 0.55) {
        sim.parts.brokerage.cancel(now, order, 'C')
        return
      }
      if (r < 0.62 && order.terms.price !== undefined) {
        const price = Math.max(1, order.terms.price - 1 - rng.int(3))
        sim.parts.brokerage.modifyRoute(now, order, price, (ok) => {
          if (ok) this.plan(order, sim.queue.now)
        })
        return
      }
      if (r < 0.72) {
        const from = order.route?.dest
        sim.parts.brokerage.cancelRoute(now, order, (ok) => {
          if (!ok) return
          const other = this.receiver(order.firm, from?.kind === 'F' ? from.firm : undefined)
          if (!other) return
          const at = sim.queue.now + sim.internal()
          sim.parts.brokerage.route(at, order, { kind: 'F', firm: other, imid: other.imid })
          this.plan(order, at)
        })
        return
      }
      const step = 1 + rng.int(5)
      const price = Math.max(1, (order.terms.price ?? 1) + (rng.chance(0.7) ? step : -step))
      sim.parts.brokerage.modify(now, order, price, order.terms.quantity, (ok) => {
        if (ok) this.plan(order, sim.queue.now)
      })
    })
  }
}
