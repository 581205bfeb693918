/**
 * Finishing linkage runs a crash cut short. A run is published (renamed into the store) before its
 * feedback is written, and records `feedback.json` once every feedback file is in place; a published run
 * that asked for feedback and lacks that record is computed again from the same inputs and options (its
 * summary.json holds them) and its feedback written, byte for byte what the uninterrupted run would have
 * written.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Repository } from '../store/repository.ts'
import { FEEDBACK_RECORD, type LinkSummary, linkDate } from './link-date.ts'
import type { LinkOptions, LinkPass, LinkTrigger } from './link-options.ts'
import { currentRuns, runDir } from './linkage-layout.ts'

interface RecordedRun {
  asOfNs: string
  nowNs: string
  trigger: LinkTrigger
  options?: {
    mode: 'auto' | 'full'
    feedback: boolean
    electronicAllowanceNs: string
    manualAllowanceNs: string
    firmDriftToleranceNs: number
    exchangeDriftToleranceNs: number
    candidates: number
    rowGroupSize: number
    skip: LinkPass[]
  }
}

/** The options a published run was made with, when its feedback is still missing. */
function unfinished(repo: Repository, eventDate: number, run: number): LinkOptions | undefined {
  const dir = runDir(repo.paths, eventDate, run)
  if (existsSync(join(dir, FEEDBACK_RECORD))) return undefined
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RecordedRun
  // Runs from before runs recorded their options wrote feedback before anything else could happen.
  if (!s.options?.feedback) return undefined
  const o = s.options
  return {
    nowNs: BigInt(s.nowNs),
    asOfNs: BigInt(s.asOfNs),
    trigger: s.trigger,
    mode: o.mode,
    feedback: true,
    electronicAllowanceNs: BigInt(o.electronicAllowanceNs),
    manualAllowanceNs: BigInt(o.manualAllowanceNs),
    firmDriftToleranceNs: o.firmDriftToleranceNs,
    exchangeDriftToleranceNs: o.exchangeDriftToleranceNs,
    candidates: o.candidates,
    rowGroupSize: o.rowGroupSize,
    skip: o.skip,
  }
}

/** Writes the missing feedback of the current run of `eventDate`, if a crash left it unwritten. */
export async function recoverDate(
  repo: Repository,
  eventDate: number,
  extra: Pick<LinkOptions, 'progress' | 'trace' | 'workStorage'> = {},
): Promise<LinkSummary | undefined> {
  const run = currentRuns(repo.paths).get(eventDate)
  if (run === undefined) return undefined
  const options = unfinished(repo, eventDate, run)
  return options ? linkDate(repo, eventDate, { ...options, ...extra }, run) : undefined
}

/** Finishes every linkage run a crash interrupted after publication; returns the runs finished. */
export async function recoverLinkage(
  repo: Repository,
  extra: Pick<LinkOptions, 'progress' | 'trace' | 'workStorage'> = {},
): Promise<LinkSummary[]> {
  const out: LinkSummary[] = []
  for (const eventDate of [...currentRuns(repo.paths).keys()].sort((a, b) => a - b)) {
    const s = await recoverDate(repo, eventDate, extra)
    if (s) out.push(s)
  }
  return out
}
