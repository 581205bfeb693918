/**
 * The portal's market, replay, blue sheet and dashboard routes on a simulated day, each answer checked
 * against the command line (`opencat market`, `replay`, `book`, `bluesheet`, `report-card`) or the day's
 * files: one submitter's files arrive the next morning, late, so the dashboard has late reporters to show.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository, openRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { type PortalClient, tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
const NEXT = '2026-03-03'
let portal: Portal
let client: PortalClient
let repoDir: string
/** Files submitted on the day and the next morning; the submitter that was late and its reporters. */
let onTime: string[]
let lateFiles: string[]
let lateReporters: string[]
/** A busy symbol, a window of its trading, and its busiest venue. */
let win: { symbol: string; venue: string; from: string; to: string }

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)],
  )
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 500, customers: 80, faults: 0.05 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  const subs = join(day, 'submissions')
  const submitters = readdirSync(subs).sort()
  // A firm's submitter (its folder holds OrderEvents) sends its files after the T+1 08:00 deadline.
  const late = submitters.find((s) => filesUnder(join(subs, s)).some((f) => f.includes('_OrderEvents_')))!
  onTime = submitters.filter((s) => s !== late).flatMap((s) => filesUnder(join(subs, s)))
  lateFiles = filesUnder(join(subs, late))
  lateReporters = [
    ...new Set(
      lateFiles.filter((f) => f.includes('_OrderEvents_')).map((f) => f.split('/').pop()!.split('_')[1]),
    ),
  ].sort()
  await submitFiles(repo, [...submitters.filter((s) => s !== late).map((s) => join(subs, s))], {
    nowNs: isoOrCatToNs(`${DATE}T20:00:00`),
  })
  await linkDate(repo, 20260302, { nowNs: isoOrCatToNs(`${DATE}T20:00:00`) })
  await submitFiles(repo, [join(subs, late)], { nowNs: isoOrCatToNs(`${NEXT}T09:30:00`) })
  const top = await repo.db.one<{ venue: string; symbol: string; ns: string }>(
    `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
     WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 1`,
  )
  repo.close()
  // Ten minutes of the busiest symbol around the middle of its trading, in Eastern Time.
  const mid = await runCli(['nbbo', '--repo', repoDir, '--symbol', top!.symbol, '--at', top!.ns, '--json'])
  const at = (JSON.parse(mid.stdout) as { at: string }).at
  const hh = Number(at.slice(9, 11))
  const mm = Number(at.slice(11, 13))
  const clock = (m: number) =>
    `${String(hh + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`
  win = { symbol: top!.symbol, venue: top!.venue, from: clock(mm), to: clock(mm + 10) }
  portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100 })
  client = await tokenClient(portal, repoDir, 'analyst')
}, 240_000)

afterAll(async () => {
  await portal?.close()
})

async function api<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await client.get(path)
  expect(res.status, `${path}: ${res.text}`).toBe(200)
  return res.json<T>()
}

async function cli<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--repo', repoDir, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as T
}

