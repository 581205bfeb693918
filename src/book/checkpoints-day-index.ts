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

/** Checkpoints read from builds, by build folder, venue and symbol (a build never changes once written). */
const READ = new Map<string, IndexedCheckpoints>()
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
  const part = await freshPartScan(repo, date, BOOK_CHECKPOINTS_PART, symbol)
  if (part === undefined) return undefined
  const key = `${part.index.dir}\n${venue}\n${symbol}`
  const kept = READ.get(key)
  if (kept) return kept
  const scan = part.scan
  const row =
    scan === undefined
      ? undefined
      : (
          await repo.db.allValues<{ events: number; checkpoints: string }>(
            sql('day-book-checkpoints-read', { CHECKPOINTS: scan }),
            [symbol, venue],
          )
        )[0]
  const found: IndexedCheckpoints = row
    ? { events: row.events, checkpoints: JSON.parse(row.checkpoints) as StoredCheckpoint[] }
    : { events: 0, checkpoints: [] }
  READ.set(key, found)
  if (READ.size > READ_ENTRIES) READ.delete(READ.keys().next().value as string)
  return found
}
