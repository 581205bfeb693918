/**
 * Alerts in the repository: `store/surveil/event_date=YYYYMMDD/run=NNNNNN/` holds one run's
 * `alerts.parquet` and `run.json` (its digest and count). Runs are never overwritten: a rerun that finds
 * the same alerts as the latest run writes nothing; one that finds others (after corrections, or with other
 * parameters) becomes the next run, and the earlier ones stay as history. `surveil/surveilled/YYYYMMDD.json`
 * names the linkage run the date's latest surveillance judged, written or not, so a relink that was never
 * surveilled (the process killed in between) is known to be due.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import { parquetReadOptions, parquetWriteOptions } from '../store/store-cipher.ts'
import type { Alert } from './alert.ts'

/** What the store holds about one run. */
export interface AlertRun {
  readonly date: number
  readonly run: number
  readonly digest: string
  readonly alerts: number
  /** The parameters and news the run used (absent in runs stored before they were recorded). */
  readonly inputs?: AlertRunInputs
}

/** What a run was computed with, so a later run (after corrections) can use the same. */
export interface AlertRunInputs {
  readonly config?: unknown
  readonly news?: readonly { symbol: string; ns: string; headline: string }[]
}

function dateDir(repo: Repository, date: number): string {
  return join(repo.paths.store, 'surveil', `event_date=${date}`)
}

function surveilledDir(repo: Repository): string {
  return join(repo.paths.store, 'surveil', 'surveilled')
}

function runName(run: number): string {
  return `run=${String(run).padStart(6, '0')}`
}

/** The runs of a date, oldest first. */
export function alertRuns(repo: Repository, date: number): AlertRun[] {
  const dir = dateDir(repo, date)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((d) => /^run=\d{6}$/.test(d) && existsSync(join(dir, d, 'run.json')))
    .sort()
    .map((d) => JSON.parse(readFileSync(join(dir, d, 'run.json'), 'utf8')) as AlertRun)
}

/** The digest of a list of alerts (their canonical JSON). */
export function alertsDigest(alerts: readonly Alert[]): string {
  return createHash('sha256').update(JSON.stringify(alerts)).digest('hex')
}

/** The linkage run of the date the latest surveillance judged (undefined before the first one records it). */
export function surveilledLinkageRun(repo: Repository, date: number): number | undefined {
  const file = join(surveilledDir(repo), `${date}.json`)
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as { linkageRun?: number }).linkageRun
}

/** Records that the date's surveillance has judged this linkage run (replaced whole, by a rename). */
export function recordSurveilledLinkageRun(
  repo: Repository,
  date: number,
  linkageRun: number,
  run: number,
): void {
  const dir = surveilledDir(repo)
  mkdirSync(dir, { recursive: true })
  const temp = join(dir, `${date}.json.${process.pid}`)
  writeFileSync(temp, `${JSON.stringify({ linkageRun, run })}\n`)
  renameSync(temp, join(dir, `${date}.json`))
}

/** Stores the alerts as a new run unless the latest run holds the same; returns the run and whether it is new. */
export async function storeAlerts(
  repo: Repository,
  date: number,
  alerts: readonly Alert[],
  inputs?: AlertRunInputs,
): Promise<{ run: AlertRun; written: boolean }> {
  const digest = alertsDigest(alerts)
  const runs = alertRuns(repo, date)
  const latest = runs.at(-1)
  if (latest && latest.digest === digest) return { run: latest, written: false }
  const run: AlertRun = {
    date,
    run: (latest?.run ?? 0) + 1,
    digest,
    alerts: alerts.length,
    ...(inputs ? { inputs } : {}),
  }
  const work = join(repo.paths.work, `surveil-${date}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const ndjson = join(work, 'alerts.ndjson')
  writeFileSync(
    ndjson,
    alerts
      .map((a) =>
        JSON.stringify({
          ...a,
          participants: JSON.stringify(a.participants),
          events: JSON.stringify(a.events),
        }),
      )
      .join('\n'),
  )
  await repo.db.run(
    `COPY (SELECT id, kind, symbol, "from"::BIGINT AS from_ns, "to"::BIGINT AS to_ns, score, participants, events, reason
           FROM read_json(${literal(ndjson)}, format = 'newline_delimited', columns = {
             id: 'VARCHAR', kind: 'VARCHAR', symbol: 'VARCHAR', "from": 'VARCHAR', "to": 'VARCHAR', score: 'DOUBLE',
             participants: 'VARCHAR', events: 'VARCHAR', reason: 'VARCHAR'})
           ORDER BY from_ns, id)
     TO ${literal(join(work, 'alerts.parquet'))} (FORMAT parquet${parquetWriteOptions(repo.db)})`,
  )
  rmSync(ndjson)
  writeFileSync(join(work, 'run.json'), `${JSON.stringify(run, null, 2)}\n`)
  mkdirSync(dateDir(repo, date), { recursive: true })
  renameSync(work, join(dateDir(repo, date), runName(run.run)))
  return { run, written: true }
}

/** The alerts of a date's latest run (or of the run given), read from the store. */
export async function storedAlerts(repo: Repository, date: number, run?: number): Promise<Alert[]> {
  const runs = alertRuns(repo, date)
  const chosen = run === undefined ? runs.at(-1) : runs.find((r) => r.run === run)
  if (!chosen) return []
  if (chosen.alerts === 0) return []
  const file = join(dateDir(repo, date), runName(chosen.run), 'alerts.parquet')
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT id, kind, symbol, from_ns::VARCHAR AS from_ns, to_ns::VARCHAR AS to_ns, score, participants, events, reason
     FROM read_parquet(${literal(file)}${parquetReadOptions(repo.db)}) ORDER BY from_ns, id`,
  )
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind as Alert['kind'],
    symbol: String(r.symbol),
    from: String(r.from_ns),
    to: String(r.to_ns),
    score: Number(r.score),
    participants: JSON.parse(String(r.participants)) as Alert['participants'],
    events: JSON.parse(String(r.events)) as Alert['events'],
    reason: String(r.reason),
  }))
}
