/**
 * GET /api/alerts/status?date=&alert=: an alert's status, assignee and history of changes, as
 * `opencat surveil status` gives them; POST /api/alerts/status: a regulator's change of them (a new status,
 * disposition or assignee, always with a note), checked against the alert's workflow
 * (surveil/alert-status.ts) and recorded with the signed-in identity.
 */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { logAccess } from '../../store/access-log.ts'
import {
  ALERT_DISPOSITIONS,
  ALERT_STATUSES,
  type AlertStatusRequest,
  alertStatusReport,
  changeAlertStatus,
  NOTE_MAX_LENGTH,
} from '../../surveil/index.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, isoDate, nullable, object, params, text } from '../schemas.ts'

const STATUS = { type: 'string', enum: [...ALERT_STATUSES] }
const DISPOSITION = { type: 'string', enum: [...ALERT_DISPOSITIONS] }

/** Where an alert stands: its last change, or open and unassigned before any. */
export const ALERT_STATE = object({
  status: STATUS,
  disposition: nullable(DISPOSITION),
  assignee: nullable({ type: 'string' }),
  changes: { type: 'integer' },
  updated: nullable(object({ at: { type: 'string' }, by: { type: 'string' } })),
})

const CHANGE = object({
  alert: { type: 'string' },
  seq: { type: 'integer' },
  at: { type: 'string' },
  by: { type: 'string' },
  from: STATUS,
  status: STATUS,
  disposition: nullable(DISPOSITION),
  assignee: nullable({ type: 'string' }),
  note: { type: 'string' },
})

const REPORT = {
  date: { type: 'integer' },
  alert: { type: 'string' },
  place: { type: 'string', enum: ['latest-run', 'earlier-run', 'extraction'] },
  state: ALERT_STATE,
  next: arrayOf(STATUS),
  dispositions: arrayOf(DISPOSITION),
  history: arrayOf(CHANGE),
}

function dateOf(value: string): number {
  const date = isoToDate(value)
  if (date === null)
    throw new OpenCatError('OCAT_ERR_HTTP_REQUEST', 'date must be a calendar date YYYY-MM-DD')
  return date
}

export const alertStatusRoute: Route = {
  method: 'GET',
  path: '/api/alerts/status',
  summary: "An alert's status, assignee and every change of them (who, when, why)",
  access: allowed('alerts.read'),
  querystring: params({ date: isoDate('Event date surveilled'), alert: text('Alert id') }, ['date', 'alert']),
  response: object(REPORT),
  async handle({ query, repo, user }) {
    const date = dateOf(query.get('date') ?? '')
    const id = query.get('alert') ?? ''
    const report = await alertStatusReport(repo, date, id)
    logAccess(repo.paths, {
      user,
      action: 'alert-status',
      subject: `${date} ${id}`,
      rows: report.history.length,
    })
    return report
  },
}

export const changeAlertStatusRoute: Route = {
  method: 'POST',
  path: '/api/alerts/status',
  summary: "Change an alert's status, disposition or assignee, with a note saying why (regulators)",
  access: allowed('alerts.work'),
  body: {
    type: 'object',
    properties: {
      date: isoDate('Event date surveilled'),
      alert: text('Alert id'),
      status: STATUS,
      disposition: DISPOSITION,
      assignee: nullable(text('The regulator who works the alert (null: nobody)')),
      note: { type: 'string', minLength: 1, maxLength: NOTE_MAX_LENGTH },
    },
    required: ['date', 'alert', 'note'],
    additionalProperties: false,
  },
  response: object({ ...REPORT, change: CHANGE }),
  async handle({ body, repo, user }) {
    const b = body as AlertStatusRequest & { date: string; alert: string }
    const date = dateOf(b.date)
    const change = await changeAlertStatus(repo, date, b.alert, user, {
      ...(b.status === undefined ? {} : { status: b.status }),
      ...(b.disposition === undefined ? {} : { disposition: b.disposition }),
      ...(b.assignee === undefined ? {} : { assignee: b.assignee }),
      note: b.note,
    })
    logAccess(repo.paths, {
      user,
      action: 'alert-status-change',
      subject: `${date} ${b.alert} ${change.from} -> ${change.status}`,
      reason: change.note,
    })
    return { ...(await alertStatusReport(repo, date, b.alert)), change }
  },
}
