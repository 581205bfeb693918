/**
 * The day index of a linked simulated day (store/days/, src/store/day-index.ts): written by the submission
 * that links the date, read by search, the day browser, market windows and replay, whose answers must be
 * the same as the store's views give with the index hidden (a replay's lifecycle ids as the linkage_keys
 * view gives them); a build whose source is no longer the store's is not read, and the next refresh
 * writes a new one; a correction and a delete submitted with `opencat submit` relink the date and write a
 * new build that answers as the store's views do.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkpointsOf } from '../../src/book/index.ts'
import { type ReplayItem, replayMarket, replayPage } from '../../src/book/market-replay.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { currentRuns, linkDate, originalRecords } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { blueSheet } from '../../src/query/bluesheet.ts'
import { customerActivity } from '../../src/query/customer.ts'
import { browseDay } from '../../src/query/day-browser.ts'
import { lifecycleGraph } from '../../src/query/lifecycle-graph.ts'
import { bookView, depthView, nbboView } from '../../src/query/market.ts'
import { marketWindow } from '../../src/query/market-window.ts'
import { search } from '../../src/query/search.ts'
import { repositorySummary } from '../../src/query/summary.ts'
import { dayIndexRoot, freshDayIndex, latestDayIndex } from '../../src/store/day-index.ts'
import { refreshDayIndexes } from '../../src/store/day-index-write.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'
import { writeSubmission } from '../support/submission.ts'

const DATE = 20260302
const REPLAY_FROM = '2026-03-02T09:30:00'
const REPLAY_TO = '2026-03-02T11:00:00'
let repoDir: string
/** Keys a search must answer alike: record, order and routed order ids, a symbol, a reporter. */
let keys: string[]
let symbol: string
/** Symbols a blue sheet is asked for (the replayed one and the two most traded) and accounts of the day. */
let sheetSymbols: string[]
let accounts: { reporter: string; fdid: string }[]
/** Orders whose lifecycle graphs (every version of every event) are compared. */
const graphKeys: { reporter: string; firmROEID: string }[] = []

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, faults: 0.03, seed: 31 })
  repoDir = join(day, '..', 'repo-day-index')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  const at = isoOrCatToNs('2026-03-02T20:00:00')
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: at })
  await linkDate(repo, DATE, { nowNs: at })
  const rows = await repo.db.all<{ roe: string; o: string | null; r: string | null; s: string; rep: string }>(
    `SELECT _roe_id AS roe, orderID AS o, routedOrderID AS r, symbol AS s, _reporter AS rep FROM events
     WHERE event_date = ${DATE} AND symbol IS NOT NULL ORDER BY _event_id LIMIT 400`,
  )
  const traded = await repo.db.all<{ s: string }>(
    `SELECT symbol AS s FROM current_events WHERE event_date = ${DATE} AND _type IN ('EXOT', 'MEOT', 'MEOF')
     GROUP BY ALL ORDER BY count(*) DESC, s LIMIT 2`,
  )
  accounts = await repo.db.all<{ reporter: string; fdid: string }>(
    `SELECT _reporter AS reporter, fdid FROM event_customers WHERE event_date = ${DATE}
     GROUP BY ALL ORDER BY count(*) DESC, reporter, fdid LIMIT 2`,
  )
  repo.close()
  const pick = (k: number) => rows[(k * 37) % rows.length]
  keys = [
    ...[0, 1, 2, 3].map((k) => pick(k).roe),
    ...[4, 5, 6].flatMap((k) => [pick(k).o, pick(k).r]).filter((x): x is string => x !== null),
    pick(7).s,
    pick(8).rep,
    'no-such-key',
  ]
  symbol = pick(9).s
  sheetSymbols = [symbol, ...traded.map((t) => t.s)]
  for (const k of [0, 1, 2, 3]) graphKeys.push({ reporter: pick(k).rep, firmROEID: pick(k).roe })
}, 240_000)

