/**
 * The day index's timeline part (docs/formats/day-index.md): a date's current versions in time order with
 * the columns the day browser shows and their lifecycle ids (those of the build's `lifecycleRun`). The
 * current versions are bucketed by symbol, so a page of the whole day in time order would decode every
 * bucket for a hundred rows; in time order, a page's time filters skip every row group but the few
 * holding it.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import { LIFECYCLE_ID } from '../link/linkage-views.ts'
import { type Database, literal } from '../store/database.ts'
import type { DayIndex } from '../store/day-index.ts'
import type { DayIndexPart, DayIndexPartContext } from '../store/day-index-write.ts'
import { memoryLimitBytes } from '../store/memory-limit.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead } from '../store/store-cipher.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** The part's name: its folder in a build and its key in the manifest's `parts`. */
export const TIMELINE_PART = 'timeline'

/** What a page of the day browser reads of each version (browse-events.sql). */
const COLUMNS = [
  'event_date',
  '_event_id',
  '_event_ns',
  '_ts_digits',
  '_reporter',
  '_roe_id',
  '_type',
  '_action',
  'symbol',
  'side',
  'price',
  'quantity',
  'orderID',
  'routedOrderID',
]

/**
 * Bytes of the engine's memory a row of the timeline takes in its sort, with room: a 3.6 M-event day's sort
 * needed about 44 bytes a row (it passed under 160 MB, failed under 120 MB).
 */
const SORT_ROW_BYTES = 50
/** The share of the engine's memory limit one slice's sort is sized to. */
const SORT_SHARE = 0.25
/** The fewest rows a slice is sized to: a smaller day is sorted whole. */
const MIN_SLICE_ROWS = 1_000_000

/** The conditions on `_event_ns` of `count` slices of about equal rows of tl_rows, in time order. */
async function timeSlices(db: Database, count: number): Promise<string[]> {
  if (count <= 1) return ['true']
  const fractions = Array.from({ length: count - 1 }, (_, i) => ((i + 1) / count).toFixed(6))
  const row = await db.one<{ cuts: string[] }>(
    `SELECT list_transform(approx_quantile(_event_ns, [${fractions.join(', ')}]), x -> x::VARCHAR) AS cuts FROM tl_rows`,
  )
  // Many rows at one instant can give equal cuts; each cut starts one slice.
  const cuts = [...new Set((row?.cuts ?? []).filter((c) => c !== null).map((c) => BigInt(c)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  if (cuts.length === 0) return ['true']
  return [
    `_event_ns < ${cuts[0]}`,
    ...cuts.slice(1).map((c, i) => `_event_ns >= ${cuts[i]} AND _event_ns < ${c}`),
    // The engine sorts a NULL last, so it goes into the last slice (none is expected: every event has a time).
    `(_event_ns >= ${cuts[cuts.length - 1]} OR _event_ns IS NULL)`,
  ]
}

/**
 * Writes the timeline of a build's current versions in time order into `build.dir`: one file, or time
 * slices of about `rowsPerSlice` rows each, in order (`part0000.parquet`, …); returns the rows written.
 */
export async function writeTimeline(build: DayIndexPartContext, rowsPerSlice: number): Promise<number> {
  if (build.buckets === 0) return 0
  mkdirSync(build.dir, { recursive: true })
  const db = build.repo.db
  try {
    await db.run(
      sql('day-timeline-rows', {
        COLUMNS: COLUMNS.join(', '),
        CURRENT: build.currentAll(),
        LIFECYCLES:
          build.lifecycles() ??
          '(SELECT NULL::UBIGINT AS _event_id, NULL::INTEGER AS lc_date, NULL::BIGINT AS lc_num WHERE false)',
        LIFECYCLE_ID,
      }),
    )
    const rows = Number((await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM tl_rows'))?.n ?? 0)
    let written = 0
    for (const [i, slice] of (await timeSlices(db, Math.ceil(rows / Math.max(1, rowsPerSlice)))).entries()) {
      const row = await db.one<{ Count: string }>(
        sql('day-timeline-slice', {
          SLICE: slice,
          FILE: join(build.dir, `part${String(i).padStart(4, '0')}.parquet`).replaceAll("'", "''"),
          ENCRYPTION: build.encryption,
        }),
      )
      written += Number(row?.Count ?? 0)
    }
    return written
  } finally {
    await db.run(
      'DROP TABLE IF EXISTS tl_spans; DROP TABLE IF EXISTS tl_several; DROP TABLE IF EXISTS tl_rows',
    )
  }
}

/**
 * The timeline part: sorted whole, or in time slices when the day's rows would not sort in a quarter of
 * the engine's memory.
 */
export const timelineDayIndexPart: DayIndexPart = {
  name: TIMELINE_PART,
  async write(build) {
    const limit = await memoryLimitBytes(build.repo.db)
    return writeTimeline(build, Math.max(MIN_SLICE_ROWS, Math.floor((limit * SORT_SHARE) / SORT_ROW_BYTES)))
  },
}

/** The scan of a build's timeline, or undefined for a build without one (written before the part was). */
export function timelineScan(repo: Repository, index: DayIndex): string | undefined {
  if (index.manifest.parts[TIMELINE_PART] === undefined) return undefined
  const dir = join(index.dir, TIMELINE_PART)
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')) : []
  if (files.length === 0) return undefined
  return parquetRead(
    repo.db,
    `[${files
      .sort()
      .map((f) => literal(join(dir, f)))
      .join(', ')}]`,
    ['hive_partitioning = false'],
  )
}
