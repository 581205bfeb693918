/**
 * GET /api/customer: a customer's accounts and activity, a page of events at a time with the whole range's
 * totals and chart (PII only with the entitlement and a reason, logged).
 */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import {
  CUSTOMER_LIMIT,
  CUSTOMER_MAX_LIMIT,
  type CustomerSelector,
  customerActivity,
} from '../../query/customer.ts'
import { checkPiiReveal, revealPii } from '../../query/pii.ts'
import { logAccess } from '../../store/access-log.ts'
import { customerQuestion } from '../questions.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, DECIMAL, isoDate, nullable, object, onOff, params, text } from '../schemas.ts'
import { storeAnswer } from '../store-answers.ts'
import { countParam } from './search.ts'

const TEXT = nullable({ type: 'string' })
const COUNTS = (key: string) => arrayOf(object({ [key]: { type: 'string' }, events: { type: 'integer' } }))

export const customerRoute: Route = {
  method: 'GET',
  path: '/api/customer',
  summary:
    'Accounts and events of a customer, page by page (ccid | reporter+fdid | ltid, from, to; limit, after; reveal=1&reason= for PII)',
  access: allowed('customer.read'),
  question: customerQuestion,
  querystring: params(
    {
      ccid: text('Customer id (CCID)'),
      reporter: text('Reporter IMID, with fdid'),
      fdid: text('Firm designated id, with reporter'),
      ltid: text('Large trader id'),
      from: isoDate('First date'),
      to: isoDate('Last date'),
      limit: countParam(`Events per page, 1 to ${CUSTOMER_MAX_LIMIT} (default ${CUSTOMER_LIMIT})`),
      after: text("The previous page's next cursor", { pattern: '^[0-9]{1,19}\\.[0-9]{1,20}$' }),
      reveal: onOff('1 reveals PII (needs the pii entitlement and a reason)'),
      reason: text('Why PII is revealed (logged)', { maxLength: 500 }),
    },
    ['from', 'to'],
  ),
  response: object(
    {
      ccids: arrayOf({ type: 'string' }),
      accounts: arrayOf(
        object(
          {
            ccid: { type: 'string' },
            crd: { type: 'string' },
            firm: { type: 'string' },
            imids: arrayOf({ type: 'string' }),
            fdid: { type: 'string' },
            role: { type: 'string' },
            from: { type: 'integer' },
            to: nullable({ type: 'integer' }),
            ltids: arrayOf({ type: 'string' }),
          },
          ['ccid', 'fdid', 'imids'],
        ),
      ),
      events: arrayOf(
        object(
          {
            ccid: { type: 'string' },
            reporter: { type: 'string' },
            firmROEID: { type: 'string' },
            type: { type: 'string' },
            eventNs: { type: 'string' },
            eventDate: { type: 'integer' },
            eventTimestamp: { type: 'string' },
            symbol: TEXT,
            side: TEXT,
            price: nullable(DECIMAL),
            quantity: nullable(DECIMAL),
            fdid: { type: 'string' },
            lifecycleIds: arrayOf({ type: 'string' }),
          },
          ['ccid', 'reporter', 'firmROEID', 'type', 'eventNs', 'lifecycleIds'],
        ),
      ),
      total: { type: 'integer' },
      brokers: COUNTS('reporter'),
      products: COUNTS('product'),
      chart: object({
        from: TEXT,
        to: TEXT,
        positionSymbols: { type: 'integer' },
        positions: arrayOf(
          object({
            symbol: { type: 'string' },
            points: arrayOf(object({ eventNs: { type: 'string' }, position: { type: 'number' } })),
          }),
        ),
        orders: arrayOf(
          object({
            reporter: { type: 'string' },
            points: arrayOf(
              object(
                {
                  eventNs: { type: 'string' },
                  price: DECIMAL,
                  symbol: TEXT,
                  side: TEXT,
                  quantity: nullable(DECIMAL),
                  orders: { type: 'integer' },
                },
                ['eventNs', 'price', 'orders'],
              ),
            ),
          }),
        ),
      }),
      offset: { type: 'integer' },
      next: TEXT,
      pii: arrayOf({ type: 'object' }),
    },
    ['ccids', 'accounts', 'total', 'brokers', 'products', 'chart', 'offset', 'events', 'next'],
  ),
  async handle({ query, repo, user, identity }) {
    const from = isoToDate(query.get('from') ?? '')
    const to = isoToDate(query.get('to') ?? '')
    if (from === null || to === null)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'from and to must be YYYY-MM-DD')
    let sel: CustomerSelector
    if (query.get('ccid')) sel = { ccid: query.get('ccid')! }
    else if (query.get('ltid')) sel = { ltid: query.get('ltid')! }
    else if (query.get('reporter') && query.get('fdid'))
      sel = { reporter: query.get('reporter')!, fdid: query.get('fdid')! }
    else throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give ccid, ltid, or reporter and fdid')
    const reveal = query.get('reveal') === '1'
    // Refused before anything is read: a caller without the entitlement learns nothing by asking.
    if (reveal && identity)
      checkPiiReveal(repo, identity, Object.values(sel).join(':'), query.get('reason') ?? undefined)
    const page = {
      limit: Number(query.get('limit') ?? CUSTOMER_LIMIT),
      ...(query.get('after') ? { after: query.get('after')! } : {}),
    }
    // Concurrent and repeated questions about one page of one customer share one computation.
    const activity = await storeAnswer(repo, `customer ${JSON.stringify([sel, from, to, page])}`, () =>
      customerActivity(repo, sel, from, to, page),
    )
    logAccess(repo.paths, {
      user,
      action: 'customer',
      subject: activity.ccids.join(','),
      rows: activity.events.length,
    })
    if (reveal && identity) {
      const pii = activity.ccids.flatMap((c) =>
        revealPii(repo, identity, c, query.get('reason') ?? undefined),
      )
      return { ...activity, pii }
    }
    return activity
  },
}
