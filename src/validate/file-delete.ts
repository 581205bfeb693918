/**
 * File deletes (IM spec §7.6.4): an empty `<base>.DEL` data file with its metadata takes an earlier file's
 * records out of the repository, if the same submitter sent it, it held only NEW records, and every event
 * in it is still before T+4 08:00. The records stay in the store for "as of" questions; only the current
 * view stops showing them.
 */
import { catDeadlines, catTradingDayOf } from '../common/time/trading-day.ts'
import { type FeedbackRecord, fileFeedbackHead } from '../intake/feedback.ts'
import { type FileName, feedbackName, parseFileName } from '../intake/file-name.ts'
import { type FileRow, findFiles, publishFeedback, updateFile } from '../intake/file-registry.ts'
import type { Repository } from '../store/repository.ts'

/** Carries out a file delete instruction; returns the deleted file, or the reason it was refused. */
export async function runFileDelete(
  repo: Repository,
  file: FileRow,
  nowNs: bigint,
): Promise<{ deleted?: FileRow; refused?: string }> {
  await repo.ensureViews()
  const name = parseFileName(file.name) as FileName
  const targetBase = name.baseName.slice(0, -'.DEL'.length)
  const [target] = await findFiles(
    repo.db,
    "role = 'data' AND base_name = $1 AND status = 'ingested' AND deleted_ns IS NULL",
    [targetBase],
  )
  let refused: string | undefined
  if (!target) refused = `no ingested file ${targetBase} to delete`
  else if (target.submitter_id !== name.submitterId) refused = 'only the submitter of a file may delete it'
  else {
    const stats = await repo.db.one<{ other: string; first_ns: string | null }>(
      "SELECT count(*) FILTER (WHERE _action <> 'NEW') AS other, min(_event_ns) AS first_ns FROM events WHERE _file_id = $1",
      [target.file_id],
    )
    if (Number(stats?.other ?? 0) > 0)
      refused = 'the file holds corrections, repairs or deletes; only files of NEW records can be deleted'
    else if (stats?.first_ns) {
      const replaceUntil = catDeadlines(
        repo.calendar,
        catTradingDayOf(repo.calendar, BigInt(stats.first_ns)),
      ).replaceUntil
      if (nowNs > replaceUntil) refused = 'the file holds events past T+4 08:00; it can no longer be deleted'
    }
  }
  if (target && !refused) await updateFile(repo.db, target.file_id, { deleted_ns: nowNs })
  await updateFile(repo.db, file.file_id, {
    status: refused ? 'rejected' : 'ingested',
    records: 0,
    accepted: 0,
    rejected: 0,
    ingested_ns: refused ? null : nowNs,
    note: refused ? `1120 ${refused}` : `deleted file ${target!.file_id}`,
  })
  const fb: FeedbackRecord = {
    ...fileFeedbackHead(name, file),
    stage: 'INGESTION',
    completedNs: nowNs,
    status: refused ? 'Failure' : 'Success',
    ...(refused ? { severity: 'Error' as const, code: [1120], messages: [`1120: ${refused}`] } : {}),
  }
  await publishFeedback(repo.db, repo.paths, file.file_id, feedbackName(name, 'ingestion'), fb, name.format)
  repo.markStale()
  return refused ? { refused } : { deleted: target! }
}
