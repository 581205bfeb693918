/**
 * Reads a simulated day back: the metadata files of every submitter, the data files they list (checked
 * against record count and SHA-256), and each record decoded with the codec. Used by the day's own
 * consistency checks and by tests.
 */

import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { catalogueFor } from '../../catalogue/index.ts'
import { type DecodedRecord, decodeCsvRecord, decodeJsonRecord } from '../../codec/index.ts'
import { bunzip2File } from '../../common/bzip2.ts'
import { sha256File } from '../reporter-stream.ts'

/** One record of a data file. */
export interface DayRecord {
  readonly submitter: string
  readonly reporter: string
  readonly file: string
  /** 1-based line number. */
  readonly line: number
  readonly text: string
  readonly decoded: DecodedRecord
}

/** One metadata file and what it says. */
export interface MetadataFile {
  readonly submitter: string
  readonly name: string
  readonly doneForDay: boolean
  readonly reporter: string
  readonly fileVersion: string
  readonly files: readonly { fileName: string; recordCount: number; compressedHash: string }[]
}

/** Parses a metadata file (JSON object or CSV line). */
export function parseMetadata(text: string, submitter: string, name: string): MetadataFile {
  if (name.endsWith('.csv')) {
    const cells = text.trim().split(',')
    const files = cells[6]
      .split('|')
      .filter(Boolean)
      .map((block) => {
        const [fileName, count, , compressedHash] = block.split('@')
        return { fileName, recordCount: Number(count), compressedHash }
      })
    return {
      submitter,
      name,
      doneForDay: cells[1] === 'true',
      reporter: cells[3],
      fileVersion: cells[5],
      files,
    }
  }
  const doc = JSON.parse(text)
  return {
    submitter,
    name,
    doneForDay: doc.doneForDay,
    reporter: doc.reporter,
    fileVersion: doc.fileVersion,
    files: doc.files,
  }
}

/** Every metadata file under DIR/submissions, in name order. */
export async function readMetadata(dir: string): Promise<MetadataFile[]> {
  const root = join(dir, 'submissions')
  const out: MetadataFile[] = []
  for (const submitter of (await readdir(root)).sort()) {
    for (const name of (await readdir(join(root, submitter))).sort()) {
      if (!/\.meta\.(json|csv)$/.test(name)) continue
      out.push(parseMetadata(await readFile(join(root, submitter, name), 'utf8'), submitter, name))
    }
  }
  return out
}

/** Problems with the metadata: hashes and doneForDay (readRecords checks the record counts). */
export async function checkMetadata(dir: string, metas: readonly MetadataFile[]): Promise<string[]> {
  const problems: string[] = []
  const last = new Map<string, MetadataFile>()
  for (const m of metas) {
    last.set(`${m.submitter}/${m.reporter}`, m)
    for (const f of m.files) {
      const hash = await sha256File(join(dir, 'submissions', m.submitter, f.fileName)).catch(() => 'missing')
      if (hash !== f.compressedHash) {
        problems.push(`${m.name}: hash of ${f.fileName} is ${hash}, listed ${f.compressedHash}`)
      }
    }
  }
  for (const m of metas) {
    const isLast = last.get(`${m.submitter}/${m.reporter}`) === m
    if (m.doneForDay !== isLast) problems.push(`${m.name}: doneForDay is ${m.doneForDay}`)
  }
  return problems
}

/**
 * Reads every record of every data file the metadata lists, decoded with the file version's catalogue;
 * a file that is not valid bzip2 or holds another number of records than listed goes to `problems`.
 */
export async function* readRecords(
  dir: string,
  metas: readonly MetadataFile[],
  problems: string[] = [],
): AsyncGenerator<DayRecord> {
  for (const m of metas) {
    const cat = catalogueFor(m.fileVersion)!
    for (const f of m.files) {
      const csv = f.fileName.endsWith('.csv.bz2')
      const lines: string[] = []
      const r = await bunzip2File(join(dir, 'submissions', m.submitter, f.fileName), async (out) => {
        for await (const text of createInterface({ input: out, crlfDelay: Number.POSITIVE_INFINITY }))
          lines.push(text)
      })
      if (!r.ok) problems.push(`${f.fileName}: not valid bzip2: ${r.error}`)
      if (lines.length !== f.recordCount) {
        problems.push(`${m.name}: ${f.fileName} has ${lines.length} records, listed ${f.recordCount}`)
      }
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i]
        const decoded = csv ? decodeCsvRecord(text, cat) : decodeJsonRecord(text, cat)
        yield { submitter: m.submitter, reporter: m.reporter, file: f.fileName, line: i + 1, text, decoded }
      }
    }
  }
}

/** Reads an NDJSON truth file. */
export async function readTruth<T>(dir: string, name: string): Promise<T[]> {
  const text = await readFile(join(dir, 'truth', name), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T)
}
