/** GET /api/customer: a customer's accounts and activity (PII only with the entitlement, logged). */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { type CustomerSelector, customerActivity } from '../../query/customer.ts'
import { revealPii } from '../../query/pii.ts'
import { logAccess } from '../../store/access-log.ts'
import type { Route } from '../route.ts'

export const customerRoute: Route = {
  method: 'GET',
  path: '/api/customer',
  summary:
    'Accounts and events of a customer (ccid | reporter+fdid | ltid, from, to; reveal=1&reason= for PII)',
  async handle({ query, repo, user }) {
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
    const activity = await customerActivity(repo, sel, from, to)
    logAccess(repo.paths, {
      user,
      action: 'customer',
      subject: activity.ccids.join(','),
      rows: activity.events.length,
    })
    if (query.get('reveal') === '1') {
      const pii = activity.ccids.flatMap((c) =>
        revealPii(repo, c, { user, reason: query.get('reason') ?? undefined }),
      )
      return { ...activity, pii }
    }
    return activity
  },
}
