/**
 * How the stages scale with the day's size: the linkage benchmark (a synthetic day linked, then lifecycle
 * lookups) and the ingestion benchmark (bzip2 JSON files through acknowledgement, integrity and ingestion,
 * beside the engine's bare parse-and-store) run at each size, each in its own process so its peak memory
 * is its own. Prints a table of time, rate and peak memory per stage and size, and draws them (`--plot`).
 * `node bin/run-ts.js bench/scaling.bench.ts [--sizes 1000000,5000000,20000000]
 *   [--ingest-sizes 1000000,2000000] [--lookups N] [--memory 6GB] [--points FILE.ndjson]... [--plot FILE.svg] [--json]`
 * (--memory: the linkage runs' engine limit; --points: points measured in an earlier run, as this
 * benchmark's `--json` lines, drawn and listed with this run's, e.g. a 100 M-event day measured alone;
 * an empty --sizes or --ingest-sizes skips that stage)
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchRow } from './harness.ts'
import { scalingPlot } from './scaling-plot.ts'

const ROOT = join(import.meta.dirname, '..')

function listArg(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1].split(',').filter(Boolean).map(Number) : fallback
}

/** Every value given to a repeatable flag. */
function allArgs(name: string): string[] {
  return process.argv.flatMap((a, i) =>
    a === `--${name}` && i + 1 < process.argv.length ? [process.argv[i + 1]] : [],
  )
}

/** Runs one benchmark file with its arguments in a child process; its JSON rows. */
function run(file: string, args: string[]): BenchRow[] {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'bench', file), ...args, '--json'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status})`)
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as BenchRow)
}

/** One measured point: a stage at a day size. */
export interface ScalingPoint {
  readonly stage: string
  readonly events: number
  readonly seconds: number
  readonly perSecond: number
  readonly peakRssMB: number
  readonly note?: string
}

const sizes = listArg('sizes', [1_000_000, 5_000_000, 20_000_000])
const ingestSizes = listArg('ingest-sizes', [1_000_000, 2_000_000])
const lookups = String(listArg('lookups', [1000])[0])
const memory = allArgs('memory').at(-1)
const points: ScalingPoint[] = allArgs('points').flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ScalingPoint),
)
const point = (stage: string, events: number, r: BenchRow | undefined) => {
  if (r)
    points.push({
      stage,
      events,
      seconds: r.seconds,
      perSecond: r.perSecond,
      peakRssMB: r.peakRssMB,
      ...(r.note ? { note: r.note } : {}),
    })
}

for (const n of ingestSizes) {
  process.stderr.write(`scaling: ingestion of ${n.toLocaleString('en-US')} records\n`)
  const rows = run('ingest.bench.ts', ['--records', String(n), '--files', '10'])
  const ours = rows.find((r) => r.case.startsWith('submit'))
  const bare = rows.find((r) => r.case.startsWith('bare engine'))
  const bzip2 = rows.find((r) => r.case.startsWith('bzip2'))
  const ratio = rows.find((r) => r.case.startsWith('ratio'))
  point('ingestion', n, ours && ratio ? { ...ours, note: `${ratio.note} of the bare engine` } : ours)
  if (bare && bzip2) {
    const seconds = bare.seconds + bzip2.seconds
    point('bare engine', n, {
      ...bare,
      seconds,
      perSecond: Math.round(n / seconds),
      note: 'read_json → Parquet, plus bzip2 -d',
    })
  }
}
for (const n of sizes) {
  process.stderr.write(`scaling: linkage of ${n.toLocaleString('en-US')} events\n`)
  const rows = run('link.bench.ts', [
    '--events',
    String(n),
    '--lookups',
    lookups,
    ...(memory ? ['--memory', memory] : []),
  ])
  point(
    'linkage',
    n,
    rows.find((r) => r.case.startsWith('link a day')),
  )
  point(
    'lookup (index)',
    n,
    rows.find((r) => r.case.includes('lookup index')),
  )
}

if (process.argv.includes('--json')) {
  for (const p of points) process.stdout.write(`${JSON.stringify(p)}\n`)
} else {
  for (const p of points)
    process.stdout.write(
      `${p.stage.padEnd(16)} ${p.events.toLocaleString('en-US').padStart(12)}  ${p.seconds.toFixed(2).padStart(8)} s  ${p.perSecond.toLocaleString('en-US').padStart(10)}/s  ${String(p.peakRssMB).padStart(6)} MB  ${p.note ?? ''}\n`,
    )
}
const plot = process.argv.indexOf('--plot')
if (plot >= 0) writeFileSync(process.argv[plot + 1], scalingPlot(points))
