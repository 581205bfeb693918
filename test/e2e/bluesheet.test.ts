/**
 * `opencat bluesheet` on a simulated day, checked against the simulator's truth: for every customer order of
 * the busiest symbol, its true lifecycle's executions (read from the submitted files) give the trades,
 * shares and share-weighted average price per broker, account and side, in exact integer arithmetic; and
 * each line's CCID is the one `opencat customer` gives for that account.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  averagePrice,
  busiestSymbol,
  type ExpectedLine,
  expectedBlueSheet,
  unitsText,
} from '../support/blue-sheet-truth.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

interface Line {
  ccid: string
  broker: string
  fdid: string
  side: 'BUY' | 'SELL'
  trades: number
  shares: string
  averagePrice: string
}

let day: string
let repo: string
let symbol: string
let expected: Map<string, ExpectedLine>
let customerFdids: Set<string>

beforeAll(async () => {
  day = await simulatedDay({ orders: 800, customers: 120, faults: 0, seed: 7 })
  repo = join(day, '..', 'repo')
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const s = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T20:00:00',
    '--json',
    join(day, 'submissions'),
  ])
  expect(s.code, s.stderr).toBe(0)
  symbol = busiestSymbol(day)
  ;({ lines: expected, accounts: customerFdids } = expectedBlueSheet(day, symbol, 20260302))
}, 300_000)

describe('opencat bluesheet', { timeout: 180_000 }, () => {
  it("gives each customer's executions of the symbol exactly as the truth's lifecycles have them", async () => {
    const r = await runCli([
      'bluesheet',
      '--repo',
      repo,
      '--symbol',
      symbol,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { symbol: string; rows: Line[] }
    expect(out.symbol).toBe(symbol)
    const customers = out.rows.filter((l) => customerFdids.has(`${l.broker} ${l.fdid}`))
    expect(expected.size).toBeGreaterThan(3)
    const got = new Map(customers.map((l) => [`${l.broker} ${l.fdid} ${l.side}`, l]))
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [key, want] of expected) {
      const line = got.get(key)!
      expect(line.trades, key).toBe(want.trades)
      expect(line.shares, key).toBe(unitsText(want.shares, 6))
      expect(line.averagePrice, key).toBe(unitsText(averagePrice(want), 8))
    }
  })

  it("names each account's customer by the CCID `opencat customer` gives it", async () => {
    const r = await runCli([
      'bluesheet',
      '--repo',
      repo,
      '--symbol',
      symbol,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--json',
    ])
    const lines = (JSON.parse(r.stdout).rows as Line[]).filter((l) =>
      customerFdids.has(`${l.broker} ${l.fdid}`),
    )
    for (const l of lines.slice(0, 2)) {
      const c = await runCli([
        'customer',
        '--repo',
        repo,
        '--reporter',
        l.broker,
        '--fdid',
        l.fdid,
        '--from',
        '2026-03-02',
        '--to',
        '2026-03-02',
        '--json',
      ])
      expect(c.code, c.stderr).toBe(0)
      expect(JSON.parse(c.stdout).ccids).toEqual([l.ccid])
    }
  })

  it('prints the same lines as CSV', async () => {
    const j = await runCli([
      'bluesheet',
      '--repo',
      repo,
      '--symbol',
      symbol,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--json',
    ])
    const c = await runCli([
      'bluesheet',
      '--repo',
      repo,
      '--symbol',
      symbol,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--csv',
    ])
    expect(c.code).toBe(0)
    const csv = c.stdout.trim().split('\n').slice(1)
    const rows = JSON.parse(j.stdout).rows as (Line & { firstNs: string; lastNs: string })[]
    expect(csv).toEqual(
      rows.map((l) =>
        [l.ccid, l.broker, l.fdid, l.side, l.trades, l.shares, l.averagePrice, l.firstNs, l.lastNs].join(','),
      ),
    )
  })
})
