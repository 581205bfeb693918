/**
 * Start-up of the `opencat` command: wall time of `--help` and of a command that opens a repository,
 * from the compiled bundle and from the TypeScript sources, interleaved in one run so the ratio holds on
 * a noisy machine. Flags: --runs N (default 15).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBundle, bundleIsFresh } from '../bin/bundle.js'
import { type BenchRow, numberArg, peakRssMB, report } from './harness.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'opencat.js')
const runs = numberArg('runs', 15)
if (!bundleIsFresh()) await buildBundle()

const dir = mkdtempSync(join(tmpdir(), 'opencat-startup-'))
const repo = join(dir, 'repo')
const day = join(dir, 'day')
execFileSync(
  process.execPath,
  [BIN, 'simulate', '--out', day, '--date', '2026-03-02', '--seed', '1', '--orders', '200', '--symbols', '5'],
  { stdio: 'ignore' },
)
execFileSync(process.execPath, [BIN, 'init', '--repo', repo, '--reference', join(day, 'reference')], {
  stdio: 'ignore',
})
execFileSync(process.execPath, [BIN, 'submit', '--repo', repo, join(day, 'submissions')], { stdio: 'ignore' })

function timed(args: string[], fromSource: boolean): number {
  const t = process.hrtime.bigint()
  execFileSync(process.execPath, [BIN, ...args], {
    stdio: 'ignore',
    env: { ...process.env, OPENCAT_FROM_SOURCE: fromSource ? '1' : '0' },
  })
  return Number(process.hrtime.bigint() - t) / 1e6
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]
const cases: [string, string[]][] = [
  ['--help', ['--help']],
  ['sql on a 200-order day', ['sql', '--repo', repo, '--operator', 'SELECT count(*) FROM events']],
]
const rows: BenchRow[] = []
try {
  for (const [name, args] of cases) {
    const bundled: number[] = []
    const source: number[] = []
    timed(args, false)
    timed(args, true)
    for (let i = 0; i < runs; i++) {
      bundled.push(timed(args, false))
      source.push(timed(args, true))
    }
    const b50 = quantile(bundled, 0.5)
    const s50 = quantile(source, 0.5)
    for (const [how, xs] of [
      ['bundle', bundled],
      ['source', source],
    ] as const) {
      const p50 = quantile(xs, 0.5)
      rows.push({
        bench: 'startup',
        case: `${name} (${how})`,
        items: runs,
        seconds: Number((xs.reduce((a, b) => a + b, 0) / 1000).toFixed(3)),
        perSecond: Math.round(1000 / p50),
        perSecondPerCore: Math.round(1000 / p50),
        peakRssMB: peakRssMB(),
        note: `p50 ${p50.toFixed(0)} ms, p90 ${quantile(xs, 0.9).toFixed(0)} ms${how === 'source' ? `; bundle ÷ source ${(b50 / s50).toFixed(2)}` : ''}`,
      })
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
report(rows)
