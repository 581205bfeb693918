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
  type VenueTopChange,
  venuesOf,
} from '../book/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { currentEventsOf } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { formatDecimal } from './display-format.ts'

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
}

/** The market of `symbol` between two instants (UTC ns, inclusive; one event date). */
export async function marketWindow(
  repo: Repository,
  symbol: string,
  fromNs: bigint,
  toNs: bigint,
): Promise<MarketWindow> {
  if (toNs < fromNs) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the window ends before it starts')
  const date = etDateOf(fromNs)
  if (etDateOf(toNs) !== date)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'the window must start and end on the same date (Eastern Time)',
    )
  const venues = await venuesOf(repo, symbol, date)
  if (venues.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no venue has events for ${symbol} on ${date}; check the symbol and the date`,
    )
  const { nbbo, tops } =
    (await indexedMarket(repo, symbol, date, fromNs, toNs)) ??
    (await replayedMarket(repo, symbol, date, venues, fromNs, toNs))
  const venueQuotes = venues.map((venue) => ({ venue, steps: venueSteps(tops.get(venue) ?? [], fromNs) }))
  const trades = (
    await repo.db.all<Record<string, string | null>>(
      sql('market-trades', { DAY: await currentEventsOf(repo, date, [symbol]) }),
      [date, symbol, fromNs, toNs],
    )
  ).map((r) => ({
    ns: String(r.event_ns),
    at: formatCatTimestamp(BigInt(String(r.event_ns))),
    reporter: String(r._reporter),
    type: String(r._type),
    firmROEID: String(r._roe_id),
    venue: r.marketCenterID ?? String(r._reporter),
    tradeId: r.trade_id ?? null,
    price: r.price === null ? null : formatDecimal(r.price),
    quantity: r.quantity === null ? null : formatDecimal(r.quantity),
  }))
  return {
    symbol,
    eventDate: date,
    fromNs: fromNs.toString(),
    toNs: toNs.toString(),
    from: formatCatTimestamp(fromNs),
    to: formatCatTimestamp(toNs),
    venues,
    nbbo,
    venueQuotes,
    trades,
    intervals: intervalsOf(nbbo),
  }
}

function nbboStep(n: Nbbo, ns: bigint): NbboStep {
  return {
    ns: ns.toString(),
    at: formatCatTimestamp(ns),
    bid: n.bidPrice === undefined ? null : formatPrice(n.bidPrice),
    bidSize: formatQuantity(n.bidSize),
    bidVenues: n.bidVenues,
    ask: n.askPrice === undefined ? null : formatPrice(n.askPrice),
    askSize: formatQuantity(n.askSize),
    askVenues: n.askVenues,
    state: marketStateOf(n.bidPrice, n.askPrice),
  }
}

/** The NBBO steps of a window and each venue's top of book changes up to its end. */
interface MarketMoves {
  readonly nbbo: NbboStep[]
  readonly tops: ReadonlyMap<string, readonly VenueTopChange[]>
}

/** The window's moves from the date's day index (its NBBO series and venues' quotes), when it holds them. */
async function indexedMarket(
  repo: Repository,
  symbol: string,
  date: number,
  fromNs: bigint,
  toNs: bigint,
): Promise<MarketMoves | undefined> {
  const tops = await indexedVenueQuotes(repo, symbol, date, fromNs, toNs)
  const window = tops && (await indexedNbboWindow(repo, symbol, date, fromNs, toNs))
  if (!tops || !window) return undefined
  const nbbo = window.opening ? [nbboStep(window.opening, fromNs)] : []
  for (const c of window.changes) nbbo.push(nbboStep(c, c.ns))
  return { nbbo, tops }
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
  const nbbo: NbboStep[] = []
  const opening = series.at(fromNs)
  if (opening) nbbo.push(nbboStep(opening, fromNs))
  for (const c of series.changes) if (c.ns > fromNs && c.ns <= toNs) nbbo.push(nbboStep(c, c.ns))
  return { nbbo, tops }
}

/**
 * A venue's displayed best bid and offer over the window, from its top of book changes up to the window's
 * end (none while it is halted, as in the NBBO): the quote in force at the window's start, then each change.
 */
function venueSteps(tops: readonly VenueTopChange[], fromNs: bigint): QuoteStep[] {
  const steps: QuoteStep[] = []
  let opening: QuoteStep | undefined
  for (const t of tops) {
    const ns = t.ns < fromNs ? fromNs : t.ns
    const step: QuoteStep = {
      ns: ns.toString(),
      at: formatCatTimestamp(ns),
      bid: t.bidPrice === undefined ? null : formatPrice(t.bidPrice),
      bidSize: formatQuantity(t.bidSize),
      ask: t.askPrice === undefined ? null : formatPrice(t.askPrice),
      askSize: formatQuantity(t.askSize),
    }
    if (t.ns <= fromNs) opening = step
    else {
      if (opening) steps.push(opening)
      opening = undefined
      // Several changes within one nanosecond: only the last was ever in force.
      if (steps.length > 0 && steps[steps.length - 1].ns === step.ns) steps[steps.length - 1] = step
      else steps.push(step)
    }
  }
  if (opening) steps.push(opening)
  return steps
}

function intervalsOf(nbbo: readonly NbboStep[]): MarketInterval[] {
  const out: MarketInterval[] = []
  let open: { state: 'locked' | 'crossed'; ns: string } | undefined
  const close = (endNs: string | null) => {
    if (!open) return
    out.push({
      state: open.state,
      fromNs: open.ns,
      toNs: endNs,
      from: formatCatTimestamp(BigInt(open.ns)),
      to: endNs === null ? null : formatCatTimestamp(BigInt(endNs)),
    })
    open = undefined
  }
  for (const s of nbbo) {
    if (open && open.state !== s.state) close(s.ns)
    if (!open && s.state !== 'normal') open = { state: s.state, ns: s.ns }
  }
  close(null)
  return out
}
