/**
 * v4.1: an institution's order meeting several resting orders in an ATS at one price. A few customers of
 * retail and agency brokers leave sell (or buy) orders at the touch in the ATS; a moment later an
 * institution's IOC order for the whole of them arrives at that price and crosses them all in one trade,
 * which the ATS reports as one MEOT naming the first resting order and a supplement (MEOTS) for each
 * further one (ats-venue.ts). The orders' sizes and prices are drawn like any other agency order's.
 */
import { bookSide } from './exchange-venue.ts'
import type { FirmOrder } from './firm-order.ts'
import type { OrderFlow } from './order-flow.ts'
import { agencyShares, limitPrice } from './order-shapes.ts'
import type { OrderTerms, Side } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND, sessionAt } from './trading-hours.ts'
import type { Firm, Sym } from './world.ts'

/** Sets up the resting orders and the institution's order; false when no ATS or customers fit. */
export function atsSweep(sim: Sim, flow: OrderFlow, t: number, firm: Firm, sym: Sym): boolean {
  const rng = sim.rng
  if (t < sim.hours.open || t >= sim.hours.close - 60 * SECOND) return false
  const operators = sim.world.firms.filter((f) => f.atsImid)
  const senders = sim.world.firms.filter((f) => f.role === 'retail' || f.role === 'agency')
  const institution = sim.accounts.institution(firm, rng)
  if (operators.length === 0 || senders.length === 0 || !institution) return false
  const operator = rng.pick(operators)
  const resting: Side = rng.chance(0.5) ? 'SL' : 'B'
  const price = limitPrice(sim, sym, bookSide(resting), t, 'touch')
  const terms = (side: Side, quantity: number, tif: 'DAY' | 'IOC', at: number): OrderTerms => ({
    side,
    type: 'LMT',
    price,
    quantity,
    tif,
    session: sessionAt(sim.hours, at),
  })
  const orders: FirmOrder[] = []
  let at = t
  const n = 2 + rng.int(3)
  for (let i = 0; i < n; i++) {
    const sender = rng.pick(senders)
    const account = sim.accounts.retail(sender, rng)
    if (!account || flow.crossesOwn(account, sym, resting)) continue
    const shares = agencyShares(sim, sym, at, false)
    const order = sim.parts.brokerage.newOrder(at, sender, sym, terms(resting, shares, 'DAY', at), account)
    flow.remember(account, order)
    sim.parts.brokerage.route(at + sim.internal(), order, {
      kind: 'F',
      firm: operator,
      imid: operator.atsImid!,
    })
    orders.push(order)
    at += Math.floor(50 * 1e6 + rng.exp(400 * 1e6))
  }
  if (orders.length === 0) return true
  const contra: Side = resting === 'B' ? 'SL' : 'B'
  if (flow.crossesOwn(institution, sym, contra)) return true
  const total = orders.reduce((s, o) => s + o.terms.quantity, 0)
  const arrive = at + 20 * 1e6 + Math.floor(rng.exp(SECOND))
  const block = sim.parts.brokerage.newOrder(
    arrive,
    firm,
    sym,
    terms(contra, total, 'IOC', arrive),
    institution,
  )
  flow.remember(institution, block)
  sim.parts.brokerage.route(arrive + sim.internal(), block, {
    kind: 'F',
    firm: operator,
    imid: operator.atsImid!,
  })
  return true
}