describe('GET /api/market', () => {
  it('answers as opencat market: NBBO band, venues, trades, crossed and locked spells', async () => {
    const q = `symbol=${win.symbol}&date=${DATE}&from=${win.from}&to=${win.to}`
    const answer = await api<{ nbbo: unknown[]; trades: unknown[]; venues: string[] }>(`/api/market?${q}`)
    const expected = await cli([
      'market',
      '--date',
      DATE,
      '--symbol',
      win.symbol,
      '--from',
      win.from,
      '--to',
      win.to,
    ])
    expect(answer).toEqual(expected)
    expect(answer.nbbo.length).toBeGreaterThan(1)
    expect(answer.venues).toContain(win.venue)
  })

  it('thins a window for a chart of few spans to steps of the full one, as opencat market --spans does', async () => {
    type Step = { ns: string; bid: string | null; ask: string | null }
    type Window = {
      fromNs: string
      toNs: string
      nbbo: Step[]
      venueQuotes: { venue: string; steps: Step[] }[]
      trades: { ns: string; price: string | null }[]
      intervals: unknown[]
      thinned?: { spans: number; nbbo: number; venueQuotes: number[]; trades: number }
    }
    const spans = 3
    const q = `symbol=${win.symbol}&date=${DATE}&from=09:30:00&to=16:00:00`
    const full = await api<Window>(`/api/market?${q}`)
    const thin = await api<Window>(`/api/market?${q}&spans=${spans}`)
    const window = ['--date', DATE, '--symbol', win.symbol, '--from', '09:30:00', '--to', '16:00:00']
    expect(await cli(['market', ...window, '--spans', String(spans)])).toEqual(thin)
    expect(full.thinned).toBeUndefined()
    expect(thin.thinned).toEqual({
      spans,
      nbbo: full.nbbo.length,
      venueQuotes: full.venueQuotes.map((v) => v.steps.length),
      trades: full.trades.length,
    })
    expect(thin.nbbo.length, 'the day is too quiet to need thinning').toBeLessThan(full.nbbo.length)
    expect(thin.intervals).toEqual(full.intervals)
    const from = BigInt(full.fromNs)
    const width = BigInt(full.toNs) - from + 1n
    const span = (ns: string) => Number(((BigInt(ns) - from) * BigInt(spans)) / width)
    const cents = (p: string | null) => (p === null ? null : Math.round(Number(p) * 1e8))
    /** Each span's first and last instant and each side's highest and lowest price. */
    const shape = (steps: readonly Step[]) => {
      const out = new Map<number, (string | number | null)[]>()
      for (const s of steps) {
        const [b, a] = [cents(s.bid), cents(s.ask)]
        const was = out.get(span(s.ns)) ?? [s.ns, s.ns, b, b, a, a]
        const hi = (v: number | null, w: unknown) =>
          v === null ? w : w === null ? v : Math.max(v, w as number)
        const lo = (v: number | null, w: unknown) =>
          v === null ? w : w === null ? v : Math.min(v, w as number)
        out.set(span(s.ns), [
          was[0],
          s.ns,
          hi(b, was[2]),
          lo(b, was[3]),
          hi(a, was[4]),
          lo(a, was[5]),
        ] as never)
      }
      return out
    }
    const subsequence = (kept: readonly unknown[], all: readonly unknown[]) => {
      const keys = all.map((x) => JSON.stringify(x))
      let i = 0
      for (const k of kept.map((x) => JSON.stringify(x))) {
        while (i < keys.length && keys[i] !== k) i++
        expect(i, `${k} is not a step of the full window`).toBeLessThan(keys.length)
      }
    }
    const series: [Step[], Step[]][] = [
      [thin.nbbo, full.nbbo],
      ...thin.venueQuotes.map((v, i) => [v.steps, full.venueQuotes[i].steps] as [Step[], Step[]]),
      [
        thin.trades.map((t) => ({ ns: t.ns, bid: t.price, ask: t.price })),
        full.trades.map((t) => ({ ns: t.ns, bid: t.price, ask: t.price })),
      ],
    ]
    for (const [kept, all] of series) {
      expect(kept.length).toBeLessThanOrEqual(Math.min(all.length, 8 * spans))
      subsequence(kept, all)
      expect(shape(kept)).toEqual(shape(all))
    }
    const bad = await client.get(`/api/market?${q}&spans=0`)
    expect([bad.status, bad.json().code]).toEqual([400, 'OCAT_ERR_CLI_USAGE'])
  })

  it('refuses a window that ends before it starts, and an unknown symbol, with a code', async () => {
    const back = await client.get(
      `/api/market?symbol=${win.symbol}&date=${DATE}&from=${win.to}&to=${win.from}`,
    )
    expect(back.status).toBe(400)
    expect(back.json().code).toBe('OCAT_ERR_CLI_USAGE')
    const none = await client.get(`/api/market?symbol=NOSUCH&date=${DATE}&from=10:00:00&to=10:01:00`)
    expect(none.status).toBe(404)
    expect(none.json().code).toBe('OCAT_ERR_NOT_FOUND')
  })
})

