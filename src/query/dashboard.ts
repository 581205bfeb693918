/**
 * The day's dashboard: what was submitted on a date (files received that day, Eastern Time), how long each
 * stage took for them, error rates and late files by reporter, and the linkage of the date's events (the
 * current run's link rate and errors by code). Read from the file registry, the feedback index and the
 * linkage runs; nothing is computed that the pipeline did not record.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CAT_CODES } from '../catalogue/cat-codes.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { addDays } from '../common/time/cat-date.ts'
import { etWallToUtcNs } from '../common/time/eastern.ts'
import { recordedRun, runsOf } from '../link/linkage-layout.ts'
import type { Repository } from '../store/repository.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** One reporter's submissions of the day. */
export interface ReporterDay {
  readonly reporter: string
  readonly files: number
  readonly dataFiles: number
  readonly filesRejected: number
  readonly records: number
  readonly accepted: number
  readonly rejected: number
  /** Rejected records and records of rejected files, over the records received (0 when none). */
  readonly errorRate: number
  readonly lateFiles: number
  readonly lateRecords: number
  /** Errors the date's current linkage run sent the reporter. */
  readonly linkageErrors: number
  readonly bytes: number
}

/** How long a stage took, from a file's receipt to the stage's feedback. */
export interface StageTiming {
  readonly stage: string
  readonly files: number
  readonly failures: number
  readonly medianSeconds: number
  readonly p95Seconds: number
  readonly maxSeconds: number
}

/** The linkage of the date's events: its current run. */
export interface LinkageDay {
  readonly run: number
  readonly trigger: string
  readonly events: number
  readonly lifecycles: number
  readonly linked: number
  readonly unlinked: number
  /** linked ÷ (linked + unlinked); 1 when nothing was to link. */
  readonly rate: number
  readonly byType: { type: string; linked: number; unlinked: number }[]
  readonly errorsByCode: { code: number; count: number; title: string }[]
}

/** A day's dashboard. */
export interface Dashboard {
  readonly date: number
  readonly totals: {
    files: number
    dataFiles: number
    filesRejected: number
    records: number
    accepted: number
    rejected: number
    lateFiles: number
    lateRecords: number
    bytes: number
  }
  /** Files and records received per Eastern Time hour of the day (hours with none left out). */
  readonly byHour: { hour: number; files: number; records: number }[]
  readonly stages: StageTiming[]
  readonly reporters: ReporterDay[]
  /** Reporters with late files that day, most late records first. */
  readonly lateReporters: { reporter: string; files: number; records: number }[]
  /** Null when the date's events are not linked (yet). */
  readonly linkage: LinkageDay | null
}

interface RunSummary {
  run: number
  trigger: string
  events: number
  lifecycles: number
  byType: Record<string, { linked: number; unlinked: number }>
}

/** The dashboard of `date` (YYYYMMDD). */
export async function dashboard(repo: Repository, date: number): Promise<Dashboard> {
  const start = midnight(date)
  const end = midnight(addDays(date, 1))
  const db = repo.db
  const errorsByReporter = new Map<string, number>()
  const errorsByCode = new Map<number, number>()
  for (const r of await db.all<{ reporter: string; code: number; n: bigint }>(
    sql('dashboard-linkage-errors'),
    [date],
  )) {
    errorsByReporter.set(r.reporter, (errorsByReporter.get(r.reporter) ?? 0) + Number(r.n))
    errorsByCode.set(Number(r.code), (errorsByCode.get(Number(r.code)) ?? 0) + Number(r.n))
  }
  const reporters = (await db.all<Record<string, unknown>>(sql('dashboard-reporters'), [start, end])).map(
    (r): ReporterDay => {
      const records = Number(r.records)
      const inError = Number(r.rejected) + Number(r.records_in_rejected_files)
      return {
        reporter: String(r.reporter),
        files: Number(r.files),
        dataFiles: Number(r.data_files),
        filesRejected: Number(r.files_rejected),
        records,
        accepted: Number(r.accepted),
        rejected: Number(r.rejected),
        errorRate: records === 0 ? 0 : inError / records,
        lateFiles: Number(r.late_files),
        lateRecords: Number(r.late_records),
        linkageErrors: errorsByReporter.get(String(r.reporter)) ?? 0,
        bytes: Number(r.bytes),
      }
    },
  )
  const sum = (k: keyof ReporterDay) => reporters.reduce((s, r) => s + Number(r[k]), 0)
  const stages = (await db.all<Record<string, unknown>>(sql('dashboard-stages'), [start, end])).map(
    (r): StageTiming => ({
      stage: String(r.stage),
      files: Number(r.files),
      failures: Number(r.failures),
      medianSeconds: Number(r.median_seconds),
      p95Seconds: Number(r.p95_seconds),
      maxSeconds: Number(r.max_seconds),
    }),
  )
  const byHour = (await db.all<Record<string, unknown>>(sql('dashboard-hours'), [start, end])).map((r) => ({
    hour: Number(r.hour),
    files: Number(r.files),
    records: Number(r.records),
  }))
  return {
    date,
    totals: {
      files: sum('files'),
      dataFiles: sum('dataFiles'),
      filesRejected: sum('filesRejected'),
      records: sum('records'),
      accepted: sum('accepted'),
      rejected: sum('rejected'),
      lateFiles: sum('lateFiles'),
      lateRecords: sum('lateRecords'),
      bytes: sum('bytes'),
    },
    byHour,
    stages,
    reporters,
    lateReporters: reporters
      .filter((r) => r.lateFiles > 0)
      .map((r) => ({ reporter: r.reporter, files: r.lateFiles, records: r.lateRecords }))
      .sort((a, b) => b.records - a.records || a.reporter.localeCompare(b.reporter)),
    linkage: linkageOf(repo, date, errorsByCode),
  }
}

function midnight(date: number): bigint {
  return etWallToUtcNs(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, 0, 0, 0, 0)
}

function linkageOf(repo: Repository, date: number, errorsByCode: Map<number, number>): LinkageDay | null {
  const runs = runsOf(repo.paths, date)
  if (runs.length === 0) return null
  const s = recordedRun<RunSummary>(repo.paths, date, runs[runs.length - 1]) as RunSummary | undefined
  if (!s) return null
  const byType = Object.entries(s.byType).map(([type, v]) => ({
    type,
    linked: v.linked,
    unlinked: v.unlinked,
  }))
  const linked = byType.reduce((n, t) => n + t.linked, 0)
  const unlinked = byType.reduce((n, t) => n + t.unlinked, 0)
  return {
    run: s.run,
    trigger: s.trigger,
    events: s.events,
    lifecycles: s.lifecycles,
    linked,
    unlinked,
    rate: linked + unlinked === 0 ? 1 : linked / (linked + unlinked),
    byType,
    errorsByCode: [...errorsByCode]
      .map(([code, count]) => ({ code, count, title: CAT_CODES.get(code)?.title ?? '' }))
      .sort((a, b) => b.count - a.count || a.code - b.code),
  }
}
