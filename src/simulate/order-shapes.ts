/**
 * How orders look: heavy-tailed sizes (odd lots, round lots, a few blocks) per kind of trader, and limit
 * prices placed passively, at the touch or marketable, around the quotes and the symbol's fair value.
 */
import type { BookSide } from './order-book.ts'
import type { Rng } from './rng.ts'
import type { Sim } from './sim.ts'
import type { Sym } from './world.ts'

/** Where a limit price sits relative to the market. */
export type PriceStyle = 'passive' | 'touch' | 'marketable'

function lot(shares: number): number {
  return Math.max(100, Math.round(shares / 100) * 100)
}

// Dear stocks trade in fewer shares: scale sizes down above $100.
function priceScale(sim: Sim, sym: Sym, t: number): number {
  const dollars = sim.fair.cents(sym, t) / 100
  return dollars > 100 ? Math.sqrt(100 / dollars) : 1
}

/** A retail order's size: mostly odd lots and small round lots. */
export function retailShares(sim: Sim, sym: Sym, t: number): number {
  const rng = sim.rng
  const r = rng.float()
  if (r < 0.42) return Math.min(99, 1 + rng.geometric(18))
  const scale = priceScale(sim, sym, t)
  if (r < 0.94) return lot(100 * (1 + rng.geometric(1.6)) * scale)
  return lot(Math.min(20_000, rng.pareto(500, 1.4)) * scale)
}

/** A fractional retail quantity (only wholesalers fill these, never exchanges). */
export function fractionalShares(rng: Rng): number {
  return Math.round((0.01 + rng.float() * 9.99) * 10000) / 10000
}

/** A proprietary or market-making desk's order size. */
export function propShares(sim: Sim, sym: Sym, t: number): number {
  const rng = sim.rng
  if (rng.chance(0.08)) return 1 + rng.int(99)
  return lot(100 * (1 + rng.geometric(1.3)) * priceScale(sim, sym, t))
}

/** An agency customer's order size. */
export function agencyShares(sim: Sim, sym: Sym, t: number, institution: boolean): number {
  if (!institution) return retailShares(sim, sym, t)
  return lot(Math.min(50_000, sim.rng.pareto(300, 1.3)) * priceScale(sim, sym, t))
}

/** An institutional parent order's size: heavy-tailed, occasionally a block. */
export function parentShares(sim: Sim, sym: Sym, t: number): number {
  return lot(Math.min(400_000, sim.rng.pareto(2_000, 1.15)) * priceScale(sim, sym, t))
}

/** A limit price in cents for a buy or sell placed in the given style. */
export function limitPrice(sim: Sim, sym: Sym, side: BookSide, t: number, style: PriceStyle): number {
  const rng = sim.rng
  const fair = sim.fair.cents(sym, t)
  const q = sim.parts.brokerage.bestPrices(sym)
  const bid = q.bid ?? Math.floor(fair) - 1
  const ask = q.ask ?? Math.ceil(fair) + 1
  let p: number
  if (side === 'B') {
    if (style === 'marketable') p = Math.max(ask, Math.ceil(fair)) + rng.geometric(0.6)
    else if (style === 'touch') p = ask - bid > 1 && rng.chance(0.3) ? bid + 1 : bid
    else p = Math.min(bid, Math.floor(fair)) - 1 - rng.geometric(Math.max(2, fair * 0.002))
  } else {
    if (style === 'marketable') p = Math.min(bid, Math.floor(fair)) - rng.geometric(0.6)
    else if (style === 'touch') p = ask - bid > 1 && rng.chance(0.3) ? ask - 1 : ask
    else p = Math.max(ask, Math.ceil(fair)) + 1 + rng.geometric(Math.max(2, fair * 0.002))
  }
  return Math.max(1, Math.round(p))
}

/** A random style with the given weights (passive, touch, marketable). */
export function pickStyle(rng: Rng, passive: number, touch: number): PriceStyle {
  const r = rng.float()
  return r < passive ? 'passive' : r < passive + touch ? 'touch' : 'marketable'
}
