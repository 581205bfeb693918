/**
 * Where linkage results live: `store/linkage/event_date=YYYYMMDD/run=NNNNNN/`, one folder per run of a
 * date holding that date's complete results. Runs are never overwritten; the highest run of a date is
 * current. A run is written in the work area and renamed into place, so readers see all of it or none.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { RepoPaths } from '../store/paths.ts'
import type { LinkageTable } from './linkage-columns.ts'

/**
 * Hash buckets of the lookup files (members and links by lifecycle number, keys by record key hash): a
 * lookup reads one bucket's file instead of the date's. Each bucket is a file
 * per table, so a run aims at about `eventsPerBucket` events in each, up to 64: a bucket of a 20 M-event
 * day is still read in milliseconds, and a small day is not written as hundreds of near-empty files.
 * A run records its count in summary.json.
 */
export function bucketsFor(events: number, perBucket = eventsPerBucket()): number {
  return Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(events / perBucket)))
}

const MAX_BUCKETS = 64
const EVENTS_PER_BUCKET = 250_000

/** Events per bucket: OPENCAT_LINK_BUCKET_EVENTS when set (docs/formats/linkage.md), else 250,000. */
export function eventsPerBucket(): number {
  const set = Number(process.env.OPENCAT_LINK_BUCKET_EVENTS)
  return Number.isSafeInteger(set) && set > 0 ? set : EVENTS_PER_BUCKET
}

/**
 * Rows per row group of the files a lookup reads (`index/`, `keys/` and `links/` of a run, each sorted). The
 * Parquet reader weighs every row group of a file against a lookup's filter, column by column, before it
 * reads the one that holds the lifecycle: a file per bucket keeps them few, and row groups this size keep
 * the one it reads small.
 */
export const LOOKUP_ROW_GROUP = 8192

/** The lookup index file of one bucket inside a run folder: members with their events' text. */
export function lookupIndexFile(dir: string, bucket: bigint | number): string {
  return join(dir, 'index', 'lifecycles', `bucket=${bucket}.parquet`)
}

/** Whether a run has the lookup index (runs written before it have only the bucket files). */
export function hasLookupIndex(dir: string): boolean {
  return existsSync(join(dir, 'index', 'lifecycles'))
}

/** The file a run writes one bucket of a bucketed table to (sorted: keys and links). */
export function bucketFile(dir: string, table: LinkageTable, bucket: bigint | number): string {
  return join(dir, table, `bucket=${bucket}`, 'part0.parquet')
}

/** The files of one bucket of a bucketed table of a run. */
export function bucketFiles(dir: string, table: LinkageTable, bucket: bigint | number): string[] {
  const folder = join(dir, table, `bucket=${bucket}`)
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(folder, f))
}

/**
 * What a run recorded in its summary.json (its counts, options and bucket count), undefined when it has
 * none; the caller names the fields it reads.
 */
export function recordedRun<T>(paths: RepoPaths, eventDate: number, run: number): Partial<T> | undefined {
  const file = join(runDir(paths, eventDate, run), 'summary.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<T>) : undefined
}

/** The bucket count a run used (runs that did not record one used 64). */
export function bucketsOf(paths: RepoPaths, eventDate: number, run: number): number {
  try {
    return recordedRun<{ buckets: number }>(paths, eventDate, run)?.buckets ?? 64
  } catch {
    return 64
  }
}

/** The linkage folder of a repository. */
export function linkageRoot(paths: RepoPaths): string {
  return join(paths.store, 'linkage')
}

/** The folder of one event date. */
export function dateDir(paths: RepoPaths, eventDate: number): string {
  return join(linkageRoot(paths), `event_date=${eventDate}`)
}

/** The folder of one run of one date. */
export function runDir(paths: RepoPaths, eventDate: number, run: number): string {
  return join(dateDir(paths, eventDate), `run=${String(run).padStart(6, '0')}`)
}

/** A table's files inside a run folder (bucketed tables have one folder per bucket). */
export function runFiles(dir: string, table: LinkageTable): string[] {
  const single = join(dir, `${table}.parquet`)
  if (existsSync(single)) return [single]
  const folder = join(dir, table)
  if (!existsSync(folder)) return []
  return readdirSync(folder, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(folder, f))
}

/** Runs of a date, ascending. */
export function runsOf(paths: RepoPaths, eventDate: number): number[] {
  const dir = dateDir(paths, eventDate)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((d) => /^run=([0-9]{6})$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
}

/** The current (highest) run of every linked date. */
export function currentRuns(paths: RepoPaths): Map<number, number> {
  const root = linkageRoot(paths)
  const out = new Map<number, number>()
  if (!existsSync(root)) return out
  for (const d of readdirSync(root)) {
    const m = /^event_date=([0-9]{8})$/.exec(d)
    if (!m) continue
    const runs = runsOf(paths, Number(m[1]))
    if (runs.length > 0) out.set(Number(m[1]), runs[runs.length - 1])
  }
  return out
}

/** Moves a finished run from the work area into the store (one rename: atomic). */
export function publishRun(paths: RepoPaths, work: string, eventDate: number, run: number): string {
  const target = runDir(paths, eventDate, run)
  mkdirSync(dateDir(paths, eventDate), { recursive: true })
  renameSync(work, target)
  return target
}
