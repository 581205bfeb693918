/**
 * Books from the store, fast at any instant: for each venue, symbol and date, checkpoints (order-level
 * snapshots every 50,000 events or five minutes) are built once and kept in `store/books/`; the book at T
 * is the last checkpoint before T rolled forward through the few records after it. A checkpoint file is
 * rebuilt when exchange records of its venue and date were ingested or deleted after it was made.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { etDateOf } from '../common/time/cat-date.ts'
import type { Repository } from '../store/repository.ts'
import { buildCheckpoints } from './book-replayer.ts'
import type { BookSnapshot } from './book-snapshot.ts'
import { OrderBook } from './order-book.ts'
import { type RecordKey, readBookEvents } from './stored-events.ts'

/** A checkpoint with the store key of the last record it includes. */
interface StoredCheckpoint {
  readonly snapshot: BookSnapshot
  readonly after: { ns: string; file: number; line: number }
}

interface CheckpointFile {
  readonly version: 1
  /** The latest ingestion or deletion of the venue's files for the date when it was built (ns). */
  readonly asOf: string
  readonly events: number
  readonly checkpoints: StoredCheckpoint[]
}

function cachePath(repo: Repository, venue: string, symbol: string, date: number): string {
  return join(
    repo.paths.store,
    'books',
    `event_date=${date}`,
    `venue=${venue}`,
    `${encodeURIComponent(symbol)}.checkpoints.json`,
  )
}

async function latestChange(repo: Repository, venue: string): Promise<string> {
  const row = await repo.db.one<{ t: string | null }>(
    `SELECT CAST(max(greatest(coalesce(ingested_ns, 0), coalesce(deleted_ns, 0))) AS VARCHAR) AS t FROM files
     WHERE reporter = $1 AND kind = 'ExchangeEvents'`,
    [venue],
  )
  return row?.t ?? '0'
}

/** The checkpoints of a venue's book for a symbol and date (built and kept when missing or stale). */
export async function checkpointsOf(
  repo: Repository,
  venue: string,
  symbol: string,
  date: number,
): Promise<CheckpointFile> {
  const path = cachePath(repo, venue, symbol, date)
  const asOf = await latestChange(repo, venue)
  if (existsSync(path)) {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile
    if (cached.asOf === asOf) return cached
  }
  const { events, keys } = await readBookEvents(repo, venue, symbol, date)
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
  const file: CheckpointFile = { version: 1, asOf, events: events.length, checkpoints }
  // Derived data: written atomically, so a reader never sees half a file; a stale one is simply rebuilt.
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(file))
  renameSync(`${path}.${process.pid}.tmp`, path)
  return file
}

/** The book of a venue and symbol at instant `ns`: every record at or before it applied. */
export async function storedBookAt(
  repo: Repository,
  venue: string,
  symbol: string,
  ns: bigint,
): Promise<OrderBook> {
  const date = etDateOf(ns)
  const { checkpoints } = await checkpointsOf(repo, venue, symbol, date)
  let lo = 0
  let hi = checkpoints.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (BigInt(checkpoints[mid].after.ns) <= ns) lo = mid + 1
    else hi = mid
  }
  const cp = lo > 0 ? checkpoints[lo - 1] : undefined
  const book = cp ? OrderBook.fromSnapshot(cp.snapshot) : new OrderBook(venue, symbol)
  const after: RecordKey | undefined = cp
    ? { ns: BigInt(cp.after.ns), file: cp.after.file, line: cp.after.line }
    : undefined
  const { events } = await readBookEvents(repo, venue, symbol, date, {
    ...(after ? { after } : {}),
    untilNs: ns,
  })
  for (const ev of events) book.apply(ev)
  return book
}
