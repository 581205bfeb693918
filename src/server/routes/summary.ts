/** GET /api/summary: what the repository holds, per event date and per reporter. */
import { CAT_CODES } from '../../catalogue/index.ts'
import type { Repository } from '../../store/repository.ts'
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
  handle: ({ repo }) => storeAnswer(repo, 'summary', () => summaryOf(repo)),
}

async function summaryOf(repo: Repository) {
  const dates = await repo.db.all(
    `SELECT e.event_date, count(*) AS records, count(DISTINCT e._reporter) AS reporters,
              (SELECT count(DISTINCT lifecycle_id) FROM linkage_members m WHERE m.event_date = e.event_date) AS lifecycles
       FROM current_events e GROUP BY e.event_date ORDER BY e.event_date`,
  )
  const reporters = await repo.db.all(
    `SELECT reporter, count(*) AS files, coalesce(sum(records), 0) AS records, coalesce(sum(rejected), 0) AS rejected,
              round(100.0 * coalesce(sum(rejected), 0) / greatest(coalesce(sum(records), 0), 1), 3) AS error_rate_pct
       FROM files WHERE role = 'data' AND kind IN ('OrderEvents', 'ExchangeEvents') GROUP BY reporter ORDER BY reporter`,
  )
  const linkage = await repo.db.all(
    `SELECT linkage_type, code, count(*) AS findings FROM linkage_findings WHERE NOT named GROUP BY ALL ORDER BY findings DESC, code, linkage_type LIMIT 20`,
  )
  // The portal shows each code with its meaning, from the one code table.
  const withTitles = linkage.map((r) => ({ ...r, title: CAT_CODES.get(Number(r.code))?.title ?? null }))
  return { dates, reporters, linkage: withTitles }
}
