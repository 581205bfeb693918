/**
 * Writes a date's day index (day-index.ts, docs/formats/day-index.md) when its source changed: in the work
 * area first, then renamed into `store/days/event_date=…/build=NNNNNN/` whole, so a reader sees a complete
 * build or none. A crash leaves either the previous build (stale, so not read) or nothing; the next write
 * (the next linkage of the date, or `refreshDayIndexes` after any submission) makes it again.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { ident, literal } from './database.ts'
import {
  currentFilesScan,
  DAY_INDEX_FORMAT,
  type DayIndexManifest,
  dayIndexBuildDir,
  dayIndexBuilds,
  dayIndexRoot,
  dayIndexSource,
  latestDayIndex,
  SEARCH_IDENTIFIERS,
} from './day-index.ts'
import { CUSTOMERS_PER_BUCKET, writeCustomerIndex } from './day-index-customers.ts'
import { partitionedWriteSizes } from './memory-limit.ts'
import type { RepoPaths } from './paths.ts'
import { connectAgain, type Repository } from './repository.ts'
import { parquetRead, parquetWriteOptions } from './store-cipher.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'store')

/**
 * Current versions per symbol bucket aimed at: a bucket is unsorted, so a symbol's read filters its
 * bucket whole; at 100,000 rows that is a few milliseconds.
 */
const CURRENT_PER_BUCKET = 100_000

/** Identifier rows per hash bucket aimed at; a bucket is read whole by a search. */
const IDENTIFIERS_PER_BUCKET = 250_000

/** The most buckets of either kind; the engine keeps a file open per bucket while it writes them. */
const MAX_BUCKETS = 256
/** Bytes a current version's row takes in a writer's open row group (wide rows, with their strings). */
const CURRENT_ROW_BYTES = 512
/** Bytes an identifier row takes (eleven narrow columns). */
const IDENTIFIER_ROW_BYTES = 200
/** The most identifier rows a thread holds before the writers take them (1 M and 2 M measured alike, 8 M slower). */
const IDENTIFIER_MAX_FLUSH_ROWS = 2_097_152

/** What a part's writer is given: the build being written and its current versions, bucket by bucket. */
export interface DayIndexPartContext {
  readonly repo: Repository
  readonly eventDate: number
  /** The part's folder in the build being written (`bucket=K/` folders go under it). */
  readonly dir: string
  /** Buckets of the build's current versions; a part's bucket K holds rows of the symbols of theirs. */
  readonly buckets: number
  /** The scan of one bucket of the build's current versions, with every column of `current_events`. */
  current(bucket: number): string
  /** The scan of every bucket of the build's current versions, as `current` gives one. */
  currentAll(): string
  /**
   * The scan of the build's lifecycle rows (`_event_id`, `key_num`, `lc_date`, `lc_num`, of the linkage run
   * the manifest names as `lifecycleRun`), or undefined for a build without them.
   */
  lifecycles(): string | undefined
  /** The store key's options for a COPY when the store is encrypted (store-cipher.ts), else ''. */
  readonly encryption: string
  /** The folder of one of the part's companions in the build being written (created empty). */
  companion(name: string): string
}

/**
 * A part of the day index a later stage writes (the book stage's NBBO series): the store cannot compute it
 * (it cannot import the stages after it), so the stage registers it, as it registers its views
 * (`pipeline/stage-views.ts`), and every build written in the process holds it.
 */
export interface DayIndexPart {
  /** Its folder in a build and its key in the manifest's `parts`. */
  readonly name: string
  /**
   * Folders it writes beside its own from the same pass over the build (the NBBO part's venues' quotes),
   * each a key of the manifest's `parts` as well: a build lacking any of them is written again.
   */
  readonly companions?: readonly string[]
  /**
   * Written on a connection of its own while the store's parts after the lifecycle rows (customers,
   * identifiers, counts) and the parts not beside are written: for a part whose work is mostly JavaScript
   * (the NBBO part), which leaves the engine's threads a core the store's parts then use.
   */
  readonly beside?: boolean
  /**
   * Writes the part into `context.dir` and its companions into `context.companion(name)`; returns its row
   * count, or the row count of each of its folders by name.
   */
  write(context: DayIndexPartContext): Promise<number | Readonly<Record<string, number>>>
}

