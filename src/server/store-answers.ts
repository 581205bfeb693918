/**
 * Answers that depend on nothing but what the store holds and the question (the summary, a customer's
 * activity: the same for every caller allowed to ask), kept in the portal's memory under the version of the
 * store the connection reads — its events and its current linkage runs — so every caller after the first
 * gets them without the engine, and a submission, a file delete or a new linkage run makes the next request
 * compute them again. The most recently used `KEEP` answers are kept; nothing is written anywhere.
 */

import type { Repository } from '../store/repository.ts'
import { eventsVersion, oncePerHold } from '../store/store-version.ts'

/** Kept answers by repository and name, with the version they were computed at, least recently used first. */
const KEPT = new Map<string, { version: string; answer: Promise<unknown> }>()
/** Answers kept at most. */
const KEEP = 256

/**
 * The version of the store this connection reads: its events, its files (received, ingested, counted) and
 * every date's current linkage run.
 */
function readVersion(repo: Repository): Promise<string> {
  return oncePerHold(repo, 'read-version', () => readVersionOf(repo))
}

async function readVersionOf(repo: Repository): Promise<string> {
  // Reference data decides whose accounts a customer's records are (IMIDs to firms): a reload changes it.
  const row = await repo.db.one<{ files: string; runs: string | null; reference: string | null }>(
    `SELECT (SELECT concat_ws('/', count(*), max(received_ns), sum(records), sum(rejected)) FROM files) AS files,
            (SELECT string_agg(event_date || ':' || run, ',' ORDER BY event_date) FROM linkage_runs WHERE current) AS runs,
            concat_ws('/', (SELECT sum(hash(imid, crd, from_date, to_date)) FROM ref_imids),
                           (SELECT sum(hash(crd, name)) FROM ref_firms)) AS reference`,
  )
  return `${await eventsVersion(repo)}|${row?.files ?? ''}|${row?.runs ?? ''}|${row?.reference ?? ''}`
}

/**
 * The answer `compute` gives on this store, computed once per version of it; concurrent requests share one
 * computation, and a failed one is not kept.
 */
export async function storeAnswer<T>(repo: Repository, name: string, compute: () => Promise<T>): Promise<T> {
  const key = `${repo.paths.root}\n${name}`
  const version = await readVersion(repo)
  const kept = KEPT.get(key)
  KEPT.delete(key)
  if (kept?.version === version) {
    KEPT.set(key, kept)
    return kept.answer as Promise<T>
  }
  const answer = compute()
  KEPT.set(key, { version, answer })
  if (KEPT.size > KEEP) KEPT.delete(KEPT.keys().next().value!)
  answer.catch(() => {
    if (KEPT.get(key)?.answer === answer) KEPT.delete(key)
  })
  return answer
}
