/**
 * `opencat simulate --products equities,options,multileg` through the command line: the day's reference
 * data holds the options series master the simulator traded and its options exchanges; every option record
 * names a listed series; multi-leg orders are stored with legs naming listed series and their underlying; an
 * institution's option allocations (MOPA) show in its sub-account's customer activity; a series' books, NBBO
 * and blue sheet answer as a stock's; `opencat submit` takes the whole clean day without a reject and links it without an error;
 * the lifecycle lookup answers for an option order as the truth says. Options ask for v4.1.0.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { startPortal } from '../../src/server/server.ts'
import type { TruthLifecycle } from '../../src/simulate/index.ts'
import { runCli } from '../support/cli.ts'
import { tokenClient } from '../support/portal.ts'
import { truth } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-sim-options-'))
const day = join(root, 'day')
const repo = join(root, 'repo')

interface Submitted {
  accepted: number
  rejected: number
  errorsByCode: Record<string, number>
  linkage: { errorsByCode: Record<string, number>; lifecycles: number }[]
}

let submitted: Submitted
let summary: { eventsByType: Record<string, number>; options: { products: string[] } }

beforeAll(async () => {
  const sim = await runCli([
    'simulate',
    '--out',
    day,
    '--date',
    '2026-03-05',
    '--seed',
    '5',
    '--orders',
    '500',
    '--file-version',
    '4.1.0',
    '--products',
    'equities,options,multileg',
    '--json',
  ])
  expect(sim.code, sim.stderr).toBe(0)
  summary = JSON.parse(sim.stdout)
  const init = await runCli(['init', '--repo', repo, '--reference', join(day, 'reference'), '--json'])
  expect(init.code, init.stderr).toBe(0)
  const sub = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-05T19:00:00',
    '--json',
    join(day, 'submissions'),
  ])
  expect(sub.code, sub.stderr).toBe(0)
  submitted = JSON.parse(sub.stdout)
}, 300_000)

describe('a simulated day with options', { timeout: 120_000 }, () => {
  it('says which products it traded', () => {
    expect(summary.options.products).toEqual(['equities', 'options', 'multileg'])
    for (const t of [
      ...['MONO', 'MOOR', 'MOOA', 'MOOC', 'MOCR', 'MOPA', 'MLNO', 'MLOR', 'MLOA', 'MLOC', 'MLCR'],
      // A receiver's complex-order desk working packages.
      ...['MLIR', 'MLCO', 'MLCOC'],
      // Amended allocations stand alone: no link, their own rules at ingestion.
      ...['MEAA', 'MOAA'],
    ])
      expect(summary.eventsByType[t]).toBeGreaterThan(0)
  })

  it('writes the series master and the options exchanges into its reference data', () => {
    const master = JSON.parse(readFileSync(join(day, 'reference', 'options.json'), 'utf8'))
    const series = new Set(master.series.map((s: { optionID: string }) => s.optionID))
    expect(series.size).toBeGreaterThan(20)
    const reporters = JSON.parse(readFileSync(join(day, 'reference', 'reporters.json'), 'utf8'))
    const exchanges = reporters.exchanges.map((e: { exchangeId: string }) => e.exchangeId)
    expect(exchanges).toEqual(expect.arrayContaining(['CBOE', 'ISE', 'PHLX']))
    // Every option lifecycle trades a listed series.
    const options = truth<TruthLifecycle>(day, 'lifecycles.ndjson').filter((lc) =>
      lc.events.some((e) => e.type === 'MONO'),
    )
    expect(options.length).toBeGreaterThan(50)
    for (const lc of options) expect(series.has(lc.symbol), lc.symbol).toBe(true)
  })

  it("stores multi-leg orders with their legs: listed series and the underlying's shares", async () => {
    const r = await runCli([
      'sql',
      '--repo',
      repo,
      '--operator',
      '--format',
      'json',
      "SELECT underlying, numberOfLegs, CAST(legDetails AS VARCHAR) AS legs FROM current_events WHERE _type = 'MLNO'",
    ])
    expect(r.code, r.stderr).toBe(0)
    const rows = JSON.parse(r.stdout) as { underlying: string; numberOfLegs: number; legs: string }[]
    expect(rows.length).toBe(summary.eventsByType.MLNO)
    const master = JSON.parse(readFileSync(join(day, 'reference', 'options.json'), 'utf8'))
    const series = new Map<string, string>(
      master.series.map((s: { optionID: string; underlying: string }) => [s.optionID, s.underlying]),
    )
    let equityLegs = 0
    for (const row of rows) {
      const legs = JSON.parse(row.legs) as { optionID?: string; symbol?: string }[]
      expect(legs).toHaveLength(Number(row.numberOfLegs))
      for (const leg of legs) {
        if (leg.optionID) expect(series.get(leg.optionID)).toBe(row.underlying)
        else {
          expect(leg.symbol).toBe(row.underlying)
          equityLegs++
        }
      }
    }
    expect(equityLegs).toBeGreaterThan(0)
  })

  it("shows an institution's option allocations (MOPA) in its sub-account's customer activity", async () => {
    const r = await runCli([
      'sql',
      '--repo',
      repo,
      '--operator',
      '--format',
      'json',
      "SELECT _reporter, firmROEID, firmDesignatedID, optionID FROM current_events WHERE _type = 'MOPA' ORDER BY _reporter, firmROEID",
    ])
    expect(r.code, r.stderr).toBe(0)
    const allocations = JSON.parse(r.stdout) as {
      _reporter: string
      firmROEID: string
      firmDesignatedID: string
      optionID: string
    }[]
    expect(allocations.length).toBe(summary.eventsByType.MOPA)
    expect(allocations.length).toBeGreaterThan(0)
    const a = allocations[0]
    const c = await runCli([
      'customer',
      '--repo',
      repo,
      '--operator',
      '--reporter',
      a._reporter,
      '--fdid',
      a.firmDesignatedID,
      '--from',
      '2026-03-05',
      '--to',
      '2026-03-05',
      '--json',
    ])
    expect(c.code, c.stderr).toBe(0)
    const activity = JSON.parse(c.stdout) as {
      accounts: { imids: string[]; fdid: string }[]
      events: { reporter: string; firmROEID: string; type: string }[]
    }
    // The activity is the customer's at every broker: every account of the customer behind this one.
    const owned = new Set(activity.accounts.flatMap((x) => x.imids.map((imid) => `${imid} ${x.fdid}`)))
    expect(owned).toContain(`${a._reporter} ${a.firmDesignatedID}`)
    const mine = allocations.filter((x) => owned.has(`${x._reporter} ${x.firmDesignatedID}`))
    const shown = activity.events.filter((e) => e.type === 'MOPA').map((e) => `${e.reporter} ${e.firmROEID}`)
    expect(shown.sort()).toEqual(mine.map((x) => `${x._reporter} ${x.firmROEID}`).sort())
  })

  it("answers an option series' books, NBBO and blue sheet as it does a stock's", async () => {
    const count = new Map<string, number>()
    for (const lc of truth<TruthLifecycle>(day, 'lifecycles.ndjson'))
      if (lc.events.some((e) => e.type === 'MONO') && lc.events.some((e) => e.type === 'EXOT'))
        count.set(lc.symbol, (count.get(lc.symbol) ?? 0) + 1)
    const series = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]
    const at = '2026-03-05T12:00:00'
    const json = async (args: string[]) => {
      const r = await runCli([...args, '--repo', repo, '--operator', '--json'])
      expect(r.code, r.stderr).toBe(0)
      return JSON.parse(r.stdout)
    }
    // A venue where the series had no events has no book (a clear not-found); the NBBO is the others'.
    const books = await Promise.all(
      ['CBOE', 'ISE', 'PHLX'].map(async (venue) => {
        const args = ['book', '--venue', venue, '--symbol', series, '--at', at]
        const r = await runCli([...args, '--repo', repo, '--operator', '--json'])
        if (r.code !== 0 && r.stdout.includes('OCAT_ERR_NOT_FOUND')) return { bids: [], asks: [] }
        expect(r.code, r.stderr).toBe(0)
        return JSON.parse(r.stdout)
      }),
    )
    expect(books.filter((b) => b.bids.length + b.asks.length > 0).length).toBeGreaterThan(1)
    const best = (side: 'bids' | 'asks') =>
      books
        .map((b) => b[side][0]?.price)
        .filter((p): p is string => p !== undefined)
        .map(Number)
    const nbbo = await json(['nbbo', '--symbol', series, '--at', at])
    expect(Number(nbbo.bid)).toBe(Math.max(...best('bids')))
    expect(Number(nbbo.ask)).toBe(Math.min(...best('asks')))
    const sheet = await json(['bluesheet', '--symbol', series, '--from', '2026-03-05', '--to', '2026-03-05'])
    expect(sheet.rows.length).toBeGreaterThan(0)
    const r = await runCli([
      'sql',
      '--repo',
      repo,
      '--operator',
      '--format',
      'json',
      `SELECT DISTINCT _reporter AS broker, firmDesignatedID AS fdid FROM current_events WHERE _type = 'MONO' AND optionID = '${series}'`,
    ])
    const orders = new Set(
      (JSON.parse(r.stdout) as { broker: string; fdid: string }[]).map((o) => `${o.broker} ${o.fdid}`),
    )
    // Every account the blue sheet lists entered an order in the series (options trade on exchanges only).
    for (const row of sheet.rows as { broker: string; fdid: string }[])
      expect(orders.has(`${row.broker} ${row.fdid}`), `${row.broker} ${row.fdid}`).toBe(true)
  })

  it('goes in without a reject and links without an error', () => {
    expect(submitted.rejected).toBe(0)
    expect(submitted.errorsByCode).toEqual({})
    expect(submitted.accepted).toBe(Object.values(summary.eventsByType).reduce((a, b) => a + b, 0))
    expect(submitted.linkage[0].errorsByCode).toEqual({})
    expect(submitted.linkage[0].lifecycles).toBe(truth(day, 'lifecycles.ndjson').length)
  })

  it('looks an option lifecycle up from its new order, with every true event', async () => {
    const lc = truth<TruthLifecycle>(day, 'lifecycles.ndjson').find(
      (l) => l.events.some((e) => e.type === 'MOOA') && l.events.some((e) => e.type === 'EXOA'),
    )!
    const mono = lc.events.find((e) => e.type === 'MONO')!
    const r = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--operator',
      '--reporter',
      mono.reporter,
      '--firm-roe-id',
      mono.firmROEID,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const found = JSON.parse(r.stdout) as { events: { reporter: string; firmROEID: string }[] }
    const key = (e: { reporter: string; firmROEID: string }) => `${e.reporter} ${e.firmROEID}`
    expect(found.events.map(key).sort()).toEqual(lc.events.map(key).sort())
  })

  it("shows a package's lifecycle with its legs: the tree, --json and GET /api/lifecycle, as stored", async () => {
    // A package routed to another firm and re-priced there: its events at both firms carry the legs.
    const lc = truth<TruthLifecycle>(day, 'lifecycles.ndjson').find(
      (l) => l.events.some((e) => e.type === 'MLOA') && l.events.some((e) => e.type === 'MLOM'),
    )!
    expect(lc).toBeDefined()
    const mlno = lc.events.find((e) => e.type === 'MLNO')!
    const stored = await runCli([
      'sql',
      '--repo',
      repo,
      '--operator',
      '--format',
      'json',
      `SELECT _reporter, firmROEID, underlying, CAST(legDetails AS VARCHAR) AS legs FROM current_events
       WHERE _type LIKE 'ML%' AND firmROEID IN (${lc.events.map((e) => `'${e.firmROEID}'`).join(', ')})`,
    ])
    expect(stored.code, stored.stderr).toBe(0)
    const rows = (
      JSON.parse(stored.stdout) as {
        _reporter: string
        firmROEID: string
        underlying: string
        legs: string
      }[]
    ).filter((r) => lc.events.some((e) => e.reporter === r._reporter && e.firmROEID === r.firmROEID))
    const text = (v: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
    const expected = new Map(
      rows.map((r) => [
        `${r._reporter} ${r.firmROEID}`,
        {
          symbol: r.underlying ?? undefined,
          legs: r.legs ? (JSON.parse(r.legs) as Record<string, unknown>[]).map(text) : undefined,
        },
      ]),
    )
    expect(expected.size).toBe(lc.events.filter((e) => e.type.startsWith('ML')).length)
    expect([...expected.values()].filter((e) => e.legs).length).toBeGreaterThan(2)
    type Shown = {
      events: { reporter: string; firmROEID: string; type: string; symbol?: string; legs?: unknown }[]
    }
    const packageOf = (found: Shown) =>
      new Map(
        found.events
          .filter((e) => e.type.startsWith('ML'))
          .map((e) => [`${e.reporter} ${e.firmROEID}`, { symbol: e.symbol, legs: e.legs }]),
      )
    const json = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--operator',
      '--reporter',
      mlno.reporter,
      '--firm-roe-id',
      mlno.firmROEID,
      '--json',
    ])
    expect(json.code, json.stderr).toBe(0)
    const found = JSON.parse(json.stdout) as Shown & { lifecycleId: string }
    expect(packageOf(found)).toEqual(expected)
    // No other event carries legs.
    expect(found.events.filter((e) => !e.type.startsWith('ML') && e.legs !== undefined)).toEqual([])

    const tree = await runCli(['lifecycle', '--repo', repo, '--operator', '--lifecycle', found.lifecycleId])
    expect(tree.code, tree.stderr).toBe(0)
    const mlnoLine = tree.stdout.split('\n').find((l) => l.includes(mlno.firmROEID) && l.includes('MLNO'))!
    for (const leg of expected.get(`${mlno.reporter} ${mlno.firmROEID}`)!.legs!)
      expect(mlnoLine).toContain(
        `${leg.legRefID}: ${leg.side} ${leg.legRatioQuantity} × ${leg.optionID ?? leg.symbol}`,
      )

    const portal = await startPortal({ repo, port: 0, keepOpenMs: 100 })
    try {
      const client = await tokenClient(portal, repo, 'analyst')
      const res = await client.get(`/api/lifecycle?id=${found.lifecycleId}`)
      expect(res.status, res.text).toBe(200)
      expect(packageOf(res.json<Shown>())).toEqual(expected)
    } finally {
      await portal.close()
    }
  })

  it('refuses options in a file version before 4.1.0, with a clear error', async () => {
    const r = await runCli([
      'simulate',
      '--out',
      join(root, 'old'),
      '--date',
      '2026-03-05',
      '--seed',
      '5',
      '--orders',
      '50',
      '--products',
      'options',
    ])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('--products options needs --file-version 4.1.0')
    const bad = await runCli([
      'simulate',
      '--out',
      join(root, 'x'),
      '--date',
      '2026-03-05',
      '--seed',
      '5',
      '--orders',
      '50',
      '--products',
      'bonds',
    ])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('unknown product "bonds"')
    const alone = await runCli([
      'simulate',
      '--out',
      join(root, 'y'),
      '--date',
      '2026-03-05',
      '--seed',
      '5',
      '--orders',
      '50',
      '--file-version',
      '4.1.0',
      '--products',
      'options,multileg',
    ])
    expect(alone.code).not.toBe(0)
    expect(alone.stderr).toContain('--products multileg needs equities and options too')
  })
})
