/**
 * A symbol's market over a window, as a chart draws it: the NBBO band as a step series (its value at the
 * start, then every change), each venue's best bid and offer the same way, the trades printed (exchange
 * executions and FINRA's trade reports), and the intervals the NBBO was crossed or locked. The books and
 * the NBBO are the book stage's (`buildNbbo` over every venue's stored events, as `opencat nbbo` answers),
 * read from the date's day index where it holds them (its NBBO series and venues' quotes), else rebuilt
 * from the open.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ALL_ROWS,
  type BookEvent,
  buildNbbo,
  formatPrice,
  formatQuantity,
  indexedNbboWindow,
  indexedVenueQuotes,
  marketStateOf,
  mergeBookEvents,
  type Nbbo,
  readBookEvents,
  type VenueTop,
  type VenueTopChange,
  venuesOf,
  type WindowRowsFilter,
} from '../book/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { currentEventsOf } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { formatDecimal } from './display-format.ts'
import { type Priced, STEPS_PER_SPAN, thinned } from './market-thin.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** One step of a best bid and offer: in force from `ns` until the next step (or the window's end). */
export interface QuoteStep {
  readonly ns: string
  /** The instant as a CAT timestamp, Eastern Time. */
  readonly at: string
  readonly bid: string | null
  readonly bidSize: string
  readonly ask: string | null
  readonly askSize: string
}

/** A step of the NBBO, with the venues at each best price and the market's state. */
export interface NbboStep extends QuoteStep {
  readonly bidVenues: readonly string[]
  readonly askVenues: readonly string[]
  readonly state: 'normal' | 'locked' | 'crossed'
}

/** A trade printed in the window. */
export interface TradePoint {
  readonly ns: string
  readonly at: string
  /** The exchange (EXOT) or FINRA (TRFT). */
  readonly reporter: string
  readonly type: string
  readonly firmROEID: string
  /** The facility of a trade report (marketCenterID), or the exchange. */
  readonly venue: string
  readonly tradeId: string | null
  readonly price: string | null
  readonly quantity: string | null
}

/** A stretch of time the NBBO was crossed or locked; `toNs` null when it still was at the window's end. */
export interface MarketInterval {
  readonly state: 'locked' | 'crossed'
  readonly fromNs: string
  readonly toNs: string | null
  readonly from: string
  readonly to: string | null
}

/** The market of a symbol over a window. */
export interface MarketWindow {
  readonly symbol: string
  readonly eventDate: number
  readonly fromNs: string
  readonly toNs: string
  readonly from: string
  readonly to: string
  readonly venues: string[]
  readonly nbbo: NbboStep[]
  readonly venueQuotes: { readonly venue: string; readonly steps: QuoteStep[] }[]
  readonly trades: TradePoint[]
  readonly intervals: MarketInterval[]
  /**
   * When the window was thinned for a chart (`spans` asked): the spans, and how many steps each series and
   * how many trades the whole window holds (the answer lists fewer where a span held more than it keeps).
   */
  readonly thinned?: {
    readonly spans: number
    readonly nbbo: number
    /** In the order of `venueQuotes`. */
    readonly venueQuotes: number[]
    readonly trades: number
  }
}

/** How a window is asked for. */
export interface MarketWindowOptions {
  /**
   * Thin every series to what a chart of this many spans shows (`market-thin.ts`): in each span the first and
   * last step and those at the span's highest and lowest prices; the crossed and locked spells are still
   * those of the whole series. Without it, every step.
   */
  readonly spans?: number
}

