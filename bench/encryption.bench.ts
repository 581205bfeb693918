/**
 * The cost of encryption at rest: one simulated day submitted (ingestion, customers, linkage) into a plain
 * and an encrypted repository, a relink of the day, and a lifecycle lookup and a customer query on each,
 * the two repositories alternating in one run so the ratio holds on a noisy machine. Flags: --orders N
 * (default 2000), --runs N (queries per repository, default 7).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBundle, bundleIsFresh } from '../bin/bundle.js'
import { type BenchRow, numberArg, peakRssMB, report } from './harness.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'opencat.js')
const orders = numberArg('orders', 2000)
const runs = numberArg('runs', 7)
if (!bundleIsFresh()) await buildBundle()

const dir = mkdtempSync(join(tmpdir(), 'opencat-enc-bench-'))
const day = join(dir, 'day')
const cli = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
function timed(args: string[]): number {
  const t = process.hrtime.bigint()
  cli(args)
  return Number(process.hrtime.bigint() - t) / 1e9
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]

const rows: BenchRow[] = []
try {
  cli(['simulate', '--out', day, '--date', '2026-03-02', '--seed', '11', '--orders', String(orders)])
  const records = (JSON.parse(readFileSync(join(day, 'truth', 'summary.json'), 'utf8')) as { events: number })
    .events
  const repos = { plain: join(dir, 'plain'), encrypted: join(dir, 'encrypted') }
  cli(['init', '--repo', repos.plain, '--reference', join(day, 'reference'), '--plain'])
  cli(['init', '--repo', repos.encrypted, '--reference', join(day, 'reference')])
  const first = (name: string) => JSON.parse(readFileSync(join(day, 'truth', name), 'utf8').split('\n')[0])
  const life = (first('lifecycles.ndjson') as { events: { reporter: string; firmROEID: string }[] }).events[0]
  const account = (first('customers.ndjson') as { accounts: { imid: string; fdid: string }[] }).accounts[0]
  const seconds: Record<string, Record<keyof typeof repos, number>> = {}
  const note = (name: string, kind: keyof typeof repos, s: number) => {
    seconds[name] ??= { plain: 0, encrypted: 0 }
    seconds[name][kind] = s
  }
  for (const kind of ['plain', 'encrypted'] as const)
    note(
      'submit (ingest, customers, link)',
      kind,
      timed(['submit', '--repo', repos[kind], join(day, 'submissions')]),
    )
  for (const kind of ['plain', 'encrypted'] as const)
    note(
      'link (relink of the day)',
      kind,
      timed(['link', '--repo', repos[kind], '--date', '2026-03-02', '--full']),
    )
  const queries: [string, (repo: string) => string[]][] = [
    [
      'lifecycle lookup',
      (r) => [
        'lifecycle',
        '--repo',
        r,
        '--reporter',
        life.reporter,
        '--firm-roe-id',
        life.firmROEID,
        '--json',
      ],
    ],
    [
      'customer query',
      (r) => [
        'customer',
        '--repo',
        r,
        '--reporter',
        account.imid,
        '--fdid',
        account.fdid,
        '--from',
        '2026-03-02',
        '--to',
        '2026-03-02',
        '--json',
      ],
    ],
  ]
  for (const [name, args] of queries) {
    const xs: Record<keyof typeof repos, number[]> = { plain: [], encrypted: [] }
    for (let i = 0; i < runs; i++)
      for (const kind of ['plain', 'encrypted'] as const) xs[kind].push(timed(args(repos[kind])))
    note(`${name} (median of ${runs})`, 'plain', median(xs.plain))
    note(`${name} (median of ${runs})`, 'encrypted', median(xs.encrypted))
  }
  for (const [name, s] of Object.entries(seconds)) {
    for (const kind of ['plain', 'encrypted'] as const) {
      const items = name.startsWith('submit') || name.startsWith('link') ? records : 1
      rows.push({
        bench: 'encryption',
        case: `${name}, ${kind}`,
        items,
        seconds: Number(s[kind].toFixed(3)),
        perSecond: Math.round(items / s[kind]),
        perSecondPerCore: Math.round(items / s[kind]),
        peakRssMB: peakRssMB(),
        ...(kind === 'encrypted' ? { note: `encrypted ÷ plain ${(s.encrypted / s.plain).toFixed(2)}` } : {}),
      })
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
report(rows)
