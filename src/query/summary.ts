/**
 * What the repository holds, as the portal's overview shows it: per event date its current records,
 * reporters and lifecycles; per reporter its files, records and rejects; the commonest linkage findings.
 * A date's counts come from its fresh day index and its current linkage run's summary when it has them, so
 * the overview does not read every stored event; otherwise from the store's views.
 */
import { CAT_CODES } from '../catalogue/index.ts'
import { currentRuns, recordedRun } from '../link/linkage-layout.ts'
import { countsScan, freshDayIndex } from '../store/day-index.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'

/** The repository's overview (GET /api/summary). */
export interface RepositorySummary {
  readonly dates: { event_date: number; records: string; reporters: string; lifecycles: string }[]
  readonly reporters: Record<string, unknown>[]
  readonly linkage: (Record<string, unknown> & { title: string | null })[]
}

export async function repositorySummary(repo: Repository): Promise<RepositorySummary> {
  const runs = currentRuns(repo.paths)
  const dates: RepositorySummary['dates'] = []
  for (const date of storedEventDates(repo.paths)) {
    const counts = await dateCounts(repo, date)
    if (counts.records === '0') continue
    dates.push({ event_date: date, ...counts, lifecycles: await lifecyclesOf(repo, date, runs.get(date)) })
  }
  const reporters = await repo.db.all(
    `SELECT reporter, count(*) AS files, coalesce(sum(records), 0) AS records, coalesce(sum(rejected), 0) AS rejected,
            round(100.0 * coalesce(sum(rejected), 0) / greatest(coalesce(sum(records), 0), 1), 3) AS error_rate_pct
       FROM files WHERE role = 'data' AND kind IN ('OrderEvents', 'ExchangeEvents') GROUP BY reporter ORDER BY reporter`,
  )
  const linkage = await repo.db.all(
    `SELECT linkage_type, code, count(*) AS findings FROM linkage_findings WHERE NOT named GROUP BY ALL ORDER BY findings DESC, code, linkage_type LIMIT 20`,
  )
  // The portal shows each code with its meaning, from the one code table.
  const withTitles = linkage.map((r) => ({ ...r, title: CAT_CODES.get(Number(r.code))?.title ?? null }))
  return { dates, reporters, linkage: withTitles }
}

/** A date's current records and the reporters they are of. */
async function dateCounts(repo: Repository, date: number): Promise<{ records: string; reporters: string }> {
  const index = await freshDayIndex(repo, date)
  const row = index
    ? await repo.db.one<{ records: string; reporters: string }>(
        `SELECT coalesce(sum(current), 0)::VARCHAR AS records,
                (count(DISTINCT _reporter) FILTER (WHERE current > 0))::VARCHAR AS reporters
           FROM ${countsScan(repo, index)}`,
      )
    : await repo.db.one<{ records: string; reporters: string }>(
        `SELECT count(*)::VARCHAR AS records, count(DISTINCT _reporter)::VARCHAR AS reporters
           FROM current_events_of(${Number(date)})`,
      )
  return { records: row?.records ?? '0', reporters: row?.reporters ?? '0' }
}

/** The lifecycles of a date's current linkage run, as its summary counted them (0 for a date not linked). */
async function lifecyclesOf(repo: Repository, date: number, run: number | undefined): Promise<string> {
  if (run === undefined) return '0'
  const counted = recordedRun<{ lifecycles: unknown }>(repo.paths, date, run)?.lifecycles
  if (typeof counted === 'number') return String(counted)
  const row = await repo.db.one<{ n: string }>(
    'SELECT count(DISTINCT lifecycle_id)::VARCHAR AS n FROM linkage_members WHERE event_date = $1',
    [date],
  )
  return row?.n ?? '0'
}
