/** GET /api/search?q=&date=: one search box over a day, as `opencat search` answers it. */

import { OpenCatError } from '../../common/errors.ts'
import { isoToDate, parseCatDate } from '../../common/time/cat-date.ts'
import { SEARCH_LIMIT, search } from '../../query/search.ts'
import { logAccess } from '../../store/access-log.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, nullable, object, params, text } from '../schemas.ts'

/** `date` as YYYY-MM-DD or YYYYMMDD; a usage error otherwise. */
export function eventDateOf(query: URLSearchParams): number {
  const raw = query.get('date') ?? ''
  const date = isoToDate(raw) ?? parseCatDate(raw)
  if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `date must be YYYY-MM-DD, not "${raw}"`)
  return date
}

/** The date parameter the day's routes take. */
export const EVENT_DATE = {
  type: 'string',
  pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8})$',
  description: 'Event date, YYYY-MM-DD (or YYYYMMDD)',
}

/** A count parameter in a range. */
export function countParam(description: string): Record<string, unknown> {
  return { type: 'string', pattern: '^[0-9]{1,5}$', description }
}

const STRINGS = arrayOf({ type: 'string' })

const HIT = {
  type: 'object',
  description:
    'One hit, by kind: lifecycle (lifecycleId, symbol, events, reporters), event (matchedOn, reporter, firmROEID, eventDate, type, eventTimestamp, eventNs, symbol, versions, lifecycleIds), symbol (symbol, name, listing, records), reporter (matchedOn, reporter, role, crd, name, records) or customer (matchedOn, ccid, accounts)',
  properties: {
    kind: { type: 'string', enum: ['lifecycle', 'event', 'symbol', 'reporter', 'customer'] },
    lifecycleId: { type: 'string' },
    matchedOn: { anyOf: [{ type: 'string' }, STRINGS] },
    reporter: { type: 'string' },
    reporters: STRINGS,
    firmROEID: { type: 'string' },
    eventDate: { type: 'integer' },
    type: { type: 'string' },
    eventTimestamp: { type: 'string' },
    eventNs: { type: 'string' },
    symbol: nullable({ type: 'string' }),
    versions: { type: 'integer' },
    lifecycleIds: STRINGS,
    events: { type: 'integer' },
    name: { type: 'string' },
    listing: { type: 'string' },
    records: { type: 'integer' },
    role: { type: 'string' },
    crd: nullable({ type: 'string' }),
    ccid: { type: 'string' },
    accounts: arrayOf({ type: 'object' }),
  },
  required: ['kind'],
}

export const searchRoute: Route = {
  method: 'GET',
  path: '/api/search',
  summary:
    'Find anything of a day by one key: lifecycle id, firmROEID/recordID, order/routed order/trade id, symbol, reporter, FDID/CCID/LTID (q, date)',
  access: allowed('lifecycle.read'),
  querystring: params(
    {
      q: text('The key to search for'),
      date: EVENT_DATE,
      limit: countParam(`Records given at most (default ${SEARCH_LIMIT})`),
    },
    ['q', 'date'],
  ),
  response: object(
    {
      query: { type: 'string' },
      eventDate: { type: 'integer' },
      hits: arrayOf(HIT),
      truncated: { type: 'boolean' },
    },
    ['query', 'eventDate', 'hits', 'truncated'],
  ),
  async handle({ query, repo, user }) {
    const date = eventDateOf(query)
    const result = await search(repo, query.get('q') ?? '', date, Number(query.get('limit') ?? SEARCH_LIMIT))
    logAccess(repo.paths, {
      user,
      action: 'search',
      subject: `${date}:${result.query}`,
      rows: result.hits.length,
    })
    return result
  },
}
