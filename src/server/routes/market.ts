/** GET /api/book and /api/nbbo: a venue's book and a symbol's NBBO at any instant. */
import { OpenCatError } from '../../common/errors.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { bookView, nbboView } from '../../query/market.ts'
import { logAccess } from '../../store/access-log.ts'
import type { Route } from '../route.ts'

function instant(query: URLSearchParams): bigint {
  const at = query.get('at')
  if (!at)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'at is required (YYYY-MM-DDTHH:MM:SS[.fffffffff] Eastern Time, or a CAT timestamp)',
    )
  return isoOrCatToNs(at)
}

export const bookRoute: Route = {
  method: 'GET',
  path: '/api/book',
  summary:
    "A venue's order book at an instant (venue, symbol, at; depth, orders=1, order=ID for its queue position)",
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
  async handle({ query, repo, user }) {
    const symbol = query.get('symbol')
    if (!symbol) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'symbol is required')
    const ns = instant(query)
    const view = await nbboView(repo, symbol, ns)
    logAccess(repo.paths, { user, action: 'nbbo', subject: `${symbol}@${ns}` })
    return view
  },
}
