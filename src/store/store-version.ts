/**
 * A fingerprint of the events the store's views show: it changes whenever a file's records become visible
 * (ingestion) or leave (a file delete), so what a reader derived from the events (a symbol's day of book
 * events, its NBBO) can be kept in memory under it and is rebuilt after the next submission.
 */
import type { Repository } from './repository.ts'

/** The events version of the repository as this connection sees it. */
export async function eventsVersion(repo: Repository): Promise<string> {
  const row = await repo.db.one<{ v: string }>(
    `SELECT concat_ws('/', count(ingested_ns), count(deleted_ns), coalesce(max(ingested_ns), 0), coalesce(max(deleted_ns), 0)) AS v
     FROM files WHERE role = 'data'`,
  )
  return row?.v ?? ''
}
