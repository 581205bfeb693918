/**
 * The day index: read-optimised files a date gets once it is linked, next to the store, under
 * `store/days/event_date=YYYYMMDD/build=NNNNNN/` (docs/formats/day-index.md): the date's current versions
 * in symbol buckets, an identifier index in hash buckets, and counts per symbol and reporter.
 * Each build names the source it was made from: the date's visible store files and the repairs that name
 * its versions. A reader uses a build only when that source is still the store's (`freshDayIndex`);
 * otherwise it reads the store's views, the exact path, so a stale build is never read.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { dateSegment } from './path-segments.ts'
import type { RepoPaths } from './paths.ts'
import type { Repository } from './repository.ts'
import { parquetRead } from './store-cipher.ts'
import { oncePerHold } from './store-version.ts'

/** The layout version of a build; a build of another layout is not read. */
export const DAY_INDEX_FORMAT = 4

/**
 * The identifiers a search matches a record by, as field name → store column (firmROEID is the record id,
 * an exchange's recordID). The search's exact path and the identifier index both take them from here.
 */
export const SEARCH_IDENTIFIERS: readonly { readonly field: string; readonly column: string }[] = [
  { field: 'firmROEID', column: '_roe_id' },
  ...[
    'orderID',
    'priorOrderID',
    'routedOrderID',
    'parentOrderID',
    'buyOrderID',
    'sellOrderID',
    'tradeID',
    'tapeTradeID',
    'quoteID',
    'routedQuoteID',
    'receivedQuoteID',
    'fulfillmentID',
  ].map((f) => ({ field: f, column: f })),
]

/** What a build's manifest.json says. */
export interface DayIndexManifest {
  readonly format: number
  readonly eventDate: number
  /** Digest of the source the build was made from (see `dayIndexSource`). */
  readonly source: string
  /**
   * Hash buckets of the current versions (by symbol), of the identifier index (by identifier) and of the
   * customer index (by FDID).
   */
  readonly currentBuckets: number
  readonly identifierBuckets: number
  readonly customerBuckets: number
  readonly rows: {
    readonly current: number
    readonly identifiers: number
    readonly counts: number
    readonly customers: number
    /** Key rows of the current versions, in the current versions' buckets (0 without a linkage run). */
    readonly lifecycles: number
  }
  /**
   * Rows of each part a later stage wrote into the build (`DayIndexPart`), by its name: `nbbo`, the NBBO
   * series of each symbol. A build without a part is read as if the part did not exist (its readers use
   * the exact path).
   */
  readonly parts: Readonly<Record<string, number>>
  /**
   * The linkage run of the date whose lifecycles the customer index's rows and the lifecycle rows carry;
   * absent when they carry none (a reader then looks them up in the date's current run, as for a build of
   * an older run).
   */
  readonly lifecycleRun?: number
  readonly bytes: number
  readonly seconds: number
}

/** A fresh build of a date's day index. */
export interface DayIndex {
  readonly dir: string
  readonly manifest: DayIndexManifest
}

/** The folder of a date's builds. */
export function dayIndexRoot(paths: RepoPaths, eventDate: number): string {
  return join(paths.store, 'days', `event_date=${dateSegment(eventDate)}`)
}

/** A build folder of a date. */
export function dayIndexBuildDir(paths: RepoPaths, eventDate: number, build: number): string {
  return join(dayIndexRoot(paths, eventDate), `build=${String(build).padStart(6, '0')}`)
}

