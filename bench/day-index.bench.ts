/**
 * The day index's cost beside the link's, on one linked repository (a copy of one `link.bench.ts --keep`
 * made): a full relink of the date without the day-index pass, then the date's day index written afresh,
 * each in its own process so that each peak resident memory is that step's own. The engine runs as the
 * link bench runs it (2 threads, 6 GB, spilling to the repository's work folder).
 * `node bin/run-ts.js bench/day-index.bench.ts --repo DIR [--date YYYYMMDD] [--only link|index] [--json]`
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { linkDate } from '../src/link/index.ts'
import '../src/pipeline/stage-views.ts'
import { literal } from '../src/store/database.ts'
import { dayIndexRoot } from '../src/store/day-index.ts'
import { writeDayIndex } from '../src/store/day-index-write.ts'
import { openRepository } from '../src/store/repository.ts'
import { type BenchRow, measure, numberArg, report } from './harness.ts'

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

/** One step in this process: `link` (a full run, no day index) or `index` (the day index, from nothing). */
async function step(dir: string, date: number, which: 'link' | 'index'): Promise<BenchRow> {
  const repo = await openRepository(dir, { write: true })
  try {
    await repo.db.run('SET threads = 2')
    await repo.db.run(`SET memory_limit = '6GB'`)
    await repo.db.run(`SET temp_directory = ${literal(join(repo.paths.work, 'spill'))}`)
    const events = Number(
      (
        await repo.db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM events WHERE event_date = $1', [
          date,
        ])
      )?.n ?? 0,
    )
    if (which === 'link')
      return await measure('day-index', `link the date, full (no day index)`, events, 2, async () => {
        await linkDate(repo, date, { mode: 'full', feedback: true, skip: ['day-index'] })
      })
    rmSync(dayIndexRoot(repo.paths, date), { recursive: true, force: true })
    let note = ''
    const row = await measure('day-index', 'write the day index', events, 2, async () => {
      const w = await writeDayIndex(repo, date)
      note = `${JSON.stringify(w.manifest.rows)}; ${(w.manifest.bytes / 1e6).toFixed(0)} MB; ${w.manifest.currentBuckets} + ${w.manifest.identifierBuckets} buckets`
    })
    return { ...row, note }
  } finally {
    repo.close()
  }
}

if (process.argv[1]?.endsWith('day-index.bench.ts')) {
  const dir = argOf('repo')
  if (!dir)
    throw new Error('give --repo DIR (a linked repository, e.g. a copy of link.bench.ts --keep DIR/repo)')
  const date = numberArg('date', 20260302)
  const only = argOf('only') as 'link' | 'index' | undefined
  if (only) report([await step(dir, date, only)])
  else {
    // Each step in a child process of its own, so each peak memory is its own.
    const rows = (['link', 'index'] as const).map(
      (s) =>
        JSON.parse(
          execFileSync(
            process.execPath,
            [
              join(fileURLToPath(import.meta.url), '..', '..', 'bin', 'run-ts.js'),
              fileURLToPath(import.meta.url),
              '--repo',
              dir,
              '--date',
              String(date),
              '--only',
              s,
              '--json',
            ],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
          ).trim(),
        ) as BenchRow,
    )
    const [link, index] = rows
    report([...rows])
    process.stdout.write(
      `day index / link: time ${(index.seconds / link.seconds).toFixed(2)}, peak memory ${(index.peakRssMB / link.peakRssMB).toFixed(2)}\n`,
    )
  }
}
