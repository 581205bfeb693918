/**
 * GET /api/extract (a day's current events, optionally one symbol or reporter) and POST /api/extract (a
 * query's rows): bulk extracts for regulators as Parquet or CSV, streamed from a temporary file that is
 * removed as soon as it is open, with the sandbox of POST /api/sql (no PII, no writes, no files outside the
 * store), a time limit and a row cap. The access log has the extract's row count beside the request.
 */

import type { Identity } from '../../access/index.ts'
import {
  EXTRACT_FORMATS,
  EXTRACT_MAX_ROWS,
  type ExtractFormat,
  type ExtractRequest,
  runExtract,
} from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import type { RepoPaths } from '../../store/paths.ts'
import { checkExtraction } from '../../surveil/index.ts'
import { allowed, FileAnswer, type JsonSchema, type Route } from '../route.ts'
import { params } from '../schemas.ts'
import { SQL_MAX_LENGTH } from './sql.ts'

/** The date asked for as a CAT date number; a calendar date that does not exist is refused. */
function isoDate(text: string): number {
  const d = isoToDate(text)
  if (d === null) throw new OpenCatError('OCAT_ERR_HTTP_REQUEST', `querystring date: ${text} is not a date`)
  return d
}

const FORMAT = { type: 'string', enum: [...EXTRACT_FORMATS] } as const

/** The answer is a file: Parquet or CSV, never JSON. */
const FILE_ANSWER: JsonSchema = {
  description: `The extract as a file named in content-disposition (at most ${EXTRACT_MAX_ROWS} rows)`,
  content: {
    'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
    'text/csv': { schema: { type: 'string' } },
  },
}

async function extract(
  paths: RepoPaths,
  identity: Identity,
  request: ExtractRequest,
  format: ExtractFormat,
  memoryLimitMb: number,
): Promise<FileAnswer> {
  const written = await runExtract(paths, identity, request, format, { memoryLimitMb })
  try {
    checkExtraction(paths, written.logged)
  } catch (e) {
    written.dispose()
    throw e
  }
  return new FileAnswer(written.file, written.fileName, written.contentType, written.dispose)
}

export const extractDayRoute: Route = {
  method: 'GET',
  path: '/api/extract',
  summary: "A day's current events (optionally one symbol or reporter) as a Parquet or CSV file",
  access: allowed('extract'),
  repository: false,
  querystring: params(
    {
      date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      format: FORMAT,
      symbol: { type: 'string', minLength: 1, maxLength: 64 },
      reporter: { type: 'string', minLength: 1, maxLength: 16 },
    },
    ['date', 'format'],
  ),
  response: FILE_ANSWER,
  async handle({ query, paths, identity, limits }) {
    const symbol = query.get('symbol') ?? undefined
    const reporter = query.get('reporter') ?? undefined
    return extract(
      paths,
      identity!,
      {
        date: isoDate(query.get('date')!),
        ...(symbol !== undefined ? { symbol } : {}),
        ...(reporter !== undefined ? { reporter } : {}),
      },
      query.get('format') as ExtractFormat,
      limits.sqlMemoryLimitMb,
    )
  },
}

export const extractQueryRoute: Route = {
  method: 'POST',
  path: '/api/extract',
  summary: "One read-only SELECT's rows over the store's views (no PII) as a Parquet or CSV file",
  access: allowed('extract'),
  repository: false,
  body: {
    type: 'object',
    properties: { sql: { type: 'string', minLength: 1, maxLength: SQL_MAX_LENGTH }, format: FORMAT },
    required: ['sql', 'format'],
    additionalProperties: false,
  },
  response: FILE_ANSWER,
  async handle({ body, paths, identity, limits }) {
    const { sql, format } = body as { sql: string; format: ExtractFormat }
    return extract(paths, identity!, { sql }, format, limits.sqlMemoryLimitMb)
  },
}
