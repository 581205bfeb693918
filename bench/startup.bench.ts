/**
 * Start-up of the `opencat` command: wall time (median, p50, of --runs runs) of commands that open no
 * repository (`--help`, `catalogue`) and of query commands on a small simulated day, and the time of one
 * `submit` of that day into a new repository. Each run of a command follows a run of bare Node
 * (`node -e ""`), and each command's p50 is also given as a multiple of that case's bare Node p50: what the
 * command adds to the process's own start, on a machine whose load changes while it runs. With --before DIR
 * (another checkout of OpenCAT with its node_modules, e.g. a `git worktree` of an earlier commit), the same
 * commands of that checkout run interleaved with this one's, so the ratio holds on a noisy machine.
 * Flags: --runs N (default 11), --submits N (default 1), --orders N (default 200), --before DIR,
 * --only NAME,… (the cases whose names start with one of these).
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
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : undefined

/** The checkouts measured: this one, and the one before when given. */
const checkouts: [string, string][] = [
  ['HEAD', HERE],
  ...(before ? [['before', before] as [string, string]] : []),
]
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

/** Wall time of bare Node starting and ending (`node -e ""`), in ms. */
function bareNode(): number {
  const t = process.hrtime.bigint()
  execFileSync(process.execPath, ['-e', ''], { stdio: 'ignore' })
  return Number(process.hrtime.bigint() - t) / 1e6
}

const dir = mkdtempSync(join(tmpdir(), 'opencat-startup-'))
const day = join(dir, 'day')
const repo = join(dir, 'repo')
const date = '2026-03-02'
opencat(HERE, [
  'simulate',
  '--out',
  day,
  '--date',
  date,
  '--seed',
  '1',
  '--orders',
  String(orders),
  '--symbols',
  '5',
])
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
  [
    'lifecycle',
    ['lifecycle', '--repo', repo, '--reporter', order.reporter, '--firm-roe-id', order.firmROEID],
  ],
  [
    'book',
    [
      'book',
      '--repo',
      repo,
      '--venue',
      venue.reporter,
      '--symbol',
      lifecycle.symbol,
      '--at',
      `${date}T12:00:00`,
    ],
  ],
  [
    'customer',
    [
      'customer',
      '--repo',
      repo,
      '--reporter',
      account.imid,
      '--fdid',
      account.fdid,
      '--from',
      date,
      '--to',
      date,
    ],
  ],
  ['report-card', ['report-card', '--repo', repo, '--reporter', order.reporter, '--date', date]],
  ['verify-receipt --log', ['verify-receipt', '--repo', repo, '--log']],
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const rows: BenchRow[] = []
const table: string[] = []

function record(name: string, times: Map<string, number[]>, bare?: number[]): void {
  const head = median(times.get('HEAD')!)
  const earlier = before ? median(times.get('before')!) : undefined
  const node = bare ? median(bare) : undefined
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
      note: `median ${median(xs).toFixed(0)} ms${node ? `, ${(median(xs) / node).toFixed(2)}× bare Node (${node.toFixed(0)} ms)` : ''}${label === 'HEAD' && earlier ? `; HEAD ÷ before ${(head / earlier).toFixed(2)}` : ''}`,
    })
  }
  const shown = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`)
  const cell = (ms: number) => ` ${shown(ms)}${node ? ` (${(ms / node).toFixed(2)}×)` : ''} |`
  table.push(
    `| ${name} | ${node ? shown(node) : ''} |${earlier !== undefined ? cell(earlier) : ''}${cell(head)}${earlier ? ` ${(head / earlier).toFixed(2)} |` : ''}`,
  )
}

try {
  for (const [name, args] of cases) {
    if (only && !only.some((o) => name.startsWith(o))) continue
    const times = new Map(checkouts.map(([label]) => [label, [] as number[]]))
    const bare: number[] = []
    for (const [, root] of checkouts) wall(root, args) // warm the file cache
    for (let i = 0; i < runs; i++) {
      bare.push(bareNode())
      for (const [label, root] of checkouts) times.get(label)!.push(wall(root, args))
    }
    record(name, times, bare)
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
    `\n| command | bare Node | ${before ? 'before (× bare Node) | ' : ''}HEAD (× bare Node) |${before ? ' HEAD ÷ before |' : ''}\n|---|---|${before ? '---|' : ''}---|${before ? '---|' : ''}\n${table.join('\n')}\n`,
  )
}
