/**
 * `opencat bluesheet` on a simulated day, checked against the simulator's truth: for every customer order of
 * the busiest symbol, its true lifecycle's executions (read from the submitted files) give the trades,
 * shares and share-weighted average price per broker, account and side, in exact integer arithmetic; and
 * each line's CCID is the one `opencat customer` gives for that account. Accounts opened after the day
 * (no holder then) and firm accounts that trade on their own (named on trade reports) are left out.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import type { TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'

interface Person {
  accounts: { crd: number; imid: string; fdid: string }[]
}

interface Line {
  ccid: string
  broker: string
  fdid: string
  side: 'BUY' | 'SELL'
  trades: number
  shares: string
  averagePrice: string
}

/** A decimal's text as an integer of 10^-scale units. */
function units(text: string, scale: number): bigint {
  const [whole, frac = ''] = text.split('.')
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale))
}

/** Integer units as decimal text without trailing zeros. */
function text(u: bigint, scale: number): string {
  const f = 10n ** BigInt(scale)
  const frac = (u % f).toString().padStart(scale, '0').replace(/0+$/, '')
  return `${u / f}${frac ? `.${frac}` : ''}`
}

/** Every submitted record, by reporter and firmROEID (recordID for exchanges), with its numbers as written. */
function submittedRecords(day: string): Map<string, Record<string, unknown> & { raw: string }> {
  const out = new Map<string, Record<string, unknown> & { raw: string }>()
  const root = join(day, 'submissions')
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub)).filter((n) =>
      /_(Order|Exchange)Events_\d+\.json\.bz2$/.test(n),
    )) {
      const reporter = name.split('_')[1]
      const unpacked = bunzip2Buffer(readFileSync(join(root, sub, name)))
      if (!unpacked.ok) throw new Error(unpacked.error)
      for (const raw of unpacked.data.toString('utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(raw) as Record<string, unknown>
        out.set(`${reporter} ${r.firmROEID ?? r.recordID}`, { ...r, raw })
      }
    }
  }
  return out
}

/** Accounts (CRD and FDID) the customer files say were open on `date`. */
function openAccounts(day: string, date: number): Set<string> {
  const out = new Set<string>()
  const root = join(day, 'submissions')
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub)).filter((n) => /_CAISData_\d+\.json\.bz2$/.test(n))) {
      const unpacked = bunzip2Buffer(readFileSync(join(root, sub, name)))
      if (!unpacked.ok) throw new Error(unpacked.error)
      const doc = JSON.parse(unpacked.data.toString('utf8')) as {
        catReporterCRD: number
        fdidRecordList: { firmDesignatedID: string; fdidDate: number; fdidEndDate?: number }[]
      }
      for (const f of doc.fdidRecordList)
        if (f.fdidDate <= date && (f.fdidEndDate === undefined || f.fdidEndDate >= date))
          out.add(`${doc.catReporterCRD} ${f.firmDesignatedID}`)
    }
  }
  return out
}

/** A number field exactly as the record wrote it. */
function rawNumber(raw: string, field: string): string {
  const m = new RegExp(`"${field}":(-?[0-9]+(?:\\.[0-9]+)?)`).exec(raw)
  if (!m) throw new Error(`${field} missing in ${raw}`)
  return m[1]
}

let day: string
let repo: string
let symbol: string
let expected: Map<string, { trades: number; shares: bigint; notional: bigint }>
const customerFdids = new Set<string>()

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

  const records = submittedRecords(day)
  const open = openAccounts(day, 20260302)
  const ownTrading = new Set<string>()
  for (const [key, r] of records)
    if (r.type === 'MEOT')
      for (const d of [r.buyDetails, r.sellDetails] as { firmDesignatedID?: string }[][] | undefined[])
        for (const x of d ?? [])
          if (x.firmDesignatedID) ownTrading.add(`${key.split(' ')[0]} ${x.firmDesignatedID}`)
  for (const p of truth<Person>(day, 'customers.ndjson'))
    for (const a of p.accounts)
      if (open.has(`${a.crd} ${a.fdid}`) && !ownTrading.has(`${a.imid} ${a.fdid}`))
        customerFdids.add(`${a.imid} ${a.fdid}`)
  const lifecycles = truth<TruthLifecycle>(day, 'lifecycles.ndjson')
  const executions = (lc: TruthLifecycle) =>
    lc.events.filter((e) => ['EXOT', 'MEOT', 'MEOF'].includes(e.type))
  const bySymbol = new Map<string, number>()
  for (const lc of lifecycles) bySymbol.set(lc.symbol, (bySymbol.get(lc.symbol) ?? 0) + executions(lc).length)
  symbol = [...bySymbol].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]

  // Per broker, account and side: the distinct executions of the lifecycles its customer orders started.
  const seen = new Map<string, Set<string>>()
  expected = new Map()
  for (const lc of lifecycles.filter((l) => l.symbol === symbol)) {
    for (const o of lc.events.filter((e) => e.type === 'MENO')) {
      const order = records.get(`${o.reporter} ${o.firmROEID}`)!
      const key = `${o.reporter} ${order.firmDesignatedID} ${order.side === 'B' ? 'BUY' : 'SELL'}`
      if (!customerFdids.has(`${o.reporter} ${order.firmDesignatedID}`)) continue
      const done = seen.get(key) ?? new Set<string>()
      seen.set(key, done)
      const sum = expected.get(key) ?? { trades: 0, shares: 0n, notional: 0n }
      expected.set(key, sum)
      for (const x of executions(lc)) {
        const id = `${x.reporter} ${x.firmROEID}`
        if (done.has(id)) continue
        done.add(id)
        const raw = records.get(id)!.raw
        const q = units(rawNumber(raw, 'quantity'), 6)
        sum.trades += 1
        sum.shares += q
        sum.notional += q * units(rawNumber(raw, 'price'), 8)
      }
    }
  }
  for (const [k, v] of expected) if (v.trades === 0) expected.delete(k)
}, 300_000)

describe('opencat bluesheet', () => {
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
      expect(line.shares, key).toBe(text(want.shares, 6))
      // Average price to 8 decimals, halves up (all amounts here are positive).
      const avg = (2n * want.notional + want.shares) / (2n * want.shares)
      expect(line.averagePrice, key).toBe(text(avg, 8))
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
