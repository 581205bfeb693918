/** GET /api/report-card?reporter=&date=: a reporter's error rate for a processing date. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { reportCard } from '../../query/report-card.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, isoDate, object, params, text } from '../schemas.ts'

const STAGE = object({
  stage: { type: 'string', enum: ['integrity', 'ingestion', 'linkage', 'late'] },
  errors: { type: 'integer' },
  rate: { type: 'number' },
  outstanding: { type: 'integer' },
})

export const reportCardRoute: Route = {
  method: 'GET',
  path: '/api/report-card',
  summary: "A reporter's error rate by stage and code for a processing date",
  // A reporter sees its own IMIDs' report cards only.
  access: allowed('report-card.read', (q) => ({ reporter: q.get('reporter') ?? '' })),
  querystring: params(
    {
      reporter: text('Reporter IMID (or exchange ID)'),
      date: isoDate('Processing date'),
      max: {
        type: 'string',
        pattern: '^(0(\\.[0-9]+)?|1(\\.0+)?)$',
        description: 'Maximum error rate (default 0.05)',
      },
    },
    ['reporter', 'date'],
  ),
  response: object({
    reporter: { type: 'string' },
    processingDate: { type: 'integer' },
    files: { type: 'integer' },
    filesRejected: { type: 'integer' },
    records: { type: 'integer' },
    late: { type: 'integer' },
    errors: { type: 'integer' },
    errorRate: { type: 'number' },
    errorsAfterRepairs: { type: 'integer' },
    errorRateAfterRepairs: { type: 'number' },
    maxErrorRate: { type: 'number' },
    withinLimit: { type: 'boolean' },
    stages: arrayOf(STAGE),
    byCode: arrayOf(
      object({ code: { type: 'integer' }, count: { type: 'integer' }, title: { type: 'string' } }),
    ),
  }),
  async handle({ query, repo }) {
    const date = isoToDate(query.get('date') ?? '')
    const reporter = query.get('reporter')
    if (date === null || !reporter)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'reporter and date (YYYY-MM-DD) are required')
    return reportCard(repo, reporter, date, Number(query.get('max') ?? '0.05'))
  },
}
