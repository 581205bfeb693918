/** The answers of the market routes the market view reads (docs/api.md: /api/market, /api/replay, /api/depth). */

export interface QuoteStep {
  readonly ns: string
  readonly at: string
  readonly bid: string | null
  readonly bidSize: string
  readonly ask: string | null
  readonly askSize: string
}

export interface MarketWindow {
  readonly symbol: string
  readonly eventDate: number
  readonly fromNs: string
  readonly toNs: string
  readonly venues: string[]
  readonly nbbo: (QuoteStep & {
    bidVenues: string[]
    askVenues: string[]
    state: 'normal' | 'locked' | 'crossed'
  })[]
  readonly venueQuotes: { venue: string; steps: QuoteStep[] }[]
  readonly trades: {
    ns: string
    venue: string
    reporter: string
    type: string
    tradeId: string | null
    price: string | null
    quantity: string | null
  }[]
  readonly intervals: { state: 'locked' | 'crossed'; fromNs: string; toNs: string | null }[]
  /** Present when thinned for the chart: the spans, and the full counts of each series and of the trades. */
  readonly thinned?: { spans: number; nbbo: number; venueQuotes: number[]; trades: number }
}

/** True when the window's NBBO lists fewer changes than the window holds (thinned for the chart). */
export function nbboThinned(m: MarketWindow): boolean {
  return m.thinned !== undefined && m.thinned.nbbo > m.nbbo.length
}

export interface Level {
  readonly price: string
  readonly size: string
  readonly orders: number
  readonly hidden?: string
}

export interface Book {
  readonly venue: string
  readonly status: string
  readonly bids: Level[]
  readonly asks: Level[]
  readonly crossed: boolean
  readonly locked: boolean
}

export interface Nbbo {
  readonly bid: string | null
  readonly bidSize: string
  readonly bidVenues: string[]
  readonly ask: string | null
  readonly askSize: string
  readonly askVenues: string[]
  readonly crossed: boolean
  readonly locked: boolean
}

/** The NBBO and every venue's book at an instant (/api/depth). */
export interface DepthAt {
  readonly symbol: string
  readonly at: string
  readonly ns: string
  readonly nbbo: Nbbo
  readonly books: Book[]
}

export interface ReplayItem {
  readonly kind: 'event' | 'nbbo'
  readonly ns: string
  readonly reporter?: string
  readonly type?: string
  readonly firmROEID?: string
  readonly side?: string | null
  readonly price?: string | null
  readonly quantity?: string | null
  readonly lifecycleIds?: string[]
  readonly bidPrice?: string | null
  readonly askPrice?: string | null
  readonly bidSize?: string
  readonly askSize?: string
  readonly crossed?: boolean
  readonly locked?: boolean
  readonly nbboAfter?: { bid: string | null; ask: string | null; crossed: boolean; locked: boolean }
}

export interface ReplayPage {
  readonly total: number
  readonly offset: number
  readonly next: number | null
  readonly items: ReplayItem[]
}

/** Nanoseconds (decimal text) to milliseconds, for chart axes. */
export function msOf(ns: string): number {
  return Number(BigInt(ns) / 1_000_000n)
}

/** The instant that counts every event of millisecond `ms`. */
export function nsAtEndOf(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n + 999_999n).toString()
}
