/** GET /api/report-card?reporter=&date=: a reporter's error rate for a processing date. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { reportCard } from '../../query/report-card.ts'
import type { Route } from '../route.ts'

export const reportCardRoute: Route = {
  method: 'GET',
  path: '/api/report-card',
  summary: "A reporter's error rate by stage and code for a processing date",
  async handle({ query, repo }) {
    const date = isoToDate(query.get('date') ?? '')
    const reporter = query.get('reporter')
    if (date === null || !reporter)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'reporter and date (YYYY-MM-DD) are required')
    return reportCard(repo, reporter, date, Number(query.get('max') ?? '0.05'))
  },
}
