/**
 * POST /api/sql: a regulator's read-only SQL over the store's views, on the sandboxed connection of
 * `opencat sql` (one SELECT, no PII, no files, limited rows and time), logged with who asked.
 */
import { answerRows, runSql, SQL_MAX_ROWS, SQL_TIMEOUT_MS } from '../../access/index.ts'
import { checkExtraction } from '../../surveil/index.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, object } from '../schemas.ts'

/** Longest SQL text accepted, characters. */
export const SQL_MAX_LENGTH = 65_536

export const sqlRoute: Route = {
  method: 'POST',
  path: '/api/sql',
  summary: "Run one read-only SELECT over the store's views (no PII), limited in rows and time",
  access: allowed('sql.query'),
  repository: false,
  body: {
    type: 'object',
    properties: {
      sql: { type: 'string', minLength: 1, maxLength: SQL_MAX_LENGTH },
      maxRows: { type: 'integer', minimum: 1, maximum: SQL_MAX_ROWS },
      timeoutMs: { type: 'integer', minimum: 100, maximum: SQL_TIMEOUT_MS },
    },
    required: ['sql'],
    additionalProperties: false,
  },
  response: object({
    columns: arrayOf(object({ name: { type: 'string' }, type: { type: 'string' } })),
    rowCount: { type: 'integer' },
    truncated: { type: 'boolean' },
    elapsedMs: { type: 'integer' },
    rows: arrayOf({ type: 'object' }),
  }),
  async handle({ body, paths, identity, limits }) {
    const { sql, maxRows, timeoutMs } = body as { sql: string; maxRows?: number; timeoutMs?: number }
    const answer = await runSql(paths, identity!, sql, {
      memoryLimitMb: limits.sqlMemoryLimitMb,
      ...(maxRows ? { maxRows } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    })
    try {
      checkExtraction(paths, answer.logged)
      return {
        columns: answer.columns,
        rowCount: answer.rowCount,
        truncated: answer.truncated,
        elapsedMs: answer.elapsedMs,
        rows: await answerRows(answer),
      }
    } finally {
      answer.result.close()
    }
  },
}
