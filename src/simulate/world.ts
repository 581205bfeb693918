/**
 * The simulated market's cast: broker-dealer firms (with CRDs, IMIDs, ATSs and roles), exchanges, the
 * service bureau, and the symbols with their reference prices. Built once from the seed.
 */

import { FINRA_FACILITIES } from '../catalogue/index.ts'
import {
  EXCHANGE_NAMES,
  FIRM_SUFFIXES,
  FIRM_WORDS,
  ISSUER_ENDINGS,
  ISSUER_FIRST,
  ISSUER_SECOND,
} from './names.ts'
import { type ResolvedOptions, SIM_EXCHANGES } from './options.ts'
import { cumulative, type Rng } from './rng.ts'

/** What a firm mostly does; it decides its order flow. */
export type FirmRole = 'wholesaler' | 'retail' | 'institutional' | 'prop' | 'agency' | 'introducing'

/** A broker-dealer (CAT Industry Member). */
export interface Firm {
  readonly index: number
  readonly crd: number
  readonly name: string
  readonly role: FirmRole
  /** The firm's main IMID (its FINRA MPID). */
  readonly imid: string
  /** The IMID of the ATS the firm operates, if any. */
  readonly atsImid: string | undefined
  /** CAT Submitter ID that submits its files: its own CRD, or the service bureau's id. */
  readonly submitterId: number
  readonly marketMaker: boolean
  /** Fraction digits of the firm's electronic timestamps (3, 6 or 9). */
  readonly digits: 3 | 6 | 9
  /** Writes orderKeyDate as the event date at midnight (the time part is optional in the spec). */
  readonly keyDateOnly: boolean
  /** FIX-like sessions the firm holds with each exchange. */
  readonly sessionsPerExchange: number
  /** Clock error added to every timestamp the firm reports, in ns (clock-drift fault). */
  driftNs: number
}

/** A national securities exchange. */
export interface Venue {
  readonly index: number
  readonly id: string
  readonly name: string
  readonly submitterId: number
}

/** A listed symbol. */
export interface Sym {
  readonly index: number
  readonly symbol: string
  readonly listing: string
  readonly name: string
  /** Opening reference price in cents (simulator only; not written). */
  readonly refCents: number
  /** Daily volatility (log return standard deviation). */
  readonly sigma: number
  /** For an option series: its terms (then `symbol` is the OSI symbol and `listing` an options exchange). */
  readonly option?: OptionTerms
  /** For a multi-leg package: its legs (then `symbol` is the underlying). */
  readonly legs?: readonly Leg[]
}

/** One leg of a multi-leg package (legDetails). */
export interface Leg {
  readonly legRefID: string
  /** The equity symbol or the series' OSI symbol. */
  readonly instrument: Sym
  readonly side: 'B' | 'SL'
  readonly ratio: number
  readonly openClose?: 'Open' | 'Close'
}

/** The terms of a listed option series (options.json in the reference data). */
export interface OptionTerms {
  readonly underlying: string
  /** YYYYMMDD. */
  readonly expiry: number
  /** Strike as exact decimal text, e.g. '42.5'. */
  readonly strike: string
  readonly putCall: 'C' | 'P'
}

/**
 * The field firm events name the instrument by: optionID for an option series, underlying for a
 * multi-leg package (whose order key has no symbol), symbol otherwise.
 */
export function instrumentField(sym: Sym): 'symbol' | 'optionID' | 'underlying' {
  return sym.option ? 'optionID' : sym.legs ? 'underlying' : 'symbol'
}

/** The event type of a firm event for the instrument: MONO for MENO on an option series, MLNO on a package. */
export function eventType(sym: Sym, equityType: string): string {
  return sym.option ? `MO${equityType.slice(2)}` : sym.legs ? `ML${equityType.slice(2)}` : equityType
}

/** The service bureau that submits for small firms. */
export interface Bureau {
  readonly id: number
  readonly name: string
  readonly firms: readonly Firm[]
}

/** Everything fixed about the simulated market. */
export interface World {
  readonly firms: readonly Firm[]
  readonly exchanges: readonly Venue[]
  readonly symbols: readonly Sym[]
  /** Cumulative activity weights of the symbols (a few carry most of the day). */
  readonly symbolWeights: readonly number[]
  readonly bureau: Bureau
  /** The firm that routes orders out for the exchanges (EXOR → its MEOA). */
  readonly exchangeRouter: Firm
  /** The participant that reports the trade reports of FINRA's facilities (TRFT). */
  readonly tradeReporting: Venue
}

/** `CRD:IMID`, the way routes name a firm. */
export function imidRef(firm: Firm, imid = firm.imid): string {
  return `${firm.crd}:${imid}`
}

function roleOf(i: number, n: number): FirmRole {
  if (i === 0) return 'wholesaler'
  if (i === 1) return 'retail'
  if (i === 2) return 'institutional'
  if (i === 3) return 'prop'
  if (n >= 7 && i >= n - 2) return 'introducing'
  if (i % 4 === 1) return 'retail'
  return 'agency'
}

