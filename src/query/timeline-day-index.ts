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
import { literal } from '../store/database.ts'
import type { DayIndex } from '../store/day-index.ts'
import type { DayIndexPart } from '../store/day-index-write.ts'
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

/** Writes the timeline of a build's current versions: one file, in time order. */
export const timelineDayIndexPart: DayIndexPart = {
  name: TIMELINE_PART,
  async write(build) {
    if (build.buckets === 0) return 0
    mkdirSync(build.dir, { recursive: true })
    const row = await build.repo.db.one<{ Count: string }>(
      sql('day-timeline-write', {
        COLUMNS: COLUMNS.join(', '),
        CURRENT: build.currentAll(),
        LIFECYCLES:
          build.lifecycles() ??
          '(SELECT NULL::UBIGINT AS _event_id, NULL::INTEGER AS lc_date, NULL::BIGINT AS lc_num WHERE false)',
        LIFECYCLE_ID,
        FILE: join(build.dir, 'part0.parquet').replaceAll("'", "''"),
        ENCRYPTION: build.encryption,
      }),
    )
    return Number(row?.Count ?? 0)
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
