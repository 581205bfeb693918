/**
 * The lifecycles of stored records found by a query, from the linkage run of their date: linkage keys each
 * record by a hash of its reporter and record id and buckets the keys by that hash, so only the buckets
 * holding the wanted keys are read.
 */
import { bucketsOf, currentRuns } from '../link/index.ts'
import type { Repository } from '../store/repository.ts'

/**
 * The lifecycle ids of records by their key hash (hash of reporter and record id, as linkage keys them),
 * from the date's current run: only the hash buckets holding those keys are read.
 */
export async function lifecyclesOfKeys(
  repo: Repository,
  date: number,
  keys: readonly bigint[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  const run = currentRuns(repo.paths).get(date)
  if (run === undefined || keys.length === 0) return out
  const buckets = BigInt(bucketsOf(repo.paths, date, run))
  const rows = await repo.db.all<{ key_num: string; ids: string[] }>(
    `SELECT key_num::VARCHAR AS key_num, list(DISTINCT lifecycle_id ORDER BY lifecycle_id) AS ids
     FROM linkage_key_ids
     WHERE event_date = $1 AND bucket IN (${[...new Set(keys.map((k) => k % buckets))].join(', ')})
       AND key_num IN (${keys.join(', ')})
     GROUP BY key_num`,
    [date],
  )
  for (const r of rows) out.set(r.key_num, r.ids)
  return out
}