function uniqueNumber(rng: Rng, lo: number, hi: number, used: Set<number>): number {
  for (;;) {
    const v = rng.range(lo, hi)
    if (!used.has(v)) {
      used.add(v)
      return v
    }
  }
}

function upperLetters(rng: Rng, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + rng.int(26))
  return s
}

function buildFirms(rng: Rng, n: number, used: Set<number>, taken: Set<string>, bureauId: number): Firm[] {
  const words = rng.shuffle([...FIRM_WORDS])
  const firms: Firm[] = []
  for (let i = 0; i < n; i++) {
    const role = roleOf(i, n)
    const word = words[i % words.length]
    let imid = word.slice(0, 4).toUpperCase()
    while (taken.has(imid)) imid = word.slice(0, 2).toUpperCase() + upperLetters(rng, 2)
    taken.add(imid)
    let atsImid: string | undefined
    // One or two firms run an ATS: the institutional broker always, a second agency firm in larger markets.
    if (role === 'institutional' || (i === 4 && n >= 6)) {
      atsImid = `${imid.slice(0, 3)}X`
      while (taken.has(atsImid)) atsImid = imid.slice(0, 2) + upperLetters(rng, 2)
      taken.add(atsImid)
    }
    const crd = uniqueNumber(rng, 100000, 299999, used)
    const bureau = n >= 5 && i >= n - 2
    const suffixes = FIRM_SUFFIXES[role]
    firms.push({
      index: i,
      crd,
      name: `${word} ${suffixes[rng.int(suffixes.length)]}`,
      role,
      imid,
      atsImid,
      submitterId: bureau ? bureauId : crd,
      marketMaker: role === 'wholesaler' || role === 'prop',
      digits: role === 'prop' || role === 'wholesaler' ? 9 : rng.chance(0.5) ? 6 : 3,
      keyDateOnly: rng.chance(0.3),
      sessionsPerExchange: 1 + rng.int(3),
      driftNs: 0,
    })
  }
  return firms
}

const SYMBOL_LENGTH: Readonly<Record<string, readonly number[]>> = {
  NSDQ: [4, 4, 4, 3],
  NYSE: [1, 2, 3, 3],
  ARCA: [3, 4],
  AMER: [3, 4],
}

function buildSymbols(rng: Rng, n: number, taken: Set<string>): Sym[] {
  const listings = cumulative([50, 38, 8, 4])
  const listingIds = ['NSDQ', 'NYSE', 'ARCA', 'AMER']
  const symbols: Sym[] = []
  for (let i = 0; i < n; i++) {
    const listing = listingIds[rng.weighted(listings)]
    let symbol = ''
    do symbol = upperLetters(rng, rng.pick(SYMBOL_LENGTH[listing]))
    while (taken.has(symbol) || symbol === 'ZVZZT')
    taken.add(symbol)
    const etf = listing === 'ARCA'
    const name = etf
      ? `${rng.pick(ISSUER_FIRST)} ${rng.pick(ISSUER_SECOND)} Select ETF`
      : `${rng.pick(ISSUER_FIRST)} ${rng.pick(ISSUER_SECOND)} ${rng.pick(ISSUER_ENDINGS)}`
    // Heavy-tailed prices: log-normal around $35, kept within $2-$800.
    const dollars = Math.min(800, Math.max(2, rng.logNormal(35, 1.05)))
    symbols.push({
      index: i,
      symbol,
      listing,
      name,
      refCents: Math.round(dollars * 100),
      sigma: Math.min(0.08, rng.logNormal(etf ? 0.009 : 0.018, 0.45)),
    })
  }
  return symbols
}

/** Builds the market's cast from the options and the seed. */
export function buildWorld(options: ResolvedOptions, rng: Rng): World {
  const used = new Set<number>()
  const taken = new Set<string>(SIM_EXCHANGES)
  const bureauId = uniqueNumber(rng, 3000000, 3999999, used)
  const firms = buildFirms(rng, options.firms, used, taken, bureauId)
  const exchanges: Venue[] = SIM_EXCHANGES.slice(0, options.exchanges).map((id, index) => ({
    index,
    id,
    name: EXCHANGE_NAMES[id],
    submitterId: uniqueNumber(rng, 5000000, 5999999, used),
  }))
  const symbols = buildSymbols(rng, options.symbols, new Set(taken))
  // Zipf-like activity: the busiest symbols take most of the orders, as on a real day.
  const weights = symbols.map((_, i) => 1 / (i + 3) ** 0.9)
  rng.shuffle(weights)
  return {
    firms,
    exchanges,
    symbols,
    symbolWeights: cumulative(weights),
    bureau: {
      id: bureauId,
      name: 'Clearview Reporting Services Inc',
      firms: firms.filter((f) => f.submitterId === bureauId),
    },
    exchangeRouter: firms.find((f) => f.role === 'agency') ?? firms[2],
    tradeReporting: {
      index: exchanges.length,
      id: FINRA_FACILITIES,
      name: 'FINRA Trade Reporting Facilities',
      submitterId: uniqueNumber(rng, 5000000, 5999999, used),
    },
  }
}