/** The market of `symbol` between two instants (UTC ns, inclusive; one event date). */
export async function marketWindow(
  repo: Repository,
  symbol: string,
  fromNs: bigint,
  toNs: bigint,
  options: MarketWindowOptions = {},
): Promise<MarketWindow> {
  if (toNs < fromNs) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the window ends before it starts')
  const date = etDateOf(fromNs)
  if (etDateOf(toNs) !== date)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'the window must start and end on the same date (Eastern Time)',
    )
  const spans = options.spans
  if (spans !== undefined && !(Number.isInteger(spans) && spans >= 1 && spans <= MAX_SPANS))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `spans must be a whole number from 1 to ${MAX_SPANS}`)
  const venues = await venuesOf(repo, symbol, date)
  if (venues.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no venue has events for ${symbol} on ${date}; check the symbol and the date`,
    )
  const filter = spans === undefined ? undefined : thinFilter(fromNs, toNs, spans)
  const moves =
    (await indexedMarket(repo, symbol, date, fromNs, toNs, filter)) ??
    (await replayedMarket(repo, symbol, date, venues, fromNs, toNs))
  // Rows the engine read thinned already; rebuilt moves are thinned here, by the same rule.
  const thin = <T>(items: readonly T[], priced: (item: T) => Priced): readonly T[] =>
    spans === undefined || moves.thinned ? items : thinned(items, priced, fromNs, toNs, spans)
  const nbbo = thin(moves.nbbo, (m) => ({
    ns: m.ns,
    bid: m.quote.bidPrice,
    ask: m.quote.askPrice,
    state: marketStateOf(m.quote.bidPrice, m.quote.askPrice),
  }))
  const quotes = venues.map((venue) => {
    const all = venueMoves(moves.tops.get(venue) ?? [], fromNs)
    const steps = thin(all, (m) => ({ ns: m.ns, bid: m.quote.bidPrice, ask: m.quote.askPrice }))
    return { venue, steps, total: moves.thinned?.tops.get(venue) ?? all.length }
  })
  const trades = await repo.db.all<Record<string, string | null>>(
    sql('market-trades', {
      DAY: await currentEventsOf(repo, date, [symbol]),
      KEEP: filter
        ? filter({ series: undefined, bid: 'price', ask: 'price', order: '_event_id' }, TRADES_PER_SPAN)
        : ALL_ROWS,
    }),
    [date, symbol, fromNs, toNs],
  )
  return {
    symbol,
    eventDate: date,
    fromNs: fromNs.toString(),
    toNs: toNs.toString(),
    from: formatCatTimestamp(fromNs),
    to: formatCatTimestamp(toNs),
    venues,
    nbbo: nbbo.map((m) => nbboStep(m.quote, m.ns)),
    venueQuotes: quotes.map(({ venue, steps }) => ({
      venue,
      steps: steps.map((m) => quoteStep(m.quote, m.ns)),
    })),
    trades: trades.map((r) => ({
      ns: String(r.event_ns),
      at: formatCatTimestamp(BigInt(String(r.event_ns))),
      reporter: String(r._reporter),
      type: String(r._type),
      firmROEID: String(r._roe_id),
      venue: r.marketCenterID ?? String(r._reporter),
      tradeId: r.trade_id ?? null,
      price: r.price === null ? null : formatDecimal(r.price),
      quantity: r.quantity === null ? null : formatDecimal(r.quantity),
    })),
    // The spells of the whole window: a thinned NBBO keeps every change of state.
    intervals: intervalsOf(nbbo),
    ...(spans === undefined
      ? {}
      : {
          thinned: {
            spans,
            nbbo: moves.thinned?.nbbo ?? moves.nbbo.length,
            venueQuotes: quotes.map((q) => q.total),
            trades: Number(trades[0]?._total ?? 0),
          },
        }),
  }
}

/**
 * The engine's thinning of a window's rows for a chart (`sql/market-thin.sql`, the rule of `market-thin.ts`),
 * as the day index's readers and the trades' query take it.
 */
function thinFilter(fromNs: bigint, toNs: bigint, spans: number) {
  return (columns: Parameters<WindowRowsFilter>[0], perSpan = STEPS_PER_SPAN): string =>
    sql('market-thin', {
      ROWS: 'picked',
      SERIES: columns.series ?? "'all'",
      ORDER: columns.order,
      BID: columns.bid,
      ASK: columns.ask,
      STATE: columns.state ?? "'all'",
      FROM: fromNs,
      TO: toNs,
      SPANS: spans,
      PER_SPAN: perSpan,
    })
}

/** The most spans a window is thinned to (a chart wider than any screen). */
export const MAX_SPANS = 10_000
/** Trades kept per span when thinned: the first, the last, the highest and the lowest priced. */
const TRADES_PER_SPAN = 4

/** A quote in force from `ns`: the NBBO, or a venue's own top of book. */
interface Move<Q> {
  readonly ns: bigint
  readonly quote: Q
}

function quoteStep(q: VenueTop, ns: bigint): QuoteStep {
  return {
    ns: ns.toString(),
    at: formatCatTimestamp(ns),
    bid: q.bidPrice === undefined ? null : formatPrice(q.bidPrice),
    bidSize: formatQuantity(q.bidSize),
    ask: q.askPrice === undefined ? null : formatPrice(q.askPrice),
    askSize: formatQuantity(q.askSize),
  }
}

function nbboStep(n: Nbbo, ns: bigint): NbboStep {
  return {
    ...quoteStep(n, ns),
    bidVenues: n.bidVenues,
    askVenues: n.askVenues,
    state: marketStateOf(n.bidPrice, n.askPrice),
  }
}

/** The NBBO of a window (in force at its start, then each change) and each venue's top changes to its end. */
interface MarketMoves {
  readonly nbbo: readonly Move<Nbbo>[]
  readonly tops: ReadonlyMap<string, readonly VenueTopChange[]>
  /** When the engine thinned them as it read them: the NBBO's and each venue's moves before. */
  readonly thinned?: { readonly nbbo: number; readonly tops: ReadonlyMap<string, number> }
}

/**
 * The window's moves from the date's day index (its NBBO series and venues' quotes), when it holds them,
 * narrowed by `filter` as the engine reads them.
 */
async function indexedMarket(
  repo: Repository,
  symbol: string,
  date: number,
  fromNs: bigint,
  toNs: bigint,
  filter: WindowRowsFilter | undefined,
): Promise<MarketMoves | undefined> {
  const quotes = await indexedVenueQuotes(repo, symbol, date, fromNs, toNs, filter)
  const window = quotes && (await indexedNbboWindow(repo, symbol, date, fromNs, toNs, filter))
  if (!quotes || !window) return undefined
  const nbbo = window.opening ? [{ ns: fromNs, quote: window.opening }] : []
  for (const c of window.changes) nbbo.push({ ns: c.ns, quote: c })
  const thinned =
    window.total === undefined || quotes.totals === undefined
      ? undefined
      : { nbbo: window.total, tops: quotes.totals }
  return { nbbo, tops: quotes.quotes, ...(thinned ? { thinned } : {}) }
}

/** The window's moves rebuilt from every venue's book events from the open to the window's end. */
async function replayedMarket(
  repo: Repository,
  symbol: string,
  date: number,
  venues: readonly string[],
  fromNs: bigint,
  toNs: bigint,
): Promise<MarketMoves> {
  const streams: BookEvent[][] = []
  for (const venue of venues)
    streams.push((await readBookEvents(repo, venue, symbol, date, { untilNs: toNs })).events)
  const tops = new Map<string, VenueTopChange[]>()
  const series = buildNbbo(mergeBookEvents(streams), (t) => {
    let changes = tops.get(t.venue)
    if (changes === undefined) tops.set(t.venue, (changes = []))
    changes.push(t)
  })
  const nbbo: Move<Nbbo>[] = []
  const opening = series.at(fromNs)
  if (opening) nbbo.push({ ns: fromNs, quote: opening })
  for (const c of series.changes) if (c.ns > fromNs && c.ns <= toNs) nbbo.push({ ns: c.ns, quote: c })
  return { nbbo, tops }
}

/**
 * A venue's displayed best bid and offer over the window, from its top of book changes up to the window's
 * end (none while it is halted, as in the NBBO): the quote in force at the window's start, then each change.
 */
function venueMoves(tops: readonly VenueTopChange[], fromNs: bigint): Move<VenueTop>[] {
  const moves: Move<VenueTop>[] = []
  let opening: Move<VenueTop> | undefined
  for (const t of tops) {
    if (t.ns <= fromNs) opening = { ns: fromNs, quote: t }
    else {
      if (opening) moves.push(opening)
      opening = undefined
      // Several changes within one nanosecond: only the last was ever in force.
      if (moves.length > 0 && moves[moves.length - 1].ns === t.ns)
        moves[moves.length - 1] = { ns: t.ns, quote: t }
      else moves.push({ ns: t.ns, quote: t })
    }
  }
  if (opening) moves.push(opening)
  return moves
}

function intervalsOf(nbbo: readonly Move<Nbbo>[]): MarketInterval[] {
  const out: MarketInterval[] = []
  let open: { state: 'locked' | 'crossed'; ns: bigint } | undefined
  const close = (end: bigint | null) => {
    if (!open) return
    out.push({
      state: open.state,
      fromNs: open.ns.toString(),
      toNs: end === null ? null : end.toString(),
      from: formatCatTimestamp(open.ns),
      to: end === null ? null : formatCatTimestamp(end),
    })
    open = undefined
  }
  for (const { ns, quote } of nbbo) {
    const state = marketStateOf(quote.bidPrice, quote.askPrice)
    if (open && open.state !== state) close(ns)
    if (!open && state !== 'normal') open = { state, ns }
  }
  close(null)
  return out
}
