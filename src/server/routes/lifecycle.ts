/** GET /api/lifecycle?reporter=&firmROEID= | ?id=: one order's whole lifecycle across firms and venues. */
import { OpenCatError } from '../../common/errors.ts'
import { lookupLifecycle } from '../../link/index.ts'
import { logAccess } from '../../store/access-log.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, object, params, text } from '../schemas.ts'

const END = object({ reporter: { type: 'string' }, firmROEID: { type: 'string' } })

export const lifecycleRoute: Route = {
  method: 'GET',
  path: '/api/lifecycle',
  summary: 'The lifecycle of an event (reporter + firmROEID) or by lifecycle id',
  access: allowed('lifecycle.read'),
  querystring: params({
    reporter: text('Reporter IMID or exchange ID of the event'),
    firmROEID: text("The event's firmROEID (an exchange's recordID)"),
    id: text('A lifecycle id (L<date>-…)'),
  }),
  response: object(
    {
      lifecycleId: { type: 'string' },
      alsoIn: arrayOf({ type: 'string' }),
      events: arrayOf(
        object(
          {
            reporter: { type: 'string' },
            firmROEID: { type: 'string' },
            type: { type: 'string' },
            eventTimestamp: { type: 'string' },
            eventDate: { type: 'integer' },
            symbol: { type: 'string' },
            side: { type: 'string' },
            price: { type: 'string' },
            quantity: { type: 'string' },
          },
          ['reporter', 'firmROEID', 'type', 'eventTimestamp', 'eventDate'],
        ),
      ),
      links: arrayOf(object({ from: END, to: END, kind: { type: 'string' } })),
    },
    ['lifecycleId', 'events', 'links'],
  ),
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
