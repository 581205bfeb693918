/** `opencat extract`: a day's current events as a Parquet or CSV file, as GET /api/extract gives it. */
import { copyFileSync } from 'node:fs'
import { extname } from 'node:path'
import {
  EXTRACT_FORMATS,
  EXTRACT_MAX_ROWS,
  EXTRACT_TIMEOUT_MS,
  type ExtractFormat,
  repositoryPaths,
  runExtract,
} from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { checkExtraction } from '../../surveil/index.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { eventDate } from '../event-date.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const extractCommand: Command = {
  name: 'extract',
  summary: SUMMARIES.extract,
  usage:
    'extract --repo DIR --date D [--symbol S] [--reporter R] [--format parquet|csv] --out FILE [--token T | --operator]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    date: {
      type: 'string',
      value: 'D',
      description: 'The event date, YYYY-MM-DD (or YYYYMMDD)',
      required: true,
    },
    symbol: { type: 'string', value: 'S', description: 'Only this symbol' },
    reporter: { type: 'string', value: 'R', description: "Only this reporter's (IMID) events" },
    format: { type: 'string', value: 'F', description: 'parquet or csv (default: from --out)' },
    out: { type: 'string', value: 'FILE', description: 'The file to write', required: true },
    ...IDENTITY_OPTIONS,
  },
  details:
    'The current version of every event of the day, every column of the current_events view, in time order,\n' +
    'read through the sandbox of `opencat sql` (no PII, no writes). For regulators (and the repository\n' +
    `owner). At most ${EXTRACT_MAX_ROWS} rows (a bigger extract is refused: narrow it by --symbol or\n` +
    `--reporter) and ${EXTRACT_TIMEOUT_MS / 1000} s. The run and its row count go to the access log.`,
  async run(args, io) {
    const out = str(args, 'out')
    const fromExt = extname(out).slice(1).toLowerCase()
    const format = (optStr(args, 'format') ?? fromExt) as ExtractFormat
    if (!EXTRACT_FORMATS.includes(format))
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `--format must be ${EXTRACT_FORMATS.join(' or ')} (or --out must end in .parquet or .csv)`,
      )
    const identity = authorizedIdentity(args, 'extract')
    const symbol = optStr(args, 'symbol')
    const reporter = optStr(args, 'reporter')
    const paths = repositoryPaths(str(args, 'repo'))
    const extract = await runExtract(
      paths,
      identity,
      {
        date: eventDate(str(args, 'date')),
        ...(symbol !== undefined ? { symbol } : {}),
        ...(reporter !== undefined ? { reporter } : {}),
      },
      format,
    )
    try {
      checkExtraction(paths, extract.logged)
      copyFileSync(extract.file, out)
    } finally {
      extract.dispose()
    }
    if (flag(args, 'json'))
      io.stdout.write(
        `${JSON.stringify({ user: identity.user, out, format, rowCount: extract.rowCount, bytes: extract.bytes, columns: extract.columns, elapsedMs: extract.elapsedMs })}\n`,
      )
    else io.stdout.write(`${extract.rowCount} rows written to ${out} (${format})\n`)
    return 0
  },
}