/** The published builds of a date, ascending (a build folder is renamed into place whole). */
export function dayIndexBuilds(paths: RepoPaths, eventDate: number): number[] {
  const root = dayIndexRoot(paths, eventDate)
  if (!existsSync(root)) return []
  return readdirSync(root)
    .map((d) => /^build=([0-9]{6})$/.exec(d)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

/** The manifest of a date's latest build, if there is one. */
export function latestDayIndex(paths: RepoPaths, eventDate: number): DayIndex | undefined {
  const build = dayIndexBuilds(paths, eventDate).at(-1)
  if (build === undefined) return undefined
  const dir = dayIndexBuildDir(paths, eventDate, build)
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DayIndexManifest
    return manifest.format === DAY_INDEX_FORMAT ? { dir, manifest } : undefined
  } catch {
    return undefined
  }
}

/**
 * The source of a date's current versions as this connection sees them: the ids of the visible files
 * holding the date's records (their versions are the date's `events`), and the visible repairs naming a
 * version of the date by its errorROEID (which may be stored under another date), as a digest.
 */
export async function dayIndexSource(repo: Repository, eventDate: number): Promise<string> {
  const dir = join(repo.paths.events, `event_date=${dateSegment(eventDate)}`)
  const ids = existsSync(dir)
    ? [
        ...new Set(
          readdirSync(dir)
            .map((f) => /^f([0-9]+)_/.exec(f)?.[1])
            .filter((x): x is string => x !== undefined),
        ),
      ]
    : []
  const files =
    ids.length === 0
      ? []
      : await repo.db.all<{ id: string }>(
          `SELECT file_id::VARCHAR AS id FROM files
           WHERE file_id IN (${ids.join(', ')}) AND ingested_ns IS NOT NULL AND deleted_ns IS NULL
           ORDER BY file_id`,
        )
  const repairs = await repo.db.all<{ id: string }>(
    `SELECT repair_id::VARCHAR AS id FROM _named_versions
     WHERE event_date = $1 AND _deleted_ns IS NULL ORDER BY repair_id, named_id`,
    [eventDate],
  )
  return createHash('sha256')
    .update(
      `format ${DAY_INDEX_FORMAT}; date ${eventDate}; files ${files.map((f) => f.id).join(',')}; repairs ${repairs.map((r) => r.id).join(',')}`,
    )
    .digest('hex')
}

/**
 * The date's day index when its latest build was made from what the store holds now, else undefined
 * (read the store's views instead). Once per held connection (the portal's), every time otherwise.
 */
export function freshDayIndex(repo: Repository, eventDate: number): Promise<DayIndex | undefined> {
  return oncePerHold(repo, `day-index:${eventDate}`, async () => {
    const latest = latestDayIndex(repo.paths, eventDate)
    if (!latest) return undefined
    return latest.manifest.source === (await dayIndexSource(repo, eventDate)) ? latest : undefined
  })
}

/** The scan of one file of a build. */
function scanOf(repo: Repository, file: string): string {
  return parquetRead(repo.db, `'${file.replaceAll("'", "''")}'`, ['hive_partitioning = false'])
}

/** The bucket of each value under `hash(value) % buckets`, as the writer computed it. */
async function bucketsOfValues(
  repo: Repository,
  values: readonly string[],
  buckets: number,
): Promise<number[]> {
  if (values.length === 0) return []
  const rows = await repo.db.all<{ b: string }>(
    `SELECT DISTINCT (hash(v) % ${Number(buckets)})::VARCHAR AS b FROM unnest([${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::VARCHAR[]) t(v)`,
  )
  return rows.map((r) => Number(r.b)).sort((a, b) => a - b)
}

/** The Parquet files of a bucket's folder (`bucket=K/part*.parquet`), quoted for a file list. */
function bucketFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => `'${join(dir, f).replaceAll("'", "''")}'`)
}

/**
 * The scan of a build's current versions (every column of `current_events`, in no order; the files hold
 * those with a value on the date): the buckets of
 * `symbols` when given (the rows of any other symbol are not all there), else every bucket.
 */
export async function currentScan(
  repo: Repository,
  index: DayIndex,
  symbols?: readonly string[],
): Promise<string> {
  const buckets =
    symbols === undefined
      ? Array.from({ length: index.manifest.currentBuckets }, (_, b) => b)
      : await bucketsOfValues(repo, symbols, index.manifest.currentBuckets)
  const files = buckets.flatMap((b) => bucketFiles(join(index.dir, 'current', `bucket=${b}`)))
  // The files leave out the columns empty on the date: the view's empty shape brings every column back,
  // in its order and types.
  if (files.length === 0) return '(SELECT * FROM current_events WHERE false)'
  return `(SELECT * FROM current_events WHERE false UNION ALL BY NAME SELECT * FROM ${parquetRead(repo.db, `[${files.join(', ')}]`, ['hive_partitioning = false'])})`
}

/** The scan of a set of a build's current files, with every column of `current_events` (NULL where they hold none). */
export function currentFilesScan(repo: Repository, files: readonly string[]): string {
  const quoted = files.map((f) => `'${f.replaceAll("'", "''")}'`)
  if (quoted.length === 0) return '(SELECT * FROM current_events WHERE false)'
  return `(SELECT * FROM current_events WHERE false UNION ALL BY NAME SELECT * FROM ${parquetRead(repo.db, `[${quoted.join(', ')}]`, ['hive_partitioning = false'])})`
}

/**
 * The rows of a part in the bucket of `symbol` of the date's fresh day index: undefined when the date has no
 * fresh build holding the part (its readers take the exact path); `scan` undefined when that bucket holds
 * none of the part's files (the symbol has no rows).
 */
