/**
 * The simulated day's clock: session boundaries (pre-market, regular session, a short post-market up to
 * the CAT 16:15 cutoff), the U-shaped intraday arrival intensity, and exactly N sorted arrival times drawn
 * one after another in constant memory.
 */
import type { TradingCalendar } from '../common/time/index.ts'
import type { Rng } from './rng.ts'

/** Nanoseconds in a millisecond. */
export const MS = 1_000_000
/** Nanoseconds in a second. */
export const SECOND = 1_000_000_000
/** Nanoseconds in a minute. */
export const MINUTE = 60 * SECOND
/** Nanoseconds in an hour. */
export const HOUR = 60 * MINUTE

/** Session boundaries of the simulated day, in ns since the date's midnight (ET). */
export interface TradingHours {
  readonly preOpen: number
  readonly open: number
  readonly close: number
  /** End of the simulation: 15 minutes after the close, the CAT Trading Day cutoff. */
  readonly end: number
}

/** The sessions of a date: 08:00 pre-market, 09:30 open, 16:00 close (or the early close), cutoff +15 min. */
export function tradingHours(calendar: TradingCalendar, date: number): TradingHours {
  const early = calendar.earlyCloses.get(date)
  const [h, m] = early ? early.split(':').map(Number) : [16, 0]
  const close = h * HOUR + m * MINUTE
  return { preOpen: 8 * HOUR, open: 9 * HOUR + 30 * MINUTE, close, end: close + 15 * MINUTE }
}

/** The trading session an order entered at `t` asks for. */
export function sessionAt(hours: TradingHours, t: number): 'PREREG' | 'REG' | 'REGPOST' | 'POST' {
  if (t < hours.open) return 'PREREG'
  if (t >= hours.close) return 'POST'
  return t >= hours.close - 30 * MINUTE ? 'REGPOST' : 'REG'
}

const PRE_MASS = 0.025
const POST_MASS = 0.012

/** Relative arrival intensity within the regular session at fraction x of it: a U with bursts at both ends. */
function regularIntensity(x: number): number {
  const u = 2 * x - 1
  return 0.55 + 2.2 * u ** 4 + 1.6 * Math.exp(-x / 0.012) + 1.1 * Math.exp(-(1 - x) / 0.01)
}

/** Draws exactly `n` arrival times in increasing order, one at a time, from the intraday intensity. */
export class ArrivalClock {
  private readonly edges: number[] = []
  private readonly mass: number[] = []
  private u = 0
  private drawn = 0

  constructor(
    private readonly hours: TradingHours,
    private readonly n: number,
    private readonly rng: Rng,
    /** Arrivals only in the regular session (options trade 9:30 to the close). */
    regularOnly = false,
  ) {
    const bin = MINUTE
    const weights: number[] = []
    const regularBins = Math.round((hours.close - hours.open) / bin)
    let regularTotal = 0
    for (let i = 0; i < regularBins; i++) regularTotal += regularIntensity((i + 0.5) / regularBins)
    const preMass = regularOnly ? 0 : PRE_MASS
    const postMass = regularOnly ? 0 : POST_MASS
    const preBins = Math.round((hours.open - hours.preOpen) / bin)
    const postBins = Math.round((hours.end - hours.close) / bin)
    const regularMass = 1 - preMass - postMass
    for (let i = 0; i < preBins; i++) weights.push(preMass / preBins)
    for (let i = 0; i < regularBins; i++)
      weights.push((regularMass * regularIntensity((i + 0.5) / regularBins)) / regularTotal)
    for (let i = 0; i < postBins; i++) weights.push(postMass / postBins)
    let sum = 0
    this.edges.push(hours.preOpen)
    this.mass.push(0)
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i]
      this.edges.push(hours.preOpen + (i + 1) * bin)
      this.mass.push(sum)
    }
    this.mass[this.mass.length - 1] = 1
  }

  /** Arrivals still to come. */
  get remaining(): number {
    return this.n - this.drawn
  }

  /** The next arrival time, or undefined after the n-th. */
  next(): number | undefined {
    if (this.drawn >= this.n) return undefined
    // The next order statistic of (n - drawn) uniforms above u: 1 - (1-u)·V^(1/k).
    const k = this.n - this.drawn
    this.u = 1 - (1 - this.u) * (1 - this.rng.float()) ** (1 / k)
    this.drawn++
    return this.invert(this.u)
  }

  private invert(u: number): number {
    const mass = this.mass
    let lo = 0
    let hi = mass.length - 1
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (mass[mid] <= u) lo = mid
      else hi = mid
    }
    const span = mass[hi] - mass[lo]
    const f = span > 0 ? (u - mass[lo]) / span : 0
    return Math.min(this.hours.end - 1, Math.floor(this.edges[lo] + f * (this.edges[hi] - this.edges[lo])))
  }
}