/** What the pages answer on a fresh read connection. */
async function answers(): Promise<unknown> {
  const repo = await openRepository(repoDir)
  try {
    const searches = []
    for (const k of keys) searches.push(await search(repo, k, DATE))
    const pages = []
    for (const q of [{}, { symbol }, { symbol, from: '10:00:00', to: '12:00:00' }, { reporter: keys[8] }]) {
      let page = await browseDay(repo, { eventDate: DATE, limit: 50, ...q })
      pages.push(page)
      for (let n = 0; page.next && n < 3; n++) {
        page = await browseDay(repo, { eventDate: DATE, limit: 50, ...q, after: page.next })
        pages.push(page)
      }
    }
    const from = isoOrCatToNs(REPLAY_FROM)
    const to = isoOrCatToNs('2026-03-02T16:00:00')
    const market = await marketWindow(repo, symbol, from, to)
    const replayed = await replayMarket(repo, [symbol], from, isoOrCatToNs(REPLAY_TO))
    // A window opening mid-day: its opening NBBO is the state the index's series holds at its start.
    const afternoon = await replayMarket(
      repo,
      sheetSymbols,
      isoOrCatToNs('2026-03-02T12:10:00'),
      isoOrCatToNs('2026-03-02T15:40:00'),
    )
    // Windows opening mid-day: the NBBO and each venue's quote in force at the start, then their changes.
    const markets = []
    for (const s of sheetSymbols)
      markets.push(
        await marketWindow(repo, s, isoOrCatToNs('2026-03-02T12:10:00'), isoOrCatToNs('2026-03-02T15:40:00')),
      )
    // Whole days thinned for a chart of a few spans: by the engine from the index, or rebuilt and thinned.
    const thinned = []
    const [open, close] = [isoOrCatToNs('2026-03-02T09:30:00'), isoOrCatToNs('2026-03-02T16:00:00')]
    for (const s of sheetSymbols)
      for (const spans of [4, 20]) thinned.push(await marketWindow(repo, s, open, close, { spans }))
    // Replay pages (the portal's replay table): read from the index's order, or cut from the whole replay.
    const replayPages = []
    for (const s of sheetSymbols)
      for (const [f, t] of [
        ['09:30:00', '16:00:00'],
        ['12:10:00', '15:40:00'],
      ]) {
        const [a, b] = [isoOrCatToNs(`2026-03-02T${f}`), isoOrCatToNs(`2026-03-02T${t}`)]
        const first = await replayPage(repo, s, a, b, 0, 40)
        replayPages.push(first)
        for (const offset of [37, Math.floor(first.total / 2), first.total - 5, first.total + 3])
          replayPages.push(await replayPage(repo, s, a, b, offset, 40))
      }
    // The NBBO at instants the replays show, first those holding several items (NBBO changes at one
    // nanosecond among them): from the index's series, or rebuilt from the book events with it hidden.
    const nbbo = []
    for (const s of sheetSymbols) {
      const seen = new Map<string, number>()
      for (const i of [...replayed, ...afternoon])
        if (i.symbol === s) seen.set(i.ns, (seen.get(i.ns) ?? 0) + 1)
      const shown = [...seen].sort((a, b) => b[1] - a[1]).map(([ns]) => ns)
      for (const ns of shown.slice(0, 12)) nbbo.push(await nbboView(repo, s, BigInt(ns)))
    }
    // Each venue's book at instants across the day (from the index's checkpoints, or built from the day).
    const books = []
    for (const venue of market.venues)
      for (const at of ['09:30:00', '10:15:00.5', '12:00:00', '15:59:59']) {
        const ns = isoOrCatToNs(`2026-03-02T${at}`)
        books.push(await bookView(repo, { venue, symbol, ns, depth: 5, orders: true }))
      }
    // The NBBO and every venue's book at once, as the portal's depth asks: one read of the venues' records.
    const depths = []
    for (const s of sheetSymbols)
      for (const at of ['09:30:00', '11:11:11.111', '15:59:59'])
        depths.push(await depthView(repo, s, isoOrCatToNs(`2026-03-02T${at}`), 3))
    // The overview's counts: from the index's counts and the run's summary, or from the store's views.
    const summary = await repositorySummary(repo)
    // Lifecycle graphs with every version of each event: current ones from the index, or from the files.
    const graphs = []
    for (const key of graphKeys) graphs.push(await lifecycleGraph(repo, key).catch((e: Error) => e.message))
    const sheets = []
    for (const s of sheetSymbols) sheets.push(await blueSheet(repo, s, DATE, DATE))
    const customers = []
    for (const a of accounts) customers.push(await customerActivity(repo, a, DATE, DATE))
    return JSON.parse(
      JSON.stringify(
        {
          searches,
          pages,
          market,
          markets,
          thinned,
          replay: replayed,
          replayPages,
          afternoon,
          nbbo,
          books,
          depths,
          summary,
          graphs,
          sheets,
          customers,
        },
        (_, v) => (typeof v === 'bigint' ? String(v) : v),
      ),
    )
  } finally {
    repo.close()
  }
}

