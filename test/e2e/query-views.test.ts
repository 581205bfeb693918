/**
 * The investigator's queries through the CLI, on a simulated day with a few reporting faults: search finds
 * each true lifecycle by every key its events carry (record ids, order ids, routed order ids, its CAT
 * lifecycle id), and symbols, reporters and customers by theirs; the day browser's pages partition the
 * day's current events exactly; a lifecycle's graph has the true events, lanes and links, and linkage
 * faults as broken edges with their CAT codes and meanings; the market window's NBBO is `opencat nbbo`'s at
 * sampled instants and its trades are the true prints.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import type { TruthFault, TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { runCli } from '../support/cli.ts'
import { truth } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
const root = mkdtempSync(join(tmpdir(), 'opencat-query-views-'))
const day = join(root, 'day')
const repo = join(root, 'repo')

interface Hit {
  kind: string
  [k: string]: unknown
}
interface SearchJson {
  query: string
  hits: Hit[]
  truncated: boolean
}
interface BrowseJson {
  events: { eventId: string; eventNs: string; reporter: string; firmROEID: string; symbol: string | null }[]
  next: string | null
  total?: number
}
interface GraphJson {
  lifecycleId: string
  lanes: { id: string; role: string }[]
  nodes: { id: string; reporter: string; firmROEID: string; type: string; versions: { linked: boolean }[] }[]
  edges: { from: string; to: string; kind: string }[]
  broken: { from: string; code: number; meaning: string; explanation: string }[]
}
interface Step {
  ns: string
  bid: string | null
  bidSize: string
  ask: string | null
  askSize: string
  state: string
}
interface MarketJson {
  nbbo: Step[]
  venueQuotes: { venue: string; steps: { ns: string }[] }[]
  trades: { reporter: string; firmROEID: string; type: string; price: string | null }[]
  intervals: { state: string }[]
}

async function json<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json'])
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0)
  return JSON.parse(r.stdout) as T
}

const ref = (e: { reporter: string; firmROEID: string }) => `${e.reporter} ${e.firmROEID}`

let lifecycles: TruthLifecycle[]
let faults: TruthFault[]
/** Two true lifecycles across three or more reporters that no fault touches. */
let samples: TruthLifecycle[]
/** The identifiers each submitted record carries, by reporter and record id. */
const submitted = new Map<string, { orderID?: string; routedOrderID?: string }>()

beforeAll(async () => {
  const sim = await runCli([
    'simulate',
    '--out',
    day,
    '--date',
    DATE,
    '--seed',
    '23',
    '--orders',
    '300',
    '--faults',
    '0.01',
  ])
  expect(sim.code, sim.stderr).toBe(0)
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const sub = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T20:00:00',
    join(day, 'submissions'),
  ])
  expect(sub.code, sub.stderr).toBe(0)
  lifecycles = truth<TruthLifecycle>(day, 'lifecycles.ndjson')
  faults = truth<TruthFault>(day, 'faults.ndjson')
  const touched = new Set(
    faults.flatMap((f) => [
      ...(f.firmROEID ? [ref({ reporter: f.reporter, firmROEID: f.firmROEID })] : []),
      ...(f.counterparty?.firmROEID
        ? [ref({ reporter: f.counterparty.reporter, firmROEID: f.counterparty.firmROEID })]
        : []),
    ]),
  )
  samples = lifecycles
    .filter((l) => l.events.length <= 14 && l.events.every((e) => !touched.has(ref(e))))
    .sort(
      (a, b) =>
        new Set(b.events.map((e) => e.reporter)).size - new Set(a.events.map((e) => e.reporter)).size ||
        a.id.localeCompare(b.id),
    )
    .slice(0, 2)
  // What reporters sent, read from their files (the store is what is under test).
  const folder = join(day, 'submissions')
  for (const sub of readdirSync(folder))
    for (const f of readdirSync(join(folder, sub)).filter((n) =>
      /_(OrderEvents|ExchangeEvents)_\d+\.json\.bz2$/.test(n),
    )) {
      const reporter = f.split('_')[1]
      const text = execFileSync('bzip2', ['-dc', join(folder, sub, f)], { maxBuffer: 1 << 30 }).toString()
      for (const line of text.split('\n').filter(Boolean)) {
        let r: Record<string, unknown>
        try {
          r = JSON.parse(line) as Record<string, unknown>
        } catch {
          continue // a record an ingestion fault made unreadable: never stored, in no sample
        }
        const id = String(r.firmROEID ?? r.recordID)
        submitted.set(`${reporter} ${id}`, {
          ...(typeof r.orderID === 'string' ? { orderID: r.orderID } : {}),
          ...(typeof r.routedOrderID === 'string' ? { routedOrderID: r.routedOrderID } : {}),
        })
      }
    }
}, 300_000)

