/** GET /api/bluesheet: a symbol's executions over a date range by customer and broker, as `opencat bluesheet` gives it. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { blueSheet } from '../../query/bluesheet.ts'
import { logAccess } from '../../store/access-log.ts'
import { symbolDatesQuestion } from '../questions.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, isoDate, object, params, text } from '../schemas.ts'

export const bluesheetRoute: Route = {
  method: 'GET',
  path: '/api/bluesheet',
  summary: "A symbol's executions over a date range, by customer (CCID), broker and side",
  // It names customers across brokers, as the customer route does.
  access: allowed('customer.read'),
  question: symbolDatesQuestion,
  querystring: params(
    {
      symbol: text('Symbol', { maxLength: 40 }),
      from: isoDate('First event date'),
      to: isoDate('Last event date'),
    },
    ['symbol', 'from', 'to'],
  ),
  response: object({
    symbol: { type: 'string' },
    rows: arrayOf(
      object({
        ccid: { type: 'string' },
        broker: { type: 'string' },
        fdid: { type: 'string' },
        side: { type: 'string', enum: ['BUY', 'SELL'] },
        trades: { type: 'integer' },
        shares: { type: 'string' },
        averagePrice: { type: 'string' },
        firstNs: { type: 'string' },
        lastNs: { type: 'string' },
      }),
    ),
  }),
  async handle({ query, repo, user }) {
    const from = isoToDate(query.get('from') ?? '')
    const to = isoToDate(query.get('to') ?? '')
    const symbol = query.get('symbol')
    if (from === null || to === null || !symbol)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'symbol, from and to (YYYY-MM-DD) are required')
    if (to < from) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'to is before from')
    const rows = await blueSheet(repo, symbol, from, to)
    logAccess(repo.paths, { user, action: 'bluesheet', subject: symbol, rows: rows.length })
    return { symbol, rows }
  },
}
