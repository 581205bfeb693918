/**
 * What a lifecycle lookup reads, compared between two linkage runs of one date (for example one written
 * before a change to the lookup files and one after): for each of N lifecycles of the simulator's truth,
 * the key's row from the run's keys bucket, then its lifecycle's rows from the lookup index and links
 * buckets, read from each run in turn on one connection, so both runs see the same load. Prints p50/p99
 * per run, and a whole `lookupLifecycle` on the current run.
 * `node bin/run-ts.js bench/lookup-runs.bench.ts --dir DIR --runs 1,2 [--date 2026-03-02] [--lookups 200]`
 * DIR holds day/ and repo/ as bench/day-end-to-end.bench.ts leaves them.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { isoToDate } from '../src/common/time/cat-date.ts'
import { bucketFiles, bucketsOf, lookupIndexFile, lookupLifecycle, runDir } from '../src/link/index.ts'
import { literal } from '../src/store/database.ts'
import { openRepository } from '../src/store/repository.ts'
import { parquetRead } from '../src/store/store-cipher.ts'
import { type BenchRow, numberArg, percentile, report, stringArg } from './harness.ts'

const dir = stringArg('dir') ?? ''
const runs = (stringArg('runs') ?? '').split(',').map(Number).filter(Number.isSafeInteger)
if (!dir || runs.length === 0) throw new Error('give --dir DIR --runs A,B')
const date = isoToDate(stringArg('date') ?? '2026-03-02')!
const n = numberArg('lookups', 200)
// Lifecycles spread over the first 400 MB of the truth (awk keeps the read streaming).
const truth = join(dir, 'day', 'truth', 'lifecycles.ndjson')
const lines = execFileSync('sh', ['-c', `head -c 400000000 "$0" | awk 'NR % 700 == 5' | head -${n}`, truth], {
  maxBuffer: 1 << 28,
})
const picks = lines
  .toString()
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { events: { reporter: string; firmROEID: string }[] })

const repo = await openRepository(join(dir, 'repo'))
const db = repo.db
const times = new Map<string, number[]>()
const timed = async (label: string, f: () => Promise<unknown>) => {
  const t = process.hrtime.bigint()
  await f()
  const list = times.get(label) ?? []
  list.push(Number(process.hrtime.bigint() - t) / 1e6)
  times.set(label, list)
}
const files = (paths: string[]) => parquetRead(db, `[${paths.map(literal).join(', ')}]`)
try {
  for (const lc of picks) {
    const { reporter, firmROEID } = lc.events[0]
    const k = BigInt(
      (await db.one<{ k: string }>('SELECT (hash($1::VARCHAR, $2::VARCHAR) >> 1)::BIGINT::VARCHAR AS k', [
        reporter,
        firmROEID,
      ]))!.k,
    )
    for (const run of runs) {
      const at = runDir(repo.paths, date, run)
      const buckets = BigInt(bucketsOf(repo.paths, date, run))
      await timed(`run ${run}: keys, then lookup index and links`, async () => {
        const key = await db.one<{ n: string }>(
          `SELECT lc_num::VARCHAR AS n FROM ${files(bucketFiles(at, 'keys', k % buckets))} WHERE key_num = ${k}`,
        )
        const num = BigInt(key!.n)
        const b = num % buckets
        await db.all(
          `SELECT _event_id, _reporter FROM ${files([lookupIndexFile(at, b)])} WHERE lc_num = ${num}
           UNION ALL SELECT from_event_id, kind FROM ${files(bucketFiles(at, 'links', b))} WHERE lc_num = ${num}`,
        )
      })
    }
    await timed('lookupLifecycle on the current run', () =>
      lookupLifecycle(db, repo.paths, { reporter, firmROEID }),
    )
  }
} finally {
  repo.close()
}
const rows: BenchRow[] = [...times].map(([label, list]) => {
  const s = [...list].sort((a, b) => a - b)
  const p = (q: number) => percentile(s, q)
  return {
    bench: 'lookup',
    case: label,
    items: s.length,
    seconds: Number((p(0.5) / 1000).toFixed(4)),
    perSecond: 0,
    perSecondPerCore: 0,
    peakRssMB: 0,
    note: `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms`,
  }
})
report(rows)
