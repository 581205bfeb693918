/**
 * Books from the store, fast at any instant: for each venue, symbol and date, checkpoints (order-level
 * snapshots every 50,000 events or five minutes) are built once; the book at T is the last checkpoint before
 * T rolled forward through the few records after it. A date's fresh day index holds every venue's
 * checkpoints of every symbol (its book-checkpoints part); without it they are built at the first question and
 * rebuilt when exchange records of their venue and date were ingested or deleted after they were made.
 *
 * Reads never write: a repository opened read-only (the portal, `opencat book`, `nbbo`) keeps checkpoints it
 * had to build in memory only; a writer (holding the lock) keeps them in `store/books/`, at a path whose
 * identifiers RepoPaths checks. A read of a venue or symbol the reference data does not know is refused
 * before anything is built.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import type { Repository } from '../store/repository.ts'
import { buildCheckpoints } from './book-replayer.ts'
import type { BookSnapshot } from './book-snapshot.ts'
import { indexedCheckpoints } from './checkpoints-day-index.ts'
import { OrderBook } from './order-book.ts'
import {
  type RecordKey,
  readBookEvents,
  readVenuesBookEvents,
  type StoredBookEvents,
} from './stored-events.ts'
import { keptSymbolDay, symbolDay } from './symbol-day.ts'

/** A checkpoint with the store key of the last record it includes. */
export interface StoredCheckpoint {
  readonly snapshot: BookSnapshot
  readonly after: { ns: string; file: number; line: number }
}

/**
 * A venue's checkpoints of one symbol and date (docs/formats/repository.md). Version 2 holds snapshots whose
 * prices and quantities are decimal text; a file of an older version is rebuilt, as a stale one is.
 */
interface CheckpointFile {
  readonly version: typeof CHECKPOINT_VERSION
  /** The latest ingestion or deletion of the venue's files for the date when it was built (ns). */
  readonly asOf: string
  readonly events: number
  readonly checkpoints: StoredCheckpoint[]
}

const CHECKPOINT_VERSION = 2

async function latestChange(repo: Repository, venue: string): Promise<string> {
  const row = await repo.db.one<{ t: string | null }>(
    `SELECT CAST(max(greatest(coalesce(ingested_ns, 0), coalesce(deleted_ns, 0))) AS VARCHAR) AS t FROM files
     WHERE reporter = $1 AND kind = 'ExchangeEvents'`,
    [venue],
  )
  return row?.t ?? '0'
}

/** A venue's checkpoints of a symbol and date, its book events that day, and where they were found. */
export interface BookCheckpoints {
  readonly events: number
  readonly checkpoints: readonly StoredCheckpoint[]
  /** Read from the date's day index: the symbol's day was not read to take them. */
  readonly indexed: boolean
}

/**
 * The checkpoints of a venue's book for a symbol and date: from the date's fresh day index when it holds them,
 * else built and kept when missing or stale.
 */
export async function checkpointsOf(
  repo: Repository,
  venue: string,
  symbol: string,
  date: number,
): Promise<BookCheckpoints> {
  // The path's identifiers are checked first, whatever answers: a venue walking out of the repository is a
  // bad identifier (400), not an unknown venue.
  const path = repo.paths.bookCheckpoints(venue, symbol, date)
  await assertKnownMarket(repo, venue, symbol)
  const indexed = await indexedCheckpoints(repo, venue, symbol, date)
  if (indexed) return { ...indexed, indexed: true }
  const file = await checkpointFileOf(repo, path, venue, symbol, date)
  return { events: file.events, checkpoints: file.checkpoints, indexed: false }
}

/** The checkpoints of a venue's book for a symbol and date as the repository keeps them (built when missing or stale). */
async function checkpointFileOf(
  repo: Repository,
  path: string,
  venue: string,
  symbol: string,
  date: number,
): Promise<CheckpointFile> {
  const asOf = await latestChange(repo, venue)
  const memoryKey = `${path}\n${asOf}`
  const remembered = MEMORY.get(memoryKey)
  if (remembered) return remembered
  // Concurrent readers of the same book (a portal under load) wait for one build instead of each building it.
  const building = BUILDING.get(memoryKey)
  if (building) return building
  const build = buildCheckpointFile(repo, path, memoryKey, asOf, venue, symbol, date)
  BUILDING.set(memoryKey, build)
  try {
    return await build
  } finally {
    BUILDING.delete(memoryKey)
  }
}

async function buildCheckpointFile(
  repo: Repository,
  path: string,
  memoryKey: string,
  asOf: string,
  venue: string,
  symbol: string,
  date: number,
): Promise<CheckpointFile> {
  if (existsSync(path)) {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile
    if (cached.version === CHECKPOINT_VERSION && cached.asOf === asOf) return cached
  }
  const day = await symbolDay(repo, symbol, date)
  const { events, keys } = day
    ? (day.events(venue) ?? { events: [], keys: [] })
    : await readBookEvents(repo, venue, symbol, date)
  const checkpoints = checkpointsOfEvents(venue, symbol, { events, keys })
  const file: CheckpointFile = { version: CHECKPOINT_VERSION, asOf, events: events.length, checkpoints }
  if (!repo.writable) {
    MEMORY.set(memoryKey, file)
    if (MEMORY.size > MEMORY_ENTRIES) MEMORY.delete(MEMORY.keys().next().value as string)
    return file
  }
  // Derived data: written atomically, so a reader never sees half a file; a stale one is simply rebuilt.
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(file))
  renameSync(`${path}.${process.pid}.tmp`, path)
  return file
}

