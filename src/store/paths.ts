/**
 * The layout of a repository folder. Everything OpenCAT keeps lives below it; see docs/ARCHITECTURE.md.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { dateSegment, reporterSegment, submitterSegment, symbolSegment } from './path-segments.ts'

/** Absolute paths of everything in one repository. */
export class RepoPaths {
  constructor(readonly root: string) {}
  /** Marker and settings of the repository. */
  get manifest(): string {
    return join(this.root, 'opencat.json')
  }
  /** The DuckDB catalogue: file registry, reference data, counters, small tables. */
  get catalog(): string {
    return join(this.root, 'catalog.duckdb')
  }
  get lock(): string {
    return join(this.root, 'opencat.lock')
  }
  /** Reference data as loaded (kept for the record). */
  get reference(): string {
    return join(this.root, 'reference')
  }
  /** Received files, byte for byte, named by file id. */
  get inbox(): string {
    return join(this.root, 'inbox')
  }
  /** The columnar store (Parquet, hive-partitioned). */
  get store(): string {
    return join(this.root, 'store')
  }
  get events(): string {
    return join(this.root, 'store', 'events')
  }
  get rejects(): string {
    return join(this.root, 'store', 'rejects')
  }
  /** Scratch space for work in progress; emptied when a command starts. */
  get work(): string {
    return join(this.root, 'work')
  }
  /** The engine's spill folders, one per open repository (spill-folder.ts). */
  get spill(): string {
    return join(this.root, 'spill')
  }
  /** CAT feedback files, per submitter. */
  feedback(submitter: string | number): string {
    return join(this.root, 'feedback', submitterSegment(submitter))
  }
  /** Derived order-book checkpoints of a venue's symbol on one date; identifiers checked (path-segments.ts). */
  bookCheckpoints(venue: string, symbol: string, date: number): string {
    return join(
      this.root,
      'store',
      'books',
      `event_date=${dateSegment(date)}`,
      `venue=${reporterSegment(venue, 'venue')}`,
      `${symbolSegment(symbol)}.checkpoints.json`,
    )
  }
  /** The tamper-evident file log and its signing key. */
  get log(): string {
    return join(this.root, 'log')
  }
  get receiptKey(): string {
    return join(this.root, 'keys', 'receipt-signing-key.pem')
  }
}

/** The event dates (YYYYMMDD) the event store holds records of, ascending. */
export function storedEventDates(paths: RepoPaths): number[] {
  if (!existsSync(paths.events)) return []
  return readdirSync(paths.events)
    .map((d) => /^event_date=([0-9]{8})$/.exec(d)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}