/** Each replayed event as `reporter firmROEID lifecycle ids`, sorted. */
function replayedLifecycles(items: readonly ReplayItem[]): string[] {
  return items
    .flatMap((i) => (i.kind === 'event' ? [`${i.reporter} ${i.firmROEID} ${i.lifecycleIds.join(',')}`] : []))
    .sort()
}

/** The same from the store's views: the window's current events joined with linkage_keys by version. */
async function keysViewLifecycles(repo: Repository): Promise<string[]> {
  const rows = await repo.db.all<{ t: string }>(
    `SELECT e._reporter || ' ' || e._roe_id || ' ' ||
            coalesce(array_to_string(list(DISTINCT k.lifecycle_id ORDER BY k.lifecycle_id) FILTER (WHERE k.lifecycle_id IS NOT NULL), ','), '') AS t
     FROM current_events e LEFT JOIN linkage_keys k ON k._event_id = e._event_id
     WHERE e.event_date = $1 AND e.symbol = $2 AND e._event_ns BETWEEN $3 AND $4
     GROUP BY e._event_id, e._reporter, e._roe_id`,
    [DATE, symbol, isoOrCatToNs(REPLAY_FROM), isoOrCatToNs(REPLAY_TO)],
  )
  return rows.map((r) => r.t).sort()
}

async function withRepo<T>(fn: (repo: Repository) => Promise<T>, write = false): Promise<T> {
  const repo = await openRepository(repoDir, { write })
  try {
    return await fn(repo)
  } finally {
    repo.close()
  }
}

