/**
 * Bulk extracts for regulators: a day's current events (optionally one symbol or reporter) or a query's
 * rows, as Parquet or CSV, in a file the caller streams or moves and then disposes of. The rows come from
 * the sandbox of `opencat sql` (one SELECT, no PII, no writes, no file outside the store) into a result
 * database in a private temporary folder, which the engine spills to disk, so no extract is held in memory
 * whole. An extract has a time limit and a row cap: past the cap it is refused, never cut short silently.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { logAccess } from '../store/access-log.ts'
import { literal } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { authorize, type Identity } from './roles.ts'
import { executeSandboxed, type LoggedRead, sqlFailureOf, writeAnswer } from './sql-query.ts'

/** Formats of an extract. */
export type ExtractFormat = 'parquet' | 'csv'
export const EXTRACT_FORMATS: readonly ExtractFormat[] = ['parquet', 'csv']
/** Most rows one extract may hold; a bigger one is refused (narrow it by symbol, reporter or query). */
export const EXTRACT_MAX_ROWS = 5_000_000
/** Time for one extract, ms. */
export const EXTRACT_TIMEOUT_MS = 300_000

/** What to extract: a day's current events (date: a CAT date number, YYYYMMDD), or a query's rows. */
export type ExtractRequest =
  | { readonly date: number; readonly symbol?: string; readonly reporter?: string }
  | { readonly sql: string }

/** A written extract; `dispose` removes it (and its folder). */
export interface Extract {
  readonly file: string
  /** The name to give the file: `opencat-events-2026-01-05.parquet`, `opencat-query.csv`. */
  readonly fileName: string
  readonly contentType: string
  readonly format: ExtractFormat
  readonly rowCount: number
  readonly bytes: number
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly elapsedMs: number
  /** What the access log was given for it. */
  readonly logged: LoggedRead
  dispose(): void
}

const CONTENT_TYPES: Record<ExtractFormat, string> = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
}

const DAY_SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'extract-day.sql'), 'utf8')

function usage(message: string): OpenCatError {
  return new OpenCatError('OCAT_ERR_SQL_REFUSED', message)
}

/** The SQL of a request, and the name its file gets. */
function planOf(request: ExtractRequest): { sql: string; name: string; subject: string } {
  if ('sql' in request) return { sql: request.sql, name: 'opencat-query', subject: request.sql }
  const { symbol, reporter } = request
  const date = String(request.date).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
  const filters = [
    ...(symbol !== undefined ? [`AND symbol = ${literal(symbol)}`] : []),
    ...(reporter !== undefined ? [`AND _reporter = ${literal(reporter)}`] : []),
  ].join(' ')
  const sql = DAY_SQL.replaceAll('{{DATE}}', String(Math.trunc(request.date))).replaceAll(
    '{{FILTERS}}',
    filters,
  )
  const parts = [
    date,
    ...(symbol !== undefined ? [symbol] : []),
    ...(reporter !== undefined ? [reporter] : []),
  ]
  const subject = [
    `date=${date}`,
    ...(symbol ? [`symbol=${symbol}`] : []),
    ...(reporter ? [`reporter=${reporter}`] : []),
  ]
  return {
    sql,
    name: `opencat-events-${parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('-')}`,
    subject: subject.join('&'),
  }
}

async function write(
  paths: RepoPaths,
  sql: string,
  format: ExtractFormat,
  name: string,
  limits: { maxRows: number; timeoutMs: number; memoryLimitMb?: number },
): Promise<Omit<Extract, 'logged'>> {
  // mkdtemp makes the folder 0700: the extract is readable by this process's user only.
  const dir = mkdtempSync(join(tmpdir(), 'opencat-extract-'))
  const dispose = () => rmSync(dir, { recursive: true, force: true })
  try {
    const answer = await executeSandboxed(
      paths,
      sql,
      {
        maxRows: limits.maxRows,
        timeoutMs: limits.timeoutMs,
        ...(limits.memoryLimitMb !== undefined ? { memoryLimitMb: limits.memoryLimitMb } : {}),
      },
      join(dir, 'rows.duckdb'),
    )
    try {
      if (answer.truncated)
        throw usage(
          `the extract holds more than ${limits.maxRows} rows, the most one extract may hold: narrow it (a symbol, a reporter, a WHERE clause)`,
        )
      const file = join(dir, `${name}.${format}`)
      await writeAnswer(answer, format, file)
      return {
        file,
        fileName: `${name}.${format}`,
        contentType: CONTENT_TYPES[format],
        format,
        rowCount: answer.rowCount,
        bytes: statSync(file).size,
        columns: answer.columns,
        elapsedMs: answer.elapsedMs,
        dispose,
      }
    } finally {
      answer.result.close()
      rmSync(join(dir, 'rows.duckdb'), { force: true })
      rmSync(join(dir, 'rows.duckdb.wal'), { force: true })
    }
  } catch (e) {
    dispose()
    throw e
  }
}

/**
 * Writes an extract for an identity that may (`extract`), logged with who asked, what and the rows.
 * Throws OCAT_ERR_AUTH_FORBIDDEN, OCAT_ERR_SQL_REFUSED, OCAT_ERR_SQL_FAILED or OCAT_ERR_SQL_TIMEOUT.
 */
export async function runExtract(
  paths: RepoPaths,
  identity: Identity,
  request: ExtractRequest,
  format: ExtractFormat,
  limits: { maxRows?: number; timeoutMs?: number; memoryLimitMb?: number } = {},
): Promise<Extract> {
  let subject = 'sql' in request ? request.sql : `date=${request.date}`
  try {
    const decision = authorize(identity, 'extract')
    if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason)
    if (!EXTRACT_FORMATS.includes(format))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `the format must be ${EXTRACT_FORMATS.join(' or ')}`)
    const plan = planOf(request)
    subject = plan.subject
    const extract = await write(paths, plan.sql, format, plan.name, {
      maxRows: limits.maxRows ?? EXTRACT_MAX_ROWS,
      timeoutMs: limits.timeoutMs ?? EXTRACT_TIMEOUT_MS,
      ...(limits.memoryLimitMb !== undefined ? { memoryLimitMb: limits.memoryLimitMb } : {}),
    })
    const logged: LoggedRead = {
      user: identity.user,
      action: 'extract',
      subject,
      rows: extract.rowCount,
      atNs: BigInt(Date.now()) * 1_000_000n,
    }
    const { atNs, ...entry } = logged
    logAccess(paths, { ...entry, status: 0 }, atNs)
    return { ...extract, logged }
  } catch (e) {
    const failure = sqlFailureOf(e)
    logAccess(paths, { user: identity.user, action: 'extract', subject, status: 1, error: failure.code })
    throw failure
  }
}
