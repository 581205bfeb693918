/**
 * Each symbol's fair value through the day: a random walk whose variance grows with elapsed time (the
 * symbol's daily volatility), occasional jumps, and shocks the abuse scenarios apply (news, impact).
 * Orders are priced around it, so venues' books drift with it.
 */
import type { Rng } from './rng.ts'
import { HOUR, MINUTE } from './trading-hours.ts'
import type { Sym } from './world.ts'

const DAY = 6 * HOUR + 30 * MINUTE
const JUMPS_PER_DAY = 1.5

interface PathState {
  logPrice: number
  t: number
}

/** Fair values of all symbols, advanced lazily when asked. */
export class FairValues {
  private readonly state: PathState[]

  constructor(
    symbols: readonly Sym[],
    private readonly rng: Rng,
    start: number,
  ) {
    this.state = symbols.map((s) => ({ logPrice: Math.log(s.refCents), t: start }))
  }

  /** Fair value of a symbol at time t, in (fractional) cents; t never goes backwards per symbol. */
  cents(sym: Sym, t: number): number {
    const st = this.state[sym.index]
    const dt = t - st.t
    if (dt > 0) {
      const frac = dt / DAY
      st.logPrice += sym.sigma * Math.sqrt(frac) * this.rng.normal()
      if (this.rng.chance(JUMPS_PER_DAY * frac)) st.logPrice += sym.sigma * 0.6 * this.rng.normal()
      // Keep prices within the listed range the symbol master allows.
      st.logPrice = Math.min(Math.log(150_000), Math.max(Math.log(100), st.logPrice))
      st.t = t
    }
    return Math.exp(st.logPrice)
  }

  /** Moves a symbol's fair value by a relative amount right now (news, price impact). */
  shock(sym: Sym, t: number, relative: number): void {
    this.cents(sym, t)
    this.state[sym.index].logPrice += Math.log(1 + relative)
  }
}
