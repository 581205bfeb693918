/**
 * The linkage run's lookup index (store/linkage/…/run=…/index/): lifecycles looked up through it answer
 * exactly as they do from the bucket files and the event store (the path runs written before the index
 * take), by key and by id, on a simulated day with faults; its files hold the run's members sorted by
 * lifecycle number, and the text it keeps beside each member is the stored version's.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import {
  bucketsFor,
  bucketsOf,
  currentRuns,
  hasLookupIndex,
  type Lifecycle,
  linkDate,
  lookupLifecycle,
  runDir,
} from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { simulateDay } from '../../src/simulate/index.ts'
import { literal } from '../../src/store/database.ts'
import { initRepository, type Repository } from '../../src/store/repository.ts'
import { parquetRead } from '../../src/store/store-cipher.ts'

const EVENT_DATE = 20260305
const EVENING = isoOrCatToNs('2026-03-05T19:00:00')

describe('the lookup index of a linkage run', () => {
  let dir: string
  let repo: Repository
  let run: string
  let index = ''
  let keys: { reporter: string; firmROEID: string }[]
  let ids: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opencat-lookup-index-'))
    await simulateDay({ out: dir, date: '2026-03-05', seed: 23, orders: 400, faults: 0.05 })
    repo = await initRepository(join(dir, 'repo'), join(dir, 'reference'))
    await submitFiles(repo, [join(dir, 'submissions')], { nowNs: EVENING })
    await linkDate(repo, EVENT_DATE, { nowNs: EVENING })
    run = runDir(repo.paths, EVENT_DATE, currentRuns(repo.paths).get(EVENT_DATE)!)
    if (!hasLookupIndex(run)) throw new Error('the run wrote no lookup index')
    index = join(run, 'index', 'lifecycles', '*.parquet')
    // About 60 linked events' keys and 60 lifecycles, spread over the day.
    keys = (
      await repo.db.all<{ reporter: string; firmROEID: string }>(
        `SELECT _reporter AS reporter, _roe_id AS "firmROEID" FROM linkage_keys
         WHERE event_date = ${EVENT_DATE} GROUP BY ALL ORDER BY ALL`,
      )
    ).filter((_, i, all) => i % Math.ceil(all.length / 60) === 0)
    ids = (
      await repo.db.all<{ id: string }>(
        `SELECT DISTINCT lifecycle_id AS id FROM linkage_member_ids WHERE event_date = ${EVENT_DATE} ORDER BY id`,
      )
    )
      .map((r) => r.id)
      .filter((_, i, all) => i % Math.ceil(all.length / 60) === 0)
  }, 240_000)
  afterAll(() => {
    repo?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** Every answer (or error) for the sampled keys and ids. */
  async function answers(): Promise<(Lifecycle | string)[]> {
    const out: (Lifecycle | string)[] = []
    for (const key of [...keys, ...ids.map((lifecycleId) => ({ lifecycleId }))])
      out.push(await lookupLifecycle(repo.db, repo.paths, key).catch((e: Error) => e.message))
    return out
  }

  it('answers every lookup as the bucket files and the event store do', async () => {
    expect(keys.length).toBeGreaterThan(40)
    expect(ids.length).toBeGreaterThan(40)
    const indexed = await answers()
    expect(indexed.filter((a) => typeof a === 'string')).toEqual([])
    const folder = join(run, 'index')
    renameSync(folder, `${folder}.hidden`)
    try {
      expect(hasLookupIndex(run)).toBe(false)
      expect(await answers()).toEqual(indexed)
    } finally {
      renameSync(`${folder}.hidden`, folder)
    }
  }, 240_000)

  it("keeps each bucket's file sorted by lifecycle number, with every member of the run", async () => {
    const sorted = await repo.db.one<{ ok: boolean; buckets: string }>(
      `SELECT bool_and(prev IS NULL OR lc_num >= prev) AS ok, count(DISTINCT filename)::VARCHAR AS buckets FROM (
         SELECT lc_num, filename, lag(lc_num) OVER (PARTITION BY filename ORDER BY file_row_number) AS prev
         FROM ${parquetRead(repo.db, literal(index), ['file_row_number = true', 'filename = true'])})`,
    )
    // The run's bucket count follows its size (the tests' setting makes a small day's several), and every
    // bucket has its file.
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { events: number }
    const buckets = bucketsOf(repo.paths, EVENT_DATE, currentRuns(repo.paths).get(EVENT_DATE)!)
    expect(buckets).toBe(bucketsFor(summary.events))
    expect(buckets).toBeGreaterThan(1)
    expect(sorted).toEqual({ ok: true, buckets: String(buckets) })
    const rows = async (sql: string) => (await repo.db.all(sql)).map((r) => JSON.stringify(r))
    const members = `SELECT lc_date, lc_num::VARCHAR AS n, first, _event_id::VARCHAR AS id`
    expect(
      (await rows(`${members} FROM ${parquetRead(repo.db, literal(index))} ORDER BY ALL`)).length,
    ).toBeGreaterThan(1000)
    expect(await rows(`${members} FROM ${parquetRead(repo.db, literal(index))} ORDER BY ALL`)).toEqual(
      await rows(`${members} FROM linkage_member_ids WHERE event_date = ${EVENT_DATE} ORDER BY ALL`),
    )
  })

  it('writes the keys and links every lookup reads sorted within each bucket, so a lookup reads one row group', async () => {
    const buckets = bucketsOf(repo.paths, EVENT_DATE, currentRuns(repo.paths).get(EVENT_DATE)!)
    for (const [table, column] of [
      ['keys', 'key_num'],
      ['links', 'lc_num'],
    ] as const) {
      const files = join(run, table, '*', '*.parquet')
      const sorted = await repo.db.one<{ ok: boolean; buckets: string; rows: string }>(
        `SELECT bool_and(prev IS NULL OR ${column} >= prev) AS ok, count(DISTINCT filename)::VARCHAR AS buckets,
           count(*)::VARCHAR AS rows FROM (
           SELECT ${column}, filename, lag(${column}) OVER (PARTITION BY filename ORDER BY file_row_number) AS prev
           FROM ${parquetRead(repo.db, literal(files), ['file_row_number = true', 'filename = true'])})`,
      )
      expect(sorted?.ok, table).toBe(true)
      expect(sorted?.buckets, table).toBe(String(buckets))
      expect(Number(sorted?.rows), table).toBeGreaterThan(1000)
    }
  })

  it("keeps beside each member its stored version's text", async () => {
    const differing = await repo.db.all(
      `SELECT i._event_id FROM ${parquetRead(repo.db, literal(index))} i JOIN events_all e USING (_event_id)
       WHERE i._reporter IS DISTINCT FROM e._reporter OR i._roe_id IS DISTINCT FROM e._roe_id
          OR i._type IS DISTINCT FROM e._type OR i._event_ns IS DISTINCT FROM e._event_ns
          OR i.symbol IS DISTINCT FROM coalesce(e.symbol, e.optionID) OR i.side IS DISTINCT FROM e.side
          OR i.price IS DISTINCT FROM e.price::VARCHAR OR i.quantity IS DISTINCT FROM e.quantity::VARCHAR`,
    )
    expect(differing).toEqual([])
  })
})