export async function freshPartScan(
  repo: Repository,
  eventDate: number,
  part: string,
  symbol: string,
): Promise<{ readonly index: DayIndex; readonly scan: string | undefined } | undefined> {
  const index = await freshDayIndex(repo, eventDate)
  if (index?.manifest.parts[part] === undefined) return undefined
  return { index, scan: await symbolBucketsScan(repo, index, part, [symbol]) }
}

/**
 * The scan of the rows of a folder of the build bucketed like its current versions (`lifecycles`, or a
 * part such as `nbbo`), of the buckets of `symbols`, or undefined when those buckets hold no file.
 */
export async function symbolBucketsScan(
  repo: Repository,
  index: DayIndex,
  folder: string,
  symbols: readonly string[],
): Promise<string | undefined> {
  const buckets = await bucketsOfValues(repo, symbols, index.manifest.currentBuckets)
  const files = buckets.flatMap((b) => bucketFiles(join(index.dir, folder, `bucket=${b}`)))
  return files.length === 0
    ? undefined
    : parquetRead(repo.db, `[${files.join(', ')}]`, ['hive_partitioning = false'])
}

/**
 * The fresh day index of a date when its lifecycle rows are those of linkage run `run` (the date's current
 * one), else undefined: a reader then takes lifecycles from the run's key files.
 */
export async function dayIndexWithLifecycles(
  repo: Repository,
  eventDate: number,
  run: number | undefined,
): Promise<DayIndex | undefined> {
  const index = await freshDayIndex(repo, eventDate)
  return index &&
    run !== undefined &&
    index.manifest.lifecycleRun === run &&
    index.manifest.rows.lifecycles > 0
    ? index
    : undefined
}

/** The identifier index's bucket of a key. */
export async function identifierBucket(repo: Repository, index: DayIndex, key: string): Promise<number> {
  return (await bucketsOfValues(repo, [key], index.manifest.identifierBuckets))[0] ?? 0
}

/**
 * The scan of the customer index's buckets holding `fdids` (docs/formats/day-index.md: the date's current
 * versions by the FDIDs they name; the reader keeps to its FDIDs), or undefined when those buckets are empty.
 */
export async function customerScan(
  repo: Repository,
  index: DayIndex,
  fdids: readonly string[],
): Promise<string | undefined> {
  const buckets = await bucketsOfValues(repo, fdids, index.manifest.customerBuckets)
  const files = buckets.flatMap((b) => bucketFiles(join(index.dir, 'customers', `bucket=${b}`)))
  return files.length === 0
    ? undefined
    : parquetRead(repo.db, `[${files.join(', ')}]`, ['hive_partitioning = false'])
}

/** The scan of a build's counts per symbol and reporter. */
export function countsScan(repo: Repository, index: DayIndex): string {
  return scanOf(repo, join(index.dir, 'counts.parquet'))
}

/** Per build (a build never changes once published): whether it holds current versions without a symbol. */
const UNSYMBOLLED = new Map<string, Promise<boolean>>()

/**
 * Whether a build holds current versions without a symbol (a firm's option events name their series by
 * `optionID` only), from its counts: without them, the empty symbol's bucket holds no row another symbol's
 * reader needs.
 */
export function holdsUnsymbolled(repo: Repository, index: DayIndex): Promise<boolean> {
  let answer = UNSYMBOLLED.get(index.dir)
  if (!answer) {
    answer = repo.db
      .one<{ n: string }>(
        `SELECT count(*)::VARCHAR AS n FROM ${countsScan(repo, index)} WHERE symbol IS NULL AND current > 0`,
      )
      .then((r) => Number(r?.n ?? 0) > 0)
    UNSYMBOLLED.set(index.dir, answer)
    answer.catch(() => UNSYMBOLLED.delete(index.dir))
  }
  return answer
}

/** The scan of the identifier index's bucket holding `bucket`, or undefined when the bucket is empty. */
export function identifierScan(repo: Repository, index: DayIndex, bucket: number): string | undefined {
  const files = bucketFiles(join(index.dir, 'identifiers', `bucket=${bucket}`))
  return files.length === 0
    ? undefined
    : parquetRead(repo.db, `[${files.join(', ')}]`, ['hive_partitioning = false'])
}

/**
 * What to read a date's current versions from: the fresh day index's files (of the buckets of
 * `symbols` when given: the reader must then keep to those symbols), or the rows of the `current_events`
 * view of that date (the exact path). Either has every column of `current_events`.
 */
export async function currentEventsOf(
  repo: Repository,
  eventDate: number,
  symbols?: readonly string[],
): Promise<string> {
  const index = await freshDayIndex(repo, eventDate)
  return index ? currentScan(repo, index, symbols) : `(SELECT * FROM current_events_of(${Number(eventDate)}))`
}
