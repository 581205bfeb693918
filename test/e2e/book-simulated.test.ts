/**
 * Books, NBBO and replay from a simulated day stored in a repository: every exchange event applies
 * cleanly, no book ever crosses, the book at any instant from checkpoints equals a straight replay, and
 * the `book`, `nbbo` and `replay` commands answer from the same store, each replayed event with the
 * lifecycle its true lifecycle got.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BookEvent,
  formatPrice,
  formatQuantity,
  OrderBook,
  readBookEvents,
  storedBookAt,
} from '../../src/book/index.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'

const DATE = 20260302
let repo: Repository
let repoDir: string
let day: string
const streams = new Map<string, BookEvent[]>()

beforeAll(async () => {
  day = await simulatedDay({ orders: 600, customers: 60 })
  repoDir = join(day, '..', 'repo')
  const writer = await initRepository(repoDir, join(day, 'reference'))
  const at = isoOrCatToNs('2026-03-02T20:00:00')
  await submitFiles(writer, [join(day, 'submissions')], { nowNs: at })
  await linkDate(writer, DATE, { nowNs: at })
  writer.close()
  // Read-only from here, so the commands the tests run can open the repository too.
  repo = await openRepository(repoDir)
  const pairs = await repo.db.all<{ venue: string; symbol: string }>(
    `SELECT DISTINCT _reporter AS venue, symbol FROM current_events WHERE _type = 'EXOA' ORDER BY ALL`,
  )
  for (const p of pairs)
    streams.set(`${p.venue} ${p.symbol}`, (await readBookEvents(repo, p.venue, p.symbol, DATE)).events)
}, 240_000)

afterAll(() => repo?.close())

/** A venue's book after a straight replay of every event up to `ns`. */
function straightBookAt(events: readonly BookEvent[], ns: bigint): OrderBook {
  const book = new OrderBook()
  for (const e of events) if (e.ns <= ns) book.apply(e)
  return book
}

/** The busiest book of the day. */
function busiest(): { venue: string; symbol: string; events: BookEvent[] } {
  const [key, events] = [...streams].sort((a, b) => b[1].length - a[1].length)[0]
  const [venue, symbol] = key.split(' ')
  return { venue, symbol, events }
}

describe('books of a simulated day', () => {
  it('has books on several venues', () => {
    expect(new Set([...streams.keys()].map((k) => k.split(' ')[0])).size).toBeGreaterThan(1)
    expect([...streams.values()].reduce((n, e) => n + e.length, 0)).toBeGreaterThan(500)
  })

  it('applies every exchange event without an anomaly, routed-out orders leaving the book', () => {
    const anomalies: string[] = []
    for (const [key, events] of streams) {
      const book = new OrderBook()
      for (const e of events) {
        const status = book.apply(e)
        if (status !== 'ok') anomalies.push(`${key} ${e.kind} at ${e.ns}: ${status}`)
      }
    }
    expect(anomalies).toEqual([])
  })

  it('never crosses, quotes being taken down as they are executed', () => {
    const longest: { key: string; ms: number }[] = []
    for (const [key, events] of streams) {
      const book = new OrderBook()
      let since: bigint | undefined
      for (let i = 0; i < events.length; i++) {
        book.apply(events[i])
        // Events at one instant (an order and the executions it makes) count as one step.
        if (i + 1 < events.length && events[i + 1].ns === events[i].ns) continue
        const d = book.depth(1)
        const crossed =
          d.bids[0] !== undefined && d.asks[0] !== undefined && d.bids[0].price >= d.asks[0].price
        if (crossed && since === undefined) since = events[i].ns
        if (!crossed && since !== undefined) {
          longest.push({ key, ms: Number(events[i].ns - since) / 1e6 })
          since = undefined
        }
      }
      if (since !== undefined) longest.push({ key, ms: Number.POSITIVE_INFINITY })
    }
    expect(longest).toEqual([])
  })

  it('gives the same book at any instant from checkpoints as a straight replay', async () => {
    const { venue, symbol, events } = busiest()
    for (const q of [0.1, 0.3, 0.5, 0.7, 0.9, 1]) {
      const ns = events[Math.min(events.length - 1, Math.floor(q * events.length))].ns
      const straight = straightBookAt(events, ns)
      const stored = await storedBookAt(repo, venue, symbol, ns)
      expect(stored.depth(50), `${venue} ${symbol} at ${ns}`).toEqual(straight.depth(50))
      expect(stored.applied).toBe(straight.applied)
    }
  })
})

