/** GET /api/dashboard?date=: the day's submissions, stage timings, error rates and late files by reporter, linkage. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { dashboard } from '../../query/dashboard.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, isoDate, nullable, object, params } from '../schemas.ts'

const INT = { type: 'integer' }
const NUM = { type: 'number' }

export const dashboardRoute: Route = {
  method: 'GET',
  path: '/api/dashboard',
  summary:
    "A day's submissions (files received that date, Eastern Time), stage timings, error rates and late files by reporter, and the linkage of its events",
  // Every reporter's counts, as the summary: regulators and operators.
  access: allowed('summary.read'),
  querystring: params({ date: isoDate('The day') }, ['date']),
  response: object({
    date: INT,
    totals: object({
      files: INT,
      dataFiles: INT,
      filesRejected: INT,
      records: INT,
      accepted: INT,
      rejected: INT,
      lateFiles: INT,
      lateRecords: INT,
      bytes: INT,
    }),
    byHour: arrayOf(object({ hour: INT, files: INT, records: INT })),
    stages: arrayOf(
      object({
        stage: { type: 'string' },
        files: INT,
        failures: INT,
        medianSeconds: NUM,
        p95Seconds: NUM,
        maxSeconds: NUM,
      }),
    ),
    reporters: arrayOf(
      object({
        reporter: { type: 'string' },
        files: INT,
        dataFiles: INT,
        filesRejected: INT,
        records: INT,
        accepted: INT,
        rejected: INT,
        errorRate: NUM,
        lateFiles: INT,
        lateRecords: INT,
        linkageErrors: INT,
        bytes: INT,
      }),
    ),
    lateReporters: arrayOf(object({ reporter: { type: 'string' }, files: INT, records: INT })),
    linkage: nullable(
      object({
        run: INT,
        trigger: { type: 'string' },
        events: INT,
        lifecycles: INT,
        linked: INT,
        unlinked: INT,
        rate: NUM,
        byType: arrayOf(object({ type: { type: 'string' }, linked: INT, unlinked: INT })),
        errorsByCode: arrayOf(object({ code: INT, count: INT, title: { type: 'string' } })),
      }),
    ),
  }),
  async handle({ query, repo }) {
    const date = isoToDate(query.get('date') ?? '')
    if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'date (YYYY-MM-DD) is required')
    return dashboard(repo, date)
  },
}