describe('opencat search', () => {
  it('finds each sampled true lifecycle by its CAT lifecycle id and by every record, order and routed order id of its events', async () => {
    expect(samples.length).toBe(2)
    for (const lc of samples) {
      const first = lc.events[0]
      const looked = await json<{ lifecycleId: string }>([
        'lifecycle',
        '--repo',
        repo,
        '--reporter',
        first.reporter,
        '--firm-roe-id',
        first.firmROEID,
      ])
      const byId = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, looked.lifecycleId])
      const lifecycleHit = byId.hits.find((h) => h.kind === 'lifecycle')
      expect(lifecycleHit).toMatchObject({
        lifecycleId: looked.lifecycleId,
        events: lc.events.length,
        reporters: expect.arrayContaining([...new Set(lc.events.map((e) => e.reporter))]),
      })
      const keys = new Map<string, { field: string; events: Set<string> }>()
      const add = (key: string | undefined, field: string, e: { reporter: string; firmROEID: string }) => {
        if (!key) return
        const k = `${field} ${key}`
        const entry = keys.get(k) ?? { field, events: new Set<string>() }
        entry.events.add(ref(e))
        keys.set(k, entry)
      }
      for (const e of lc.events) {
        add(e.firmROEID, 'firmROEID', e)
        add(submitted.get(ref(e))?.orderID, 'orderID', e)
        add(submitted.get(ref(e))?.routedOrderID, 'routedOrderID', e)
      }
      expect([...keys.values()].some((k) => k.field === 'routedOrderID')).toBe(true)
      for (const [k, { field, events }] of keys) {
        const key = k.slice(field.length + 1)
        const r = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, key])
        const hits = r.hits.filter((h) => h.kind === 'event' && (h.matchedOn as string[]).includes(field))
        const found = new Set(hits.map((h) => ref(h as unknown as { reporter: string; firmROEID: string })))
        for (const e of events) {
          expect(found, `${field} ${key} finds ${e}`).toContain(e)
          const hit = hits.find((h) => ref(h as unknown as { reporter: string; firmROEID: string }) === e)!
          expect(hit.lifecycleIds, `${e} is in ${looked.lifecycleId}`).toContain(looked.lifecycleId)
        }
      }
    }
  }, 300_000)

  it('finds a symbol, a reporter by IMID and by CRD, and a customer by FDID, CCID and large trader id', async () => {
    const symbol = samples[0].symbol
    const s = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, symbol])
    expect(s.hits.find((h) => h.kind === 'symbol')).toMatchObject({ symbol })
    expect(Number(s.hits.find((h) => h.kind === 'symbol')?.records)).toBeGreaterThan(0)
    const firm = samples[0].events.find(
      (e) => /^[A-Z]{4}$/.test(e.reporter) && submitted.has(ref(e)),
    )!.reporter
    const byImid = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, firm])
    const reporterHit = byImid.hits.find((h) => h.kind === 'reporter')
    expect(reporterHit).toMatchObject({ reporter: firm })
    if (reporterHit?.crd) {
      const byCrd = await json<SearchJson>([
        'search',
        '--repo',
        repo,
        '--date',
        DATE,
        String(reporterHit.crd),
      ])
      expect(byCrd.hits.filter((h) => h.kind === 'reporter').map((h) => h.reporter)).toContain(firm)
    }
    const people = truth<{ accounts: { crd: number; imid: string; fdid: string; ltid?: string }[] }>(
      day,
      'customers.ndjson',
    )
    const person = people.find((p) => p.accounts.some((a) => a.ltid)) ?? people[0]
    const account = person.accounts.find((a) => a.ltid) ?? person.accounts[0]
    const byFdid = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, account.fdid])
    const customer = byFdid.hits.find((h) => h.kind === 'customer')
    expect(customer).toMatchObject({ matchedOn: 'fdid' })
    expect(((customer?.accounts ?? []) as { fdid: string }[]).map((a) => a.fdid)).toContain(account.fdid)
    const byCcid = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, String(customer?.ccid)])
    expect(byCcid.hits.find((h) => h.kind === 'customer')).toMatchObject({
      matchedOn: 'ccid',
      ccid: customer?.ccid,
    })
    if (account.ltid) {
      const byLtid = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, account.ltid])
      expect(byLtid.hits.filter((h) => h.kind === 'customer').map((h) => h.ccid)).toContain(customer?.ccid)
    }
    // The customer's activity gives each event's time in Eastern Time (the simulated day runs 08:00-16:15 ET).
    const activity = await json<{
      events: { eventNs: string; eventTimestamp: string; quantity: string | null }[]
    }>(['customer', '--repo', repo, '--ccid', String(customer?.ccid), '--from', DATE, '--to', DATE])
    for (const e of activity.events) {
      expect(e.eventTimestamp).toMatch(/^20260302T(0[89]|1[0-6])\d{4}\.\d{9}$/)
      const utcHour = new Date(Number(BigInt(e.eventNs) / 1_000_000n)).getUTCHours()
      expect(Number(e.eventTimestamp.slice(9, 11))).toBe(utcHour - 5)
      expect(e.quantity ?? '').not.toMatch(/\.\d*0$/)
    }
    const none = await json<SearchJson>(['search', '--repo', repo, '--date', DATE, 'NO-SUCH-KEY-0'])
    expect(none.hits).toEqual([])
    const text = await runCli(['search', '--repo', repo, '--date', DATE, samples[0].events[0].firmROEID])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/ E[SD]T /)
  }, 120_000)
})

