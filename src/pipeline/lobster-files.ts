/**
 * LOBSTER in and out of a repository. In: a LOBSTER message file becomes a venue's exchange events, written
 * as an ordinary CAT ExchangeEvents submission (data file + metadata) and submitted through intake like
 * any other. Out: a venue's stored events of a symbol and date, exported in LOBSTER's message and
 * orderbook formats.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  exportLobster,
  importLobster,
  type LobsterBookRow,
  parseLobsterBook,
  parseLobsterMessages,
  readBookEvents,
  replayLobster,
  toExchangeValues,
} from '../book/index.ts'
import { CATALOGUE_V4 } from '../catalogue/index.ts'
import { encodeJsonRecord } from '../codec/index.ts'
import { bzip2Buffer } from '../common/bzip2.ts'
import { OpenCatError } from '../common/errors.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { symbolSegment } from '../store/path-segments.ts'
import type { Repository } from '../store/repository.ts'
import { type SubmitSummary, submitFiles } from './submit.ts'

/** What an import did. */
export interface LobsterImportSummary {
  readonly messages: number
  readonly records: number
  readonly seeds: number
  /** Adjustments the orderbook file called for (orders that left the file's levels unseen), stored as EXOA/EXOC. */
  readonly adjustments: number
  /**
   * True without an orderbook file: a level-N message file leaves out orders that leave the top N levels, so
   * the stored book keeps some that are gone and can even cross.
   */
  readonly approximate: boolean
  readonly submit: SubmitSummary
}

/**
 * Imports a LOBSTER message file. With its orderbook file the stored book equals the file's rows at every
 * message: the replay reconciles the book with each row and the adjustments are stored as exchange events
 * beside the messages' own.
 */
export async function importLobsterFile(
  repo: Repository,
  options: { venue: string; symbol: string; date: number; messages: string; book?: string; nowNs?: bigint },
): Promise<LobsterImportSummary> {
  await assertListed(repo, options.symbol, options.date)
  const parsed = parseLobsterMessages(readFileSync(options.messages, 'utf8'))
  if (parsed.problems.length > 0) {
    const first = parsed.problems.slice(0, 5).map((p) => JSON.stringify(p))
    throw new OpenCatError(
      'OCAT_ERR_LOBSTER_INVALID',
      `${options.messages}: ${parsed.problems.length} bad lines, e.g. ${first.join('; ')}`,
    )
  }
  let rows: LobsterBookRow[] | undefined
  if (options.book) {
    const book = parseLobsterBook(readFileSync(options.book, 'utf8'))
    if (book.badLines.length > 0)
      throw new OpenCatError(
        'OCAT_ERR_LOBSTER_INVALID',
        `${options.book}: bad lines ${book.badLines.slice(0, 5).join(', ')}`,
      )
    if (book.rows.length !== parsed.messages.length)
      throw new OpenCatError(
        'OCAT_ERR_LOBSTER_INVALID',
        `${options.book} has ${book.rows.length} rows but ${options.messages} has ${parsed.messages.length} messages; LOBSTER writes one row per message`,
      )
    rows = book.rows
  }
  const firstRow = rows?.[0]
  const submitter = await repo.db.one<{ s: string }>(
    "SELECT CAST(min(submitter_id) AS VARCHAR) AS s FROM ref_authorizations WHERE reporter = $1 AND kind = 'report'",
    [options.venue],
  )
  if (!submitter?.s)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no submitter may report for ${options.venue} in the reference data`,
    )
  const imported = importLobster(parsed.messages, {
    venue: options.venue,
    symbol: options.symbol,
    date: options.date,
    ...(firstRow ? { firstRow } : {}),
  })
  const replay = rows ? replayLobster(parsed.messages, imported, rows) : undefined
  const lines: string[] = []
  for (const ev of replay?.events ?? imported.events) {
    const values = toExchangeValues(ev)
    if (!values) continue
    lines.push(encodeJsonRecord(CATALOGUE_V4, CATALOGUE_V4.events.get(values.type as string)!, values))
  }
  // An ordinary submission: the venue's submitter, a file number not used before, today's generation date.
  const clock = options.nowNs ?? BigInt(Date.now()) * 1_000_000n
  const today = etDateOf(clock)
  const used = await repo.db.one<{ n: number | null }>(
    "SELECT max(file_number) AS n FROM files WHERE reporter = $1 AND generation_date = $2 AND kind = 'ExchangeEvents'",
    [options.venue, today],
  )
  const number = String((used?.n ?? 0) + 1).padStart(6, '0')
  const dir = mkdtempSync(join(tmpdir(), 'opencat-lobster-'))
  try {
    const stem = `${submitter.s}_${options.venue}_${today}_ExchangeEvents_${number}`
    const data = bzip2Buffer(`${lines.join('\n')}\n`)
    writeFileSync(join(dir, `${stem}.json.bz2`), data)
    writeFileSync(
      join(dir, `${stem}.meta.json`),
      JSON.stringify({
        type: 'META',
        doneForDay: false,
        fileGenerationDate: today,
        reporter: options.venue,
        submitter: Number(submitter.s),
        fileVersion: CATALOGUE_V4.version,
        files: [
          {
            fileName: `${stem}.json.bz2`,
            recordCount: lines.length,
            compressedHash: createHash('sha256').update(data).digest('hex'),
          },
        ],
      }),
    )
    const submit = await submitFiles(repo, [dir], { nowNs: clock })
    return {
      messages: parsed.messages.length,
      records: lines.length,
      seeds: imported.seeds,
      adjustments: replay?.adjustments ?? 0,
      approximate: rows === undefined,
      submit,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Refuses a symbol the symbol master does not have for the date, before a single record is written. */
async function assertListed(repo: Repository, symbol: string, date: number): Promise<void> {
  const row = await repo.db.one<{ known: boolean; effective: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ref_symbols WHERE symbol = $1) AS known,
            EXISTS (SELECT 1 FROM ref_symbols WHERE symbol = $1 AND from_date <= $2
                    AND coalesce(to_date, 99991231) >= $2) AS effective`,
    [symbol, date],
  )
  const how =
    'add it to symbols.json in a reference folder and load that with `opencat reference --repo DIR --load REFDIR` (docs/formats/reference.md)'
  if (!row?.known)
    throw new OpenCatError('OCAT_ERR_NOT_FOUND', `symbol ${symbol} is not in the symbol master; ${how}`)
  if (!row.effective)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `symbol ${symbol} is not effective on ${date} in the symbol master; extend its dates: ${how}`,
    )
}

/** LOBSTER's file names for a symbol, date (YYYY-MM-DD) and level count; the symbol is checked as a file name part. */
export function lobsterFileNames(
  symbol: string,
  isoDate: string,
  levels: number,
): { messages: string; orderbook: string } {
  const stem = `${symbolSegment(symbol)}_${isoDate}_34200000_57600000`
  return { messages: `${stem}_message_${levels}.csv`, orderbook: `${stem}_orderbook_${levels}.csv` }
}

/** Exports a venue's events of a symbol and date as LOBSTER message (and, with levels, orderbook) lines. */
export async function exportLobsterFiles(
  repo: Repository,
  options: { venue: string; symbol: string; date: number; levels: number },
): Promise<{ messages: string[]; orderbook: string[]; skipped: number }> {
  const { events } = await readBookEvents(repo, options.venue, options.symbol, options.date)
  if (events.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no exchange events of ${options.symbol} at ${options.venue} on ${options.date}`,
    )
  const out = exportLobster(events, { levels: options.levels })
  return { messages: out.messages, orderbook: out.orderbook, skipped: out.skipped }
}