describe('the day index', () => {
  it('is written when the date is linked, fresh, with every current version and identifier', async () => {
    const index = await withRepo((repo) => freshDayIndex(repo, DATE))
    expect(index, 'no fresh day index after the submission that linked the date').toBeDefined()
    const counts = await withRepo((repo) =>
      repo.db.one<{ current: string; versions: string }>(
        `SELECT (SELECT count(*) FROM current_events WHERE event_date = ${DATE})::VARCHAR AS current,
                (SELECT count(*) FROM events WHERE event_date = ${DATE})::VARCHAR AS versions`,
      ),
    )
    expect(index!.manifest.rows.current).toBe(Number(counts!.current))
    expect(index!.manifest.rows.identifiers).toBeGreaterThanOrEqual(Number(counts!.versions))
    expect(readdirSync(join(index!.dir, 'current')).length).toBe(index!.manifest.currentBuckets)
  })

  it('gives the same search, browse, market, replay, blue sheet and customer answers as the store views with the index hidden', async () => {
    // The index holds what replay and blue sheets read instead of rebuilding the NBBO from the open and
    // scanning every key file: the NBBO series and the current run's lifecycle rows.
    const index = await withRepo((repo) => freshDayIndex(repo, DATE))
    const run = await withRepo(async (repo) => currentRuns(repo.paths).get(DATE))
    expect(index?.manifest.parts.nbbo, 'no NBBO series in the day index').toBeGreaterThan(0)
    expect(index?.manifest.rows.lifecycles, 'no lifecycle rows in the day index').toBeGreaterThan(0)
    expect(index?.manifest.lifecycleRun).toBe(run)
    const indexed = await answers()
    // The books came from the index's checkpoints, some of them from a checkpoint after the open.
    const checkpoints = await withRepo(async (repo) => {
      const venues = (indexed as { market: { venues: string[] } }).market.venues
      return Promise.all(venues.map((v) => checkpointsOf(repo, v, symbol, DATE)))
    })
    expect(checkpoints.map((c) => c.indexed)).toEqual(checkpoints.map(() => true))
    expect(checkpoints.some((c) => c.checkpoints.length > 0)).toBe(true)
    // Some series were thinned (they hold more than 8 steps per span).
    const thin = (indexed as { thinned: { nbbo: unknown[]; thinned: { nbbo: number } }[] }).thinned
    expect(thin.some((w) => w.nbbo.length < w.thinned.nbbo)).toBe(true)
    const opening = (indexed as { afternoon: ReplayItem[] }).afternoon.filter(
      (i) => i.kind === 'nbbo' && i.ns === String(isoOrCatToNs('2026-03-02T12:10:00')),
    )
    expect(opening.length, 'no NBBO in force at the afternoon window’s start').toBeGreaterThan(0)
    const root = dayIndexRoot((await withRepo(async (r) => r.paths)) as never, DATE)
    renameSync(root, `${root}.hidden`)
    try {
      const exact = await answers()
      expect(indexed).toEqual(exact)
      // A replay's lifecycle ids, read by key hash from the buckets holding them, are linkage's own.
      const replayed = await withRepo((repo) =>
        replayMarket(repo, [symbol], isoOrCatToNs(REPLAY_FROM), isoOrCatToNs(REPLAY_TO)),
      )
      const viaKeysView = await withRepo(keysViewLifecycles)
      expect(replayedLifecycles(replayed)).toEqual(viaKeysView)
      expect(viaKeysView.filter((t) => !t.endsWith(' ')).length).toBeGreaterThan(0)
      const found = (exact as { searches: { hits: unknown[] }[] }).searches.filter((s) => s.hits.length > 0)
      expect(found.length).toBeGreaterThanOrEqual(keys.length - 1)
      const { sheets, customers } = exact as { sheets: unknown[][]; customers: { events: unknown[] }[] }
      expect(sheets.flat().length, 'no blue sheet line to compare').toBeGreaterThan(0)
      expect(customers.every((c) => c.events.length > 0)).toBe(true)
    } finally {
      renameSync(`${root}.hidden`, root)
    }
  }, 120_000)

  it("counts the overview from the index and the linkage run's summary as the store's views count it", async () => {
    const [summary, counted] = await withRepo(async (repo) => [
      await repositorySummary(repo),
      await repo.db.all<{ event_date: number; records: string; reporters: string; lifecycles: string }>(
        `SELECT e.event_date, count(*)::VARCHAR AS records, count(DISTINCT e._reporter)::VARCHAR AS reporters,
                (SELECT count(DISTINCT lifecycle_id) FROM linkage_members m WHERE m.event_date = e.event_date)::VARCHAR AS lifecycles
           FROM current_events e GROUP BY e.event_date ORDER BY e.event_date`,
      ),
    ])
    expect(Number(summary.dates[0]?.lifecycles)).toBeGreaterThan(0)
    expect(summary.dates).toEqual(counted)
  })

  it("answers the depth at an instant as the NBBO and each venue's book answer on their own", async () => {
    await withRepo(async (repo) => {
      const ns = isoOrCatToNs('2026-03-02T11:11:11.111')
      const depth = await depthView(repo, symbol, ns, 4)
      expect(depth.books.map((b) => b.venue)).toEqual((await marketWindow(repo, symbol, ns, ns)).venues)
      expect(depth.nbbo).toEqual(await nbboView(repo, symbol, ns))
      for (const b of depth.books)
        expect(b).toEqual(await bookView(repo, { venue: b.venue, symbol, ns, depth: 4 }))
      expect(depth.books.some((b) => b.bids.length > 0 && b.asks.length > 0)).toBe(true)
    })
  })

  it('gives each venue’s quote in a market window as the venue’s book at that instant gives it', async () => {
    const checked = await withRepo(async (repo) => {
      const w = await marketWindow(repo, symbol, isoOrCatToNs(REPLAY_FROM), isoOrCatToNs(REPLAY_TO))
      let n = 0
      for (const { venue, steps } of w.venueQuotes) {
        expect(steps.length, `no quote of ${venue} in the window`).toBeGreaterThan(0)
        // The first quote (the one in force at the window's start, if the venue had quoted by then) and a
        // spread of later ones, each against the venue's book replayed to its instant.
        for (const step of steps.filter((_, i) => i % Math.ceil(steps.length / 12) === 0)) {
          const book = await bookView(repo, { venue, symbol, ns: BigInt(step.ns), depth: 1 })
          const [bid] = book.status === 'H' ? [] : book.bids
          const [ask] = book.status === 'H' ? [] : book.asks
          expect(
            [step.bid, step.bidSize, step.ask, step.askSize],
            `${venue} ${symbol} at ${step.at}`,
          ).toEqual([bid?.price ?? null, bid?.size ?? '0', ask?.price ?? null, ask?.size ?? '0'])
          n++
        }
      }
      return n
    })
    expect(checked).toBeGreaterThan(12)
  }, 120_000)

  it('is not read once its source is no longer the store’s, and is written again by the next refresh', async () => {
    const paths = await withRepo(async (r) => r.paths)
    const latest = latestDayIndex(paths, DATE)!
    const manifest = join(latest.dir, 'manifest.json')
    const original = readFileSync(manifest, 'utf8')
    writeFileSync(manifest, original.replace(/"source": "[0-9a-f]+"/, '"source": "0"'))
    expect(await withRepo((repo) => freshDayIndex(repo, DATE))).toBeUndefined()
    const written = await withRepo((repo) => refreshDayIndexes(repo, [DATE]), true)
    expect(written[0].written).toBe(true)
    expect(written[0].build).toBe(Number(/build=(\d+)/.exec(latest.dir)![1]) + 1)
    const fresh = await withRepo((repo) => freshDayIndex(repo, DATE))
    expect(fresh?.manifest.source).toBe(JSON.parse(original).source)
    expect(existsSync(latest.dir), 'the build before the latest is kept for readers still on it').toBe(true)
    const again = await withRepo((repo) => refreshDayIndexes(repo, [DATE]), true)
    expect(again[0].written).toBe(false)
  }, 120_000)
})