describe('book, nbbo and replay commands', () => {
  it('prints the book at an instant as JSON, levels best first', async () => {
    const { venue, symbol, events } = busiest()
    const ns = events[Math.floor(events.length / 2)].ns
    const book = ['book', '--repo', repoDir, '--venue', venue, '--symbol', symbol, '--json']
    const r = await runCli([...book, '--at', String(ns), '--depth', '3'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {
      bids: { price: string; size: string }[]
      asks: { price: string; size: string }[]
    }
    const d = straightBookAt(events, ns).depth(3)
    const text = (l: { price: bigint; size: bigint }) => [formatPrice(l.price), formatQuantity(l.size)]
    expect(out.bids.map((l) => [l.price, l.size])).toEqual(d.bids.map(text))
    expect(out.asks.map((l) => [l.price, l.size])).toEqual(d.asks.map(text))
    const bad = await runCli([...book, '--at', 'noon'])
    expect(bad.code).toBe(2)
  })

  it("prints an NBBO no worse than the busiest venue's own best prices", async () => {
    const { venue, symbol, events } = busiest()
    const ns = events[Math.floor(events.length / 2)].ns
    const r = await runCli(['nbbo', '--repo', repoDir, '--symbol', symbol, '--at', String(ns), '--json'])
    expect(r.code, r.stderr).toBe(0)
    const nbbo = JSON.parse(r.stdout) as { bid: string | null; ask: string | null }
    const own = (await storedBookAt(repo, venue, symbol, ns)).depth(1)
    if (own.bids[0]) expect(Number(nbbo.bid)).toBeGreaterThanOrEqual(Number(own.bids[0].price) / 1e8)
    if (own.asks[0]) expect(Number(nbbo.ask)).toBeLessThanOrEqual(Number(own.asks[0].price) / 1e8)
  })

  it('replays a window in time order, NBBO changes included, each true lifecycle under one lifecycle id', async () => {
    const { symbol, events } = busiest()
    const from = events[Math.floor(events.length / 4)].ns
    const to = events[Math.floor((3 * events.length) / 4)].ns
    const r = await runCli([
      'replay',
      '--repo',
      repoDir,
      '--symbols',
      symbol,
      '--from',
      String(from),
      '--to',
      String(to),
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const items = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            kind: string
            ns: string
            reporter?: string
            firmROEID?: string
            lifecycleIds?: string[]
          },
      )
    const times = items.map((i) => BigInt(i.ns))
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true)
    expect(times[0]).toBeGreaterThanOrEqual(from)
    expect(times[times.length - 1]).toBeLessThanOrEqual(to)
    expect(items.some((i) => i.kind === 'nbbo')).toBe(true)
    const evs = items.filter((i) => i.kind === 'event')
    expect(evs.length).toBeGreaterThan(10)
    // The truth says which events make one lifecycle; the replay must give them one lifecycle id. An
    // execution between two members' orders is in both lifecycles, so it carries both ids: only events of
    // one true lifecycle are compared.
    const trueOf = new Map<string, string>()
    const shared = new Set<string>()
    for (const lc of truth<{ id: string; events: { reporter: string; firmROEID: string }[] }>(
      day,
      'lifecycles.ndjson',
    )) {
      for (const e of lc.events) {
        const k = `${e.reporter} ${e.firmROEID}`
        if (trueOf.has(k)) shared.add(k)
        trueOf.set(k, lc.id)
      }
    }
    for (const k of shared) trueOf.delete(k)
    const idsOfTrue = new Map<string, Set<string>>()
    let tagged = 0
    for (const e of evs) {
      const t = trueOf.get(`${e.reporter} ${e.firmROEID}`)
      if (!t || !e.lifecycleIds?.length) continue
      tagged++
      const set = idsOfTrue.get(t) ?? new Set<string>()
      for (const id of e.lifecycleIds) set.add(id)
      idsOfTrue.set(t, set)
    }
    expect(tagged).toBeGreaterThan(evs.length / 2)
    expect([...idsOfTrue.values()].filter((s) => s.size > 1)).toEqual([])
  })
})
