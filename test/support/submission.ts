/** Writes CAT submission files (bzip2 data file + metadata file) for tests. */
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bzip2Buffer } from '../../src/common/bzip2.ts'

export interface SubmissionSpec {
  submitter?: string
  reporter?: string
  date?: string
  number?: number
  metaNumber?: number
  kind?: 'OrderEvents' | 'ExchangeEvents'
  lines: string[]
  doneForDay?: boolean
  fileVersion?: string
  /** Overrides written into the metadata object. */
  meta?: Record<string, unknown>
  /** Changes to the metadata block of the data file. */
  block?: Record<string, unknown>
  compressed?: boolean
  isDelete?: boolean
  /** The data and metadata file format (default json). */
  format?: 'json' | 'csv'
  /** The metadata file's format, when it differs from the data file's. */
  metaFormat?: 'json' | 'csv'
  /** The data file's bytes as sent, instead of `lines` compressed (the block still counts `lines`). */
  body?: Buffer
}

/** Writes the data file and its metadata file into `dir`; returns both paths and the data file name. */
export function writeSubmission(
  dir: string,
  spec: SubmissionSpec,
): { data: string; meta: string; dataName: string } {
  mkdirSync(dir, { recursive: true })
  const submitter = spec.submitter ?? '104001'
  const reporter = spec.reporter ?? 'ALDR'
  const date = spec.date ?? '20260302'
  const kind = spec.kind ?? 'OrderEvents'
  const num = String(spec.number ?? 1).padStart(6, '0')
  const metaNum = String(spec.metaNumber ?? spec.number ?? 1).padStart(6, '0')
  const del = spec.isDelete ? '.DEL' : ''
  const text = spec.lines.length > 0 ? `${spec.lines.join('\n')}\n` : ''
  const body = spec.body ?? (spec.compressed === false ? Buffer.from(text) : bzip2Buffer(text))
  const ext = spec.format ?? 'json'
  const metaExt = spec.metaFormat ?? ext
  const dataName = `${submitter}_${reporter}_${date}_${kind}_${num}${del}.${ext}${spec.compressed === false ? '' : '.bz2'}`
  const metaName = `${submitter}_${reporter}_${date}_${kind}_${metaNum}.meta${del}.${metaExt}`
  writeFileSync(join(dir, dataName), body)
  const meta = {
    type: 'META',
    doneForDay: spec.doneForDay ?? true,
    fileGenerationDate: Number(date),
    reporter,
    submitter: Number(submitter),
    fileVersion: spec.fileVersion ?? '4.0.0',
    files: [
      {
        fileName: dataName,
        recordCount: spec.lines.length,
        compressedHash: createHash('sha256').update(body).digest('hex').toUpperCase(),
        ...spec.block,
      },
    ],
    ...spec.meta,
  }
  if (metaExt === 'csv') {
    const blocks = meta.files.map((f) => `${f.fileName}@${f.recordCount}@@${f.compressedHash}`).join('|')
    writeFileSync(
      join(dir, metaName),
      `META,${meta.doneForDay},${meta.fileGenerationDate},${meta.reporter},${meta.submitter},${meta.fileVersion},${blocks},\n`,
    )
  } else writeFileSync(join(dir, metaName), JSON.stringify(meta, null, 2))
  return { data: join(dir, dataName), meta: join(dir, metaName), dataName }
}
