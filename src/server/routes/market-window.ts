/**
 * GET /api/market: a symbol's market over a window as `opencat market` gives it (NBBO band, venues' best
 * bid and offer, trades, crossed or locked spells), and GET /api/replay: the window's events and NBBO
 * changes as `opencat replay` gives them, a page at a time, each event with the NBBO and its venue's book
 * right after it.
 */
import { replayPage } from '../../book/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { clockOn } from '../../common/time/clock-on.ts'
import { marketSeries } from '../../query/market-series.ts'
import { MAX_SPANS, marketWindow } from '../../query/market-window.ts'
import { logAccess } from '../../store/access-log.ts'
import { symbolDayQuestion } from '../questions.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, DECIMAL, isoDate, nullable, object, params, text } from '../schemas.ts'

const CLOCK = {
  type: 'string',
  pattern: '^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?$',
  description: 'Time of day, HH:MM:SS[.fffffffff] Eastern Time',
}
const WINDOW = {
  symbol: text('Symbol', { maxLength: 40 }),
  date: isoDate('Event date'),
  from: CLOCK,
  to: { ...CLOCK, description: 'End of the window (inclusive), HH:MM:SS[.fffffffff] Eastern Time' },
}

/** The window a request names, as instants (ns); the same checks as the CLI's. */
function windowOf(query: URLSearchParams): { symbol: string; fromNs: bigint; toNs: bigint } {
  const date = isoToDate(query.get('date') ?? '')
  const symbol = query.get('symbol')
  if (date === null || !symbol)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'symbol, date (YYYY-MM-DD), from and to are required')
  const fromNs = clockOn(date, query.get('from') ?? '')
  const toNs = clockOn(date, query.get('to') ?? '')
  if (toNs < fromNs) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the window ends before it starts')
  return { symbol, fromNs, toNs }
}

const NS = { type: 'string', pattern: '^[0-9]+$' }
const QUOTE_STEP = {
  ns: NS,
  at: { type: 'string' },
  bid: nullable(DECIMAL),
  bidSize: DECIMAL,
  ask: nullable(DECIMAL),
  askSize: DECIMAL,
}

export const marketRoute: Route = {
  method: 'GET',
  path: '/api/market',
  summary:
    "A symbol's market over a window: NBBO band, each venue's best bid and offer, trades, crossed/locked spells",
  access: allowed('market.read'),
  question: symbolDayQuestion,
  querystring: params(
    {
      ...WINDOW,
      spans: {
        type: 'string',
        pattern: '^[0-9]{1,5}$',
        description: `Thin every series to what a chart of this many spans shows (1 to ${MAX_SPANS}): in each span its first and last step and those at its highest and lowest prices; without it, every step`,
      },
    },
    ['symbol', 'date', 'from', 'to'],
  ),
  response: object(
    {
      symbol: { type: 'string' },
      eventDate: { type: 'integer' },
      fromNs: NS,
      toNs: NS,
      from: { type: 'string' },
      to: { type: 'string' },
      venues: arrayOf({ type: 'string' }),
      nbbo: arrayOf(
        object({
          ...QUOTE_STEP,
          bidVenues: arrayOf({ type: 'string' }),
          askVenues: arrayOf({ type: 'string' }),
          state: { type: 'string', enum: ['normal', 'locked', 'crossed'] },
        }),
      ),
      venueQuotes: arrayOf(object({ venue: { type: 'string' }, steps: arrayOf(object(QUOTE_STEP)) })),
      trades: arrayOf(
        object({
          ns: NS,
          at: { type: 'string' },
          reporter: { type: 'string' },
          type: { type: 'string' },
          firmROEID: { type: 'string' },
          venue: { type: 'string' },
          tradeId: nullable({ type: 'string' }),
          price: nullable(DECIMAL),
          quantity: nullable(DECIMAL),
        }),
      ),
      intervals: arrayOf(
        object({
          state: { type: 'string', enum: ['locked', 'crossed'] },
          fromNs: NS,
          toNs: nullable(NS),
          from: { type: 'string' },
          to: nullable({ type: 'string' }),
        }),
      ),
      thinned: object({
        spans: { type: 'integer' },
        nbbo: { type: 'integer' },
        venueQuotes: arrayOf({ type: 'integer' }),
        trades: { type: 'integer' },
      }),
    },
    [
      'symbol',
      'eventDate',
      'fromNs',
      'toNs',
      'from',
      'to',
      'venues',
      'nbbo',
      'venueQuotes',
      'trades',
      'intervals',
    ],
  ),
  async handle({ query, repo, user }) {
    const { symbol, fromNs, toNs } = windowOf(query)
    const spans = query.get('spans')
    const w = await marketWindow(repo, symbol, fromNs, toNs, spans ? { spans: Number(spans) } : {})
    logAccess(repo.paths, {
      user,
      action: 'market',
      subject: `${symbol}@${fromNs}-${toNs}`,
      rows: w.nbbo.length + w.trades.length,
    })
    return w
  },
}

