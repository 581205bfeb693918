/**
 * The T+3 check of FDIDs (code 90050, CUSTOMER_CODE.fdidUnknownAtT3). Once an event date's repair deadline (T+3 08:00) has passed, every
 * order event of that date naming an FDID its firm never reported in a customer file is sent back to the
 * event's submitter in an error data file laid out like ingestion's (actionType RPR, the errorROEID a
 * repair names, the original record), and kept in store/identity/fdid_findings/ for queries and repairs.
 * Each date is checked once; a crash before the findings file is in place only makes the next run redo it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CUSTOMER_CODE } from '../catalogue/index.ts'
import { eventDateDeadlines } from '../common/time/index.ts'
import { type ErrorLine, writeErrorFile } from '../intake/feedback.ts'
import { originalRecords } from '../link/index.ts'
import { literal } from '../store/database.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import { parquetReadOptions, parquetWriteOptions } from '../store/store-cipher.ts'
import { eventFdidsOf, identityDir } from './identity-views.ts'

const SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'unknown-fdids.sql'), 'utf8')

/** What the check of one event date found. */
export interface FdidCheck {
  readonly eventDate: number
  /** Events naming an unknown FDID. */
  readonly events: number
  /** Such events per reporter. */
  readonly byReporter: Record<string, number>
  /** Error data files written (one per submitter and reporter). */
  readonly errorFiles: string[]
}

/** The findings file of a date; it exists once the date was checked. */
export function fdidFindingsFile(repo: Repository, eventDate: number): string {
  return join(identityDir(repo.paths), 'fdid_findings', `event_date=${eventDate}.parquet`)
}

/** Checks every event date whose T+3 08:00 deadline has passed by `nowNs` and that was not checked yet. */
export async function checkFdidsDue(repo: Repository, nowNs: bigint): Promise<FdidCheck[]> {
  const out: FdidCheck[] = []
  for (const date of storedEventDates(repo.paths)) {
    const deadline = eventDateDeadlines(repo.calendar, date).repair
    if (nowNs < deadline || existsSync(fdidFindingsFile(repo, date))) continue
    out.push(await checkFdids(repo, date, deadline, nowNs))
  }
  return out
}

/** Checks one event date against the customer files ingested by `deadlineNs`. */
export async function checkFdids(
  repo: Repository,
  eventDate: number,
  deadlineNs: bigint,
  nowNs: bigint,
): Promise<FdidCheck> {
  await repo.ensureViews()
  // The date's own current versions: the FDIDs they name, read without the rest of the store.
  const sql = SQL.replaceAll('{{EVENT_FDIDS}}', eventFdidsOf(`current_events_of(${Number(eventDate)})`))
    .replaceAll('{{DATE}}', String(eventDate))
    .replaceAll('{{DEADLINE}}', String(deadlineNs))
    .replaceAll('{{NOW}}', String(nowNs))
    .replaceAll('{{CODE}}', String(CUSTOMER_CODE.fdidUnknownAtT3))
  mkdirSync(repo.paths.work, { recursive: true })
  const staged = join(repo.paths.work, `fdid-findings-${eventDate}.parquet`)
  await repo.db.run(`COPY (${sql}) TO ${literal(staged)} (FORMAT parquet${parquetWriteOptions(repo.db)})`)
  const rows = await repo.db.all<{
    event_id: string
    reporter: string
    file_id: number
    line: number
    submitter: string
    format: 'json' | 'csv'
  }>(
    `SELECT DISTINCT CAST(x._event_id AS VARCHAR) AS event_id, x.reporter, CAST(e._file_id AS INTEGER) AS file_id,
            e._line AS line, CAST(f.submitter_id AS VARCHAR) AS submitter, f.format
     FROM read_parquet(${literal(staged)}${parquetReadOptions(repo.db)}) x
     JOIN events e ON e._event_id = x._event_id
     JOIN files f ON f.file_id = e._file_id
     ORDER BY f.submitter_id, x.reporter, event_id`,
  )
  const originals = await originalRecords(
    repo,
    eventDate,
    rows.map((r) => ({ eventId: r.event_id, fileId: r.file_id, line: r.line })),
  )
  const groups = new Map<string, typeof rows>()
  for (const r of rows) {
    const key = `${r.submitter}|${r.reporter}|${r.format}`
    const group = groups.get(key)
    if (group) group.push(r)
    else groups.set(key, [r])
  }
  const errorFiles: string[] = []
  const byReporter: Record<string, number> = {}
  for (const [key, group] of groups) {
    const [submitter, reporter, format] = key.split('|') as [string, string, 'json' | 'csv']
    const lines: ErrorLine[] = group.map((r) => ({
      codes: [CUSTOMER_CODE.fdidUnknownAtT3],
      errorROEID: BigInt(r.event_id),
      raw: originals.get(r.event_id) ?? '',
    }))
    const name = `${submitter}_${reporter}_${eventDate}_OrderEvents.fdid.error.${format}.bz2`
    errorFiles.push(writeErrorFile(repo.paths, submitter, name, lines, format))
    byReporter[reporter] = (byReporter[reporter] ?? 0) + group.length
  }
  const target = fdidFindingsFile(repo, eventDate)
  mkdirSync(dirname(target), { recursive: true })
  renameSync(staged, target)
  repo.markStale()
  return { eventDate, events: rows.length, byReporter, errorFiles }
}
