/**
 * The lifecycles of stored records found by a query, from the linkage run of their date: linkage keys each
 * record by a hash of its reporter and record id and buckets the keys by that hash, so only the buckets
 * holding the wanted keys are read.
 */
import { dayIndexWithLifecycles, symbolBucketsScan } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { bucketsOf, currentRuns } from './linkage-layout.ts'
import { LIFECYCLE_ID } from './linkage-views.ts'

/** The linkage key of a record as a query computes it from its `_reporter` and `_roe_id` columns. */
export const KEY_NUM_SQL = '(hash(_reporter, _roe_id) >> 1)::BIGINT'

/**
 * The lifecycle ids of records by their key hash (hash of reporter and record id, as linkage keys them),
 * from the date's current run: only the hash buckets holding those keys are read.
 */
export async function lifecyclesOfKeys(
  repo: Repository,
  date: number,
  keys: readonly bigint[],
): Promise<Map<string, string[]>> {
  return keyLookup(repo, date, keys, 'key_num', '')
}

/**
 * The lifecycle ids of record versions (`_event_id`, with the key hash of their record), from the date's
 * current run, keyed by event id: the versions linkage linked, as a join with `linkage_keys` on the event id
 * gives them, reading only the hash buckets of their keys. Versions of `symbols` (when given) are read from
 * the lifecycle rows of the date's fresh day index instead, when they are the current run's: a page of a
 * busy symbol's versions hits every key bucket, but a single bucket of the index.
 */
export async function lifecyclesOfVersions(
  repo: Repository,
  date: number,
  versions: readonly { readonly key: bigint; readonly eventId: string }[],
  symbols?: readonly string[],
): Promise<Map<string, string[]>> {
  if (versions.length === 0) return new Map()
  const ids = [...new Set(versions.map((v) => BigInt(v.eventId)))]
  if (symbols !== undefined && symbols.length > 0) {
    const index = await dayIndexWithLifecycles(repo, date, currentRuns(repo.paths).get(date))
    const scan = index && (await symbolBucketsScan(repo, index, 'lifecycles', symbols))
    if (index) {
      const out = new Map<string, string[]>()
      if (!scan) return out
      const rows = await repo.db.all<{ k: string; ids: string[] }>(
        `SELECT _event_id::VARCHAR AS k, list(DISTINCT ${LIFECYCLE_ID} ORDER BY ${LIFECYCLE_ID}) AS ids
         FROM ${scan} WHERE key_num IN (${[...new Set(versions.map((v) => v.key))].join(', ')})
           AND _event_id IN (${ids.join(', ')})
         GROUP BY _event_id`,
      )
      for (const r of rows) out.set(r.k, r.ids)
      return out
    }
  }
  return keyLookup(
    repo,
    date,
    versions.map((v) => v.key),
    '_event_id',
    `AND _event_id IN (${ids.join(', ')})`,
  )
}

async function keyLookup(
  repo: Repository,
  date: number,
  keys: readonly bigint[],
  by: 'key_num' | '_event_id',
  filter: string,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  const run = currentRuns(repo.paths).get(date)
  if (run === undefined || keys.length === 0) return out
  const buckets = BigInt(bucketsOf(repo.paths, date, run))
  const unique = [...new Set(keys)]
  const rows = await repo.db.all<{ k: string; ids: string[] }>(
    `SELECT ${by}::VARCHAR AS k, list(DISTINCT lifecycle_id ORDER BY lifecycle_id) AS ids
     FROM linkage_key_ids
     WHERE event_date = $1 AND bucket IN (${[...new Set(unique.map((k) => k % buckets))].join(', ')})
       AND key_num IN (${unique.join(', ')}) ${filter}
     GROUP BY ${by}`,
    [date],
  )
  for (const r of rows) out.set(r.k, r.ids)
  return out
}
