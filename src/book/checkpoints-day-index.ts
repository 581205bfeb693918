/**
 * The day index's book checkpoints (docs/formats/day-index.md), a companion of its NBBO part: every venue's
 * book checkpoints of every symbol, taken when the date's day index is written, so that the first question
 * on a venue's book at an instant restores the checkpoint before it and applies the few records after it,
 * instead of reading the symbol's whole day and replaying it to take the checkpoints first.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import { freshPartScan } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import type { StoredCheckpoint } from './stored-books.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'book')

/** The companion's name: its folder in a build and its key in the manifest's `parts`. */
export const BOOK_CHECKPOINTS_PART = 'book-checkpoints'

/** A venue's checkpoints of a symbol and date, and how many book events the venue had that day. */
export interface IndexedCheckpoints {
  readonly events: number
  readonly checkpoints: StoredCheckpoint[]
}

/** A symbol's rows of the companion: each venue's events and checkpoints, parsed when first asked for. */
class SymbolCheckpoints {
  readonly #rows: Map<string, { events: number; checkpoints: string | StoredCheckpoint[] }>
  constructor(rows: readonly { venue: string; events: number; checkpoints: string }[]) {
    this.#rows = new Map(rows.map((r) => [r.venue, { events: r.events, checkpoints: r.checkpoints }]))
  }
  /** The venues with book events of the symbol that day, in venue order. */
  venues(): string[] {
    return [...this.#rows.entries()].filter(([, r]) => r.events > 0).map(([v]) => v)
  }
  of(venue: string): IndexedCheckpoints {
    const row = this.#rows.get(venue)
    if (!row) return { events: 0, checkpoints: [] }
    if (typeof row.checkpoints === 'string')
      row.checkpoints = JSON.parse(row.checkpoints) as StoredCheckpoint[]
    return { events: row.events, checkpoints: row.checkpoints }
  }
}

/** Symbols' rows read from builds, by build folder and symbol (a build never changes once written). */
const READ = new Map<string, SymbolCheckpoints>()
const READ_ENTRIES = 64

/**
 * The checkpoints of `venue`'s book of `symbol` on `date` from the date's fresh day index when it holds
 * them (none and no events for a venue without book events of the symbol); undefined otherwise.
 */
export async function indexedCheckpoints(
  repo: Repository,
  venue: string,
  symbol: string,
  date: number,
): Promise<IndexedCheckpoints | undefined> {
  return (await symbolCheckpoints(repo, symbol, date))?.of(venue)
}

/**
 * The venues with book events of `symbol` on `date` (in venue order) from the date's fresh day index when it
 * holds the checkpoints; undefined otherwise.
 */
export async function indexedVenues(
  repo: Repository,
  symbol: string,
  date: number,
): Promise<string[] | undefined> {
  return (await symbolCheckpoints(repo, symbol, date))?.venues()
}

async function symbolCheckpoints(
  repo: Repository,
  symbol: string,
  date: number,
): Promise<SymbolCheckpoints | undefined> {
  const part = await freshPartScan(repo, date, BOOK_CHECKPOINTS_PART, symbol)
  if (part === undefined) return undefined
  const key = `${part.index.dir}\n${symbol}`
  const kept = READ.get(key)
  if (kept) return kept
  const rows =
    part.scan === undefined
      ? []
      : await repo.db.allValues<{ venue: string; events: number; checkpoints: string }>(
          sql('day-book-checkpoints-read', { CHECKPOINTS: part.scan }),
          [symbol],
        )
  const found = new SymbolCheckpoints(rows)
  READ.set(key, found)
  if (READ.size > READ_ENTRIES) READ.delete(READ.keys().next().value as string)
  return found
}
