/**
 * GET /api/lifecycle?reporter=&firmROEID= | ?id=: one order's whole lifecycle across firms and venues, and
 * GET /api/lifecycle/graph with the same keys: the lifecycle as a graph (lanes, versions, broken links).
 */
import { COMPOSITES } from '../../catalogue/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { type LifecycleKey, lookupLifecycle } from '../../link/index.ts'
import { lifecycleGraph } from '../../query/lifecycle-graph.ts'
import { logAccess } from '../../store/access-log.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, object, params, text } from '../schemas.ts'

/** The lifecycle a request names: by id, or by an event's reporter and firmROEID. */
function keyOf(query: URLSearchParams): LifecycleKey {
  const id = query.get('id')
  const reporter = query.get('reporter')
  const roe = query.get('firmROEID')
  if (id && !reporter && !roe) return { lifecycleId: id }
  if (!id && reporter && roe) return { reporter, firmROEID: roe }
  throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give id, or reporter and firmROEID')
}

const END = object({ reporter: { type: 'string' }, firmROEID: { type: 'string' } })

// A multi-leg event's legs carry the catalogue's Leg Details fields, each as text (the required ones always).
const LEG_FIELDS = COMPOSITES.legDetails.layout
  .trim()
  .split(/\s+/)
  .map((f) => f.split(':'))
const LEG = object(
  Object.fromEntries(LEG_FIELDS.map(([name]) => [name, { type: 'string' }])),
  LEG_FIELDS.filter(([, inclusion]) => inclusion === 'R').map(([name]) => name),
)

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
            legs: arrayOf(LEG),
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

const NULLABLE_TEXT = { anyOf: [{ type: 'string' }, { type: 'null' }] }

/** GET /api/lifecycle/graph: the lifecycle as a picture's data, as `opencat lifecycle --graph --json`. */
export const lifecycleGraphRoute: Route = {
  method: 'GET',
  path: '/api/lifecycle/graph',
  summary:
    'A lifecycle as a graph: lanes per firm or venue, events with every stored version, links, broken links with their CAT codes (reporter + firmROEID, or id)',
  access: allowed('lifecycle.read'),
  querystring: lifecycleRoute.querystring!,
  response: object(
    {
      lifecycleId: { type: 'string' },
      symbol: NULLABLE_TEXT,
      alsoIn: arrayOf({ type: 'string' }),
      lanes: arrayOf(
        object({
          id: { type: 'string' },
          role: { type: 'string', enum: ['firm', 'ats', 'exchange'] },
          name: { type: 'string' },
          events: { type: 'integer' },
        }),
      ),
      nodes: arrayOf(
        object({
          id: { type: 'string' },
          lane: { type: 'string' },
          reporter: { type: 'string' },
          firmROEID: { type: 'string' },
          type: { type: 'string' },
          eventTimestamp: { type: 'string' },
          eventDate: { type: 'integer' },
          symbol: NULLABLE_TEXT,
          side: NULLABLE_TEXT,
          price: NULLABLE_TEXT,
          quantity: NULLABLE_TEXT,
          versions: arrayOf(
            object({
              eventId: { type: 'string' },
              action: { type: 'string' },
              received: { type: 'string' },
              fileName: { type: 'string' },
              line: { type: 'integer' },
              linked: { type: 'boolean' },
              fields: { type: 'object', additionalProperties: { type: 'string' } },
            }),
          ),
        }),
      ),
      edges: arrayOf(
        object({
          from: { type: 'string' },
          to: { type: 'string' },
          kind: { type: 'string' },
          acrossLanes: { type: 'boolean' },
        }),
      ),
      broken: arrayOf(
        object(
          {
            from: { type: 'string' },
            code: { type: 'integer' },
            severity: { type: 'string' },
            meaning: { type: 'string' },
            explanation: { type: 'string' },
            linkageType: { type: 'string' },
            counterparty: NULLABLE_TEXT,
            recipient: { type: 'string' },
            candidates: {},
          },
          ['from', 'code', 'severity', 'meaning', 'explanation', 'linkageType', 'counterparty', 'recipient'],
        ),
      ),
    },
    ['lifecycleId', 'symbol', 'lanes', 'nodes', 'edges', 'broken'],
  ),
  async handle({ query, repo, user }) {
    const graph = await lifecycleGraph(repo, keyOf(query))
    logAccess(repo.paths, {
      user,
      action: 'lifecycle-graph',
      subject: graph.lifecycleId,
      rows: graph.nodes.length,
    })
    return graph
  },
}