const LEVEL = object({ price: DECIMAL, size: DECIMAL, hidden: DECIMAL, orders: { type: 'integer' } }, [
  'price',
  'size',
  'orders',
])
const PAGE_MAX = 2000

interface NbboAfter {
  readonly bid: string | null
  readonly bidSize: string
  readonly ask: string | null
  readonly askSize: string
  readonly crossed: boolean
  readonly locked: boolean
}
/** Before any venue quoted the symbol, as `opencat nbbo` answers then. */
const NO_NBBO: NbboAfter = { bid: null, bidSize: '0', ask: null, askSize: '0', crossed: false, locked: false }

export const replayRoute: Route = {
  method: 'GET',
  path: '/api/replay',
  summary:
    "A window's events and NBBO changes in time order, a page at a time, each event with the NBBO and its venue's book after it",
  access: allowed('market.read'),
  question: symbolDayQuestion,
  querystring: params(
    {
      ...WINDOW,
      offset: { type: 'string', pattern: '^[0-9]{1,9}$', description: 'Items to skip (default 0)' },
      limit: {
        type: 'string',
        pattern: '^[0-9]{1,4}$',
        description: `Items per page (default 200, at most ${PAGE_MAX})`,
      },
      depth: {
        type: 'string',
        pattern: '^[0-9]{1,2}$',
        description: "Levels per side of the venue's book after each event (default 5, 0 for none)",
      },
    },
    ['symbol', 'date', 'from', 'to'],
  ),
  response: object({
    symbol: { type: 'string' },
    fromNs: NS,
    toNs: NS,
    total: { type: 'integer' },
    offset: { type: 'integer' },
    next: nullable({ type: 'integer' }),
    items: arrayOf(
      object(
        {
          kind: { type: 'string', enum: ['event', 'nbbo'] },
          ns: NS,
          symbol: { type: 'string' },
          nbboAfter: object({
            bid: nullable(DECIMAL),
            bidSize: DECIMAL,
            ask: nullable(DECIMAL),
            askSize: DECIMAL,
            crossed: { type: 'boolean' },
            locked: { type: 'boolean' },
          }),
          bookAfter: object({
            venue: { type: 'string' },
            status: { type: 'string' },
            applied: { type: 'integer' },
            bids: arrayOf(LEVEL),
            asks: arrayOf(LEVEL),
            crossed: { type: 'boolean' },
            locked: { type: 'boolean' },
          }),
        },
        ['kind', 'ns', 'symbol'],
      ),
    ),
  }),
  async handle({ query, repo, user }) {
    const { symbol, fromNs, toNs } = windowOf(query)
    const offset = Number(query.get('offset') ?? '0')
    const limit = Number(query.get('limit') ?? '200')
    const depth = Number(query.get('depth') ?? '5')
    if (limit < 1 || limit > PAGE_MAX)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `limit must be between 1 and ${PAGE_MAX}`)
    const page = await replayPage(repo, symbol, fromNs, toNs, offset, limit)
    const series = depth > 0 ? await marketSeries(repo, symbol, toNs) : undefined
    const venues = new Set(series?.venues ?? [])
    const items = page.items.map(({ item: it, nbboAfter: n }) => {
      if (it.kind !== 'event') return it
      const after: NbboAfter = n
        ? {
            bid: n.bidPrice,
            bidSize: n.bidSize,
            ask: n.askPrice,
            askSize: n.askSize,
            crossed: n.crossed,
            locked: n.locked,
          }
        : NO_NBBO
      return series && venues.has(it.reporter)
        ? { ...it, nbboAfter: after, bookAfter: series.book(it.reporter, BigInt(it.ns), depth) }
        : { ...it, nbboAfter: after }
    })
    logAccess(repo.paths, { user, action: 'replay', subject: symbol, rows: items.length })
    return {
      symbol,
      fromNs: fromNs.toString(),
      toNs: toNs.toString(),
      total: page.total,
      offset,
      next: offset + limit < page.total ? offset + limit : null,
      items,
    }
  },
}
