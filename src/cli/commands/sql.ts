/** `opencat sql`: a regulator's read-only SQL over the store's views, limited, logged, PII out of reach. */
import { extname } from 'node:path'
import {
  answerRows,
  answerText,
  type Identity,
  logUnidentifiedSql,
  repositoryPaths,
  runSql,
  SQL_MAX_ROWS,
  SQL_MEMORY_LIMIT_MB,
  SQL_TIMEOUT_MS,
  type SqlFormat,
  writeAnswer,
} from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import type { Row } from '../../store/database.ts'
import type { RepoPaths } from '../../store/paths.ts'
import { checkExtraction } from '../../surveil/index.ts'
import { type Command, flag, optStr, type ParsedArgs, str } from '../command.ts'
import { cliIdentity, runUser } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

const FORMATS: readonly SqlFormat[] = ['table', 'csv', 'json', 'parquet']

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!(Number.isFinite(n) && n > 0))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--${name} must be a positive number`)
  return n
}

// Unlike the other query commands, sql never defaults to the owner: a query must say who runs it.
function identify(args: ParsedArgs, paths: RepoPaths, sql: string): Identity {
  if (!flag(args, 'operator') && (optStr(args, 'token') ?? process.env.OPENCAT_TOKEN) === undefined)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'sql needs an identity: --token T (or OPENCAT_TOKEN), or --operator',
    )
  try {
    return cliIdentity(args)
  } catch (e) {
    if (e instanceof OpenCatError) logUnidentifiedSql(paths, runUser(args), sql, e.code)
    throw e
  }
}

function textTable(columns: readonly { name: string }[], rows: Row[]): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  const grid = [columns.map((c) => c.name), ...rows.map((r) => columns.map((c) => cell(r[c.name])))]
  const widths = columns.map((_, i) => Math.min(60, Math.max(...grid.map((g) => g[i].length))))
  const line = (g: string[]) =>
    g
      .map((v, i) => v.slice(0, 60).padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return `${[line(grid[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...grid.slice(1).map(line)].join('\n')}\n`
}

export const sqlCommand: Command = {
  name: 'sql',
  summary: SUMMARIES.sql,
  usage:
    'sql --repo DIR [--token T | --operator] [--format table|csv|json|parquet] [--out FILE] [--max-rows N] [--timeout S] [--memory-limit MB] "SELECT …"',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    token: {
      type: 'string',
      value: 'T',
      description: 'An API token of a regulator (default: OPENCAT_TOKEN)',
    },
    operator: {
      type: 'boolean',
      description: 'Act as the repository owner (only for the operating-system user owning DIR)',
    },
    format: {
      type: 'string',
      value: 'F',
      description: 'table, csv, json or parquet (default: from --out, else table)',
    },
    out: { type: 'string', value: 'FILE', description: 'Write the rows to FILE instead of printing them' },
    'max-rows': {
      type: 'string',
      value: 'N',
      description: `Rows kept; more are cut off (default ${SQL_MAX_ROWS})`,
    },
    timeout: {
      type: 'string',
      value: 'S',
      description: `Seconds before the query is stopped (default ${SQL_TIMEOUT_MS / 1000})`,
    },
    'memory-limit': {
      type: 'string',
      value: 'MB',
      description: `Memory the query may hold; it may spill 4× as much to a private temporary folder, and past both it is stopped with OCAT_ERR_SQL_MEMORY (default ${SQL_MEMORY_LIMIT_MB})`,
    },
  },
  details:
    'The SQL sees the store views (events, current_events, current_events_of(d), events_as_of(t), rejects,\n' +
    'linkage_*, cais_*, fdid_*, event_customers), the file registry (files) and reference data (ref_*), on a connection that\n' +
    'cannot open any other file, load extensions or change its settings: the vault, the inbox and the account\n' +
    'store are out of reach, and only a single SELECT (or WITH … SELECT) runs. Tokens of regulators only;\n' +
    'reporters are refused. Every query is written to the access log (who, the SQL, rows, outcome).',
  async run(args, io) {
    if (args.positionals.length !== 1)
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        'give the query as one argument: opencat sql --repo DIR "SELECT …"',
      )
    const sql = args.positionals[0]
    const out = optStr(args, 'out')
    const given = optStr(args, 'format')
    const fromExt = out ? extname(out).slice(1).toLowerCase() : ''
    const format = (given ?? (FORMATS.includes(fromExt as SqlFormat) ? fromExt : 'table')) as SqlFormat
    if (!FORMATS.includes(format))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--format must be one of ${FORMATS.join(', ')}`)
    if (format === 'parquet' && !out)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--format parquet needs --out FILE')
    if (format === 'table' && out)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--out needs --format csv, json or parquet')
    const maxRows = Math.floor(positiveNumber(optStr(args, 'max-rows'), 'max-rows', SQL_MAX_ROWS))
    const timeoutMs = positiveNumber(optStr(args, 'timeout'), 'timeout', SQL_TIMEOUT_MS / 1000) * 1000
    const paths = repositoryPaths(str(args, 'repo'))
    const identity = identify(args, paths, sql)
    const memoryLimitMb = positiveNumber(optStr(args, 'memory-limit'), 'memory-limit', SQL_MEMORY_LIMIT_MB)
    const answer = await runSql(paths, identity, sql, { maxRows, timeoutMs, memoryLimitMb })
    try {
      checkExtraction(paths, answer.logged)
      if (out && format !== 'table') await writeAnswer(answer, format, out)
      const summary = {
        user: identity.user,
        columns: answer.columns,
        rowCount: answer.rowCount,
        truncated: answer.truncated,
        elapsedMs: answer.elapsedMs,
      }
      if (flag(args, 'json')) {
        io.stdout.write(
          `${JSON.stringify(out ? { ...summary, out, format } : { ...summary, rows: await answerRows(answer) })}\n`,
        )
      } else if (out) {
        io.stdout.write(`${answer.rowCount} rows written to ${out} (${format})\n`)
      } else if (format === 'table') {
        io.stdout.write(textTable(answer.columns, await answerRows(answer)))
        io.stdout.write(`(${answer.rowCount} rows, ${answer.elapsedMs} ms)\n`)
      } else {
        io.stdout.write(await answerText(answer, format as 'csv' | 'json'))
      }
      if (answer.truncated)
        io.stderr.write(`opencat: only the first ${answer.rowCount} rows were kept (raise --max-rows)\n`)
      return 0
    } finally {
      answer.result.close()
    }
  },
}
