/**
 * The day index of a linked simulated day (store/days/, src/store/day-index.ts): written by the submission
 * that links the date, read by search, the day browser, market windows and replay, whose answers must be
 * the same as the store's views give with the index hidden; a build whose source is no longer the
 * store's is not read, and the next refresh writes a new one.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayMarket } from '../../src/book/market-replay.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { browseDay } from '../../src/query/day-browser.ts'
import { marketWindow } from '../../src/query/market-window.ts'
import { search } from '../../src/query/search.ts'
import { dayIndexRoot, freshDayIndex, latestDayIndex } from '../../src/store/day-index.ts'
import { refreshDayIndexes } from '../../src/store/day-index-write.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const DATE = 20260302
let repoDir: string
/** Keys a search must answer alike: record, order and routed order ids, a symbol, a reporter. */
let keys: string[]
let symbol: string

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
    const from = isoOrCatToNs('2026-03-02T09:30:00')
    const to = isoOrCatToNs('2026-03-02T16:00:00')
    const market = await marketWindow(repo, symbol, from, to)
    const replay = await replayMarket(repo, [symbol], from, isoOrCatToNs('2026-03-02T11:00:00'))
    return JSON.parse(
      JSON.stringify({ searches, pages, market, replay }, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
    )
  } finally {
    repo.close()
  }
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

  it('gives the same search, browse, market and replay answers as the store views with the index hidden', async () => {
    const indexed = await answers()
    const root = dayIndexRoot((await withRepo(async (r) => r.paths)) as never, DATE)
    renameSync(root, `${root}.hidden`)
    try {
      const exact = await answers()
      expect(indexed).toEqual(exact)
      const found = (exact as { searches: { hits: unknown[] }[] }).searches.filter((s) => s.hits.length > 0)
      expect(found.length).toBeGreaterThanOrEqual(keys.length - 1)
    } finally {
      renameSync(`${root}.hidden`, root)
    }
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