describe('opencat browse', () => {
  it("pages through the day's current events exactly once each, as many as the store holds, every true event among them", async () => {
    const seen = new Map<string, BrowseJson['events'][number]>()
    let after: string | undefined
    let total: number | undefined
    let pages = 0
    for (;;) {
      const page = await json<BrowseJson>([
        'browse',
        '--repo',
        repo,
        '--date',
        DATE,
        '--limit',
        '1500',
        ...(after ? ['--after', after] : []),
      ])
      if (pages === 0) total = page.total
      pages++
      for (const e of page.events) {
        expect(seen.has(e.eventId), `event ${e.eventId} on two pages`).toBe(false)
        seen.set(e.eventId, e)
      }
      if (!page.next) break
      after = page.next
    }
    expect(pages).toBeGreaterThan(1)
    const counted = await json<{ rows: { n: string }[] }>([
      'sql',
      '--repo',
      repo,
      '--operator',
      'SELECT count(*)::VARCHAR AS n FROM current_events WHERE event_date = 20260302',
    ])
    expect(String(total)).toBe(counted.rows[0].n)
    expect(seen.size).toBe(total)
    const browsed = new Set([...seen.values()].map(ref))
    for (const lc of samples) for (const e of lc.events) expect(browsed).toContain(ref(e))
    const list = [...seen.values()]
    for (let i = 1; i < list.length; i++)
      expect(BigInt(list[i].eventNs) >= BigInt(list[i - 1].eventNs)).toBe(true)
    // A filtered browse is the matching part of the whole day.
    const symbol = samples[0].symbol
    const venue = samples[0].events.find((e) => e.type === 'EXOA')?.reporter ?? samples[0].events[0].reporter
    const filtered = await json<BrowseJson>([
      'browse',
      '--repo',
      repo,
      '--date',
      DATE,
      '--symbol',
      symbol,
      '--reporter',
      venue,
      '--from',
      '09:30:00',
      '--to',
      '15:59:59.999999999',
      '--limit',
      '10000',
    ])
    const from = BigInt(Date.UTC(2026, 2, 2, 14, 30)) * 1_000_000n
    const to = BigInt(Date.UTC(2026, 2, 2, 21, 0)) * 1_000_000n - 1n
    const expected = list
      .filter(
        (e) =>
          e.symbol === symbol && e.reporter === venue && BigInt(e.eventNs) >= from && BigInt(e.eventNs) <= to,
      )
      .map((e) => e.eventId)
    expect(filtered.events.map((e) => e.eventId)).toEqual(expected)
    expect(filtered.total).toBe(expected.length)
    expect(filtered.next).toBeNull()
    const text = await runCli(['browse', '--repo', repo, '--date', DATE, '--symbol', symbol, '--limit', '3'])
    expect(text.stdout).toMatch(/^2026-03-02 \d\d:\d\d:\d\d\.\d{9} EST /m)
    expect(text.stdout).not.toMatch(/\.0{6}\b/)
    const bad = await runCli(['browse', '--repo', repo, '--date', DATE, '--after', 'nonsense'])
    expect(bad.code).toBe(2)
  }, 300_000)
})