interface ReplayPage {
  total: number
  next: number | null
  items: {
    kind: string
    ns: string
    reporter?: string
    nbboAfter?: { bid: string | null; ask: string | null }
    bookAfter?: {
      venue: string
      bids: { price: string; size: string }[]
      asks: { price: string; size: string }[]
    }
  }[]
}

describe('GET /api/replay', () => {
  it("pages through opencat replay's items, each event with the NBBO and its venue's book after it", async () => {
    const q = `symbol=${win.symbol}&date=${DATE}&from=${win.from}&to=${win.to}`
    const items: ReplayPage['items'] = []
    let offset: number | null = 0
    let total = 0
    while (offset !== null) {
      const page: ReplayPage = await api<ReplayPage>(`/api/replay?${q}&limit=50&offset=${offset}`)
      items.push(...page.items)
      total = page.total
      offset = page.next
    }
    const r = await runCli([
      'replay',
      '--repo',
      repoDir,
      '--symbols',
      win.symbol,
      '--from',
      `${DATE}T${win.from}`,
      '--to',
      `${DATE}T${win.to}`,
      '--json',
    ])
    const expected = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(total).toBe(expected.length)
    expect(total).toBeGreaterThan(50)
    expect(items.map(({ nbboAfter: _n, bookAfter: _b, ...it }) => it)).toEqual(expected)
    // A firm's event (no book of its own) carries the NBBO after it too.
    const firmEvent = items.find((it) => it.kind === 'event' && !it.bookAfter)!
    const atFirm = await cli<{ bid: string | null; ask: string | null }>([
      'nbbo',
      '--symbol',
      win.symbol,
      '--at',
      firmEvent.ns,
    ])
    expect([firmEvent.nbboAfter!.bid, firmEvent.nbboAfter!.ask]).toEqual([atFirm.bid, atFirm.ask])
    // Without books (depth=0), the same items and the same NBBO after each.
    const bare = await api<ReplayPage>(`/api/replay?${q}&limit=2000&depth=0`)
    expect(bare.items.some((it) => it.bookAfter)).toBe(false)
    expect(bare.items.map((it) => it.nbboAfter)).toEqual(items.map((it) => it.nbboAfter))
    // The book after a venue's event is the one opencat book gives at its instant.
    const venueEvents = items.filter((it) => it.bookAfter)
    expect(venueEvents.length).toBeGreaterThan(0)
    for (const it of [venueEvents[0], venueEvents[Math.floor(venueEvents.length / 2)], venueEvents.at(-1)!]) {
      const book = await cli<{ bids: unknown[]; asks: unknown[] }>([
        'book',
        '--venue',
        it.bookAfter!.venue,
        '--symbol',
        win.symbol,
        '--at',
        it.ns,
        '--depth',
        '5',
      ])
      expect(it.bookAfter!.bids).toEqual(book.bids)
      expect(it.bookAfter!.asks).toEqual(book.asks)
      const nbbo = await cli<{ bid: string | null; ask: string | null }>([
        'nbbo',
        '--symbol',
        win.symbol,
        '--at',
        it.ns,
      ])
      expect([it.nbboAfter!.bid, it.nbboAfter!.ask]).toEqual([nbbo.bid, nbbo.ask])
    }
  }, 120_000)
})

describe('GET /api/bluesheet', () => {
  it('answers as opencat bluesheet', async () => {
    const answer = await api<{ rows: unknown[] }>(
      `/api/bluesheet?symbol=${win.symbol}&from=${DATE}&to=${DATE}`,
    )
    const expected = await cli(['bluesheet', '--symbol', win.symbol, '--from', DATE, '--to', DATE])
    expect(answer).toEqual(expected)
    expect(answer.rows.length).toBeGreaterThan(0)
    const bad = await client.get(`/api/bluesheet?symbol=${win.symbol}&from=${NEXT}&to=${DATE}`)
    expect(bad.status).toBe(400)
  })
})

