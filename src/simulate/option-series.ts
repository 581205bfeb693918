/**
 * The options side of the simulated market: options exchanges, and listed series (calls and puts on the
 * busiest underlyings, at strikes around the money, for the next two monthly expirations) with opening
 * premiums, and the options series master (options.json) that lists them. Built from its own random
 * stream, so adding options leaves the equities market of a seed unchanged.
 */

import { EXCHANGE_NAMES } from './names.ts'
import { SIM_OPTION_EXCHANGES } from './options.ts'
import { cumulative, type Rng } from './rng.ts'
import type { Sym, Venue, World } from './world.ts'

/** The options market of a day. */
export interface OptionsMarket {
  readonly exchanges: readonly Venue[]
  /** Listed series; `symbol` is the OSI symbol, `listing` the exchange that lists most of its volume. */
  readonly series: readonly Sym[]
  /** Cumulative activity weights of the series. */
  readonly weights: readonly number[]
}

const DAY_MS = 86_400_000

function toDate(d: Date): number {
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()
}

function fromDate(date: number): Date {
  return new Date(Date.UTC(Math.floor(date / 10000), (Math.floor(date / 100) % 100) - 1, date % 100))
}

/** The third Friday of a month: the standard monthly expiration. */
function thirdFriday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1))
  const friday = 1 + ((5 - first.getUTCDay() + 7) % 7)
  return new Date(Date.UTC(year, month, friday + 14))
}

/** The next `n` monthly expirations after `date`. */
export function monthlyExpiries(date: number, n: number): number[] {
  const d = fromDate(date)
  const out: number[] = []
  for (let m = 0; out.length < n; m++) {
    const e = thirdFriday(d.getUTCFullYear(), d.getUTCMonth() + m)
    if (toDate(e) > date) out.push(toDate(e))
  }
  return out
}

/** Strike step for an underlying price in dollars (the usual listing intervals). */
function strikeStep(dollars: number): number {
  if (dollars < 25) return 1
  if (dollars < 200) return 5
  return 10
}

/** Strike text without trailing zeros: 42.5 → '42.5', 40 → '40'. */
function strikeText(dollars: number): string {
  return String(Math.round(dollars * 1000) / 1000)
}

/** The OSI symbol: root in six places, YYMMDD, C or P, strike × 1000 in eight digits. */
export function osiSymbol(root: string, expiry: number, putCall: 'C' | 'P', strike: number): string {
  const yymmdd = String(expiry % 1_000_000).padStart(6, '0')
  return `${root.padEnd(6, ' ')}${yymmdd}${putCall}${String(Math.round(strike * 1000)).padStart(8, '0')}`
}

/** An opening premium in cents: intrinsic value plus a time value that fades away from the money. */
function premiumCents(
  spot: number,
  strike: number,
  putCall: 'C' | 'P',
  days: number,
  dailySigma: number,
): number {
  const years = Math.max(days, 1) / 365
  const vol = dailySigma * Math.sqrt(252) * Math.sqrt(years)
  const intrinsic = Math.max(0, putCall === 'C' ? spot - strike : strike - spot)
  const z = Math.log(spot / strike) / Math.max(vol, 1e-6)
  const time = 0.4 * spot * vol * Math.exp(-0.5 * z * z)
  return Math.max(5, Math.round(intrinsic + time))
}

/** Builds the options market over the world's busiest symbols. */
export function buildOptionsMarket(world: World, count: number, date: number, rng: Rng): OptionsMarket {
  const used = new Set<number>([
    ...world.firms.map((f) => f.crd),
    world.bureau.id,
    ...world.exchanges.map((e) => e.submitterId),
    world.tradeReporting.submitterId,
  ])
  const exchanges: Venue[] = SIM_OPTION_EXCHANGES.slice(0, count).map((id, index) => {
    let submitterId = 0
    do submitterId = rng.range(6000000, 6999999)
    while (used.has(submitterId))
    used.add(submitterId)
    return { index, id, name: EXCHANGE_NAMES[id], submitterId }
  })
  // The underlyings: the symbols with the most activity, a quarter of them (at least two).
  const activity = world.symbols.map((s, i) => ({
    s,
    w: world.symbolWeights[i] - (i > 0 ? world.symbolWeights[i - 1] : 0),
  }))
  activity.sort((a, b) => b.w - a.w || a.s.index - b.s.index)
  const underlyings = activity.slice(0, Math.max(2, Math.floor(world.symbols.length / 4)))
  const expiries = monthlyExpiries(date, 2)
  const series: Sym[] = []
  const weights: number[] = []
  for (const { s, w } of underlyings) {
    const spot = s.refCents / 100
    const step = strikeStep(spot)
    const atm = Math.max(step, Math.round(spot / step) * step)
    for (const [e, expiry] of expiries.entries()) {
      const days = (fromDate(expiry).getTime() - fromDate(date).getTime()) / DAY_MS
      for (let k = -2; k <= 2; k++) {
        const strike = atm + k * step
        if (strike <= 0) continue
        for (const putCall of ['C', 'P'] as const) {
          const cents = premiumCents(spot, strike, putCall, days, s.sigma)
          series.push({
            index: series.length,
            symbol: osiSymbol(s.symbol, expiry, putCall, strike),
            listing: exchanges[rng.int(exchanges.length)].id,
            name: `${s.symbol} ${expiry} ${strikeText(strike)} ${putCall === 'C' ? 'call' : 'put'}`,
            refCents: cents,
            // A premium moves several times as much as its underlying, in relative terms.
            sigma: Math.min(0.6, s.sigma * Math.max(1.5, Math.min(12, (spot * 100) / cents / 2))),
            option: { underlying: s.symbol, expiry, strike: strikeText(strike), putCall },
          })
          // Near the money and the nearer expiration trade most.
          weights.push((w * (e === 0 ? 2 : 1)) / (1 + Math.abs(k)))
        }
      }
    }
  }
  return { exchanges, series, weights: cumulative(weights) }
}

/** The options series master of the day (docs/formats/reference.md, options.json). */
export function optionsDocument(market: OptionsMarket): unknown {
  const iso = (d: number) =>
    `${Math.floor(d / 10000)}-${String(Math.floor(d / 100) % 100).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}`
  return {
    version: 1,
    series: market.series.map((s) => {
      const o = s.option!
      // Monthly series are listed about nine months ahead of their expiration.
      const listed = toDate(new Date(fromDate(o.expiry).getTime() - 270 * DAY_MS))
      return {
        optionID: s.symbol,
        underlying: o.underlying,
        expiry: iso(o.expiry),
        strike: o.strike,
        putCall: o.putCall,
        from: iso(listed),
        to: iso(o.expiry),
      }
    }),
  }
}
