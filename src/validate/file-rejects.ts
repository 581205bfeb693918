/**
 * Reads back the rejected records of one data file from the rejects store, a page at a time in line order,
 * for its error data file: a file may have millions of them, so they are never all in memory at once.
 */
import { readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ErrorLine } from '../intake/feedback.ts'
import { type Database, literal } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { parquetRead } from '../store/store-cipher.ts'

/** Rejected records per page: at most 8,190 bytes each, so a page stays within a few tens of MB. */
const PAGE = 4096

/** The rejects store's Parquet files of one data file (ingestion names them f<fileId>_…). */
export function fileRejectParquet(paths: RepoPaths, fileId: number): string[] {
  let partitions: string[]
  try {
    partitions = readdirSync(paths.rejects, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  } catch {
    return []
  }
  const prefix = `f${fileId}_`
  return partitions.flatMap((p) =>
    readdirSync(join(paths.rejects, p))
      .filter((f) => f.startsWith(prefix) && f.endsWith('.parquet'))
      .map((f) => join(paths.rejects, p, f)),
  )
}

// Ingestion writes one file per batch, f<fileId>_b<batch>_<i>.parquet, and batches hold consecutive lines.
const BATCH_FILE = /^f\d+_b(\d+)_(\d+)\.parquet$/

/**
 * The rejects files of one data file grouped so that each group's lines all come after the previous
 * group's: one group per ingestion batch, in batch order (one group of all files when a name says nothing).
 */
function inLineOrder(files: string[]): string[][] {
  const keyed = files.map((f) => ({ f, m: BATCH_FILE.exec(basename(f)) }))
  if (keyed.some((k) => k.m === null)) return [files]
  const groups = new Map<number, string[]>()
  for (const { f, m } of keyed) {
    const b = Number(m![1])
    groups.set(b, [...(groups.get(b) ?? []), f])
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([, g]) => g.sort())
}

/** The file's rejected records as error lines, in pages, in line order. */
export async function* rejectPages(
  db: Database,
  paths: RepoPaths,
  fileId: number,
): AsyncGenerator<ErrorLine[]> {
  // A page is read from one batch's files only, and the line bound is written into the query so the reader
  // skips the row groups before it: each rejected record is read about once, not once per page.
  for (const group of inLineOrder(fileRejectParquet(paths, fileId))) {
    const scan = parquetRead(db, `[${group.map(literal).join(', ')}]`)
    let after = 0
    for (;;) {
      const rows = await db.all<{ errorROEID: string; codes: number[]; raw: string; _line: number }>(
        `SELECT errorROEID, codes, raw, _line FROM ${scan} WHERE _line > ${after} ORDER BY _line LIMIT ${PAGE}`,
      )
      if (rows.length === 0) break
      yield rows.map((r) => ({ codes: r.codes.map(Number), errorROEID: BigInt(r.errorROEID), raw: r.raw }))
      if (rows.length < PAGE) break
      after = Number(rows[rows.length - 1]._line)
    }
  }
}
