/**
 * Stage 3 for one paired data file: ingest it, move its output into the store, record the outcome in the
 * registry, and write the ingestion feedback (and error data file). Safe to run again after a crash.
 */
import { join } from 'node:path'
import { catCode, catalogueFor } from '../catalogue/index.ts'
import type { FileName } from '../intake/file-name.ts'
import { feedbackName, ingestionErrorName, parseFileName } from '../intake/file-name.ts'
import { type FileRow, recordFeedback, updateFile } from '../intake/file-registry.ts'
import { type FeedbackRecord, writeErrorFile, writeFeedback } from '../intake/feedback.ts'
import type { Repository } from '../store/repository.ts'
import { type IngestOptions, type IngestResult, commitIngested, ingestFile } from './ingest-file.ts'

/** The outcome of stage 3 for one file. */
export interface IngestionOutcome {
  readonly file: FileRow
  readonly result: IngestResult
  readonly feedbackPath: string
  readonly errorFilePath?: string
}

/** Ingests a paired data file end to end. */
export async function runIngestion(repo: Repository, file: FileRow, nowNs: bigint, options: IngestOptions = {}): Promise<IngestionOutcome> {
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
    options,
  )
  const failed = result.fileCode !== undefined
  let errorFilePath: string | undefined
  if (!failed && result.rejected.length > 0) {
    errorFilePath = writeErrorFile(
      repo.paths,
      name.submitterId,
      ingestionErrorName(name),
      result.rejected.map((r) => ({ codes: r.codes, errorROEID: r.errorROEID, raw: r.raw })),
      name.format,
    )
  }
  // The store commit and the registry update come before the feedback, so feedback never describes
  // records the repository does not hold.
  if (!failed) commitIngested(repo.paths, file.file_id)
  await updateFile(repo.db, file.file_id, {
    status: failed ? 'rejected' : 'ingested',
    records: result.records,
    accepted: result.accepted,
    rejected: failed ? result.records : result.rejected.length,
    late: result.late > 0,
    ingested_ns: failed ? null : nowNs,
    note: failed ? `${result.fileCode} ${result.fileMessage}` : null,
  })
  const fb: FeedbackRecord = {
    submitter: name.submitterId,
    reporter: name.reporter,
    fileGenerationDate: name.generationDate,
    fileName: file.name,
    receivedNs: BigInt(file.received_ns),
    stage: 'INGESTION',
    completedNs: nowNs,
    status: failed || result.rejected.length > 0 ? 'Failure' : 'Success',
    ...(failed
      ? { severity: 'Error' as const, code: [result.fileCode!], messages: [`${result.fileCode}: ${catCode(result.fileCode!).title}. ${result.fileMessage}`] }
      : result.rejected.length > 0
        ? { severity: 'Error' as const, errorFileName: ingestionErrorName(name), errorCount: result.rejected.length }
        : {}),
    ...(file.meta_file_id !== null ? { metaFileName: await metaName(repo, file.meta_file_id) } : {}),
  }
  const feedbackPath = writeFeedback(repo.paths, feedbackName(name, 'ingestion'), fb, name.format)
  await recordFeedback(repo.db, file.file_id, 'INGESTION', fb.status, fb.severity ?? null, fb.code ?? [], feedbackPath, nowNs)
  await repo.refreshViews()
  return { file, result, feedbackPath, ...(errorFilePath ? { errorFilePath } : {}) }
}

async function metaName(repo: Repository, metaFileId: number): Promise<string> {
  const row = await repo.db.one<{ name: string }>('SELECT name FROM files WHERE file_id = $1', [metaFileId])
  return row?.name ?? ''
}
