/** GET /api/summary: what the repository holds, per event date and per reporter. */
import { repositorySummary } from '../../query/summary.ts'
import { onlyQuestion } from '../questions.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, COUNT, nullable, object, params } from '../schemas.ts'
import { storeAnswer } from '../store-answers.ts'

export const summaryRoute: Route = {
  method: 'GET',
  path: '/api/summary',
  summary: 'Files, records, rejects and lifecycles per event date; error rate per reporter',
  access: allowed('summary.read'),
  question: onlyQuestion,
  querystring: params({}),
  response: object({
    dates: arrayOf(
      object({ event_date: { type: 'integer' }, records: COUNT, reporters: COUNT, lifecycles: COUNT }),
    ),
    reporters: arrayOf(
      object({
        reporter: { type: 'string' },
        files: COUNT,
        records: COUNT,
        rejected: COUNT,
        error_rate_pct: { type: ['number', 'string'] },
      }),
    ),
    linkage: arrayOf(
      object({
        linkage_type: { type: 'string' },
        code: { type: ['integer', 'string'] },
        findings: COUNT,
        title: nullable({ type: 'string' }),
      }),
    ),
  }),
  handle: ({ repo }) => storeAnswer(repo, 'summary', () => repositorySummary(repo)),
}
