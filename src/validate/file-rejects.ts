/**
 * Reads back the rejected records of one data file from the rejects store, a page at a time in line order,
 * for its error data file: a file may have millions of them, so they are never all in memory at once.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ErrorLine } from '../intake/feedback.ts'
import { type Database, literal } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'

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

/** The file's rejected records as error lines, in pages, in line order. */
export async function* rejectPages(
  db: Database,
  paths: RepoPaths,
  fileId: number,
): AsyncGenerator<ErrorLine[]> {
  const files = fileRejectParquet(paths, fileId)
  if (files.length === 0) return
  const scan = `read_parquet([${files.map(literal).join(', ')}])`
  let after = 0
  for (;;) {
    const rows = await db.all<{ errorROEID: string; codes: number[]; raw: string; _line: number }>(
      `SELECT errorROEID, codes, raw, _line FROM ${scan} WHERE _line > $1 ORDER BY _line LIMIT ${PAGE}`,
      [after],
    )
    if (rows.length === 0) return
    yield rows.map((r) => ({ codes: r.codes.map(Number), errorROEID: BigInt(r.errorROEID), raw: r.raw }))
    if (rows.length < PAGE) return
    after = rows[rows.length - 1]._line
  }
}
