/**
 * CAT feedback files (IM spec §7): the metadata-style feedback record of each stage (acknowledgement,
 * integrity, ingestion, linkage), in the submission's format, and the ingestion error data files. Written
 * where a reporter collects them: feedback/<submitter>/feedback/ and feedback/<submitter>/errors/.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JsonValue } from '../codec/index.ts'
import { RawNumber, scanJsonDocument } from '../codec/index.ts'
import { bzip2Buffer, bzip2Writer } from '../common/bzip2.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import type { RepoPaths } from '../store/paths.ts'
import type { Receipt } from './file-log.ts'

/** The feedback format version OpenCAT writes. */
export const FEEDBACK_VERSION = '2.2.1'

/** The fields of a feedback record that name the file it answers: its submitter, reporter, date, name, receipt time. */
export function fileFeedbackHead(
  name: { readonly submitterId: string; readonly reporter: string; readonly generationDate: number },
  file: { readonly name: string; readonly received_ns: string },
): Pick<FeedbackRecord, 'submitter' | 'reporter' | 'fileGenerationDate' | 'fileName' | 'receivedNs'> {
  return {
    submitter: name.submitterId,
    reporter: name.reporter,
    fileGenerationDate: name.generationDate,
    fileName: file.name,
    receivedNs: BigInt(file.received_ns),
  }
}

export type FeedbackStage = 'FILE_ACKNOWLEDGEMENT' | 'FILE_INTEGRITY' | 'INGESTION' | 'LINKAGE'

/** One metadata-style feedback record (IM spec Tables 59-61, 64), with OpenCAT's `messages` and `receipt`. */
export interface FeedbackRecord {
  readonly submitter: string
  readonly reporter: string
  readonly fileGenerationDate: number
  readonly fileName?: string
  readonly receivedNs?: bigint
  readonly stage: FeedbackStage
  readonly completedNs: bigint
  readonly status: 'Success' | 'Failure'
  readonly severity?: 'Error' | 'Warning'
  readonly code?: number[]
  readonly errorFileName?: string
  readonly errorCount?: number
  readonly errorDetails?: (
    | { blockFileName: string; code: number[] }
    | { linkageType: string; errorTypeCount: number }
  )[]
  readonly doneForDay?: boolean
  readonly metaFileName?: string
  /** Plain-language explanation of each code (OpenCAT addition). */
  readonly messages?: string[]
  /** Signed receipt of the file (OpenCAT addition, on acknowledgements). */
  readonly receipt?: Receipt
}

function ts(ns: bigint): string {
  return formatCatTimestamp(ns, 9)
}

function ordered(r: FeedbackRecord): [string, unknown][] {
  const fields: [string, unknown][] = [
    ['feedbackVersion', FEEDBACK_VERSION],
    ['submitter', new RawNumber(r.submitter)],
    ['reporter', r.reporter],
    ['fileGenerationDate', r.fileGenerationDate],
    ['fileName', r.fileName],
    ['receiptTimestamp', r.receivedNs !== undefined ? ts(r.receivedNs) : undefined],
    ['stage', r.stage],
    ['stageCompleteTimestamp', ts(r.completedNs)],
    ['status', r.status],
    ['severity', r.severity],
    ['code', r.code],
    ['errorFileName', r.errorFileName],
    ['errorCount', r.errorCount],
    ['errorDetails', r.errorDetails],
    ['doneForDay', r.doneForDay],
    ['metaFileName', r.metaFileName],
    ['messages', r.messages],
    ['receipt', r.receipt],
  ]
  return fields.filter(([, v]) => v !== undefined)
}

function json(v: unknown, indent = ''): string {
  if (v instanceof RawNumber) return v.text
  if (Array.isArray(v)) return `[ ${v.map((x) => json(x, indent)).join(', ')} ]`
  if (v !== null && typeof v === 'object') {
    const inner = `${indent}  `
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined)
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)} : ${json(x, inner)}`).join(',\n')}\n${indent}}`
  }
  return JSON.stringify(v)
}

/** Renders a feedback record as CAT writes them: pretty-printed JSON, or one CSV line. */
export function renderFeedback(r: FeedbackRecord, format: 'json' | 'csv'): string {
  const fields = ordered(r)
  if (format === 'json') return `${json(Object.fromEntries(fields))}\n`
  const cell = (v: unknown): string => {
    if (v instanceof RawNumber) return v.text
    if (Array.isArray(v)) {
      return v
        .map((x) =>
          typeof x === 'object' && x !== null
            ? Object.values(x as Record<string, unknown>)
                .map((y) => (Array.isArray(y) ? y.join(';') : String(y)))
                .join('@')
            : String(x).replaceAll(',', ';').replaceAll('|', '/'),
        )
        .join('|')
    }
    if (typeof v === 'object' && v !== null) return ''
    return String(v)
  }
  return `${fields
    .filter(([k]) => k !== 'receipt')
    .map(([, v]) => cell(v))
    .join(',')}\n`
}

/** Where a submitter's feedback goes. */
export function feedbackDir(paths: RepoPaths, submitter: string): string {
  return join(paths.feedback(submitter), 'feedback')
}

/** Where a submitter's error data files go. */
export function errorsDir(paths: RepoPaths, submitter: string): string {
  return join(paths.feedback(submitter), 'errors')
}

function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, path)
}

/** Writes a feedback file; returns its path. */
export function writeFeedback(
  paths: RepoPaths,
  name: string,
  r: FeedbackRecord,
  format: 'json' | 'csv',
): string {
  const dir = feedbackDir(paths, r.submitter)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeAtomic(path, renderFeedback(r, format))
  return path
}