interface Dash {
  totals: { files: number; records: number; rejected: number; lateFiles: number; lateRecords: number }
  stages: { stage: string; files: number; medianSeconds: number; p95Seconds: number; maxSeconds: number }[]
  reporters: {
    reporter: string
    records: number
    rejected: number
    lateRecords: number
    linkageErrors: number
  }[]
  lateReporters: { reporter: string; records: number }[]
  linkage: { lifecycles: number; linked: number; unlinked: number; rate: number } | null
}

describe('GET /api/dashboard', () => {
  it("counts the day's files and each reporter's records and errors as its report card does", async () => {
    const dash = await api<Dash>(`/api/dashboard?date=${DATE}`)
    expect(dash.totals.files).toBe(onTime.length)
    expect(dash.lateReporters).toEqual([])
    const eventReporters = dash.reporters.filter((r) => r.records > 0 && !/^\d+$/.test(r.reporter))
    expect(eventReporters.length).toBeGreaterThan(3)
    let rejected = 0
    for (const r of eventReporters) {
      const card = await cli<{ records: number; stages: { stage: string; errors: number }[] }>([
        'report-card',
        '--reporter',
        r.reporter,
        '--date',
        DATE,
      ])
      expect(r.records, r.reporter).toBe(card.records)
      expect(r.rejected, r.reporter).toBe(card.stages.find((s) => s.stage === 'ingestion')!.errors)
      rejected += r.rejected
    }
    expect(rejected, 'the faults planted give rejects').toBeGreaterThan(0)
    for (const s of ['FILE_ACKNOWLEDGEMENT', 'FILE_INTEGRITY', 'INGESTION'])
      expect(dash.stages.find((x) => x.stage === s)?.files, s).toBeGreaterThan(0)
    for (const s of dash.stages) {
      expect(s.medianSeconds).toBeLessThanOrEqual(s.p95Seconds)
      expect(s.p95Seconds).toBeLessThanOrEqual(s.maxSeconds)
    }
  }, 120_000)

  it("gives the linkage rate and lifecycles of the date's current run", async () => {
    const dash = await api<Dash>(`/api/dashboard?date=${DATE}`)
    // The linkage views of a read-only connection: the lifecycles and errors of the current run.
    const repo = await openRepository(repoDir)
    const row = await repo.db.one<{ lifecycles: bigint; errors: bigint }>(
      `SELECT count(DISTINCT lifecycle_id) AS lifecycles,
              (SELECT count(*) FROM linkage_findings WHERE event_date = 20260302 AND severity = 'Error' AND NOT named) AS errors
       FROM linkage_members WHERE event_date = 20260302`,
    )
    repo.close()
    expect(dash.linkage?.lifecycles).toBe(Number(row!.lifecycles))
    expect(dash.reporters.reduce((n, r) => n + r.linkageErrors, 0)).toBe(Number(row!.errors))
    expect(dash.linkage!.rate).toBeCloseTo(
      dash.linkage!.linked / (dash.linkage!.linked + dash.linkage!.unlinked),
      12,
    )
    expect(dash.linkage!.rate).toBeGreaterThan(0.5)
  })

  it('names the late reporters of the next morning with their late records', async () => {
    const dash = await api<Dash>(`/api/dashboard?date=${NEXT}`)
    expect(dash.totals.files).toBe(lateFiles.length)
    expect(dash.lateReporters.map((r) => r.reporter).sort()).toEqual(lateReporters)
    for (const r of dash.lateReporters) {
      // Every record of a late file is late; the report card counts those accepted (rejected ones are errors already).
      const card = await cli<{ records: number; late: number }>([
        'report-card',
        '--reporter',
        r.reporter,
        '--date',
        NEXT,
      ])
      expect(r.records, r.reporter).toBe(card.records)
      expect(card.late, r.reporter).toBeGreaterThan(0)
      expect(card.late, r.reporter).toBeLessThanOrEqual(r.records)
    }
  })

  it('refuses a malformed date with 400', async () => {
    expect((await client.get('/api/dashboard?date=2026-3-2')).status).toBe(400)
  })
})
