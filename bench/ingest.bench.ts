/**
 * Ingestion throughput: a day's files through acknowledgement, integrity and ingestion, into an encrypted
 * repository (the default) and into a plain one (`init --plain`, whose Parquet is what the bare engine
 * writes), against the engine's bare parse-and-store of the same files (DuckDB read_json → Parquet) in the
 * same run.
 * `node bin/run-ts.js bench/ingest.bench.ts [--records N] [--files F] [--json]`
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { bzip2Program } from '../src/common/bzip2.ts'
import { isoOrCatToNs } from '../src/common/time/parse-instant.ts'
import { submitFiles } from '../src/pipeline/submit.ts'
import { Database, literal } from '../src/store/database.ts'
import { bulkLines } from '../test/support/bulk.ts'
import { fixtureRepository } from '../test/support/ingest.ts'
import { writeSubmission } from '../test/support/submission.ts'
import { type BenchRow, CORES, measure, numberArg, report } from './harness.ts'

/** Runs the ingestion benchmark: `records` records in `files` bzip2 JSON files. */
export async function benchIngest(records: number, files: number): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opencat-bench-ingest-'))
  const per = Math.ceil(records / files)
  for (let f = 0; f < files; f++)
    writeSubmission(join(dir, 'in'), { number: f + 1, lines: bulkLines(per, `F${f}_`, 500) })
  const total = per * files
  const rows: BenchRow[] = []
  let accepted = 0
  for (const encrypted of [true, false]) {
    const repo = await fixtureRepository({ encrypted })
    rows.push(
      await measure(
        'ingest',
        `submit (ack + integrity + ingestion), ${encrypted ? 'encrypted' : 'plain'}`,
        total,
        CORES,
        async () => {
          const s = await submitFiles(repo, [join(dir, 'in')], { nowNs: isoOrCatToNs('2026-03-02T18:00:00') })
          accepted = s.accepted
        },
      ),
    )
    repo.close()
    rmSync(dirname(repo.paths.root), { recursive: true, force: true })
    rmSync(`${repo.paths.root}-keys`, { recursive: true, force: true })
  }
  const dataFiles = readdirSync(join(dir, 'in')).filter((f) => f.endsWith('.json.bz2'))
  rows.push(
    await measure('ingest', 'bzip2 decompression alone', total, CORES, () => {
      for (const f of dataFiles) execFileSync(bzip2Program(), ['-d', '-k', '-f', join(dir, 'in', f)])
    }),
  )
  const db = await Database.open(':memory:')
  rows.push(
    await measure('ingest', 'bare engine: read_json → Parquet', total, CORES, async () => {
      await db.run(
        `COPY (SELECT * FROM read_json(${literal(join(dir, 'in', '*Events_??????.json'))}, format = 'newline_delimited')) TO ${literal(join(dir, 'bare.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
      )
    }),
  )
  db.close()
  const bare = rows[3].seconds + rows[2].seconds
  for (const ours of rows.slice(0, 2))
    rows.push({
      ...ours,
      case: `ratio ours ÷ (bare + decompression), ${ours.case.split(', ').pop()}`,
      note: `${(ours.seconds / bare).toFixed(2)}× (accepted ${accepted.toLocaleString('en-US')})`,
    })
  rmSync(dir, { recursive: true, force: true })
  return rows
}

if (process.argv[1]?.endsWith('ingest.bench.ts'))
  report(await benchIngest(numberArg('records', 1_000_000), numberArg('files', 10)))