/** Every folder a part writes: its own, then its companions'. */
function foldersOf(part: DayIndexPart): string[] {
  return [part.name, ...(part.companions ?? [])]
}

const parts = new Map<string, DayIndexPart>()

/** Registers a part every day index build written in this process holds. */
export function registerDayIndexPart(part: DayIndexPart): void {
  parts.set(part.name, part)
}

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

/**
 * The columns of the `events` view that hold a value in some version of the date: the store keeps every
 * catalogue column, most of them empty on any one day, and the current versions are written without the
 * empty ones (a reader's scan brings them back as NULL, `currentScan`).
 */
async function filledColumns(repo: Repository, eventDate: number): Promise<string[]> {
  const columns = (await repo.db.all<{ column_name: string }>('DESCRIBE SELECT * FROM events')).map(
    (r) => r.column_name,
  )
  const filled = await repo.db.one<Record<string, boolean>>(
    `SELECT ${columns.map((c, i) => `count(${ident(c)}) > 0 AS c${i}`).join(', ')} FROM events WHERE event_date = $1`,
    [eventDate],
  )
  return columns.filter((_, i) => filled?.[`c${i}`] === true)
}

/** One SELECT per identifier a search matches, of its rows in the identifier index. */
function identifierBranches(eventDate: number): string {
  return SEARCH_IDENTIFIERS.map(
    (i) =>
      `SELECT "${i.column}"::VARCHAR AS key, '${i.field}' AS field, _reporter, _roe_id, event_date, _type, ` +
      `_event_ns, _ts_digits, symbol, _received_ns, _event_id FROM events ` +
      `WHERE event_date = ${Number(eventDate)} AND "${i.column}" IS NOT NULL`,
  ).join(' UNION ALL ')
}

/** What the stage writing a day index tells the writer. */
export interface DayIndexOptions {
  /**
   * How linkage keys a record from its `_reporter` and `_roe_id` columns: given, the customer index carries
   * each version's lifecycle ids from the date's linkage run on the connection's `linkage_key_ids` view,
   * and a build of another run is written again.
   */
  readonly keyNum?: string
  /** Called with the time each part of the build took (`day-index current 1.234 s`), for profiling. */
  readonly trace?: (line: string) => void
}

/** The date's linkage run the connection's `linkage_key_ids` view reads, if there is one. */
async function linkageRunOf(repo: Repository, eventDate: number): Promise<number | undefined> {
  const view = await repo.db.one<{ n: string }>(
    `SELECT count(*)::VARCHAR AS n FROM duckdb_views() WHERE view_name = 'linkage_key_ids'`,
  )
  if (Number(view?.n ?? 0) === 0) return undefined
  const row = await repo.db.one<{ run: number | null }>(
    'SELECT max(run) AS run FROM linkage_key_ids WHERE event_date = $1',
    [eventDate],
  )
  return row?.run == null ? undefined : Number(row.run)
}

/**
 * Writes the date's day index unless its latest build is already of the store's current source (and, with
 * `keyNum`, of the date's current linkage run).
 */
