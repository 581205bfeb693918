/**
 * GET /api/alerts?date=: the surveillance alerts of a date (its latest run, or `run=`) and the extraction
 * alerts raised that day (`extraction`: queries and extracts far above their user's norm), with every
 * listed alert's status (`statuses`) and the alerts with a status history the run no longer holds, and
 * GET /api/alerts/evidence?date=&alert=: one alert with its evidence, as `opencat surveil evidence` gives it.
 */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { alertEvidence } from '../../query/alert-evidence.ts'
import { logAccess } from '../../store/access-log.ts'
import { ALERT_KINDS, alertRuns, extractionAlerts, queueStates, storedAlerts } from '../../surveil/index.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, isoDate, nullable, object, params, text } from '../schemas.ts'
import { ALERT_STATE } from './alert-status.ts'

const ANY_OBJECT = { type: 'object', additionalProperties: true }

const ALERT = object({
  id: { type: 'string' },
  kind: { type: 'string', enum: [...ALERT_KINDS] },
  symbol: { type: 'string' },
  from: { type: 'string', pattern: '^[0-9]+$' },
  to: { type: 'string', pattern: '^[0-9]+$' },
  score: { type: 'number' },
  participants: arrayOf(
    object({
      reporter: { type: 'string' },
      fdid: nullable({ type: 'string' }),
      ccid: nullable({ type: 'string' }),
    }),
  ),
  events: arrayOf(
    object({
      reporter: { type: 'string' },
      firmROEID: { type: 'string' },
      lifecycle: nullable({ type: 'string' }),
    }),
  ),
  reason: { type: 'string' },
})

/** An extraction alert: a query or extract far above its user's norm (surveil/extraction-alert.ts). */
const EXTRACTION_ALERT = object({
  id: { type: 'string' },
  kind: { type: 'string', enum: ['extraction'] },
  from: { type: 'string', pattern: '^[0-9]+$' },
  to: { type: 'string', pattern: '^[0-9]+$' },
  score: { type: 'number' },
  reason: { type: 'string' },
  extraction: object({
    user: { type: 'string' },
    action: { type: 'string' },
    request: { type: 'string' },
    rows: { type: 'integer' },
    medianRows: { type: 'number' },
    priorRequests: { type: 'integer' },
    windowDays: { type: 'integer' },
    factor: { type: 'number' },
    floorRows: { type: 'integer' },
  }),
})

function dateOf(query: URLSearchParams): number {
  const date = isoToDate(query.get('date') ?? '')
  if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'date (YYYY-MM-DD) is required')
  return date
}

export const alertsRoute: Route = {
  method: 'GET',
  path: '/api/alerts',
  summary: "A date's surveillance alerts: its latest run, or the run named",
  access: allowed('alerts.read'),
  querystring: params(
    {
      date: isoDate('Event date surveilled'),
      run: {
        type: 'string',
        pattern: '^[0-9]{1,6}$',
        description: 'A run of the date (default: the latest)',
      },
    },
    ['date'],
  ),
  response: object({
    date: { type: 'integer' },
    run: nullable({ type: 'integer' }),
    runs: arrayOf(object({ run: { type: 'integer' }, alerts: { type: 'integer' } })),
    alerts: arrayOf(ALERT),
    extraction: arrayOf(EXTRACTION_ALERT),
    // Every listed alert's status (open before any change), and the alerts with a history the run does not hold.
    statuses: { type: 'object', additionalProperties: ALERT_STATE },
    withdrawn: arrayOf(object({ id: { type: 'string' }, state: ALERT_STATE })),
  }),
  async handle({ query, repo, user }) {
    const date = dateOf(query)
    const runs = alertRuns(repo, date)
    const asked = query.get('run')
    const run = asked === null ? runs.at(-1)?.run : Number(asked)
    if (run !== undefined && !runs.some((r) => r.run === run))
      throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no surveillance run ${run} of ${query.get('date')}`)
    const alerts = run === undefined ? [] : await storedAlerts(repo, date, run)
    const extraction = extractionAlerts(repo.paths, date)
    const states = queueStates(
      repo.paths,
      date,
      [...alerts, ...extraction].map((a) => a.id),
    )
    logAccess(repo.paths, {
      user,
      action: 'alerts',
      subject: `${date} run ${run ?? '-'}`,
      rows: alerts.length + extraction.length,
    })
    return {
      date,
      run: run ?? null,
      runs: runs.map((r) => ({ run: r.run, alerts: r.alerts })),
      alerts,
      extraction,
      ...states,
    }
  },
}

export const alertEvidenceRoute: Route = {
  method: 'GET',
  path: '/api/alerts/evidence',
  summary: 'One alert with its evidence: the market around its moments, its lifecycles, its customers',
  access: allowed('alerts.read'),
  querystring: params(
    {
      date: isoDate('Event date surveilled'),
      alert: text('Alert id'),
      after: {
        type: 'string',
        pattern: '^[0-9]+(\\.[0-9]+)?$',
        description: 'Seconds after each moment the market is shown again (default 1)',
      },
    },
    ['date', 'alert'],
  ),
  response: object({
    date: { type: 'integer' },
    run: { type: 'integer' },
    current: { type: 'boolean' },
    runs: arrayOf({ type: 'integer' }),
    latestRun: { type: 'integer' },
    alert: ALERT,
    venues: arrayOf({ type: 'string' }),
    moments: arrayOf(ANY_OBJECT),
    momentsTotal: { type: 'integer' },
    lifecycles: arrayOf(ANY_OBJECT),
    goneLifecycles: arrayOf({ type: 'string' }),
    customers: arrayOf(ANY_OBJECT),
  }),
  async handle({ query, repo, user }) {
    const date = dateOf(query)
    const id = query.get('alert') ?? ''
    const afterSeconds = Number(query.get('after') ?? '1')
    const ev = await alertEvidence(repo, date, id, { afterNs: BigInt(Math.round(afterSeconds * 1e9)) })
    logAccess(repo.paths, { user, action: 'alert-evidence', subject: id, rows: ev.moments.length })
    return ev
  },
}
