/**
 * One surveillance run of a date, stored: the detectors run with the given parameters and news, and the
 * alerts become a new run unless the latest run holds the same. Without parameters or news given, a run
 * uses those the date's latest run recorded, so a rerun after late or corrected records (as `submit` does
 * once it relinks a date) judges the new picture by the same measure and only changes what the data changed.
 */
import type { Repository } from '../store/repository.ts'
import type { Alert } from './alert.ts'
import { type AlertRun, type AlertRunInputs, alertRuns, storeAlerts } from './alert-store.ts'
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
  return {
    date,
    run: run.run,
    written,
    events: result.events,
    alerts: result.alerts,
    timings: result.timings,
  }
}

/**
 * Linked dates without any surveillance run: what a submission killed between linkage and surveillance
 * left undone (its rerun links nothing new, so it surveils these).
 */
export async function unsurveilledDates(repo: Repository): Promise<number[]> {
  await repo.ensureViews()
  const rows = await repo.db.all<{ d: number }>(
    'SELECT DISTINCT event_date::INTEGER AS d FROM linkage_runs WHERE current ORDER BY d',
  )
  return rows.map((r) => Number(r.d)).filter((d) => alertRuns(repo, d).length === 0)
}