/** Longest name of a feedback file: the file system's 255 bytes, less room for the `.tmp` of an atomic write. */
const MAX_FEEDBACK_NAME_BYTES = 250

/**
 * The name of the ack error of a malformed file name: `<name>.ack.error`, or, for a name too long for
 * that to fit the file system, the name's first 150 bytes, `~`, and 16 hex digits of its SHA-256.
 */
export function ackErrorName(fileName: string): string {
  const full = `${fileName}.ack.error`
  if (Buffer.byteLength(full) <= MAX_FEEDBACK_NAME_BYTES) return full
  const head = Buffer.from(fileName)
    .subarray(0, 150)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
  return `${head}~${createHash('sha256').update(fileName).digest('hex').slice(0, 16)}.ack.error`
}

/** Writes the empty ack error a file with a malformed name gets; returns its path. */
export function writeAckError(paths: RepoPaths, submitter: string, fileName: string): string {
  const dir = feedbackDir(paths, submitter)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, ackErrorName(fileName))
  writeAtomic(path, '')
  return path
}

/** One line of an ingestion or linkage error data file. */
export interface ErrorLine {
  readonly codes: number[]
  readonly errorROEID: bigint
  readonly raw: string
}

/**
 * The most of a failed record an error line repeats: a record is at most 8,190 bytes (IM spec §6.1.2), so
 * a longer "record" (a file that is not CAT data, one long line) is cut there and echoes no more than that.
 */
export const MAX_ECHOED_RECORD_BYTES = 8190

function echoed(raw: string): string {
  if (raw.length <= MAX_ECHOED_RECORD_BYTES / 4 || Buffer.byteLength(raw) <= MAX_ECHOED_RECORD_BYTES)
    return raw
  return Buffer.from(raw.slice(0, MAX_ECHOED_RECORD_BYTES))
    .subarray(0, MAX_ECHOED_RECORD_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
}

/** Renders error data lines (IM spec Table 62) in the submission's format; each repeats only its own record. */
export function renderErrorLines(lines: readonly ErrorLine[], format: 'json' | 'csv'): string {
  if (format === 'json') {
    return lines
      .map(
        (l) =>
          `{"errorCode":[${l.codes.join(',')}],"actionType":"RPR","errorROEID":${l.errorROEID},"errorRecord":${JSON.stringify(echoed(l.raw))}}\n`,
      )
      .join('')
  }
  // CSV feedback repeats the original record from position 3 on (the raw line when it had fewer positions).
  return lines
    .map((l) => {
      const cells = echoed(l.raw).replace(/\r$/, '').split(',')
      const rest = cells.length >= 3 ? cells.slice(2).join(',') : echoed(l.raw)
      return `${l.codes.join('|')},RPR,${l.errorROEID},${rest}\n`
    })
    .join('')
}

/** Writes a bzip2 error data file; returns its path. */
export function writeErrorFile(
  paths: RepoPaths,
  submitter: string,
  name: string,
  lines: readonly ErrorLine[],
  format: 'json' | 'csv',
): string {
  const dir = errorsDir(paths, submitter)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeAtomic(path, bzip2Buffer(renderErrorLines(lines, format)))
  return path
}

/**
 * Writes a bzip2 error data file from pages of error lines, compressing as it goes, so no more than a page
 * is ever held (a file may have millions of rejected records); returns its path.
 */
export async function writeErrorFilePages(
  paths: RepoPaths,
  submitter: string,
  name: string,
  pages: AsyncIterable<readonly ErrorLine[]>,
  format: 'json' | 'csv',
): Promise<string> {
  const dir = errorsDir(paths, submitter)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  const tmp = `${path}.tmp`
  const { stream, done } = bzip2Writer(tmp)
  for await (const page of pages) {
    if (!stream.write(renderErrorLines(page, format))) await once(stream, 'drain')
  }
  stream.end()
  await done
  renameSync(tmp, path)
  return path
}

/** A feedback file as read back: its fields, or why it is not a feedback record. */
export type ParsedFeedback = { ok: true; fields: Record<string, unknown> } | { ok: false; error: string }

const STAGES = new Set(['FILE_ACKNOWLEDGEMENT', 'FILE_INTEGRITY', 'INGESTION', 'LINKAGE'])

function plain(v: JsonValue): unknown {
  if (v instanceof RawNumber) return /^-?[0-9]+$/.test(v.text) && v.text.length < 16 ? Number(v.text) : v.text
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]))
  if (Array.isArray(v)) return v.map(plain)
  return v
}

/** Reads a JSON feedback file (OpenCAT's or CAT's own), checking the fields every feedback record has. */
export function readFeedback(text: string): ParsedFeedback {
  const scan = scanJsonDocument(text.trim())
  if (!scan.ok || !(scan.value instanceof Map)) return { ok: false, error: 'not a JSON object' }
  const fields = plain(scan.value) as Record<string, unknown>
  for (const key of [
    'feedbackVersion',
    'submitter',
    'reporter',
    'fileGenerationDate',
    'stage',
    'stageCompleteTimestamp',
    'status',
  ]) {
    if (fields[key] === undefined) return { ok: false, error: `missing ${key}` }
  }
  if (!STAGES.has(String(fields.stage))) return { ok: false, error: `unknown stage ${fields.stage}` }
  if (fields.status !== 'Success' && fields.status !== 'Failure')
    return { ok: false, error: `unknown status ${fields.status}` }
  if (fields.status === 'Failure' && fields.code !== undefined && !Array.isArray(fields.code)) {
    return { ok: false, error: 'code must be an array' }
  }
  return { ok: true, fields }
}
