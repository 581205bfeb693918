/**
 * The market kept in memory (symbol days, src/book/symbol-day.ts) answers exactly as the store read per
 * question does: books and NBBOs of a simulated day at every kind of instant (before the first event, on an
 * event's nanosecond, one before it, after the last), with a budget large enough, and one too small for the
 * day; and a submission that adds a venue's events is seen by the next read (books, NBBOs and the portal's
 * summary), not hidden by the memory.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setSymbolDayBudget } from '../../src/book/index.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { bookView, nbboView } from '../../src/query/market.ts'
import { startPortal } from '../../src/server/server.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import { tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const AT = isoOrCatToNs('2026-03-02T20:00:00')
let day: string
let repoDir: string
/** The submitter folder of one exchange, held back from the first submission. */
let heldBack: string
let heldVenue: string

beforeAll(async () => {
  day = await simulatedDay({ orders: 300, customers: 40 })
  repoDir = join(day, '..', 'repo')
  const submissions = join(day, 'submissions')
  const exchanges = readdirSync(submissions).filter((d) =>
    readdirSync(join(submissions, d)).some(
      (f) => f.includes('_ExchangeEvents_') && !f.includes('_FINRA_') && f.endsWith('.json.bz2'),
    ),
  )
  heldBack = join(submissions, exchanges[0])
  heldVenue = readdirSync(heldBack)[0].split('_')[1]
  const repo = await initRepository(repoDir, join(day, 'reference'))
  await submitFiles(
    repo,
    readdirSync(submissions)
      .map((d) => join(submissions, d))
      .filter((d) => d !== heldBack),
    { nowNs: AT },
  )
  repo.close()
}, 180_000)

afterEach(() => setSymbolDayBudget(0))

/** The summary a portal on the repository answers (the portal closed again, so a writer may follow). */
async function portalSummary(user: string): Promise<{ reporters: { reporter: string }[] }> {
  const portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 50 })
  try {
    const client = await tokenClient(portal, repoDir, user)
    const r = await client.get('/api/summary')
    expect(r.status, r.text).toBe(200)
    return r.json()
  } finally {
    await portal.close()
  }
}

/** The busiest venue/symbol pairs and instants around their events. */
async function instantsOf(repo: Repository, pairs = 2) {
  const busy = await repo.db.all<{ venue: string; symbol: string }>(
    `SELECT _reporter AS venue, symbol FROM current_events WHERE _type IN ('EXOA', 'EXQT')
     GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT ${pairs}`,
  )
  const out: { venue: string; symbol: string; ns: bigint }[] = []
  for (const b of busy) {
    const times = await repo.db.all<{ ns: string }>(
      `SELECT DISTINCT CAST(_event_ns AS VARCHAR) AS ns FROM current_events
       WHERE _reporter = $1 AND symbol = $2 AND _type LIKE 'EX%' ORDER BY ns`,
      [b.venue, b.symbol],
    )
    const picked = times.filter((_, i) => i % Math.max(1, Math.floor(times.length / 5)) === 0)
    const first = BigInt(times[0].ns)
    const last = BigInt(times[times.length - 1].ns)
    for (const ns of [
      first - 1n,
      last + 1_000_000_000n,
      ...picked.flatMap((t) => [BigInt(t.ns), BigInt(t.ns) - 1n]),
    ])
      out.push({ ...b, ns })
  }
  return out
}

/** Every book (with its orders) and NBBO at the instants, under the given memory budget. */
async function answers(
  repo: Repository,
  instants: { venue: string; symbol: string; ns: bigint }[],
  budget: number,
) {
  setSymbolDayBudget(budget)
  const out: unknown[] = []
  for (const i of instants) {
    out.push(await bookView(repo, { venue: i.venue, symbol: i.symbol, ns: i.ns, depth: 50, orders: true }))
    out.push(await nbboView(repo, i.symbol, i.ns))
  }
  return out
}

describe('symbol days in memory', () => {
  it('give the books and NBBOs the store gives at every kind of instant', async () => {
    const repo = await openRepository(repoDir)
    try {
      const instants = await instantsOf(repo)
      expect(instants.length).toBeGreaterThan(15)
      const fromStore = await answers(repo, instants, 0)
      expect(await answers(repo, instants, 5_000_000)).toEqual(fromStore)
      // A budget smaller than one day keeps nothing and falls back to the store.
      expect(await answers(repo, instants.slice(0, 4), 10)).toEqual(fromStore.slice(0, 8))
      // The answers are the market's: some books hold orders and some NBBO has both sides.
      const books = fromStore.filter((_, i) => i % 2 === 0) as { bids: unknown[] }[]
      const nbbos = fromStore.filter((_, i) => i % 2 === 1) as { bid: string | null; ask: string | null }[]
      expect(books.some((b) => b.bids.length > 0)).toBe(true)
      expect(nbbos.some((n) => n.bid !== null && n.ask !== null)).toBe(true)
    } finally {
      repo.close()
    }
  }, 240_000)

  it('are read again after a submission changes the store', async () => {
    setSymbolDayBudget(5_000_000)
    let repo = await openRepository(repoDir)
    const symbols = await repo.db.all<{ symbol: string; ns: string }>(
      `SELECT symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
       WHERE _type = 'EXOA' GROUP BY symbol ORDER BY count(*) DESC, symbol LIMIT 5`,
    )
    const before = []
    for (const s of symbols) before.push(await nbboView(repo, s.symbol, BigInt(s.ns)))
    repo.close()
    const summaryBefore = await portalSummary('summary-a')
    const writer = await openRepository(repoDir, { write: true })
    await submitFiles(writer, [heldBack], { nowNs: AT })
    writer.close()
    repo = await openRepository(repoDir)
    try {
      const after = []
      for (const s of symbols) after.push(await nbboView(repo, s.symbol, BigInt(s.ns)))
      setSymbolDayBudget(0)
      const fromStore = []
      for (const s of symbols) fromStore.push(await nbboView(repo, s.symbol, BigInt(s.ns)))
      expect(after).toEqual(fromStore)
      // The held-back venue now quotes: some NBBO names it where none could before.
      const venues = (n: { bidVenues: string[]; askVenues: string[] }[]) =>
        n.flatMap((x) => [...x.bidVenues, ...x.askVenues])
      expect(venues(before)).not.toContain(heldVenue)
      expect(venues(after)).toContain(heldVenue)
      // The portal's remembered summary follows too: the venue's file is counted now.
      const reporters = (s: { reporters: { reporter: string }[] }) => s.reporters.map((r) => r.reporter)
      expect(reporters(summaryBefore)).not.toContain(heldVenue)
      expect(reporters(await portalSummary('summary-b'))).toContain(heldVenue)
    } finally {
      repo.close()
    }
  }, 240_000)
})
