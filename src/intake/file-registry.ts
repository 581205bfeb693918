/**
 * The registry of received files (catalogue table `files`): typed reads and the few updates intake makes.
 * A file's `status` moves received → paired → ingested (or rejected, deleted); see docs/formats/repository.md.
 */

import { join } from 'node:path'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type FeedbackRecord, feedbackDir, writeFeedback } from './feedback.ts'

/** Lifecycle of a received file. */
export type FileStatus =
  | 'received' // acknowledged; a data file waits for its metadata
  | 'processed' // a metadata file whose integrity check ran
  | 'paired' // a data file whose metadata block passed integrity; ingestion next
  | 'ingested' // records stored (or, for a delete instruction, carried out)
  | 'rejected' // refused at acknowledgement, integrity or ingestion; `note` says why
  | 'held' // a customer (CAIS) file, kept for the identity stage

/** A row of the registry. */
export interface FileRow {
  file_id: number
  name: string
  base_name: string | null
  role: 'data' | 'meta' | 'unknown'
  kind: string | null
  format: 'json' | 'csv' | null
  compressed: boolean | null
  is_delete: boolean | null
  submitter_id: string | null
  reporter: string | null
  generation_date: number | null
  file_number: number | null
  size_bytes: number
  sha256: string
  received_ns: string
  inbox_path: string
  status: FileStatus
  meta_file_id: number | null
  expected_records: number | null
  file_version: string | null
  done_for_day: boolean | null
  processing_date: number | null
  records: number | null
  accepted: number | null
  rejected: number | null
  late: boolean | null
  ingested_ns: string | null
  deleted_ns: string | null
  note: string | null
}

function normalize(r: Record<string, unknown>): FileRow {
  const num = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]))
  return {
    ...(r as unknown as FileRow),
    file_id: Number(r.file_id),
    size_bytes: Number(r.size_bytes),
    received_ns: String(r.received_ns),
    submitter_id: r.submitter_id === null ? null : String(r.submitter_id),
    meta_file_id: num('meta_file_id'),
    expected_records: num('expected_records'),
    records: num('records'),
    accepted: num('accepted'),
    rejected: num('rejected'),
  }
}

/** Reads files matching a WHERE clause. */
export async function findFiles(
  db: Database,
  where: string,
  params: (string | number | bigint | boolean | null)[] = [],
): Promise<FileRow[]> {
  const rows = await db.all(`SELECT * FROM files WHERE ${where} ORDER BY file_id`, params)
  return rows.map(normalize)
}

/** Reads one file by id. */
export async function getFile(db: Database, fileId: number): Promise<FileRow | undefined> {
  return (await findFiles(db, 'file_id = $1', [fileId]))[0]
}

/** Updates columns of one file. */
export async function updateFile(
  db: Database,
  fileId: number,
  set: Partial<Record<keyof FileRow, string | number | bigint | boolean | null>>,
): Promise<void> {
  const keys = Object.keys(set)
  if (keys.length === 0) return
  const assignments = keys.map((k, i) => `${k} = $${i + 2}`).join(', ')
  await db.run(`UPDATE files SET ${assignments} WHERE file_id = $1`, [
    fileId,
    ...(Object.values(set) as (string | number | bigint | boolean | null)[]),
  ])
}

/**
 * Records that a stage's feedback was written for a file, in place of the stage's earlier record, except
 * the one at `besides` (a warning the new feedback comes beside).
 */
export async function recordFeedback(
  db: Database,
  fileId: number,
  stage: string,
  status: string,
  severity: string | null,
  codes: number[],
  path: string,
  completedNs: bigint,
  besides?: string,
): Promise<void> {
  await db.run('DELETE FROM feedback WHERE file_id = $1 AND stage = $2 AND path IS DISTINCT FROM $3', [
    fileId,
    stage,
    besides ?? null,
  ])
  await db.run(`INSERT INTO feedback VALUES ($1, $2, $3, $4, [${codes.join(',')}]::INTEGER[], $5, $6)`, [
    fileId,
    stage,
    status,
    severity,
    path,
    completedNs,
  ])
}

/**
 * Writes a stage's feedback file and records it, with the stage, status, severity, codes and time the
 * record carries, for every file it answers; returns its path. `besides`: the path of an earlier feedback
 * of the same stage that stays (a warning before a rejection), under its own name.
 */
export async function publishFeedback(
  db: Database,
  paths: RepoPaths,
  fileIds: number | readonly number[],
  name: string,
  fb: FeedbackRecord,
  format: 'json' | 'csv',
  besides?: string,
): Promise<string> {
  const ids = typeof fileIds === 'number' ? [fileIds] : fileIds
  const unused = await unusedFeedbackName(db, paths, ids, name, fb.submitter, besides)
  const path = writeFeedback(paths, unused, fb, format)
  for (const id of ids)
    await recordFeedback(
      db,
      id,
      fb.stage,
      fb.status,
      fb.severity ?? null,
      fb.code ?? [],
      path,
      fb.completedNs,
      besides,
    )
  return path
}

/**
 * The feedback file name to write for these files: `name`, or, when another file's feedback (or the
 * feedback at `besides`) already has that name (a base name used again after its first file timed out, a
 * duplicate refused, or a warning the new feedback comes beside), the first of
 * `<stem>.<stage>_000001.<fmt>`, `_000002`, … (IM spec §7.1.2 numbers feedback files so) that no other
 * file's feedback has. Feedback, and the receipt an acknowledgement carries, is never overwritten.
 */
async function unusedFeedbackName(
  db: Database,
  paths: RepoPaths,
  fileIds: readonly number[],
  name: string,
  submitter: string,
  besides?: string,
): Promise<string> {
  const dot = name.lastIndexOf('.')
  const taken = new Set(
    (
      await db.all<{ path: string }>(
        `SELECT DISTINCT path FROM feedback WHERE starts_with(path, $1) AND file_id NOT IN (SELECT unnest($2::BIGINT[]))`,
        [join(feedbackDir(paths, submitter), name.slice(0, dot)), `[${fileIds.join(',')}]`],
      )
    ).map((r) => r.path),
  )
  if (besides !== undefined) taken.add(besides)
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name.slice(0, dot)}_${String(n).padStart(6, '0')}${name.slice(dot)}`
    if (!taken.has(join(feedbackDir(paths, submitter), candidate))) return candidate
  }
}

/** True when the stage's feedback for the file was written. */
export async function hasFeedback(db: Database, fileId: number, stage: string): Promise<boolean> {
  return (
    (await db.one('SELECT 1 AS x FROM feedback WHERE file_id = $1 AND stage = $2', [fileId, stage])) !==
    undefined
  )
}
