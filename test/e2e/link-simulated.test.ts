/**
 * Linkage against the simulator's truth: a clean simulated day links back to exactly its true links and
 * lifecycles; a day with injected faults reports every linkage fault to both parties with the codes the
 * truth expects. Equity days (v4.0.0) and days with options and multi-leg orders beside equities (v4.1.0:
 * option orders routed through firms to options exchanges, packages routed between firms) go through the
 * same checks.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { type LinkSummary, linkDate, lookupLifecycle } from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Product, simulateDay } from '../../src/simulate/index.ts'
import type { TruthFault, TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { initRepository, type Repository } from '../../src/store/repository.ts'

const DATE = '2026-03-05'
const EVENT_DATE = 20260305
const EVENING = isoOrCatToNs('2026-03-05T19:00:00')

interface DayOptions {
  seed: number
  orders: number
  faults?: number
  clockDriftMs?: number
  fileVersion?: string
  products?: Product[]
}

async function simulateAndLink(options: DayOptions): Promise<{
  repo: Repository
  summary: LinkSummary
  truth: TruthLifecycle[]
  faults: TruthFault[]
}> {
  const dir = await mkdtemp(join(tmpdir(), 'opencat-link-sim-'))
  await simulateDay({ out: dir, date: DATE, ...options })
  const repo = await initRepository(join(dir, 'repo'), join(dir, 'reference'))
  await submitFiles(repo, [join(dir, 'submissions')], { nowNs: EVENING })
  const summary = await linkDate(repo, EVENT_DATE, { nowNs: EVENING })
  const lines = (f: string) =>
    readFileSync(join(dir, 'truth', f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  return { repo, summary, truth: lines('lifecycles.ndjson'), faults: lines('faults.ndjson') }
}

const ref = (e: { reporter: string; firmROEID: string }) => `${e.reporter} ${e.firmROEID}`

const OPTIONS_DAY = { fileVersion: '4.1.0', products: ['equities', 'options', 'multileg'] as Product[] }

describe.each([
  { name: 'equities', day: { seed: 11, orders: 600 } },
  // A seed whose day writes every v4.1 type the checks below look for, the rarest supplements included.
  { name: 'equities, options and multi-leg orders', day: { seed: 15, orders: 900, ...OPTIONS_DAY } },
])('a clean simulated day of $name', ({ name, day }) => {
  let repo: Repository
  let summary: LinkSummary
  let truth: TruthLifecycle[]

  beforeAll(async () => {
    ;({ repo, summary, truth } = await simulateAndLink(day))
  }, 240_000)
  afterAll(() => repo?.close())

  it('finds every true link and no false one', async () => {
    const expected = new Set(
      truth.flatMap((lc) => lc.links.map((l) => `${ref(l.from)} → ${ref(l.to)} ${l.kind}`)),
    )
    const rows = await repo.db.all<Record<string, string>>(
      `SELECT DISTINCT from_reporter, from_roe_id, to_reporter, to_roe_id, kind FROM linkage_links WHERE event_date = ${EVENT_DATE}`,
    )
    const found = new Set(
      rows.map((r) => `${r.from_reporter} ${r.from_roe_id} → ${r.to_reporter} ${r.to_roe_id} ${r.kind}`),
    )
    const missing = [...expected].filter((l) => !found.has(l))
    const extra = [...found].filter((l) => !expected.has(l))
    expect(missing.slice(0, 10)).toEqual([])
    expect(extra.slice(0, 10)).toEqual([])
    expect(found.size).toBe(expected.size)
  })

  it('gives every lifecycle exactly its true events', async () => {
    const rows = await repo.db.all<{ lifecycle_id: string; t: string }>(
      `SELECT lifecycle_id, _reporter || ' ' || _roe_id AS t FROM linkage_members WHERE event_date = ${EVENT_DATE}`,
    )
    const by = new Map<string, string[]>()
    for (const r of rows) by.set(r.lifecycle_id, [...(by.get(r.lifecycle_id) ?? []), r.t])
    const found = new Set([...by.values()].map((l) => l.sort().join(' | ')))
    const expected = new Set(truth.map((lc) => lc.events.map(ref).sort().join(' | ')))
    expect([...expected].filter((l) => !found.has(l)).slice(0, 5)).toEqual([])
    expect([...found].filter((l) => !expected.has(l)).slice(0, 5)).toEqual([])
    expect(summary.lifecycles).toBe(truth.length)
  })

  it("looks a lifecycle up from FINRA's trade report: the whole true lifecycle, with the report link", async () => {
    const homes = new Map<string, TruthLifecycle[]>()
    for (const lc of truth)
      for (const e of lc.events.filter((x) => x.type === 'TRFT'))
        homes.set(ref(e), [...(homes.get(ref(e)) ?? []), lc])
    // An internalized trade's report belongs to one lifecycle only.
    const [report, [lc]] = [...homes].find(([, lcs]) => lcs.length === 1)!
    const [reporter, firmROEID] = report.split(' ')
    const found = await lookupLifecycle(repo.db, repo.paths, { reporter, firmROEID })
    expect(found.events.map(ref).sort()).toEqual(lc.events.map(ref).sort())
    expect(found.links.filter((l) => l.kind === 'report').map((l) => ref(l.to))).toEqual([report])
  })

  it('pairs every quote sent to another firm with its Quote Received', async () => {
    const count = async (sql: string) => Number((await repo.db.one<{ n: string }>(sql))?.n ?? 0)
    const received = await count(
      `SELECT count(*) AS n FROM current_events WHERE _type IN ('MEQR', 'MOQR', 'MLQR')`,
    )
    expect(received).toBeGreaterThan(0)
    // Quotes sent to another firm (a v4.0 MENQ names a destination; v4.1 Routed Quotes) that the receiver
    // did not refuse, on the quote itself or in a supplement reported afterwards (MERQS, MLQS).
    const sent = await count(
      `SELECT count(*) AS n FROM current_events WHERE _type IN ('MENQ', 'MERQ', 'MORQ', 'MLRQ')
       AND destination IS NOT NULL AND NOT coalesce(quoteRejectedFlag, false)`,
    )
    const refusedLater = await count(
      `SELECT count(*) AS n FROM current_events WHERE _type IN ('MERQS', 'MLQS')`,
    )
    expect(sent - refusedLater).toBe(received)
    expect(
      await count(`SELECT count(*) AS n FROM linkage_pairs WHERE event_date = ${EVENT_DATE} AND fam = 'Q'`),
    ).toBe(received)
  })

  it('reports no linkage errors and flags no clock', () => {
    expect(summary.errorsByCode).toEqual({})
    expect(summary.namedByCode).toEqual({})
    expect(summary.flagged).toEqual([])
  })

  it.runIf(name.includes('options'))(
    'links option orders through firms to options exchanges, as their true lifecycles say',
    async () => {
      const options = truth.filter((lc) => lc.events.some((e) => e.type === 'MONO'))
      const viaFirm = options.find((lc) => lc.events.some((e) => e.type === 'MOOA'))
      expect(options.length).toBeGreaterThan(100)
      expect(viaFirm).toBeDefined()
      // The lifecycle lookup from the options exchange's side gives the whole true lifecycle.
      const exchange = viaFirm!.events.find((e) => e.type === 'EXOA')!
      const found = await lookupLifecycle(repo.db, repo.paths, exchange)
      expect(found.events.map(ref).sort()).toEqual(viaFirm!.events.map(ref).sort())
      const kinds = new Set(found.links.map((l) => l.kind))
      for (const k of ['route', 'accept']) expect(kinds).toContain(k)
    },
  )

  it.runIf(name.includes('options'))(
    'links route and internal route changes, requests, rejections and amended fulfillments to what they change; quotes and the events on their keys stand alone',
    async () => {
      const role = (t: string) => (t.startsWith('MO') || t.startsWith('ML') ? `ME${t.slice(2)}` : t)
      const KEYS = ['MENO', 'MEOA', 'MEOM', 'MEOJ', 'MEIR', 'MEIM', 'MECO', 'MECOM']
      // Per equity role: the roles a link into it may come from, by kind, and how many of each it has.
      const expected: Record<string, Record<string, { from: string[]; each: number }>> = {
        MEMR: { modify: { from: ['MEOR', 'MEMR'], each: 1 } },
        MECR: { cancel: { from: ['MEOR', 'MEMR'], each: 1 } },
        MEIM: { modify: { from: ['MEIR', 'MEIM'], each: 1 } },
        MEIC: { cancel: { from: ['MEIR', 'MEIM'], each: 1 } },
        MEOCR: { request: { from: KEYS, each: 1 } },
        MEOMR: { request: { from: KEYS, each: 1 } },
        MEIMR: { request: { from: ['MEIR', 'MEIM'], each: 1 } },
        MEICR: { request: { from: ['MEIR', 'MEIM'], each: 1 } },
        MEFA: { modify: { from: ['MEOF'], each: 1 }, fill: { from: KEYS, each: 2 } },
        // A client filled from two representative orders: the fulfillment's supplement names the second.
        MEOFS: { supplement: { from: ['MEOF'], each: 1 }, fill: { from: KEYS, each: 1 } },
        MEOJ: { modify: { from: KEYS, each: 1 } },
        MEOE: { modify: { from: KEYS, each: 1 } },
        // A package's late FDID (MLOS) as a MENOS.
        MEOS: { supplement: { from: KEYS, each: 1 } },
        MECOM: { modify: { from: ['MECO', 'MECOM'], each: 1 } },
        MEORS: { supplement: { from: ['MEOR'], each: 1 } },
        MEMRS: { supplement: { from: ['MEMR'], each: 1 } },
        MECRS: { supplement: { from: ['MECR'], each: 1 } },
        // A restated representative order's further clients, and a trade's further resting order.
        MEOMS: { supplement: { from: ['MEOM'], each: 1 } },
        MEOTS: { supplement: { from: ['MEOT'], each: 1 }, execution: { from: KEYS, each: 1 } },
      }
      const pattern = '^M[EOL](MR|CR|IM|IC|OCR|OMR|IMR|ICR|FA|ORS|MRS|CRS|OJ|OE|OS|OFS|COM|OMS|OTS)$'
      const events = await repo.db.all<{ _type: string; n: number }>(
        `SELECT _type, count(*)::INTEGER AS n FROM current_events WHERE regexp_matches(_type, '${pattern}') GROUP BY _type`,
      )
      const links = await repo.db.all<{ to_type: string; from_type: string; kind: string }>(
        `SELECT DISTINCT t._type AS to_type, f._type AS from_type, l.kind, l.from_event_id, l.to_event_id
         FROM linkage_links l JOIN current_events t ON t._event_id = l.to_event_id
         JOIN current_events f ON f._event_id = l.from_event_id
         WHERE l.event_date = ${EVENT_DATE} AND regexp_matches(t._type, '${pattern}')`,
      )
      // Equities, options and packages change routes, change internal routes and send requests; equities
      // and options also adjust orders and amend fulfillments.
      const types = events.map((e) => e._type)
      const missing = (want: string[]) => want.filter((t) => !types.includes(t))
      expect(
        missing([
          ...['MECR', 'MEMR', 'MOCR', 'MOMR', 'MLCR', 'MLMR'],
          ...['MEIM', 'MEIC', 'MOIM', 'MOIC', 'MEIMR', 'MEICR', 'MOIMR', 'MOICR'],
          // A package's complex-order desk: re-instructed or taken back, its child re-priced.
          ...['MLIM', 'MLIC', 'MLIMR', 'MLICR', 'MLCOM'],
          // Price or size changes reported as adjustments.
          ...['MEOJ', 'MOOJ'],
          // Stop orders held at the firm, then effective.
          ...['MEOE', 'MOOE', 'MLOE'],
          'MLOS',
          ...['MEOFS', 'MOOFS'],
          ...['MEOCR', 'MEOMR', 'MOOCR', 'MOOMR', 'MLOCR', 'MLOMR'],
          ...['MEOMS', 'MOOMS', 'MEOTS'],
        ]),
      ).toEqual([])
      // Rejections reported afterwards: of routes, and of route modifications and cancellations.
      expect(types.filter((t) => t.endsWith('ORS')).length).toBeGreaterThan(0)
      expect(types.filter((t) => t.endsWith('MRS') || t.endsWith('CRS')).length).toBeGreaterThan(0)
      expect(types.filter((t) => t.endsWith('FA')).length).toBeGreaterThan(0)
      for (const e of events) {
        for (const [kind, want] of Object.entries(expected[role(e._type)])) {
          const into = links.filter((l) => l.to_type === e._type && l.kind === kind)
          expect(into.length, `${kind} links into ${e._type}`).toBe(want.each * e.n)
          for (const l of into)
            expect(want.from, `${l.from_type} → ${l.to_type}`).toContain(role(l.from_type))
        }
        expect(links.filter((l) => l.to_type === e._type && !(l.kind in expected[role(e._type)]))).toEqual([])
      }
      // Quotes of stocks, option series and packages, and the events on their keys (cancelled, modified,
      // status, refusals reported afterwards), belong to no lifecycle; their keys are checked (no 3501 above).
      const quotes = await repo.db.all<{ _type: string; n: number; members: number }>(
        `SELECT e._type, count(*)::INTEGER AS n, count(m._event_id)::INTEGER AS members FROM current_events e
         LEFT JOIN linkage_members m ON m._event_id = e._event_id AND m.event_date = ${EVENT_DATE}
         WHERE regexp_matches(e._type, '^M[EOL](NQ|NQS|RQ|QR|QC|QM|QS|RQS)$') GROUP BY e._type`,
      )
      expect(
        [
          ...['MENQ', 'MENQS', 'MERQ', 'MEQR', 'MEQC', 'MEQM', 'MEQS', 'MERQS'],
          ...['MONQ', 'MORQ', 'MOQR', 'MOQC', 'MOQM'],
          ...['MLNQ', 'MLRQ', 'MLQR', 'MLQC', 'MLQM', 'MLQS'],
        ].filter((t) => !quotes.some((q) => q._type === t && q.n > 0)),
      ).toEqual([])
      expect(quotes.filter((q) => q.members > 0)).toEqual([])
    },
  )

  it.runIf(name.includes('options'))(
    "links each side's Option Trade on an exchange's floor: the broker's to its customer's order, the market maker's alone",
    async () => {
      const trades = await repo.db.all<{ tape: string; n: number; linked: number; alone: number }>(
        `SELECT e.tapeTradeID AS tape, count(*)::INTEGER AS n,
           count(DISTINCT l.to_event_id)::INTEGER AS linked,
           count(*) FILTER (WHERE (SELECT count(*) FROM linkage_members m2
             WHERE m2.event_date = ${EVENT_DATE} AND m2.lifecycle_id = m.lifecycle_id) = 1)::INTEGER AS alone
         FROM current_events e
         JOIN linkage_members m ON m._event_id = e._event_id AND m.event_date = ${EVENT_DATE}
         LEFT JOIN linkage_links l ON l.to_event_id = e._event_id AND l.event_date = ${EVENT_DATE}
           AND l.kind = 'execution'
         WHERE e._type = 'MOOT' GROUP BY e.tapeTradeID`,
      )
      expect(trades.length).toBeGreaterThan(0)
      // Two single-sided reports per floor trade: one linked from an order, one a lifecycle by itself.
      for (const t of trades) expect([t.tape, t.n, t.linked, t.alone]).toEqual([t.tape, 2, 1, 1])
      const truthMoots = truth.flatMap((lc) => lc.events.filter((e) => e.type === 'MOOT'))
      expect(truthMoots.length).toBe(2 * trades.length)
    },
  )

  it.runIf(name.includes('multi-leg'))(
    "links a package routed to an options exchange to the exchange's acceptance into its complex order book",
    async () => {
      const accepted = truth.filter((lc) => lc.events.some((e) => e.type === 'EXCA'))
      expect(accepted.length).toBeGreaterThan(0)
      for (const lc of accepted) {
        const exca = lc.events.find((e) => e.type === 'EXCA')!
        const found = await lookupLifecycle(repo.db, repo.paths, exca)
        expect(found.events.map(ref).sort()).toEqual(lc.events.map(ref).sort())
        const into = found.links.filter((l) => ref(l.to) === ref(exca))
        expect(into.map((l) => [l.kind, found.events.find((e) => ref(e) === ref(l.from))?.type])).toEqual([
          ['accept', 'MLOR'],
        ])
      }
    },
  )

  it.runIf(name.includes('multi-leg'))(
    "links multi-leg orders across firms: the receiver's lookup gives the sender's events too",
    async () => {
      const packages = truth.filter((lc) => lc.events.some((e) => e.type === 'MLNO'))
      expect(packages.length).toBeGreaterThan(20)
      const routed = packages.find((lc) => lc.events.some((e) => e.type === 'MLOM'))!
      const accept = routed.events.find((e) => e.type === 'MLOA')!
      const found = await lookupLifecycle(repo.db, repo.paths, accept)
      expect(found.events.map(ref).sort()).toEqual(routed.events.map(ref).sort())
      expect(new Set(found.links.map((l) => l.kind))).toEqual(new Set(routed.links.map((l) => l.kind)))
    },
  )
})

describe.each([
  // A seed whose day draws every fault kind asserted below (quote-route faults are rare).
  { name: 'equities', day: { seed: 24, orders: 1500, faults: 0.03, clockDriftMs: 150 } },
  {
    name: 'equities, options and multi-leg orders',
    day: { seed: 24, orders: 700, faults: 0.03, clockDriftMs: 150, ...OPTIONS_DAY },
  },
])('a simulated day of $name with injected faults', ({ name, day }) => {
  let repo: Repository
  let summary: LinkSummary
  let faults: TruthFault[]

  beforeAll(async () => {
    ;({ repo, summary, faults } = await simulateAndLink(day))
  }, 240_000)
  afterAll(() => repo?.close())

  it('reports each linkage fault to the reporter and to the counterparty with the expected codes', async () => {
    const rows = await repo.db.all<{
      recipient: string
      code: number
      subject_reporter: string
      subject_roe_id: string
      named: boolean
    }>(
      `SELECT recipient, code, subject_reporter, subject_roe_id, named FROM linkage_findings WHERE event_date = ${EVENT_DATE}`,
    )
    const own = new Set(
      rows.filter((r) => !r.named).map((r) => `${r.recipient} ${r.subject_roe_id} ${r.code}`),
    )
    const received = new Set(rows.map((r) => `${r.recipient} ${r.code}`))
    // A record refused at ingestion, or rejected as a duplicate (the first step of linkage), takes no part in
    // the later steps (IM spec §1.7, §4.3), so a later-step code the truth also puts on it cannot be given.
    const refused = new Set(
      faults
        .filter((f) => f.stage === 'ingestion' || f.codes.some((c) => c === 3002 || c === 3004))
        .map((f) => `${f.reporter} ${f.firmROEID}`),
    )
    // Out of sequence is measured against the event that established the key, a supplement's timestamp
    // against the event it supplements; when the truth also says that event is missing (keyNotFound on the
    // same record), there is nothing to measure against.
    const keyless = new Set(
      faults.filter((f) => f.kind === 'keyNotFound').map((f) => `${f.reporter} ${f.firmROEID}`),
    )
    const linkage = faults.filter(
      (f) =>
        f.stage === 'linkage' &&
        f.codes.length > 0 &&
        !(refused.has(`${f.reporter} ${f.firmROEID}`) && f.kind === 'keyNotFound') &&
        !(
          keyless.has(`${f.reporter} ${f.firmROEID}`) &&
          (f.kind === 'outOfSequence' || f.kind === 'supplementTimestamp')
        ),
    )
    expect(linkage.length).toBeGreaterThan(5)
    if (name === 'equities') {
      // The day carries trade-report and quote-route faults too, so TRF linkage (4xxx, named 5xxx) and the
      // Quote Route Key are checked here.
      expect(linkage.filter((f) => f.codes.some((c) => c >= 4000 && c < 5000)).length).toBeGreaterThan(0)
      expect(linkage.filter((f) => f.kind === 'receivedQuoteIdMismatch').length).toBeGreaterThan(0)
    } else {
      // Faults on option and multi-leg records: their routes to firms and to options exchanges are among them.
      const optionRoutes = await repo.db.all<{ r: string }>(
        `SELECT _reporter || ' ' || firmROEID AS r FROM current_events WHERE _type IN ('MOOR', 'MLOR')`,
      )
      const routes = new Set(optionRoutes.map((x) => x.r))
      expect(linkage.filter((f) => routes.has(`${f.reporter} ${f.firmROEID}`)).length).toBeGreaterThan(0)
      // A route modification or cancellation naming no route of its firm comes back as 3501.
      expect(linkage.filter((f) => f.kind === 'routeNotFound').length).toBeGreaterThan(0)
      // A supplement continuing its event (MEOTS, MEOMS, MOOMS) at another millisecond comes back as 3602.
      expect(linkage.filter((f) => f.kind === 'supplementTimestamp').length).toBeGreaterThan(0)
    }
    const missed: string[] = []
    for (const f of linkage) {
      for (const code of f.codes)
        if (!own.has(`${f.reporter} ${f.firmROEID} ${code}`))
          missed.push(`${f.kind}: ${f.reporter} ${f.firmROEID} ${code}`)
      if (f.counterparty) {
        for (const code of f.counterparty.codes) {
          if (!received.has(`${f.counterparty.reporter} ${code}`))
            missed.push(`${f.kind}: counterparty ${f.counterparty.reporter} ${code}`)
        }
      }
    }
    expect(missed).toEqual([])
  })

  it('reports nothing to a reporter that the truth does not label', async () => {
    const rows = await repo.db.all<{ recipient: string; code: number; subject_roe_id: string }>(
      `SELECT recipient, code, subject_roe_id FROM linkage_findings WHERE event_date = ${EVENT_DATE} AND NOT named`,
    )
    const labelled = new Set(faults.flatMap((f) => f.codes.map((c) => `${f.reporter} ${f.firmROEID} ${c}`)))
    expect(rows.length).toBeGreaterThan(0)
    // The truth labels the consequences of a rejected order on the records that refer to it, except through
    // a representative order's aggregatedOrders: a 3504 there is such a consequence.
    expect(
      rows
        .filter((r) => r.code !== 3504)
        .map((r) => `${r.recipient} ${r.subject_roe_id} ${r.code}`)
        .filter((r) => !labelled.has(r)),
    ).toEqual([])
  })

  it('flags the drifting firm', () => {
    const drifting = faults.filter((f) => f.kind === 'clockDrift').map((f) => f.reporter)
    expect(drifting.length).toBeGreaterThan(0)
    expect(summary.flagged.some((r) => drifting.includes(r))).toBe(true)
    expect(summary.flagged.filter((r) => !drifting.includes(r))).toEqual([])
  })
})
