/**
 * A symbol's market over a window, as a chart draws it: the NBBO band as a step series (its value at the
 * start, then every change), each venue's best bid and offer the same way, the trades printed (exchange
 * executions and FINRA's trade reports), and the intervals the NBBO was crossed or locked. The books and
 * the NBBO are the book stage's (`buildNbbo` over every venue's stored events, as `opencat nbbo` answers).
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type BookEvent,
  buildNbbo,
  formatPrice,
  formatQuantity,
  marketStateOf,
  mergeBookEvents,
  type Nbbo,
  OrderBook,
  readBookEvents,
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
  const streams = new Map<string, BookEvent[]>()
  for (const venue of venues)
    streams.set(venue, (await readBookEvents(repo, venue, symbol, date, { untilNs: toNs })).events)
  const series = buildNbbo(mergeBookEvents(streams.values()))
  const nbbo: NbboStep[] = []
  const opening = series.at(fromNs)
  if (opening) nbbo.push(nbboStep(opening, fromNs))
  for (const c of series.changes) if (c.ns > fromNs && c.ns <= toNs) nbbo.push(nbboStep(c, c.ns))
  const venueQuotes = venues.map((venue) => ({
    venue,
    steps: venueSteps(venue, symbol, streams.get(venue) ?? [], fromNs, toNs),
  }))
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

/** A venue's displayed best bid and offer over the window (none while it is halted, as in the NBBO). */
function venueSteps(
  venue: string,
  symbol: string,
  events: readonly BookEvent[],
  fromNs: bigint,
  toNs: bigint,
): QuoteStep[] {
  const book = new OrderBook(venue, symbol)
  const steps: QuoteStep[] = []
  let last = ''
  let opening: QuoteStep | undefined
  for (const ev of events) {
    if (ev.ns > toNs) break
    book.apply(ev)
    const halted = book.status === 'H'
    const bid = halted ? undefined : book.bestBid()
    const ask = halted ? undefined : book.bestAsk()
    const step: QuoteStep = {
      ns: (ev.ns < fromNs ? fromNs : ev.ns).toString(),
      at: formatCatTimestamp(ev.ns < fromNs ? fromNs : ev.ns),
      bid: bid ? formatPrice(bid.price) : null,
      bidSize: bid ? formatQuantity(bid.size) : '0',
      ask: ask ? formatPrice(ask.price) : null,
      askSize: ask ? formatQuantity(ask.size) : '0',
    }
    const key = `${step.bid}|${step.bidSize}|${step.ask}|${step.askSize}`
    if (key === last) continue
    last = key
    if (ev.ns <= fromNs) opening = step
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