describe('opencat lifecycle --graph', () => {
  it('gives the true events as nodes, a lane per reporter and the true links as edges', async () => {
    for (const lc of samples) {
      const g = await json<GraphJson>([
        'lifecycle',
        '--repo',
        repo,
        '--reporter',
        lc.events[0].reporter,
        '--firm-roe-id',
        lc.events[0].firmROEID,
        '--graph',
      ])
      expect(g.nodes.map(ref).sort()).toEqual(lc.events.map(ref).sort())
      expect(g.lanes.map((l) => l.id).sort()).toEqual([...new Set(lc.events.map((e) => e.reporter))].sort())
      const edge = (e: { from: string; to: string; kind: string }) => `${e.from} -${e.kind}-> ${e.to}`
      expect(g.edges.map(edge).sort()).toEqual(
        lc.links.map((l) => edge({ from: ref(l.from), to: ref(l.to), kind: l.kind })).sort(),
      )
      for (const n of g.nodes) expect(n.versions.filter((v) => v.linked).length).toBe(1)
      expect(g.broken).toEqual([])
    }
  }, 120_000)

  it('draws a linkage fault as a broken edge with its CAT code and the code table meaning', async () => {
    const linkage = faults.filter((f) => f.stage === 'linkage' && f.firmROEID && f.codes.length > 0)
    let checked = 0
    for (const f of linkage) {
      const lc = lifecycles.find((l) =>
        l.events.some((e) => e.reporter === f.reporter && e.firmROEID === f.firmROEID),
      )
      if (!lc) continue
      const r = await runCli([
        'lifecycle',
        '--repo',
        repo,
        '--reporter',
        f.reporter,
        '--firm-roe-id',
        f.firmROEID!,
        '--graph',
        '--json',
      ])
      if (r.code !== 0) continue
      const g = JSON.parse(r.stdout) as GraphJson
      const broken = g.broken.filter((b) => b.from === ref({ reporter: f.reporter, firmROEID: f.firmROEID! }))
      expect(
        broken.map((b) => b.code),
        `${f.kind} on ${f.reporter} ${f.firmROEID}`,
      ).toEqual(expect.arrayContaining([...f.codes]))
      for (const b of broken) {
        expect(b.meaning).toBe(CAT_CODES.get(b.code)?.title)
        expect(b.explanation).not.toBe('')
      }
      if (++checked === 3) break
    }
    expect(checked).toBeGreaterThan(0)
  }, 120_000)
})

describe('opencat market', () => {
  it("gives the NBBO of opencat nbbo at sampled instants, each venue's quotes, and the true trades of the window", async () => {
    // The symbol with the most exchange executions in the truth.
    const prints = new Map<
      string,
      Map<string, { reporter: string; firmROEID: string; type: string; ts: bigint }>
    >()
    for (const lc of lifecycles)
      for (const e of lc.events.filter((x) => x.type === 'EXOT' || x.type === 'TRFT')) {
        const m = prints.get(lc.symbol) ?? new Map()
        m.set(ref(e), { ...e, ts: BigInt(e.eventTimestamp) })
        prints.set(lc.symbol, m)
      }
    const [symbol, trades] = [...prints].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]
    const w = await json<MarketJson>([
      'market',
      '--repo',
      repo,
      '--date',
      DATE,
      '--symbol',
      symbol,
      '--from',
      '09:30:00',
      '--to',
      '16:00:00',
    ])
    const from = BigInt(Date.UTC(2026, 2, 2, 14, 30)) * 1_000_000n
    const to = BigInt(Date.UTC(2026, 2, 2, 21, 0)) * 1_000_000n
    const inWindow = [...trades.values()].filter((t) => t.ts >= from && t.ts <= to)
    expect(w.trades.map(ref).sort()).toEqual(inWindow.map(ref).sort())
    expect(w.nbbo.length).toBeGreaterThan(2)
    expect(w.venueQuotes.length).toBeGreaterThan(0)
    // Instants: the window's start, a few change instants, and a nanosecond before some of them.
    const picks = [0, Math.floor(w.nbbo.length / 3), Math.floor((2 * w.nbbo.length) / 3), w.nbbo.length - 1]
    const instants = [
      from,
      ...picks.flatMap((i) => [BigInt(w.nbbo[i].ns), BigInt(w.nbbo[i].ns) - 1n]),
    ].filter((t) => t >= from)
    for (const t of instants) {
      // Before the first quote of the day the NBBO has no prices.
      const step = [...w.nbbo].reverse().find((s) => BigInt(s.ns) <= t) ?? {
        bid: null,
        ask: null,
        bidSize: '0',
        askSize: '0',
      }
      const n = await json<{ bid: string | null; bidSize: unknown; ask: string | null; askSize: unknown }>([
        'nbbo',
        '--repo',
        repo,
        '--symbol',
        symbol,
        '--at',
        t.toString(),
      ])
      expect(
        { bid: step.bid, ask: step.ask, bidSize: step.bidSize, askSize: step.askSize },
        `at ${t}`,
      ).toEqual({
        bid: n.bid,
        ask: n.ask,
        bidSize: String(n.bidSize),
        askSize: String(n.askSize),
      })
    }
    // Exchanges protect each other's quotes in the simulated market: no crossed or locked spell.
    expect(w.nbbo.every((s) => s.state === 'normal')).toBe(w.intervals.length === 0)
    const text = await runCli([
      'market',
      '--repo',
      repo,
      '--date',
      DATE,
      '--symbol',
      symbol,
      '--from',
      '10:00:00',
      '--to',
      '10:30:00',
    ])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('NBBO')
  }, 300_000)
})
