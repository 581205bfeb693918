/**
 * A fingerprint of the events the store's views show: it changes whenever a file's records become visible
 * (ingestion) or leave (a file delete), so what a reader derived from the events (a symbol's day of book
 * events, its NBBO) can be kept in memory under it and is rebuilt after the next submission.
 */
import type { Repository } from './repository.ts'

/** Answers of held connections, by question. */
const HELD = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * Marks a read-only connection whose catalogue cannot change while it is open: its holder (the portal's
 * pool) keeps its database instance open for a burst of requests, and the engine refuses every writer while
 * a reader has the file. What such a connection reads of the catalogue once holds until it is closed.
 */
export function holdStore(repo: Repository): void {
  if (!repo.writable) HELD.set(repo.db, new Map())
}

/** `compute` once per held connection (see `holdStore`), every time on any other. */
export function oncePerHold<T>(repo: Repository, question: string, compute: () => Promise<T>): Promise<T> {
  const answers = HELD.get(repo.db)
  if (!answers) return compute()
  let answer = answers.get(question) as Promise<T> | undefined
  if (!answer) {
    answer = compute()
    answers.set(question, answer)
    answer.catch(() => answers.delete(question))
  }
  return answer
}

/** The events version of the repository as this connection sees it. */
export function eventsVersion(repo: Repository): Promise<string> {
  return oncePerHold(repo, 'events-version', async () => {
    const row = await repo.db.one<{ v: string }>(
      `SELECT concat_ws('/', count(ingested_ns), count(deleted_ns), coalesce(max(ingested_ns), 0), coalesce(max(deleted_ns), 0)) AS v
       FROM files WHERE role = 'data'`,
    )
    return row?.v ?? ''
  })
}