/**
 * The checkpoints of a venue's book from its events of the day (with their store keys), in order: every
 * 50,000 events or five minutes, as `buildCheckpoints` takes them, each with the key of the last record it
 * includes.
 */
export function checkpointsOfEvents(
  venue: string,
  symbol: string,
  { events, keys }: Pick<StoredBookEvents, 'events' | 'keys'>,
): StoredCheckpoint[] {
  const checkpoints: StoredCheckpoint[] = []
  buildCheckpoints(
    events,
    {},
    (snapshot) => {
      const k = keys[snapshot.applied - 1]
      const next = keys[snapshot.applied]
      // A checkpoint falls between records: one between the two sides of a quote could not say where to
      // resume, so it is left out (the next one comes soon enough).
      if (next !== undefined && next.file === k.file && next.line === k.line) return
      checkpoints.push({ snapshot, after: { ns: k.ns.toString(), file: k.file, line: k.line } })
    },
    new OrderBook(venue, symbol),
  )
  return checkpoints
}

/** Checkpoints read-only readers built, newest last (a long-running portal asks for the same books again). */
const MEMORY = new Map<string, CheckpointFile>()
const BUILDING = new Map<string, Promise<CheckpointFile>>()
const MEMORY_ENTRIES = 64

/**
 * Refuses a venue the reference data has no exchange for, or a symbol in neither the symbol master nor the
 * options series master (an options exchange's book is of a series, named by its OSI symbol).
 */
async function assertKnownMarket(repo: Repository, venue: string, symbol: string): Promise<void> {
  const row = await repo.db.one<{ venue: boolean; symbol: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ref_exchanges WHERE exchange_id = $1) AS venue,
            EXISTS (SELECT 1 FROM ref_symbols WHERE symbol = $2)
              OR EXISTS (SELECT 1 FROM ref_options WHERE option_id = $2) AS symbol`,
    [venue, symbol],
  )
  if (!row?.venue)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no exchange ${venue} in the reference data; check the venue`,
    )
  if (!row.symbol)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no symbol ${symbol} in the symbol master or the options series master; check the symbol`,
    )
}

/** The book of a venue and symbol at instant `ns`: every record at or before it applied. */
export async function storedBookAt(
  repo: Repository,
  venue: string,
  symbol: string,
  ns: bigint,
): Promise<OrderBook> {
  const [book] = await storedBooksAt(repo, [venue], symbol, ns)
  return book as OrderBook
}

/**
 * The books of several venues of one symbol at instant `ns`, in `venues`' order: each restored from its
 * checkpoint before `ns`, then the records after it applied, read for every venue at once.
 */
export async function storedBooksAt(
  repo: Repository,
  venues: readonly string[],
  symbol: string,
  ns: bigint,
): Promise<OrderBook[]> {
  const date = etDateOf(ns)
  const starts: { venue: string; book: OrderBook; after: RecordKey | undefined; indexed: boolean }[] = []
  for (const venue of venues) {
    const { checkpoints, indexed } = await checkpointsOf(repo, venue, symbol, date)
    let lo = 0
    let hi = checkpoints.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (BigInt(checkpoints[mid].after.ns) <= ns) lo = mid + 1
      else hi = mid
    }
    const cp = lo > 0 ? checkpoints[lo - 1] : undefined
    starts.push({
      venue,
      book: cp ? OrderBook.fromSnapshot(cp.snapshot) : new OrderBook(venue, symbol),
      after: cp ? { ns: BigInt(cp.after.ns), file: cp.after.file, line: cp.after.line } : undefined,
      indexed,
    })
  }
  // With the day index's checkpoints only the records after the last one are needed: the symbol's day is
  // used when this process keeps it already, and not read for this.
  const day = starts.every((s) => s.indexed)
    ? await keptSymbolDay(repo, symbol, date)
    : await symbolDay(repo, symbol, date)
  if (day) {
    for (const { venue, book, after } of starts) {
      const kept = day.events(venue) ?? { events: [], keys: [] }
      for (let i = firstAfter(kept.keys, after); i < kept.events.length && kept.events[i].ns <= ns; i++)
        book.apply(kept.events[i])
    }
    return starts.map((s) => s.book)
  }
  const read = await readVenuesBookEvents(repo, symbol, date, starts, ns)
  for (const { venue, book } of starts) for (const ev of read.get(venue)?.events ?? []) book.apply(ev)
  return starts.map((s) => s.book)
}

/** The index of the first key after `after` (0 without one). */
function firstAfter(keys: readonly RecordKey[], after: RecordKey | undefined): number {
  if (!after) return 0
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const k = keys[mid]
    const notAfter =
      k.ns < after.ns ||
      (k.ns === after.ns && (k.file < after.file || (k.file === after.file && k.line <= after.line)))
    if (notAfter) lo = mid + 1
    else hi = mid
  }
  return lo
}
