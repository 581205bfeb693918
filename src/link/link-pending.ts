/**
 * When linkage runs (IM spec §1.4, §1.7): for each event date with records ingested since its last run, as
 * soon as a reporter's metadata says `doneForDay` for files holding them, and at the T+1 08:00 deadline for
 * whatever arrived by then. A late file after that links again — incrementally.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eventDateDeadlines } from '../common/time/index.ts'
import { refreshDayIndexes } from '../store/day-index-write.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import { KEY_NUM_SQL } from './lifecycle-keys.ts'
import { type LinkSummary, linkDate } from './link-date.ts'
import type { LinkOptions, LinkTrigger } from './link-options.ts'
import { recoverLinkage } from './link-recovery.ts'
import { runDir, runsOf } from './linkage-layout.ts'

/** A date that is due for linkage, and why. */
export interface DueDate {
  readonly eventDate: number
  readonly trigger: Exclude<LinkTrigger, 'manual'>
  /** Data files with records of the date ingested since its last run. */
  readonly newFiles: number
}

function lastAsOf(repo: Repository, eventDate: number): bigint {
  const runs = runsOf(repo.paths, eventDate)
  if (runs.length === 0) return -1n
  try {
    const s = JSON.parse(
      readFileSync(join(runDir(repo.paths, eventDate, runs[runs.length - 1]), 'summary.json'), 'utf8'),
    )
    return BigInt(s.asOfNs ?? -1)
  } catch {
    return -1n
  }
}

/** Event dates due for linkage at `nowNs`: a doneForDay arrived for their new files, or the deadline passed. */
export async function datesDue(repo: Repository, nowNs: bigint): Promise<DueDate[]> {
  const out: DueDate[] = []
  if (!existsSync(repo.paths.events)) return out
  const files = await repo.db.all<{ file_id: number; ingested_ns: string | null; done: boolean | null }>(
    `SELECT d.file_id, d.ingested_ns::VARCHAR AS ingested_ns, m.done_for_day AS done
     FROM files d LEFT JOIN files m ON m.file_id = d.meta_file_id
     WHERE d.role = 'data' AND d.ingested_ns IS NOT NULL`,
  )
  const byId = new Map(files.map((f) => [String(f.file_id), f]))
  // A repair or delete naming a version by errorROEID changes that version's date even when it is stored
  // under another (a DEL by errorROEID has no event date; an RPR may fix the eventTimestamp).
  const naming = await repo.db.all<{ d: number; f: string }>(
    `SELECT DISTINCT e.event_date AS d, CAST(r._file_id AS VARCHAR) AS f
     FROM events r JOIN events e
       ON e._file_id = (r._repairs >> 32)::BIGINT AND e._event_id = r._repairs AND e._reporter = r._reporter
     WHERE r._action IN ('RPR', 'DEL') AND r._repairs IS NOT NULL AND r.event_date IS DISTINCT FROM e.event_date`,
  )
  for (const eventDate of storedEventDates(repo.paths)) {
    const since = lastAsOf(repo, eventDate)
    // Store files are named after the data file their records came in (f<file id>_...).
    const ids = new Set(
      readdirSync(join(repo.paths.events, `event_date=${eventDate}`))
        .map((f) => /^f([0-9]+)_/.exec(f)?.[1])
        .filter((x): x is string => x !== undefined),
    )
    for (const n of naming) if (Number(n.d) === eventDate) ids.add(n.f)
    const fresh = [...ids].map((id) => byId.get(id)).filter((f) => f && BigInt(f.ingested_ns ?? '0') > since)
    if (fresh.length === 0) continue
    if (fresh.some((f) => f!.done === true))
      out.push({ eventDate, trigger: 'doneForDay', newFiles: fresh.length })
    else if (nowNs >= eventDateDeadlines(repo.calendar, eventDate).submission)
      out.push({ eventDate, trigger: 'deadline', newFiles: fresh.length })
  }
  return out
}

/**
 * Links every date that is due (see `datesDue`); what the pipeline calls after a submission and at 08:00.
 * Runs a crash interrupted after publication get their feedback first (they count among the runs returned);
 * linked dates whose day index is missing or stale get it last.
 * @example
 * const runs = await linkPending(repo, { nowNs })
 */
export async function linkPending(
  repo: Repository,
  options: LinkOptions & { nowNs: bigint },
): Promise<LinkSummary[]> {
  const out: LinkSummary[] = await recoverLinkage(repo, {
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.workStorage ? { workStorage: options.workStorage } : {}),
  })
  for (const due of await datesDue(repo, options.nowNs)) {
    out.push(await linkDate(repo, due.eventDate, { ...options, trigger: due.trigger }))
  }
  // A linked date's day index is written at the end of its run; one a crash cut short, or that a file
  // delete made stale, is written again here.
  if (!options.skip?.includes('day-index'))
    await refreshDayIndexes(
      repo,
      storedEventDates(repo.paths).filter((d) => runsOf(repo.paths, d).length > 0),
      { keyNum: KEY_NUM_SQL },
    )
  return out
}
