/**
 * Institutional orders worked by an algorithm (equities, and options with MOIR, MOCO, MOCOM, MOCOC): the sales desk takes the customer's parent order (MENO),
 * hands it to the algo desk under a new key (MEIR), which slices child orders (MECO) routed to exchanges
 * and the firm's own ATS, cancels children that do not fill (MECOC), stops at its horizon, and books the
 * fills to the institution's sub-accounts after the fact (MEPA, v4; `allocateFills`, which option orders
 * of institutions use too).
 */

import type { Values } from '../codec/index.ts'
import type { DeskKey } from './brokerage.ts'
import { bookSide } from './exchange-venue.ts'
import type { FirmOrder } from './firm-order.ts'
import { limitPrice, parentShares } from './order-shapes.ts'
import { type OrderTerms, putTerms, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { MINUTE, SECOND, sessionAt } from './trading-hours.ts'
import type { Firm, Sym } from './world.ts'

interface Work {
  readonly parent: FirmOrder
  readonly horizon: number
  readonly slices: number
  readonly children: Set<FirmOrder>
  finishing: boolean
  /** The sales desk's key of the parent, once the algo desk has it (MEIR). */
  kept?: DeskKey
}

/** The algorithmic execution desks of all firms. */
export class InstitutionalDesk {
  constructor(private readonly sim: Sim) {}

  /** Starts a parent order for an institution of the firm; false when the firm has none. */
  start(t: number, firm: Firm, sym: Sym): boolean {
    const sim = this.sim
    const rng = sim.rng
    if (t >= sim.hours.close - 20 * MINUTE || t < sim.hours.open) return false
    const account = sim.accounts.institution(firm, rng)
    if (!account) return false
    const side = rng.chance(0.5) ? 'B' : 'SL'
    if (sim.parts.flow.crossesOwn(account, sym, side)) return false
    const fair = sim.fair.cents(sym, t)
    const slack = 1 + (0.003 + rng.float() * 0.012) * (side === 'B' ? 1 : -1)
    const shares = parentShares(sim, sym, t)
    const terms: OrderTerms = {
      side,
      type: 'LMT',
      price: Math.max(1, Math.round(fair * slack)),
      // An option parent is in contracts: a tenth of a share parent's size, opening a position.
      quantity: sym.option ? Math.max(10, Math.round(shares / 10)) : shares,
      tif: 'DAY',
      session: sessionAt(sim.hours, t),
      ...(sym.option ? { openClose: 'Open' as const } : {}),
    }
    const parent = sim.parts.brokerage.newOrder(t, firm, sym, terms, account)
    sim.parts.flow.remember(account, parent)
    const handoff = t + Math.floor(200 * 1e6 + rng.exp(1.5 * SECOND))
    const work: Work = {
      parent,
      horizon: Math.min(sim.hours.close - MINUTE, handoff + 10 * MINUTE + rng.exp(35 * MINUTE)),
      slices: 6 + rng.int(15),
      children: new Set(),
      finishing: false,
    }
    parent.listener = { onEnd: (order, tEnd) => allocateFills(sim, order, tEnd) }
    sim.at(handoff, parent.lc, () => {
      if (parent.closed) return
      const desk = rng.chance(0.7) ? 'A' : 'PT'
      work.kept = sim.parts.brokerage.internalRoute(sim.queue.now, parent, desk)
      // v4.1 reports a customer's change to an order the algo desk works as its own event (MEIM).
      if (sim.sink.has('MEIM') && rng.chance(0.5)) this.changeLimit(work, desk)
      this.slice(work)
    })
    return true
  }

  /** The institution moves its limit a few cents further while the algo desk works the order (MEIM). */
  private changeLimit(work: Work, desk: string): void {
    const sim = this.sim
    const parent = work.parent
    sim.at(sim.queue.now + 20 * SECOND + Math.floor(sim.rng.exp(MINUTE)), parent.lc, () => {
      if (parent.closed || parent.busy || work.finishing || sim.queue.now >= work.horizon) return
      const step = 1 + sim.rng.int(5)
      const price = parent.terms.price! + (parent.terms.side === 'B' ? step : -step)
      if (price < 1) return
      const terms = { ...parent.terms, price }
      const requested: Values = { deptType: 'A', receivingDeskType: desk }
      putTerms(requested, terms, sim.date)
      sim.parts.brokerage.maybeRequest(sim.queue.now, parent, 'MEIMR', requested, 1)
      sim.parts.brokerage.modifyInternalRoute(sim.queue.now, parent, desk, terms)
    })
  }

  private slice(work: Work): void {
    const sim = this.sim
    const rng = sim.rng
    const now = sim.queue.now
    const parent = work.parent
    if (parent.closed || work.finishing) return
    let working = 0
    for (const c of work.children) working += c.leaves
    const remaining = parent.leaves - working
    if (now >= work.horizon || (remaining <= 0 && work.children.size === 0)) {
      this.finish(work)
      return
    }
    if (remaining > 0) {
      const size = Math.min(
        remaining,
        Math.max(100, Math.round(parent.terms.quantity / work.slices / 100) * 100),
      )
      this.sendChild(work, now, size)
    }
    sim.at(now + 5 * SECOND + Math.floor(rng.exp(55 * SECOND)), parent.lc, () => this.slice(work))
  }

  private sendChild(work: Work, t: number, shares: number): void {
    const sim = this.sim
    const rng = sim.rng
    const parent = work.parent
    const side = bookSide(parent.terms.side)
    const style = rng.chance(0.6) ? 'touch' : 'marketable'
    let price = limitPrice(sim, parent.sym, side, t, style)
    // Never beyond the customer's limit.
    price = side === 'B' ? Math.min(price, parent.terms.price!) : Math.max(price, parent.terms.price!)
    const ioc = style === 'marketable' && rng.chance(0.5)
    const terms: OrderTerms = { ...parent.terms, price, quantity: shares, tif: ioc ? 'IOC' : 'DAY' }
    const child = sim.parts.brokerage.child(t, parent, terms)
    work.children.add(child)
    child.listener = { onEnd: () => work.children.delete(child) }
    const t1 = t + sim.internal()
    const firm = parent.firm
    // Options have no ATS: option children all go to exchanges.
    if (firm.atsImid && !parent.sym.option && rng.chance(0.25)) {
      sim.parts.brokerage.route(t1, child, { kind: 'F', firm, imid: firm.atsImid })
    } else sim.parts.flow.toExchange(t1, child)
    if (!ioc) this.watchChild(work, child, t)
  }

  /** An unfilled child is re-priced to the touch now and then (MECOM), else cancelled (MECOC). */
  private watchChild(work: Work, child: FirmOrder, t: number): void {
    const sim = this.sim
    const rng = sim.rng
    sim.at(t + 15 * SECOND + Math.floor(rng.exp(60 * SECOND)), work.parent.lc, () => {
      const now = sim.queue.now
      if (child.closed || child.busy) return
      const parent = work.parent
      if (work.finishing || !rng.chance(0.3)) {
        sim.parts.brokerage.cancel(now, child, 'F')
        return
      }
      const side = bookSide(parent.terms.side)
      let price = limitPrice(sim, parent.sym, side, now, 'touch')
      price = side === 'B' ? Math.min(price, parent.terms.price!) : Math.max(price, parent.terms.price!)
      sim.parts.brokerage.modify(now, child, price, child.terms.quantity, (ok) => {
        if (ok) this.watchChild(work, child, sim.queue.now)
      })
    })
  }

  private finish(work: Work): void {
    const sim = this.sim
    work.finishing = true
    const now = sim.queue.now
    for (const c of work.children) sim.parts.brokerage.cancel(now, c, 'F')
    sim.at(now + 50 * 1e6, work.parent.lc, () => {
      const parent = work.parent
      if (parent.closed) return
      if (parent.leaves > 0 && sim.rng.chance(0.4)) {
        // In v4.1 the sales desk first takes the order back from the algo desk (MEIC), then cancels it.
        if (work.kept && sim.sink.has('MEIC') && !parent.busy) {
          const cancelQty = qtyText(parent.leaves)
          sim.parts.brokerage.maybeRequest(sim.queue.now, parent, 'MEICR', { cancelQty }, 1)
          sim.parts.brokerage.cancelInternalRoute(sim.queue.now, parent, work.kept, 'C')
        }
        sim.parts.brokerage.cancel(sim.queue.now, parent, 'C')
      } else parent.end(sim.queue.now)
    })
  }
}

/**
 * After an institution's order ends, the middle office books its fills to the institution's sub-accounts
 * (MEPA, or MOPA for an option order), at the average price.
 */
export function allocateFills(sim: Sim, parent: FirmOrder, t: number): void {
  const accounts = parent.account?.allocations
  if (!accounts || accounts.length === 0 || parent.filled <= 0) return
  const when = Math.min(t + MINUTE + Math.floor(sim.rng.exp(5 * MINUTE)), sim.hours.end - SECOND)
  const price = Math.round(parent.averagePrice * 100) / 100
  const total = parent.filled
  sim.at(when, undefined, () => {
    let left = total
    accounts.forEach((account, i) => {
      const shares = i === accounts.length - 1 ? left : Math.floor(total / accounts.length)
      left -= shares
      if (shares > 0) sim.parts.brokerage.allocate(sim.queue.now, parent, account, shares, price)
    })
  })
}
