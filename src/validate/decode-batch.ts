/**
 * Decodes one batch of record lines into a staged batch: the codec pass of ingestion, the same whether it
 * runs in a worker thread or in the calling thread.
 */
import { catalogueFor, type EventSpec } from '../catalogue/index.ts'
import { decodeCsvSlots, decodeJsonSlots, tooLongRecord } from '../codec/index.ts'
import type { LongLine } from './line-reader.ts'
import { StageBatch, type StagedBatch } from './stage-batch.ts'

/** What the decoder needs to know about the file. */
export interface DecodeJob {
  readonly lines: readonly string[]
  readonly firstLine: number
  readonly fileVersion: string
  readonly format: 'json' | 'csv'
  readonly kind: 'OrderEvents' | 'ExchangeEvents'
  /** Lines over the record length limit, cut short by the reader: refused without decoding. */
  readonly long?: readonly LongLine[]
  /** The folder the staging files are written to (the file's work area). */
  readonly stageDir: string
}

/** Says why an event type does not belong in this kind of file, if it does not. */
export function misplaced(kind: DecodeJob['kind'], e: EventSpec): string | undefined {
  if (kind === 'ExchangeEvents' && e.family !== 'exchange')
    return `${e.type} is a firm event; it belongs in an OrderEvents file`
  if (kind === 'OrderEvents' && e.family === 'exchange')
    return `${e.type} is an exchange event; it belongs in an ExchangeEvents file`
  return undefined
}

/** Decodes a batch. */
export function decodeBatch(job: DecodeJob): StagedBatch {
  const cat = catalogueFor(job.fileVersion)!
  const decode = job.format === 'json' ? decodeJsonSlots : decodeCsvSlots
  const allowed = (e: EventSpec) => misplaced(job.kind, e)
  const batch = new StageBatch(cat, job.firstLine)
  const long = new Map((job.long ?? []).map((l) => [l.index, l.bytes]))
  for (let i = 0; i < job.lines.length; i++) {
    const bytes = long.get(i)
    batch.add(
      job.firstLine + i,
      bytes === undefined ? decode(job.lines[i], cat) : tooLongRecord(bytes),
      allowed,
    )
  }
  return batch.toStaged(job.stageDir)
}
