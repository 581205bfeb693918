/**
 * One surveillance run of a date, stored: the detectors run with the given parameters and news, and the
 * alerts become a new run unless the latest run holds the same. Without parameters or news given, a run
 * uses those the date's latest run recorded, so a rerun after late or corrected records (as `submit` does
 * once it relinks a date) judges the new picture by the same measure and only changes what the data changed.
 */
import type { Repository } from '../store/repository.ts'
import type { Alert } from './alert.ts'
import {
  type AlertRun,
  type AlertRunInputs,
  alertRuns,
  recordSurveilledLinkageRun,
  storeAlerts,
  surveilledLinkageRun,
} from './alert-store.ts'
import { type DetectorConfig, resolveDetectorConfig } from './detector-config.ts'
import type { NewsItem } from './news-file.ts'
import { surveilDate } from './surveil-date.ts'

/** What one stored run found. */
export interface SurveilDateRun {
  readonly date: number
  readonly run: number
  readonly written: boolean
  readonly events: number
  readonly alerts: Alert[]
  readonly timings: Record<string, number>
}

/** Runs the detectors over a linked date and stores the alerts (see the module comment for the inputs). */
export async function surveilAndStore(
  repo: Repository,
  date: number,
  given: { config?: { value: unknown; resolved: DetectorConfig }; news?: readonly NewsItem[] } = {},
): Promise<SurveilDateRun> {
  const previous: AlertRunInputs = alertRuns(repo, date).at(-1)?.inputs ?? {}
  const rawConfig = given.config ? given.config.value : (previous.config ?? {})
  const config = given.config ? given.config.resolved : resolveDetectorConfig(rawConfig, 'the latest run')
  const news =
    given.news ??
    (previous.news ?? []).map((n) => ({ symbol: n.symbol, ns: BigInt(n.ns), headline: n.headline }))
  // Read before the detectors: a relink published meanwhile leaves the date due again, never marked done.
  const linkageRun = (await currentLinkageRuns(repo)).get(date)
  const result = await surveilDate(repo, date, config, news)
  const inputs: AlertRunInputs = {
    config: rawConfig,
    news: news.map((n) => ({ symbol: n.symbol, ns: String(n.ns), headline: n.headline })),
  }
  const { run, written }: { run: AlertRun; written: boolean } = await storeAlerts(
    repo,
    date,
    result.alerts,
    inputs,
  )
  if (linkageRun !== undefined) recordSurveilledLinkageRun(repo, date, linkageRun, run.run)
  return {
    date,
    run: run.run,
    written,
    events: result.events,
    alerts: result.alerts,
    timings: result.timings,
  }
}

/** The current linkage run of every linked date. */
async function currentLinkageRuns(repo: Repository): Promise<Map<number, number>> {
  await repo.ensureViews()
  const rows = await repo.db.all<{ d: number; run: number }>(
    'SELECT event_date::INTEGER AS d, max(run)::INTEGER AS run FROM linkage_runs WHERE current GROUP BY d ORDER BY d',
  )
  return new Map(rows.map((r) => [Number(r.d), Number(r.run)]))
}

/**
 * Linked dates whose current linkage no surveillance has judged: what a submission killed between linkage
 * and surveillance left undone, on a first link or a relink after late or corrected records (its rerun
 * links nothing new, so it surveils these).
 */
export async function unsurveilledDates(repo: Repository): Promise<number[]> {
  const dates: number[] = []
  for (const [date, run] of await currentLinkageRuns(repo))
    if (surveilledLinkageRun(repo, date) !== run) dates.push(date)
  return dates
}
