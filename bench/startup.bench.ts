/**
 * Start-up of the `opencat` command: wall time (median of --runs runs) of commands that open no repository
 * (`--help`, `catalogue`) and of query commands on a small simulated day, and the time of one `submit` of
 * that day into a new repository. With --before DIR (another checkout of OpenCAT with its node_modules,
 * e.g. `git archive` of an earlier commit), the same commands of that checkout run interleaved with this
 * one's, so the ratio holds on a noisy machine. Flags: --runs N (default 11), --submits N (default 1),
 * --orders N (default 200), --before DIR.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildBundle, bundleIsFresh } from '../bin/bundle.js'
import { type BenchRow, numberArg, peakRssMB, report } from './harness.ts'

const HERE = join(import.meta.dirname, '..')
const runs = numberArg('runs', 11)
const submits = numberArg('submits', 1)
const orders = numberArg('orders', 200)
const beforeAt = process.argv.indexOf('--before')
const before = beforeAt >= 0 ? resolve(process.argv[beforeAt + 1]) : undefined

/** The checkouts measured: this one, and the one before when given. */
const checkouts: [string, string][] = [['HEAD', HERE], ...(before ? [['before', before] as [string, string]] : [])]
if (!bundleIsFresh()) await buildBundle()
// The earlier checkout builds its own bundle the way it always did (its opencat.js rebuilds when stale).
if (before) execFileSync(process.execPath, [join(before, 'bin', 'opencat.js'), '--help'], { stdio: 'ignore' })

const opencat = (root: string, args: string[]) =>
  execFileSync(process.execPath, [join(root, 'bin', 'opencat.js'), ...args], { stdio: 'ignore' })

function wall(root: string, args: string[]): number {
  const t = process.hrtime.bigint()
  opencat(root, args)
  return Number(process.hrtime.bigint() - t) / 1e6
}

const dir = mkdtempSync(join(tmpdir(), 'opencat-startup-'))
const day = join(dir, 'day')
const repo = join(dir, 'repo')
const date = '2026-03-02'
opencat(HERE, ['simulate', '--out', day, '--date', date, '--seed', '1', '--orders', String(orders), '--symbols', '5'])
opencat(HERE, ['init', '--repo', repo, '--reference', join(day, 'reference')])
// Submitted on the evening of the trading day, so that is the files' processing date.
const at = `${date}T18:00:00`
opencat(HERE, ['submit', '--repo', repo, '--at', at, join(day, 'submissions')])

// Keys of the simulated day, from its truth: an order's first event, and a customer's first account.
const lifecycle = JSON.parse(readFileSync(join(day, 'truth', 'lifecycles.ndjson'), 'utf8').split('\n')[0])
const order = lifecycle.events[0]
const venue = lifecycle.events.find((e: { type: string }) => e.type.startsWith('EX')) ?? order
const customer = JSON.parse(readFileSync(join(day, 'truth', 'customers.ndjson'), 'utf8').split('\n')[0])
const account = customer.accounts[0]

const cases: [string, string[]][] = [
  ['--help', ['--help']],
  ['catalogue', ['catalogue']],
  ['search', ['search', '--repo', repo, '--date', date, lifecycle.symbol]],
  ['lifecycle', ['lifecycle', '--repo', repo, '--reporter', order.reporter, '--firm-roe-id', order.firmROEID]],
  [
    'book',
    ['book', '--repo', repo, '--venue', venue.reporter, '--symbol', lifecycle.symbol, '--at', `${date}T12:00:00`],
  ],
  [
    'customer',
    ['customer', '--repo', repo, '--reporter', account.imid, '--fdid', account.fdid, '--from', date, '--to', date],
  ],
  ['report-card', ['report-card', '--repo', repo, '--reporter', order.reporter, '--date', date]],
  ['verify-receipt --log', ['verify-receipt', '--repo', repo, '--log']],
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const rows: BenchRow[] = []
const table: string[] = []

function record(name: string, times: Map<string, number[]>): void {
  const head = median(times.get('HEAD')!)
  const earlier = before ? median(times.get('before')!) : undefined
  for (const [label] of checkouts) {
    const xs = times.get(label)!
    rows.push({
      bench: 'startup',
      case: `${name} (${label})`,
      items: xs.length,
      seconds: Number((xs.reduce((a, b) => a + b, 0) / 1000).toFixed(3)),
      perSecond: Math.round(1000 / median(xs)),
      perSecondPerCore: Math.round(1000 / median(xs)),
      peakRssMB: peakRssMB(),
      note: `median ${median(xs).toFixed(0)} ms${label === 'HEAD' && earlier ? `; HEAD ÷ before ${(head / earlier).toFixed(2)}` : ''}`,
    })
  }
  table.push(
    `| ${name} | ${earlier ? `${(earlier / 1000).toFixed(2)} s | ` : ''}${(head / 1000).toFixed(2)} s |${earlier ? ` ${(head / earlier).toFixed(2)} |` : ''}`,
  )
}

try {
  for (const [name, args] of cases) {
    const times = new Map(checkouts.map(([label]) => [label, [] as number[]]))
    for (const [, root] of checkouts) wall(root, args) // warm the file cache
    for (let i = 0; i < runs; i++) for (const [label, root] of checkouts) times.get(label)!.push(wall(root, args))
    record(name, times)
  }
  const times = new Map(checkouts.map(([label]) => [label, [] as number[]]))
  for (let i = 0; i < submits; i++) {
    for (const [label, root] of checkouts) {
      const fresh = join(dir, `submit-${label}-${i}`)
      opencat(root, ['init', '--repo', fresh, '--reference', join(day, 'reference')])
      times.get(label)!.push(wall(root, ['submit', '--repo', fresh, '--at', at, join(day, 'submissions')]))
    }
  }
  if (submits > 0) record(`submit of a ${orders}-order day`, times)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
report(rows)
if (!process.argv.includes('--json')) {
  process.stdout.write(
    `\n| command | ${before ? 'before | ' : ''}HEAD |${before ? ' HEAD ÷ before |' : ''}\n|---|${before ? '---|' : ''}---|${before ? '---|' : ''}\n${table.join('\n')}\n`,
  )
}
