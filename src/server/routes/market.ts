/**
 * GET /api/book, /api/nbbo and /api/depth: a venue's book, a symbol's NBBO, and both for every venue at once,
 * at any instant.
 */
import { OpenCatError } from '../../common/errors.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { bookView, depthView, nbboView } from '../../query/market.ts'
import { logAccess } from '../../store/access-log.ts'
import { symbolDayQuestion } from '../questions.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, DECIMAL, nullable, object, onOff, params, text } from '../schemas.ts'

function instant(query: URLSearchParams): bigint {
  const at = query.get('at')
  if (!at)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'at is required (YYYY-MM-DDTHH:MM:SS[.fffffffff] Eastern Time, or a CAT timestamp)',
    )
  return isoOrCatToNs(at)
}

const AT = text('Instant: YYYY-MM-DDTHH:MM:SS[.fffffffff] Eastern Time, or a CAT timestamp', {
  maxLength: 40,
})
const IDENTIFIER = { maxLength: 1000 }

const DEPTH = { type: 'string', pattern: '^[0-9]{1,6}$', description: 'Levels per side (default 10)' }

const LEVEL = object(
  {
    price: DECIMAL,
    size: DECIMAL,
    hidden: DECIMAL,
    orders: { type: 'integer' },
    queue: arrayOf(object({ orderId: { type: 'string' }, displayQty: DECIMAL, leavesQty: DECIMAL })),
  },
  ['price', 'size', 'orders'],
)

const BOOK = object(
  {
    venue: { type: 'string' },
    symbol: { type: 'string' },
    at: { type: 'string' },
    status: { type: 'string' },
    applied: { type: 'integer' },
    bids: arrayOf(LEVEL),
    asks: arrayOf(LEVEL),
    crossed: { type: 'boolean' },
    locked: { type: 'boolean' },
    anomalies: { type: 'object', additionalProperties: { type: 'integer' } },
    notice: { type: 'string' },
    queuePosition: object({
      orderId: { type: 'string' },
      side: { type: 'string' },
      price: DECIMAL,
      ordersAhead: { type: 'integer' },
      sharesAhead: DECIMAL,
    }),
  },
  ['venue', 'symbol', 'at', 'status', 'applied', 'bids', 'asks', 'crossed', 'locked', 'anomalies'],
)

const NBBO = object({
  symbol: { type: 'string' },
  at: { type: 'string' },
  bid: nullable(DECIMAL),
  bidSize: DECIMAL,
  bidVenues: arrayOf({ type: 'string' }),
  ask: nullable(DECIMAL),
  askSize: DECIMAL,
  askVenues: arrayOf({ type: 'string' }),
  crossed: { type: 'boolean' },
  locked: { type: 'boolean' },
})

export const bookRoute: Route = {
  method: 'GET',
  path: '/api/book',
  summary:
    "A venue's order book at an instant (venue, symbol, at; depth, orders=1, order=ID for its queue position)",
  access: allowed('market.read'),
  question: symbolDayQuestion,
  querystring: params(
    {
      venue: text('Exchange ID', IDENTIFIER),
      symbol: text('Symbol', IDENTIFIER),
      at: AT,
      depth: DEPTH,
      orders: onOff("1 lists each level's resting orders in queue order"),
      order: text('An exchange order id whose queue position to give', IDENTIFIER),
    },
    ['venue', 'symbol', 'at'],
  ),
  response: BOOK,
  async handle({ query, repo, user }) {
    const venue = query.get('venue')
    const symbol = query.get('symbol')
    if (!venue || !symbol) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'venue and symbol are required')
    const ns = instant(query)
    const order = query.get('order')
    const view = await bookView(repo, {
      venue,
      symbol,
      ns,
      depth: Number(query.get('depth') ?? '10'),
      orders: query.get('orders') === '1',
      ...(order ? { orderId: order } : {}),
    })
    logAccess(repo.paths, { user, action: 'book', subject: `${venue}:${symbol}@${ns}` })
    return view
  },
}

export const nbboRoute: Route = {
  method: 'GET',
  path: '/api/nbbo',
  summary: 'The NBBO of a symbol at an instant over every venue (symbol, at)',
  access: allowed('market.read'),
  question: symbolDayQuestion,
  querystring: params({ symbol: text('Symbol', IDENTIFIER), at: AT }, ['symbol', 'at']),
  response: NBBO,
  async handle({ query, repo, user }) {
    const symbol = query.get('symbol')
    if (!symbol) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'symbol is required')
    const ns = instant(query)
    const view = await nbboView(repo, symbol, ns)
    logAccess(repo.paths, { user, action: 'nbbo', subject: `${symbol}@${ns}` })
    return view
  },
}

export const depthRoute: Route = {
  method: 'GET',
  path: '/api/depth',
  summary: "A symbol's NBBO and every venue's book at an instant, in one answer (symbol, at; depth)",
  access: allowed('market.read'),
  question: symbolDayQuestion,
  querystring: params({ symbol: text('Symbol', IDENTIFIER), at: AT, depth: DEPTH }, ['symbol', 'at']),
  response: object({
    symbol: { type: 'string' },
    at: { type: 'string' },
    ns: { type: 'string', pattern: '^[0-9]+$' },
    nbbo: NBBO,
    books: arrayOf(BOOK),
  }),
  async handle({ query, repo, user }) {
    const symbol = query.get('symbol')
    if (!symbol) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'symbol is required')
    const ns = instant(query)
    const view = await depthView(repo, symbol, ns, Number(query.get('depth') ?? '10'))
    logAccess(repo.paths, { user, action: 'depth', subject: `${symbol}@${ns}` })
    return view
  },
}
