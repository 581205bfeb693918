/**
 * Representative orders: a firm gathers several clients' orders on the same side (MENO each), works them
 * as one order from its average-price account (MENO with representativeInd Y and aggregatedOrders), and
 * when it is done fills each client at the average price (MEOF, linked to the client and the firm order).
 * In v4.1 a client arriving while the order is set up joins it (MEOM and its supplement, MEOMS).
 */
import type { FirmOrder } from './firm-order.ts'
import { retailShares } from './order-shapes.ts'
import type { OrderTerms, Side } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND, sessionAt } from './trading-hours.ts'
import { eventType, type Firm, type Sym } from './world.ts'

/** Representative-order desks of all firms. */
export class RepresentativeDesk {
  constructor(private readonly sim: Sim) {}

  /** Gathers client orders and works a representative order; false when the firm lacks clients. */
  start(t: number, firm: Firm, sym: Sym): boolean {
    const sim = this.sim
    const rng = sim.rng
    if (t < sim.hours.open || t >= sim.hours.close - 60 * SECOND) return false
    const side: Side = rng.chance(0.5) ? 'B' : 'SL'
    const n = 2 + rng.int(4)
    const clients: FirmOrder[] = []
    const seen = new Set<string>()
    let at = t
    for (let i = 0; i < n; i++) {
      const account = sim.accounts.retail(firm, rng)
      if (!account || seen.has(account.fdid)) continue
      seen.add(account.fdid)
      const shares = Math.max(100, Math.round(retailShares(sim, sym, at) / 100) * 100)
      const terms: OrderTerms = {
        side,
        type: 'MKT',
        quantity: shares,
        tif: 'DAY',
        session: sessionAt(sim.hours, at),
        ...(sym.option ? { openClose: 'Open' as const } : {}),
      }
      clients.push(sim.parts.brokerage.newOrder(at, firm, sym, terms, account))
      at += Math.floor(200 * 1e6 + rng.exp(1.5 * SECOND))
    }
    if (clients.length < 2) {
      for (const c of clients) c.end(at)
      return clients.length > 0
    }
    const total = clients.reduce((s, c) => s + c.terms.quantity, 0)
    const repAt = at + Math.floor(rng.exp(2 * SECOND))
    const terms: OrderTerms = {
      side,
      type: 'MKT',
      quantity: total,
      tif: 'DAY',
      session: sessionAt(sim.hours, repAt),
      ...(sym.option ? { openClose: 'Open' as const } : {}),
    }
    // v4.1: some desks work the clients' interest as two representative orders sent to exchanges apart;
    // a client's fulfillment from the first then names the second in a supplement (MEOFS, MOOFS).
    const split =
      sim.options.fileVersion === '4.1.0' &&
      sim.sink.has(eventType(sym, 'MEOFS')) &&
      total >= 2 &&
      rng.chance(0.35)
    const sizes = split ? [Math.floor(total / 2), total - Math.floor(total / 2)] : [total]
    const reps = sizes.map((quantity) =>
      sim.parts.brokerage.newOrder(repAt, firm, sym, { ...terms, quantity }, sim.accounts.own(firm, 'V'), {
        clients,
      }),
    )
    let working = reps.length
    // The fulfillments join every representative order's lifecycle: each is kept open until they are out.
    if (split) for (const rep of reps) sim.truth.hold(rep.lc)
    for (const rep of reps)
      rep.listener = {
        onEnd: (_order, tEnd) => {
          if (--working === 0) this.fill(reps, clients, tEnd)
        },
      }
    // v4.1: now and then one more client's order comes in while the desk sets the order up; it joins it.
    const joinedAt =
      !split &&
      sim.options.fileVersion === '4.1.0' &&
      sim.sink.has(eventType(sym, 'MEOMS')) &&
      rng.chance(0.5)
        ? this.join(reps[0], clients, seen, firm, sym, repAt)
        : undefined
    for (const rep of reps) sim.parts.flow.toExchange((joinedAt ?? repAt) + sim.internal(), rep)
    return true
  }

  /**
   * A late client's order (MENO) joins a representative order before it is sent: the desk restates it
   * (MEOM naming the clients it had, MEOMS the newcomer). Returns when, or undefined if no client came.
   */
  private join(
    rep: FirmOrder,
    clients: FirmOrder[],
    seen: Set<string>,
    firm: Firm,
    sym: Sym,
    repAt: number,
  ): number | undefined {
    const sim = this.sim
    const account = sim.accounts.retail(firm, sim.rng)
    if (!account || seen.has(account.fdid)) return undefined
    seen.add(account.fdid)
    const at = repAt + Math.floor(100 * 1e6 + sim.rng.exp(SECOND))
    const shares = Math.max(100, Math.round(retailShares(sim, sym, at) / 100) * 100)
    const terms: OrderTerms = { ...rep.terms, quantity: shares, session: sessionAt(sim.hours, at) }
    const late = sim.parts.brokerage.newOrder(at, firm, sym, terms, account)
    const had = [...clients]
    clients.push(late)
    const modAt = at + sim.internal()
    sim.parts.brokerage.restateRepresentative(modAt, rep, rep.terms.quantity + shares, had, [late])
    return modAt
  }

  /** Splits the representative orders' fills over their clients pro rata, at the average price. */
  private fill(reps: readonly FirmOrder[], clients: readonly FirmOrder[], t: number): void {
    const sim = this.sim
    const [rep, ...more] = reps
    let total = 0
    let filled = 0
    let value = 0
    for (const r of reps) {
      total += r.terms.quantity
      filled += r.filled
      value += r.filled * r.averagePrice
    }
    const average = reps.length === 1 ? rep.averagePrice : filled > 0 ? value / filled : 0
    const price = Math.round(average * 100) / 100
    const when = Math.min(t + SECOND + Math.floor(sim.rng.exp(2 * SECOND)), sim.hours.end - SECOND)
    // The fulfillments join the representative order's lifecycle too, so keep it open until they are out.
    sim.at(when, rep.lc, () => {
      try {
        let left = filled
        clients.forEach((client, i) => {
          const share = i === clients.length - 1 ? left : Math.floor((filled * client.terms.quantity) / total)
          const shares = Math.min(share, client.terms.quantity)
          left -= shares
          // A client filled from both representative orders names the second in a supplement.
          const also = more.filter((r) => r.filled > 0)
          if (shares > 0) sim.parts.brokerage.fulfill(sim.queue.now, client, rep, shares, price, also)
          client.end(sim.queue.now)
        })
      } finally {
        if (more.length > 0) for (const r of reps) sim.truth.release(r.lc)
      }
    })
  }
}
