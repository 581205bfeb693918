/**
 * Running a regulator's SQL: one SELECT (or WITH … SELECT), as DuckDB's own parser and planner classify it,
 * on a sandbox connection (sql-sandbox.ts), with a row limit and a time limit (the connection is
 * interrupted). The rows land in a separate in-memory result database, from which they are printed or
 * written as CSV, JSON or Parquet. Every query — answered, refused or failed — goes to the access log with
 * who asked, the SQL, the rows returned and the failure code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { logAccess } from '../store/access-log.ts'
import { Database, ident, literal, type Row } from '../store/database.ts'
import { engine } from '../store/engine.ts'
import type { RepoPaths } from '../store/paths.ts'
import { authorize, type Identity } from './roles.ts'
import { openSqlSandbox, SQL_MEMORY_LIMIT_MB } from './sql-sandbox.ts'

export { SQL_MEMORY_LIMIT_MB } from './sql-sandbox.ts'

/** Limits of one query. */
export interface SqlLimits {
  /** Rows kept; more are cut off and the answer says so. @default 10000 */
  readonly maxRows?: number
  /** Time for the whole query, ms; then it is interrupted. @default 60000 */
  readonly timeoutMs?: number
  /**
   * Memory the query may hold, MB (it may spill four times as much to a private temporary folder); past
   * it the query fails with OCAT_ERR_SQL_MEMORY. @default 1024
   */
  readonly memoryLimitMb?: number
}

/** Default row limit. */
export const SQL_MAX_ROWS = 10_000
/** Default time limit, ms. */
export const SQL_TIMEOUT_MS = 60_000

/** An answered query: its columns and rows (in `result`, table `result`); close it when done. */
export interface SqlAnswer {
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly rowCount: number
  /** More rows were there than the limit kept. */
  readonly truncated: boolean
  readonly elapsedMs: number
  readonly result: Database
}

/** What the access log was given for an answered query or extract, with the instant it was logged at. */
export interface LoggedRead {
  readonly user: string
  readonly action: 'sql' | 'extract'
  readonly subject: string
  readonly rows: number
  /** ns since the epoch */
  readonly atNs: bigint
}

/** Output formats of a query's rows. */
export type SqlFormat = 'table' | 'csv' | 'json' | 'parquet'

function refused(message: string): OpenCatError {
  return new OpenCatError('OCAT_ERR_SQL_REFUSED', message)
}

/** Refuses anything but one SELECT statement, as DuckDB's parser sees it. */
async function checkStatement(db: Database, sql: string): Promise<void> {
  // json_serialize_sql serializes SELECT statements only, and says so for anything else.
  const parsed = await db.one<{ j: string }>(`SELECT json_serialize_sql(${literal(sql)}) AS j`)
  const tree = JSON.parse(parsed?.j ?? '{}') as {
    error?: boolean
    error_message?: string
    statements?: unknown[]
  }
  if (tree.error) {
    if (/only select/i.test(tree.error_message ?? ''))
      throw refused(
        'only a single SELECT (or WITH … SELECT) statement runs here: no writes, settings, attaching, extensions or pragmas',
      )
    throw new OpenCatError('OCAT_ERR_SQL_FAILED', `the SQL does not parse: ${tree.error_message}`)
  }
  if ((tree.statements ?? []).length !== 1) throw refused('one statement at a time')
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return names.map((n) => {
    const k = seen.get(n) ?? 0
    seen.set(n, k + 1)
    return k === 0 ? n : `${n}_${k}`
  })
}

export function sqlFailureOf(e: unknown): OpenCatError {
  if (e instanceof OpenCatError) return e
  const message = (e as Error).message ?? String(e)
  if (/interrupt/i.test(message))
    return new OpenCatError('OCAT_ERR_SQL_TIMEOUT', 'the query ran out of time and was stopped')
  if (/Out of Memory Error/i.test(message))
    return new OpenCatError(
      'OCAT_ERR_SQL_MEMORY',
      `the query needs more memory than it may use and was stopped: ${message.split('\n')[0].replace(/^Out of Memory Error:\s*/i, '')}`,
    )
  if (/Permission Error|disabled by configuration|configuration has been locked/i.test(message))
    return refused(`the engine refused: ${message.split('\n')[0]} (only the store's views may be read)`)
  return new OpenCatError('OCAT_ERR_SQL_FAILED', message.split('\n').slice(0, 3).join('\n'))
}

/**
 * Runs the SQL on a sandbox and keeps its rows in a result database: in memory, or in `resultFile` (a
 * database file the engine spills to, for extracts larger than memory). Not authorized nor logged here.
 */