describe('after a correction and a delete submitted with opencat submit', () => {
  /** The corrected order and the deleted one: reporter, firmROEID, and the corrected quantity. */
  let corrected: { reporter: string; roe: string; quantity: string }
  let deleted: { reporter: string; roe: string }
  let before: number

  beforeAll(async () => {
    const paths = await withRepo(async (r) => r.paths)
    before = Number(/build=(\d+)/.exec(latestDayIndex(paths, DATE)!.dir)![1])
    // Two new orders of one reporter in the replayed symbol and window, the first with its original line.
    const picked = await withRepo(async (repo) => {
      const rows = await repo.db.all<{
        id: string
        file: number
        line: number
        reporter: string
        roe: string
        submitter: string
      }>(
        `SELECT e._event_id::VARCHAR AS id, e._file_id::INTEGER AS file, e._line::INTEGER AS line,
                e._reporter AS reporter, e._roe_id AS roe, f.submitter_id::VARCHAR AS submitter
         FROM current_events e JOIN files f ON f.file_id = e._file_id
         WHERE e.event_date = $1 AND e.symbol = $2 AND e._type = 'MENO' AND e._event_ns BETWEEN $3 AND $4
           AND e._reporter = (SELECT _reporter FROM current_events WHERE event_date = $1 AND symbol = $2
                              AND _type = 'MENO' AND _event_ns BETWEEN $3 AND $4
                              GROUP BY ALL HAVING count(*) >= 2 ORDER BY count(*) DESC, 1 LIMIT 1)
         ORDER BY e._event_ns, e._event_id LIMIT 2`,
        [DATE, symbol, isoOrCatToNs(REPLAY_FROM), isoOrCatToNs(REPLAY_TO)],
      )
      const lines = await originalRecords(
        repo,
        DATE,
        rows.map((r) => ({ eventId: r.id, fileId: r.file, line: r.line })),
      )
      return { rows, original: lines.get(rows[0].id)! }
    })
    expect(picked.rows).toHaveLength(2)
    const [order, other] = picked.rows
    const record = JSON.parse(picked.original) as Record<string, unknown>
    const quantity = String(Number(record.quantity) + 7)
    corrected = { reporter: order.reporter, roe: order.roe, quantity }
    graphKeys.push({ reporter: order.reporter, firmROEID: order.roe })
    deleted = { reporter: other.reporter, roe: other.roe }
    const dir = join(repoDir, '..', 'day-index-corrections')
    writeSubmission(dir, {
      submitter: order.submitter,
      reporter: order.reporter,
      number: 901,
      lines: [
        JSON.stringify({
          ...record,
          actionType: 'COR',
          quantity: typeof record.quantity === 'number' ? Number(quantity) : quantity,
        }),
        JSON.stringify({ actionType: 'DEL', firmROEID: other.roe }),
      ],
    })
    const sub = await runCli(['submit', '--repo', repoDir, '--at', '2026-03-02T21:00:00', '--json', dir])
    expect(sub.code, sub.stderr).toBe(0)
    const result = JSON.parse(sub.stdout) as { accepted: number; rejected: number }
    expect([result.accepted, result.rejected]).toEqual([2, 0])
  }, 240_000)

  it('relinked the date and wrote a new build from the corrected store, which is read', async () => {
    const paths = await withRepo(async (r) => r.paths)
    const latest = latestDayIndex(paths, DATE)!
    expect(Number(/build=(\d+)/.exec(latest.dir)![1])).toBeGreaterThan(before)
    const fresh = await withRepo((repo) => freshDayIndex(repo, DATE))
    expect(fresh?.dir, 'the build written after the correction is not fresh').toBe(latest.dir)
    const current = await withRepo((repo) =>
      repo.db.one<{ n: string }>(
        `SELECT count(*)::VARCHAR AS n FROM current_events WHERE event_date = ${DATE}`,
      ),
    )
    expect(fresh!.manifest.rows.current).toBe(Number(current!.n))
  })

  it('answers search, browse, market, replay, blue sheets and customers as the store views do, with the corrected values', async () => {
    const indexed = (await answers()) as {
      searches: { hits: { kind: string; firmROEID?: string; versions?: number }[] }[]
      replay: { kind: string; reporter?: string; firmROEID?: string; quantity?: string }[]
    }
    const root = dayIndexRoot((await withRepo(async (r) => r.paths)) as never, DATE)
    renameSync(root, `${root}.hidden`)
    let exact: unknown
    let viaKeysView: string[]
    try {
      exact = await answers()
      viaKeysView = await withRepo(keysViewLifecycles)
    } finally {
      renameSync(`${root}.hidden`, root)
    }
    expect(indexed).toEqual(exact)
    expect(replayedLifecycles(indexed.replay as ReplayItem[])).toEqual(viaKeysView)
    // The corrected order is replayed with its new quantity; the deleted one is gone.
    const mine = (roe: string) =>
      indexed.replay.filter(
        (i) => i.kind === 'event' && i.reporter === corrected.reporter && i.firmROEID === roe,
      )
    expect(mine(corrected.roe).map((i) => i.quantity)).toEqual([corrected.quantity])
    expect(mine(deleted.roe)).toEqual([])
    // Its lifecycle graph lists both versions of it, the correction last, with the new quantity.
    const graph = await withRepo((repo) =>
      lifecycleGraph(repo, { reporter: corrected.reporter, firmROEID: corrected.roe }),
    )
    const node = graph.nodes.find((n) => n.reporter === corrected.reporter && n.firmROEID === corrected.roe)
    expect(node?.versions.map((v) => v.action)).toEqual(['NEW', 'COR'])
    expect(node?.versions[1]?.fields.quantity).toBe(corrected.quantity)
    // A search by its firmROEID finds both of the corrected order's versions.
    const found = await withRepo((repo) => search(repo, corrected.roe, DATE))
    const hit = (
      found.hits as { kind: string; reporter?: string; firmROEID?: string; versions?: number }[]
    ).find((h) => h.kind === 'event' && h.reporter === corrected.reporter && h.firmROEID === corrected.roe)
    expect(hit?.versions).toBe(2)
  }, 120_000)
})
