/** GET /api/lifecycle?reporter=&firmROEID= | ?id=: one order's whole lifecycle across firms and venues. */
import { OpenCatError } from '../../common/errors.ts'
import { lookupLifecycle } from '../../link/index.ts'
import { logAccess } from '../../store/access-log.ts'
import type { Route } from '../route.ts'

export const lifecycleRoute: Route = {
  method: 'GET',
  path: '/api/lifecycle',
  summary: 'The lifecycle of an event (reporter + firmROEID) or by lifecycle id',
  async handle({ query, repo, user }) {
    const id = query.get('id')
    const reporter = query.get('reporter')
    const roe = query.get('firmROEID')
    if (!id && !(reporter && roe))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give id, or reporter and firmROEID')
    const lc = await lookupLifecycle(
      repo.db,
      id ? { lifecycleId: id } : { reporter: reporter!, firmROEID: roe! },
    )
    logAccess(repo.paths, { user, action: 'lifecycle', subject: lc.lifecycleId, rows: lc.events.length })
    return lc
  },
}
