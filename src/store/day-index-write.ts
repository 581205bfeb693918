/**
 * Writes a date's day index (day-index.ts, docs/formats/day-index.md) when its source changed: in the work
 * area first, then renamed into `store/days/event_date=…/build=NNNNNN/` whole, so a reader sees a complete
 * build or none. A crash leaves either the previous build (stale, so not read) or nothing; the next write
 * (the next linkage of the date, or `refreshDayIndexes` after any submission) makes it again.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import {
  DAY_INDEX_FORMAT,
  type DayIndexManifest,
  dayIndexBuildDir,
  dayIndexBuilds,
  dayIndexRoot,
  dayIndexSource,
  latestDayIndex,
  SEARCH_IDENTIFIERS,
} from './day-index.ts'
import type { RepoPaths } from './paths.ts'
import type { Repository } from './repository.ts'
import { parquetRead, parquetWriteOptions } from './store-cipher.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'store')

/**
 * Rows per row group of the current versions: a symbol of a 10 M-event day holds a few thousand current
 * versions, so its rows are one to three row groups of its bucket's file.
 */
export const CURRENT_ROW_GROUP = 8192

/** Current versions per symbol bucket aimed at: the most a sort holds at once, and a symbol read opens. */
const CURRENT_PER_BUCKET = 500_000

/** Identifier rows per hash bucket aimed at; a bucket is read whole by a search. */
const IDENTIFIERS_PER_BUCKET = 250_000

/** What writing a date's day index did. */
export interface DayIndexWrite {
  readonly eventDate: number
  /** False when the latest build was already made from what the store holds. */
  readonly written: boolean
  readonly build: number
  readonly manifest: DayIndexManifest
}

function sqlPath(p: string): string {
  return p.replaceAll("'", "''")
}

function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true })
    .map((f) => statSync(join(dir, String(f))))
    .filter((s) => s.isFile())
    .reduce((n, s) => n + s.size, 0)
}

/** Writes the date's day index unless its latest build is already of the store's current source. */
export async function writeDayIndex(repo: Repository, eventDate: number): Promise<DayIndexWrite> {
  if (!repo.writable)
    throw new OpenCatError(
      'OCAT_ERR_REPO_LOCKED',
      'writing a day index needs the repository open for writing',
    )
  const started = process.hrtime.bigint()
  const db = repo.db
  const source = await dayIndexSource(repo, eventDate)
  const builds = dayIndexBuilds(repo.paths, eventDate)
  const latest = latestDayIndex(repo.paths, eventDate)
  if (latest && latest.manifest.source === source)
    return { eventDate, written: false, build: builds.at(-1) ?? 0, manifest: latest.manifest }

  const work = join(repo.paths.work, `day-index-${eventDate}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const encryption = parquetWriteOptions(db)
  const versions = Number(
    (
      await db.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM events WHERE event_date = $1`, [
        eventDate,
      ])
    )?.n ?? 0,
  )
  const bucketsFor = (rows: number, perBucket: number) =>
    Math.min(256, Math.max(1, Math.ceil(rows / perBucket)))
  const currentBuckets = bucketsFor(versions, CURRENT_PER_BUCKET)
  const identifierBuckets = bucketsFor(versions * 2, IDENTIFIERS_PER_BUCKET)
  const unsorted = join(work, 'unsorted')
  await db.run(
    sql('day-index-current', {
      DATE: eventDate,
      DIR: sqlPath(unsorted),
      BUCKETS: currentBuckets,
      ENCRYPTION: encryption,
    }),
  )
  mkdirSync(join(work, 'current'))
  for (const b of existsSync(unsorted) ? readdirSync(unsorted) : []) {
    const files = readdirSync(join(unsorted, b))
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => `'${sqlPath(join(unsorted, b, f))}'`)
    if (files.length === 0) continue
    await db.run(
      sql('day-index-current-bucket', {
        SOURCE: parquetRead(db, `[${files.join(', ')}]`, ['hive_partitioning = false']),
        FILE: sqlPath(join(work, 'current', `${b}.parquet`)),
        ROW_GROUP: CURRENT_ROW_GROUP,
        ENCRYPTION: encryption,
      }),
    )
  }
  rmSync(unsorted, { recursive: true, force: true })
  const currentFiles = readdirSync(join(work, 'current')).map((f) => `'${sqlPath(join(work, 'current', f))}'`)
  const currentScan =
    currentFiles.length === 0
      ? '(SELECT * FROM current_events WHERE false)'
      : parquetRead(db, `[${currentFiles.join(', ')}]`, ['hive_partitioning = false'])
  const pairs = SEARCH_IDENTIFIERS.map((i) => `{'field': '${i.field}', 'key': "${i.column}"::VARCHAR}`).join(
    ', ',
  )
  await db.run(
    sql('day-index-identifiers', {
      DATE: eventDate,
      DIR: sqlPath(join(work, 'identifiers')),
      BUCKETS: identifierBuckets,
      PAIRS: pairs,
      ENCRYPTION: encryption,
    }),
  )
  await db.run(
    sql('day-index-counts', {
      DATE: eventDate,
      CURRENT: currentScan,
      FILE: sqlPath(join(work, 'counts.parquet')),
      ENCRYPTION: encryption,
    }),
  )
  const count = async (scan: string) =>
    Number((await db.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${scan}`))?.n ?? 0)
  const identifierFiles = readdirSync(join(work, 'identifiers'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => `'${sqlPath(join(work, 'identifiers', f))}'`)
  const manifest: DayIndexManifest = {
    format: DAY_INDEX_FORMAT,
    eventDate,
    source,
    currentBuckets,
    identifierBuckets,
    rows: {
      current: currentFiles.length === 0 ? 0 : await count(currentScan),
      identifiers:
        identifierFiles.length === 0
          ? 0
          : await count(parquetRead(db, `[${identifierFiles.join(', ')}]`, ['hive_partitioning = false'])),
      counts: await count(
        parquetRead(db, `'${sqlPath(join(work, 'counts.parquet'))}'`, ['hive_partitioning = false']),
      ),
    },
    bytes: bytesUnder(work),
    seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(3)),
  }
  writeFileSync(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const build = (builds.at(-1) ?? 0) + 1
  mkdirSync(dayIndexRoot(repo.paths, eventDate), { recursive: true })
  renameSync(work, dayIndexBuildDir(repo.paths, eventDate, build))
  pruneBuilds(repo.paths, eventDate, build)
  return { eventDate, written: true, build, manifest }
}

/**
 * Keeps the latest build and the one before it (a reader that chose it a moment ago may still be reading
 * it); older ones go.
 */
function pruneBuilds(paths: RepoPaths, eventDate: number, latest: number): void {
  for (const b of dayIndexBuilds(paths, eventDate))
    if (b < latest - 1) rmSync(dayIndexBuildDir(paths, eventDate, b), { recursive: true, force: true })
}

/**
 * Writes the day index of each of `dates` whose latest build is missing or stale (a crash before it was
 * written, a file delete since); the others cost a look at their source.
 */
export async function refreshDayIndexes(
  repo: Repository,
  dates: readonly number[],
): Promise<DayIndexWrite[]> {
  const out: DayIndexWrite[] = []
  for (const d of dates) out.push(await writeDayIndex(repo, d))
  return out
}
