/**
 * The main job: a simulated trading day through the whole pipeline — simulate (with a few instances of every
 * kind of market abuse the simulator plants, and their news), create a repository, submit every file, ingest
 * customers, link, surveil — timed stage by stage, with what a newcomer wants to see, so the portal's alert
 * queue has alerts to work.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { type Progress, SILENT } from '../common/progress.ts'
import { isoToDate } from '../common/time/cat-date.ts'
import { isoOrCatToNs } from '../common/time/parse-instant.ts'
import { LINK_PASSES, type Lifecycle, type LinkSummary, linkDate, lookupLifecycle } from '../link/index.ts'
import { ABUSE_KINDS, type SimulationSummary, simulateDay } from '../simulate/index.ts'
import { initRepository, type Repository } from '../store/repository.ts'
import { readNewsFile, surveilAndStore } from '../surveil/index.ts'
import { type FileTallyRow, tallyFiles } from './file-tally.ts'
import { type SubmitSummary, submitFiles } from './submit.ts'
import './stage-views.ts'

/** Options of the demo run. */
export interface DemoOptions {
  /** Folder for everything the demo makes (re-created when it holds an earlier demo). */
  readonly out: string
  readonly date: string
  readonly orders: number
  readonly seed: number
  readonly faults: number
  readonly progress?: (label: string, total: number | undefined, unit: string) => Progress
  readonly onStage?: (line: string) => void
}

/** What the demo produced. */
export interface DemoResult {
  readonly out: string
  readonly repo: string
  readonly simulation: SimulationSummary
  readonly submit: SubmitSummary
  /** What became of every file submitted, in groups that add up to the files received. */
  readonly files: FileTallyRow[]
  readonly link: LinkSummary
  /** The day's surveillance run: its number, and its alerts by kind. */
  readonly surveillance: { run: number; alerts: number; byKind: Record<string, number> }
  readonly stages: { stage: string; seconds: number }[]
  readonly errorsByReporter: { reporter: string; errors: number; records: number }[]
  readonly lifecycle?: Lifecycle
  /** The busiest book of the day and an instant in the middle of its trading, to look at next. */
  readonly market?: { venue: string; symbol: string; atNs: bigint }
}

const MARKER = '.opencat-demo'

/** Runs the demo end to end; leaves the repository open in the result's folder (closed on return). */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = resolve(options.out)
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(join(out, MARKER))) {
      throw new OpenCatError(
        'OCAT_ERR_REPO_EXISTS',
        `${out} is not empty and was not made by an earlier demo; choose another --out`,
      )
    }
    rmSync(out, { recursive: true, force: true })
  }
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, MARKER), 'made by opencat demo\n')
  const stages: { stage: string; seconds: number }[] = []
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    const t = process.hrtime.bigint()
    const r = await fn()
    const seconds = Number(process.hrtime.bigint() - t) / 1e9
    stages.push({ stage, seconds })
    options.onStage?.(`${stage}: ${seconds.toFixed(1)} s`)
    return r
  }
  const progress = options.progress ?? (() => SILENT)
  const dayDir = join(out, 'day')
  const simulation = await timed('simulate', () =>
    simulateDay({
      out: dayDir,
      date: options.date,
      seed: options.seed,
      orders: options.orders,
      faults: options.faults,
      abuse: ABUSE_KINDS,
      progress: progress('simulating', options.orders, 'orders'),
    }),
  )
  const repoDir = join(out, 'repo')
  const repo: Repository = await timed('init', () => initRepository(repoDir, join(dayDir, 'reference')))
  try {
    // Files arrive the evening of the trading day, well before the T+1 08:00 deadline.
    const clock = isoOrCatToNs(`${options.date}T20:00:00`)
    const submit = await timed('submit', () =>
      submitFiles(repo, [join(dayDir, 'submissions')], {
        nowNs: clock,
        progress: progress('ingesting', simulation.events, 'records'),
      }),
    )
    for (const s of submit.stages) stages.push({ stage: `  ${s.stage}`, seconds: s.seconds })
    const date = isoToDate(options.date)!
    const link = await timed('link', () =>
      linkDate(repo, date, { nowNs: clock, progress: progress('linking', LINK_PASSES.length, 'passes') }),
    )
    // The news the simulator published, as a regulator's news feed would give it to the news detector.
    const news = readNewsFile(join(dayDir, 'truth', 'news.ndjson'))
    const surveilled = await timed('surveil', () => surveilAndStore(repo, date, { news }))
    const byKind: Record<string, number> = {}
    for (const a of surveilled.alerts) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1
    const errorsByReporter = await repo.db.all<{ reporter: string; errors: string; records: string }>(
      `SELECT reporter, coalesce(sum(rejected), 0) AS errors, coalesce(sum(records), 0) AS records
       FROM files WHERE role = 'data' GROUP BY reporter HAVING sum(rejected) > 0 ORDER BY sum(rejected) DESC`,
    )
    const lifecycle = await showcaseLifecycle(repo)
    const busiest = await repo.db.one<{ venue: string; symbol: string; ns: string }>(
      `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
       WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 1`,
    )
    return {
      out,
      repo: repoDir,
      simulation,
      submit,
      files: tallyFiles(submit.files),
      link,
      surveillance: { run: surveilled.run, alerts: surveilled.alerts.length, byKind },
      stages,
      errorsByReporter: errorsByReporter.map((r) => ({
        reporter: r.reporter,
        errors: Number(r.errors),
        records: Number(r.records),
      })),
      ...(lifecycle ? { lifecycle } : {}),
      ...(busiest
        ? { market: { venue: busiest.venue, symbol: busiest.symbol, atNs: BigInt(busiest.ns) } }
        : {}),
    }
  } finally {
    repo.close()
  }
}

// A lifecycle worth drawing: one that crosses the most reporters (firms and venues) yet fits on a screen.
async function showcaseLifecycle(repo: Repository): Promise<Lifecycle | undefined> {
  const row = await repo.db.one<{ lifecycle_id: string }>(
    `SELECT lifecycle_id FROM linkage_members GROUP BY lifecycle_id
     ORDER BY count(*) <= 14 DESC, count(DISTINCT _reporter) DESC, count(*) DESC, lifecycle_id LIMIT 1`,
  )
  return row ? lookupLifecycle(repo.db, { lifecycleId: row.lifecycle_id }) : undefined
}
