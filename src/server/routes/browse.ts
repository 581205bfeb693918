/** GET /api/browse?date=&symbol=&reporter=&from=&to=&after=: a day's events page by page, as `opencat browse`. */
import { BROWSE_LIMIT, BROWSE_MAX_LIMIT, browseDay } from '../../query/day-browser.ts'
import { logAccess } from '../../store/access-log.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, DECIMAL, nullable, object, params, text } from '../schemas.ts'
import { countParam, EVENT_DATE, eventDateOf } from './search.ts'

const CLOCK = {
  type: 'string',
  pattern: '^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?$',
  description: 'HH:MM[:SS[.fffffffff]] Eastern Time on the date (inclusive)',
}
const TEXT = nullable({ type: 'string' })

export const browseRoute: Route = {
  method: 'GET',
  path: '/api/browse',
  summary:
    "A day's events in time order by symbol, reporter and window of Eastern Time, page by page (date; symbol, reporter, from, to, limit, after)",
  access: allowed('lifecycle.read'),
  querystring: params(
    {
      date: EVENT_DATE,
      symbol: text('Only this symbol', { maxLength: 40 }),
      reporter: text('Only this reporter (IMID or Exchange ID)', { maxLength: 40 }),
      from: CLOCK,
      to: CLOCK,
      limit: countParam(`Events per page, 1 to ${BROWSE_MAX_LIMIT} (default ${BROWSE_LIMIT})`),
      after: text("The previous page's next cursor", { pattern: '^-?[0-9]{1,25}\\.[0-9]{1,25}$' }),
    },
    ['date'],
  ),
  response: object(
    {
      eventDate: { type: 'integer' },
      symbol: TEXT,
      reporter: TEXT,
      fromNs: TEXT,
      toNs: TEXT,
      events: arrayOf(
        object({
          eventId: { type: 'string' },
          eventNs: { type: 'string' },
          eventTimestamp: { type: 'string' },
          reporter: { type: 'string' },
          firmROEID: { type: 'string' },
          type: { type: 'string' },
          action: { type: 'string' },
          symbol: TEXT,
          side: TEXT,
          price: nullable(DECIMAL),
          quantity: nullable(DECIMAL),
          orderID: TEXT,
          routedOrderID: TEXT,
          lifecycleIds: arrayOf({ type: 'string' }),
        }),
      ),
      next: TEXT,
      total: { type: 'integer' },
    },
    ['eventDate', 'symbol', 'reporter', 'fromNs', 'toNs', 'events', 'next'],
  ),
  async handle({ query, repo, user }) {
    const date = eventDateOf(query)
    const opt = (name: string) => {
      const v = query.get(name)
      return v ? { [name]: v } : {}
    }
    const page = await browseDay(repo, {
      eventDate: date,
      ...opt('symbol'),
      ...opt('reporter'),
      ...opt('from'),
      ...opt('to'),
      ...opt('after'),
      limit: Number(query.get('limit') ?? BROWSE_LIMIT),
    })
    logAccess(repo.paths, {
      user,
      action: 'browse',
      subject: [date, query.get('symbol'), query.get('reporter'), query.get('from'), query.get('to')]
        .map((x) => x ?? '')
        .join(':'),
      rows: page.events.length,
    })
    return page
  },
}