export async function writeDayIndex(
  repo: Repository,
  eventDate: number,
  options: DayIndexOptions = {},
): Promise<DayIndexWrite> {
  if (!repo.writable)
    throw new OpenCatError(
      'OCAT_ERR_REPO_LOCKED',
      'writing a day index needs the repository open for writing',
    )
  const started = process.hrtime.bigint()
  let mark = started
  // A part written beside the others is timed from its own start, the others from the part before them.
  const timedFrom = (what: string, from: bigint) => {
    const now = process.hrtime.bigint()
    options.trace?.(`day-index ${what} ${(Number(now - from) / 1e9).toFixed(3)} s`)
    return now
  }
  const timed = (what: string) => {
    mark = timedFrom(what, mark)
  }
  const db = repo.db
  const source = await dayIndexSource(repo, eventDate)
  const builds = dayIndexBuilds(repo.paths, eventDate)
  const latest = latestDayIndex(repo.paths, eventDate)
  const run = options.keyNum === undefined ? undefined : await linkageRunOf(repo, eventDate)
  if (
    latest &&
    latest.manifest.source === source &&
    (run === undefined || latest.manifest.lifecycleRun === run) &&
    [...parts.values()].flatMap(foldersOf).every((name) => latest.manifest.parts[name] !== undefined)
  )
    return { eventDate, written: false, build: builds.at(-1) ?? 0, manifest: latest.manifest }
  timed('source')

  const work = join(repo.paths.work, `day-index-${eventDate}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const encryption = parquetWriteOptions(db)
  try {
    await db.run(sql('day-index-resolve', { DATE: eventDate }))
    const totals = await db.one<{ versions: string; current: string; groups: string }>(
      `SELECT coalesce(sum(versions), 0)::VARCHAR AS versions, coalesce(sum(current), 0)::VARCHAR AS current,
         count(*)::VARCHAR AS groups FROM di_counts`,
    )
    timed('resolve')
    const versions = Number(totals?.versions ?? 0)
    const current = Number(totals?.current ?? 0)
    const bucketsFor = (rows: number, perBucket: number) =>
      Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(rows / perBucket)))
    const currentBuckets = bucketsFor(current, CURRENT_PER_BUCKET)
    const identifierBuckets = bucketsFor(versions * 2, IDENTIFIERS_PER_BUCKET)
    // One file per bucket and thread: past the engine's limit of open files it closes and reopens them,
    // writing many small files far more slowly.
    await db.run(`SET partitioned_write_max_open_files = ${Math.max(100, 2 * MAX_BUCKETS)}`)
    const sizes = await partitionedWriteSizes(db, currentBuckets, CURRENT_ROW_BYTES)
    await db.run(`SET partitioned_write_flush_threshold = ${sizes.flushRows}`)
    const copied = async (text: string) => Number((await db.one<{ Count: string }>(text))?.Count ?? 0)
    const filled = await filledColumns(repo, eventDate)
    timed('columns')
    await copied(
      sql('day-index-current', {
        DATE: eventDate,
        COLUMNS: filled.map(ident).join(', '),
        CURRENT:
          versions === current
            ? ''
            : ' JOIN (SELECT _event_id AS di_id FROM di_current) c ON c.di_id = _event_id',
        DIR: sqlPath(join(work, 'current')),
        BUCKETS: currentBuckets,
        ROW_GROUP: sizes.rowGroup,
        ENCRYPTION: encryption,
      }),
    )
    timed('current')
    const keyRows =
      run === undefined || options.keyNum === undefined
        ? undefined
        : `(SELECT _event_id, key_num, lc_date, lc_num, lifecycle_id FROM linkage_key_ids WHERE event_date = ${Number(eventDate)} AND run = ${run})`
    const currentFiles = parquetRead(db, `'${sqlPath(join(work, 'current', '*', '*.parquet'))}'`, [
      'hive_partitioning = false',
    ])
    const lifecycles =
      keyRows === undefined
        ? 0
        : await copied(
            sql('day-index-lifecycles', {
              KEYS: keyRows,
              CURRENT: currentFiles,
              BUCKETS: currentBuckets,
              DIR: sqlPath(join(work, 'lifecycles')),
              ENCRYPTION: encryption,
            }),
          )
    timed('lifecycles')
    const partRows: Record<string, number> = {}
    // A folder of the build bucketed like its current versions: one bucket's files, or all of them.
    const filesOf = (folder: string, b: number) => currentBucketFiles(join(work, folder, `bucket=${b}`))
    const allFilesOf = (folder: string) =>
      Array.from({ length: currentBuckets }, (_, b) => filesOf(folder, b)).flat()
    const writePart = async (part: DayIndexPart, on: Repository) => {
      const dir = join(work, part.name)
      mkdirSync(dir, { recursive: true })
      const rows = await part.write({
        repo: on,
        eventDate,
        dir,
        buckets: currentBuckets,
        current: (b) => currentFilesScan(on, filesOf('current', b)),
        currentAll: () => currentFilesScan(on, allFilesOf('current')),
        lifecycles: () => {
          const files = lifecycles === 0 ? [] : allFilesOf('lifecycles')
          return files.length === 0
            ? undefined
            : parquetRead(on.db, `[${files.map(literal).join(', ')}]`, ['hive_partitioning = false'])
        },
        encryption,
        companion: (name) => {
          if (!part.companions?.includes(name))
            throw new Error(`day index part ${part.name} has no companion ${name}`)
          mkdirSync(join(work, name), { recursive: true })
          return join(work, name)
        },
      })
      for (const name of foldersOf(part))
        partRows[name] = typeof rows === 'number' ? (name === part.name ? rows : 0) : (rows[name] ?? 0)
    }
    const besideParts = [...parts.values()].filter((p) => p.beside)
    const beside =
      besideParts.length === 0
        ? Promise.resolve()
        : (async () => {
            const other = await connectAgain(repo)
            try {
              for (const part of besideParts) {
                const from = process.hrtime.bigint()
                await writePart(part, other)
                timedFrom(part.name, from)
              }
            } finally {
              other.close()
            }
          })()
    // Its failure is thrown below, once the parts on this connection are over.
    beside.catch(() => undefined)
    const customerBuckets = bucketsFor(current, CUSTOMERS_PER_BUCKET)
    let customers = 0
    let identifiers = 0
    try {
      customers = await writeCustomerIndex(db, {
        current: currentFiles,
        filled,
        dir: join(work, 'customers'),
        buckets: customerBuckets,
        encryption,
        lifecycles:
          keyRows === undefined || run === undefined || options.keyNum === undefined
            ? undefined
            : { keys: keyRows, run, keyNum: options.keyNum },
      })
      timed('customers')
      const identifierSizes = await partitionedWriteSizes(
        db,
        identifierBuckets,
        IDENTIFIER_ROW_BYTES,
        IDENTIFIER_MAX_FLUSH_ROWS,
      )
      await db.run(`SET partitioned_write_flush_threshold = ${identifierSizes.flushRows}`)
      identifiers = await copied(
        sql('day-index-identifiers', {
          DIR: sqlPath(join(work, 'identifiers')),
          BUCKETS: identifierBuckets,
          BRANCHES: identifierBranches(eventDate),
          ENCRYPTION: encryption,
        }),
      )
      await db.run(`SET partitioned_write_flush_threshold = ${sizes.flushRows}`)
      timed('identifiers')
      await db.run(
        sql('day-index-counts', { FILE: sqlPath(join(work, 'counts.parquet')), ENCRYPTION: encryption }),
      )
      timed('counts')
      for (const part of parts.values()) {
        if (part.beside) continue
        await writePart(part, repo)
        timed(part.name)
      }
    } finally {
      // The work folder and the build's tables stay until the part beside is done with them.
      await beside.catch(() => undefined)
    }
    await beside
    const manifest: DayIndexManifest = {
      format: DAY_INDEX_FORMAT,
      eventDate,
      source,
      currentBuckets,
      identifierBuckets,
      customerBuckets,
      rows: { current, identifiers, counts: Number(totals?.groups ?? 0), customers, lifecycles },
      // In the order the parts are registered, whichever was done first.
      parts: Object.fromEntries([...parts.values()].flatMap(foldersOf).map((n) => [n, partRows[n] ?? 0])),
      ...(run === undefined || customers + lifecycles === 0 ? {} : { lifecycleRun: run }),
      bytes: bytesUnder(work),
      seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(3)),
    }
    writeFileSync(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    const build = (builds.at(-1) ?? 0) + 1
    mkdirSync(dayIndexRoot(repo.paths, eventDate), { recursive: true })
    renameSync(work, dayIndexBuildDir(repo.paths, eventDate, build))
    pruneBuilds(repo.paths, eventDate, build)
    return { eventDate, written: true, build, manifest }
  } finally {
    await db.run('RESET partitioned_write_max_open_files; RESET partitioned_write_flush_threshold')
    await db.run('DROP TABLE IF EXISTS di_current; DROP TABLE IF EXISTS di_counts')
  }
}

/** The Parquet files of one bucket folder of the build being written. */
function currentBucketFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.parquet'))
      .sort()
      .map((f) => join(dir, f))
  } catch {
    return []
  }
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
  options: DayIndexOptions = {},
): Promise<DayIndexWrite[]> {
  const out: DayIndexWrite[] = []
  for (const d of dates) out.push(await writeDayIndex(repo, d, options))
  return out
}