export async function executeSandboxed(
  paths: RepoPaths,
  sql: string,
  limits: SqlLimits,
  resultFile = ':memory:',
): Promise<SqlAnswer> {
  const maxRows = limits.maxRows ?? SQL_MAX_ROWS
  const timeoutMs = limits.timeoutMs ?? SQL_TIMEOUT_MS
  const start = Date.now()
  const memoryLimitMb = limits.memoryLimitMb ?? SQL_MEMORY_LIMIT_MB
  const sandbox = await openSqlSandbox(paths, { memoryLimitMb })
  const result = await Database.open(resultFile)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    sandbox.db.connection.interrupt()
  }, timeoutMs)
  try {
    // The rows kept are bounded by the same limit (an extract's result database spills to its own file).
    await result.run(`SET memory_limit = ${literal(`${Math.max(1, Math.floor(memoryLimitMb))}MB`)}`)
    await checkStatement(sandbox.db, sql)
    const extracted = await sandbox.db.connection.extractStatements(sql)
    if (extracted.count !== 1) throw refused('one statement at a time')
    const prepared = await extracted.prepare(0)
    if (prepared.statementType !== engine().StatementType.SELECT)
      throw refused('only a single SELECT (or WITH … SELECT) statement runs here')
    const stream = await prepared.stream()
    const names = uniqueNames(stream.columnNames())
    const types = stream.columnTypes().map((t) => t.toString())
    await result.run(`CREATE TABLE result (${names.map((n, i) => `${ident(n)} ${types[i]}`).join(', ')})`)
    const appender = await result.connection.createAppender('result')
    let rowCount = 0
    let truncated = false
    for (;;) {
      if (timedOut)
        throw new OpenCatError('OCAT_ERR_SQL_TIMEOUT', 'the query ran out of time and was stopped')
      const chunk = await stream.fetchChunk()
      if (!chunk || chunk.rowCount === 0) break
      if (rowCount + chunk.rowCount > maxRows) {
        chunk.rowCount = maxRows - rowCount
        truncated = true
      }
      if (chunk.rowCount > 0) appender.appendDataChunk(chunk)
      rowCount += chunk.rowCount
      if (truncated) break
    }
    appender.closeSync()
    return {
      columns: names.map((name, i) => ({ name, type: types[i] })),
      rowCount,
      truncated,
      elapsedMs: Date.now() - start,
      result,
    }
  } catch (e) {
    result.close()
    throw timedOut
      ? new OpenCatError('OCAT_ERR_SQL_TIMEOUT', `the query ran longer than ${timeoutMs} ms and was stopped`)
      : sqlFailureOf(e)
  } finally {
    clearTimeout(timer)
    sandbox.close()
  }
}

/**
 * Runs a regulator's SQL over the store's views, for an identity that may (`sql.query`), and logs it.
 * Throws OCAT_ERR_AUTH_FORBIDDEN, OCAT_ERR_SQL_REFUSED, OCAT_ERR_SQL_FAILED or OCAT_ERR_SQL_TIMEOUT.
 */
export async function runSql(
  paths: RepoPaths,
  identity: Identity,
  sql: string,
  limits: SqlLimits = {},
): Promise<SqlAnswer & { readonly logged: LoggedRead }> {
  try {
    const decision = authorize(identity, 'sql.query')
    if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason)
    const answer = await executeSandboxed(paths, sql, limits)
    const logged: LoggedRead = {
      user: identity.user,
      action: 'sql',
      subject: sql,
      rows: answer.rowCount,
      atNs: BigInt(Date.now()) * 1_000_000n,
    }
    const { atNs, ...entry } = logged
    logAccess(paths, { ...entry, status: 0 }, atNs)
    return { ...answer, logged }
  } catch (e) {
    const failure = sqlFailureOf(e)
    logAccess(paths, { user: identity.user, action: 'sql', subject: sql, status: 1, error: failure.code })
    throw failure
  }
}

/** Logs a query refused before anyone was identified (a bad, revoked or expired token). */
export function logUnidentifiedSql(paths: RepoPaths, who: string, sql: string, code: string): void {
  logAccess(paths, { user: who, action: 'sql', subject: sql, status: 1, error: code })
}

/** The answer's rows as JSON-safe objects (big integers and decimals as strings). */
export async function answerRows(answer: SqlAnswer): Promise<Row[]> {
  return answer.result.all('SELECT * FROM result')
}

const COPY_OPTIONS: Record<Exclude<SqlFormat, 'table'>, string> = {
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
  parquet: 'FORMAT parquet',
}

/** Writes the answer's rows to a file in a format (by DuckDB's own writers, so values stay exact). */
export async function writeAnswer(
  answer: SqlAnswer,
  format: Exclude<SqlFormat, 'table'>,
  file: string,
): Promise<void> {
  await answer.result.run(`COPY result TO ${literal(file)} (${COPY_OPTIONS[format]})`)
}

/** The answer as CSV or JSON text. */
export async function answerText(answer: SqlAnswer, format: 'csv' | 'json'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'opencat-sql-out-'))
  try {
    const file = join(dir, `result.${format}`)
    await writeAnswer(answer, format, file)
    return readFileSync(file, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
