/**
 * Stage 3 for one paired data file: ingest it, move its output into the store, record the outcome in the
 * registry, and write the ingestion feedback (and error data file). Safe to run again after a crash.
 */
import { join } from 'node:path'
import { catalogueFor, catCode } from '../catalogue/index.ts'
import { type FeedbackRecord, fileFeedbackHead, writeErrorFilePages } from '../intake/feedback.ts'
import type { FileName } from '../intake/file-name.ts'
import { feedbackName, ingestionErrorName, parseFileName } from '../intake/file-name.ts'
import { type FileRow, findFiles, publishFeedback, updateFile } from '../intake/file-registry.ts'
import type { Repository } from '../store/repository.ts'
import { rejectPages } from './file-rejects.ts'
import { commitIngested, type IngestOptions, type IngestResult, ingestFile } from './ingest-file.ts'

/** The outcome of stage 3 for one file. */
export interface IngestionOutcome {
  readonly file: FileRow
  readonly result: IngestResult
  readonly feedbackPath: string
  readonly errorFilePath?: string
}

/** Ingests a paired data file end to end. */
export async function runIngestion(
  repo: Repository,
  file: FileRow,
  nowNs: bigint,
  options: IngestOptions = {},
): Promise<IngestionOutcome> {
  const name = parseFileName(file.name) as FileName
  const cat = catalogueFor(file.file_version ?? '')!
  const result = await ingestFile(
    repo.db,
    repo.paths,
    repo.calendar,
    {
      fileId: file.file_id,
      path: join(repo.paths.inbox, file.inbox_path),
      compressed: name.compressed,
      format: name.format,
      kind: name.kind === 'ExchangeEvents' ? 'ExchangeEvents' : 'OrderEvents',
      cat,
      reporter: name.reporter,
      submitter: name.submitterId,
      generationDate: name.generationDate,
      receivedNs: BigInt(file.received_ns),
      processingDate: file.processing_date ?? name.generationDate,
      ...(file.expected_records !== null ? { expectedRecords: file.expected_records } : {}),
      nowNs,
    },
    { ...options, beforeStoreRules: () => repo.ensureViews() },
  )
  const failed = result.fileCode !== undefined
  // The store commit and the registry update come before the feedback, so feedback never describes
  // records the repository does not hold; a crash in between is mended by resumeIngestionFeedback.
  if (!failed) commitIngested(repo.paths, file.file_id)
  await updateFile(repo.db, file.file_id, {
    status: failed ? 'rejected' : 'ingested',
    records: result.records,
    accepted: result.accepted,
    rejected: failed ? result.records : result.rejected,
    late: result.late > 0,
    ingested_ns: failed ? null : nowNs,
    note: failed ? `${result.fileCode} ${result.fileMessage}` : null,
  })
  repo.markStale()
  const written = await writeIngestionFeedback(
    repo,
    file,
    failed ? 0 : result.rejected,
    failed ? { code: result.fileCode!, message: result.fileMessage! } : undefined,
    nowNs,
  )
  return { file, result, ...written }
}

/**
 * Writes a data file's ingestion feedback, and its error data file from the rejects the store holds for it
 * (so a fresh run and a resumed one write the same file).
 */
async function writeIngestionFeedback(
  repo: Repository,
  file: FileRow,
  rejected: number,
  failure: { code: number; message: string } | undefined,
  nowNs: bigint,
): Promise<{ feedbackPath: string; errorFilePath?: string }> {
  const name = parseFileName(file.name) as FileName
  let errorFilePath: string | undefined
  if (!failure && rejected > 0) {
    errorFilePath = await writeErrorFilePages(
      repo.paths,
      name.submitterId,
      ingestionErrorName(name),
      rejectPages(repo.db, repo.paths, file.file_id),
      name.format,
    )
  }
  const fb: FeedbackRecord = {
    ...fileFeedbackHead(name, file),
    stage: 'INGESTION',
    completedNs: nowNs,
    status: failure || rejected > 0 ? 'Failure' : 'Success',
    ...(failure
      ? {
          severity: 'Error' as const,
          code: [failure.code],
          messages: [`${failure.code}: ${catCode(failure.code).title}. ${failure.message}`],
        }
      : rejected > 0
        ? { severity: 'Error' as const, errorFileName: ingestionErrorName(name), errorCount: rejected }
        : {}),
    ...(file.meta_file_id !== null ? { metaFileName: await metaName(repo, file.meta_file_id) } : {}),
  }
  const feedbackPath = await publishFeedback(
    repo.db,
    repo.paths,
    file.file_id,
    feedbackName(name, 'ingestion'),
    fb,
    name.format,
  )
  return { feedbackPath, ...(errorFilePath ? { errorFilePath } : {}) }
}

/** Writes the ingestion feedback that an interrupted run left unwritten, from what the store holds. */
export async function resumeIngestionFeedback(repo: Repository, nowNs: bigint): Promise<number> {
  const pending = await findFiles(
    repo.db,
    `role = 'data' AND NOT coalesce(is_delete, false) AND records IS NOT NULL AND status IN ('ingested', 'rejected')
     AND file_id NOT IN (SELECT file_id FROM feedback WHERE stage = 'INGESTION')`,
  )
  for (const file of pending) {
    const failure =
      file.status === 'rejected' && file.note
        ? { code: Number(file.note.split(' ')[0]), message: file.note.slice(5) }
        : undefined
    await writeIngestionFeedback(repo, file, failure ? 0 : (file.rejected ?? 0), failure, nowNs)
  }
  return pending.length
}

async function metaName(repo: Repository, metaFileId: number): Promise<string> {
  const row = await repo.db.one<{ name: string }>('SELECT name FROM files WHERE file_id = $1', [metaFileId])
  return row?.name ?? ''
}
