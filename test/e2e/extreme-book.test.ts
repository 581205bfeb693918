/**
 * Books, NBBO and replay at the ends of the spec's ranges. Every exchange event of a simulated day's busiest
 * symbol is rewritten before submission: prices shifted so the highest is the maximum Price
 * (9999999999.99999999) and all carry 8 decimal places (sub-penny), Real Quantities scaled by a factor with
 * 6 decimal places so the largest comes near 999999999999.999999, one resting order given exactly that
 * maximum. `opencat book`, `nbbo` and `replay` must then answer with the exact decimals a plain BigInt
 * replay of the submitted records gives (this file's own model, not the book code).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer, bzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { units, unitsText } from '../support/blue-sheet-truth.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const MAX_PRICE = 999_999_999_999_999_999n // 9999999999.99999999 in 10^-8 units
const MAX_QTY = 999_999_999_999_999_999n // 999999999999.999999 in 10^-6 units
const BOOK_TYPES = new Set(['EXOA', 'EXOM', 'EXOC', 'EXOT', 'EXQT', 'EXTS', 'EXOR'])
const PRICES = ['price', 'bidPrice', 'askPrice']
const REAL_QTYS = ['quantity', 'cancelQty', 'leavesQty', 'buyLeavesQty', 'sellLeavesQty']
const WHOLE_QTYS = ['displayQty', 'bidQty', 'askQty']

/** One submitted exchange record of the symbol, in store order. */
interface Rec {
  venue: string
  type: string
  ns: bigint
  at: string
  file: number
  line: number
  raw: string
}

let repo: string
let symbol: string
let records: Rec[]

function field(raw: string, name: string): string | undefined {
  return new RegExp(`"${name}":"?(-?[0-9A-Za-z.:|_-]+)"?`).exec(raw)?.[1]
}
function amount(raw: string, name: string, scale: number): bigint | undefined {
  const m = new RegExp(`"${name}":(-?[0-9]+(?:\\.[0-9]+)?)`).exec(raw)
  return m ? units(m[1], scale) : undefined
}

/** Every data file of a kind, with its reporter, in a fixed order. */
function dataFiles(day: string, kind: string): { path: string; reporter: string }[] {
  const root = join(day, 'submissions')
  const out: { path: string; reporter: string }[] = []
  for (const sub of readdirSync(root).sort())
    for (const name of readdirSync(join(root, sub)).sort())
      if (new RegExp(`_${kind}_\\d+\\.json\\.bz2$`).test(name))
        out.push({ path: join(root, sub, name), reporter: name.split('_')[1] })
  return out
}

function linesOf(path: string): string[] {
  const unpacked = bunzip2Buffer(readFileSync(path))
  if (!unpacked.ok) throw new Error(unpacked.error)
  return unpacked.data.toString('utf8').split('\n')
}

/** The symbol with the most exchange adds on at least two venues. */
function busiestSymbol(day: string): string {
  const adds = new Map<string, Set<string>>()
  const count = new Map<string, number>()
  for (const f of dataFiles(day, 'ExchangeEvents'))
    for (const l of linesOf(f.path)) {
      if (!l.includes('"type":"EXOA"')) continue
      const s = field(l, 'symbol')!
      adds.set(s, (adds.get(s) ?? new Set()).add(f.reporter))
      count.set(s, (count.get(s) ?? 0) + 1)
    }
  return [...count]
    .filter(([s]) => adds.get(s)!.size > 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]
}

/** Rewrites the symbol's exchange records at the extremes; keeps every metadata file's hash right. */
function writeExtremes(day: string, symbol: string): void {
  const files = dataFiles(day, 'ExchangeEvents')
  const mine = (l: string) => l.includes(`"symbol":"${symbol}"`) && BOOK_TYPES.has(field(l, 'type') ?? '')
  let maxPrice = 0n
  let maxQty = 0n
  for (const f of files)
    for (const l of linesOf(f.path).filter(mine)) {
      for (const p of PRICES) maxPrice = max(maxPrice, amount(l, p, 8) ?? 0n)
      for (const q of [...REAL_QTYS, ...WHOLE_QTYS]) maxQty = max(maxQty, amount(l, q, 6) ?? 0n)
    }
  const shift = MAX_PRICE - maxPrice
  // 10^-6 shares per original share: every scaled Real Quantity has six decimals and stays in range.
  const factor = (MAX_QTY * 1_000_000n) / maxQty
  const scale = (u: bigint) => (u * factor) / 1_000_000n
  // An add that only a full cancel names later gets the maximum quantity itself (and the cancel cancels it).
  const refs = new Map<string, string[]>()
  for (const f of files)
    for (const l of linesOf(f.path).filter(mine))
      if (!l.includes('"type":"EXOA"'))
        for (const k of ['orderID', 'priorOrderID', 'buyOrderID', 'sellOrderID']) {
          const id = field(l, k)
          if (id) refs.set(`${f.reporter} ${id}`, [...(refs.get(`${f.reporter} ${id}`) ?? []), l])
        }
  const fullCancel = (l: string) => l.includes('"type":"EXOC"') && amount(l, 'leavesQty', 6) === 0n
  let maxedId: string | undefined
  let maxed = false
  for (const f of files) {
    const lines = linesOf(f.path).map((l) => {
      if (!mine(l)) return l
      const key = `${f.reporter} ${field(l, 'orderID')}`
      const resting =
        maxedId === undefined &&
        l.includes('"type":"EXOA"') &&
        l.includes('"price"') &&
        (refs.get(key) ?? []).length > 0 &&
        refs.get(key)!.every(fullCancel)
      if (resting) {
        maxedId = key
        maxed = true
      }
      const cancelOfMaxed = maxedId === key && fullCancel(l)
      let out = l
      for (const p of PRICES) {
        const v = amount(l, p, 8)
        if (v !== undefined)
          out = out.replace(new RegExp(`"${p}":[-0-9.]+`), `"${p}":${unitsText(v + shift, 8)}`)
      }
      for (const q of REAL_QTYS) {
        const v = amount(l, q, 6)
        const to =
          (resting && q === 'quantity') || (cancelOfMaxed && q === 'cancelQty')
            ? MAX_QTY
            : v === undefined
              ? undefined
              : scale(v)
        if (to !== undefined) out = out.replace(new RegExp(`"${q}":[0-9.]+`), `"${q}":${unitsText(to, 6)}`)
      }
      for (const q of WHOLE_QTYS) {
        const v = amount(l, q, 6)
        // Whole Quantities stay whole (and a display at most the quantity).
        const to =
          resting && q === 'displayQty'
            ? MAX_QTY / 1_000_000n
            : v === undefined
              ? undefined
              : scale(v) / 1_000_000n
        if (to !== undefined) out = out.replace(new RegExp(`"${q}":[0-9]+`), `"${q}":${to}`)
      }
      return out
    })
    const body = bzip2Buffer(lines.join('\n'))
    writeFileSync(f.path, body)
    const metaPath = f.path.replace(/\.json\.bz2$/, '.meta.json')
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'))
    for (const m of meta.files)
      if (f.path.endsWith(m.fileName))
        m.compressedHash = createHash('sha256').update(body).digest('hex').toUpperCase()
    writeFileSync(metaPath, JSON.stringify(meta, null, 2))
  }
  expect(maxed).toBe(true)
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}

function least(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/** The symbol's exchange records as submitted, in the store's order (time, then file, then line). */
function readRecords(day: string, symbol: string): Rec[] {
  const out: Rec[] = []
  dataFiles(day, 'ExchangeEvents').forEach((f, file) => {
    linesOf(f.path).forEach((raw, line) => {
      if (!raw.includes(`"symbol":"${symbol}"`)) return
      const type = field(raw, 'type')!
      if (!BOOK_TYPES.has(type)) return
      const at = /"eventTimestamp":"([0-9T.]+)"/.exec(raw)![1]
      out.push({ venue: f.reporter, type, ns: isoOrCatToNs(at), at, file, line, raw })
    })
  })
  return out.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.file - b.file || a.line - b.line))
}

interface Resting {
  side: 'B' | 'S'
  price: bigint
  display: bigint
  leaves: bigint
}

/** A venue's resting orders after every record at or before `ns`, by plain BigInt bookkeeping. */
function modelBook(venue: string, ns: bigint): { orders: Map<string, Resting>; halted: boolean } {
  const orders = new Map<string, Resting>()
  let halted = false
  const sideOf = (raw: string): 'B' | 'S' => (field(raw, 'side') === 'B' ? 'B' : 'S')
  const setLeaves = (id: string, leaves: bigint) => {
    const o = orders.get(id)
    if (!o) return
    if (leaves <= 0n) orders.delete(id)
    else o.leaves = leaves
  }
  for (const r of records) {
    if (r.venue !== venue || r.ns > ns) continue
    const raw = r.raw
    const id = field(raw, 'orderID') ?? ''
    const price = amount(raw, 'price', 8)
    switch (r.type) {
      case 'EXOA':
        if (price !== undefined)
          orders.set(id, {
            side: sideOf(raw),
            price,
            display: amount(raw, 'displayQty', 0)! * 1_000_000n,
            leaves: amount(raw, 'quantity', 6)!,
          })
        break
      case 'EXOM': {
        const prior = field(raw, 'priorOrderID') ?? id
        const was = orders.get(prior)
        orders.delete(prior)
        const leaves = amount(raw, 'leavesQty', 6) ?? amount(raw, 'quantity', 6)!
        if (leaves > 0n)
          orders.set(id, {
            side: sideOf(raw),
            price: price ?? was!.price,
            display: amount(raw, 'displayQty', 0)! * 1_000_000n,
            leaves,
          })
        break
      }
      case 'EXOC':
        setLeaves(id, amount(raw, 'leavesQty', 6)!)
        break
      case 'EXOR': {
        const o = orders.get(id)
        if (o) setLeaves(id, o.leaves - amount(raw, 'quantity', 6)!)
        break
      }
      case 'EXOT': {
        const qty = amount(raw, 'quantity', 6)!
        const party = field(raw, 'routingParty')
        const aggressor = field(raw, 'aggressorSide')
        const legs: [string | undefined, string][] = [
          [
            field(raw, 'buyOrderID') ?? (party && aggressor === 'S' ? `Q|${party}|B` : undefined),
            'buyLeavesQty',
          ],
          [
            field(raw, 'sellOrderID') ?? (party && aggressor === 'B' ? `Q|${party}|S` : undefined),
            'sellLeavesQty',
          ],
        ]
        for (const [oid, leavesField] of legs) {
          const o = oid === undefined ? undefined : orders.get(oid)
          if (o) setLeaves(oid!, amount(raw, leavesField, 6) ?? o.leaves - qty)
        }
        break
      }
      case 'EXQT': {
        const party = field(raw, 'routingParty')!
        for (const [side, p, q] of [
          ['B', 'bidPrice', 'bidQty'],
          ['S', 'askPrice', 'askQty'],
        ] as const) {
          const qid = `Q|${party}|${side}`
          const qp = amount(raw, p, 8)
          const size = qp === undefined ? 0n : (amount(raw, q, 0) ?? 0n) * 1_000_000n
          if (qp === undefined || size === 0n) orders.delete(qid)
          else orders.set(qid, { side, price: qp, display: size, leaves: size })
        }
        break
      }
      case 'EXTS':
        halted = field(raw, 'tradingStatus') === 'H'
        break
    }
  }
  return { orders, halted }
}

/** Levels of one side, best first: [price, displayed, hidden, orders] as the commands write them. */
function modelLevels(orders: Map<string, Resting>, side: 'B' | 'S'): [string, string, string, number][] {
  const levels = new Map<bigint, { shown: bigint; hidden: bigint; orders: number }>()
  for (const o of orders.values()) {
    if (o.side !== side) continue
    const shown = o.display <= 0n ? 0n : least(o.display, o.leaves)
    const l = levels.get(o.price) ?? { shown: 0n, hidden: 0n, orders: 0 }
    l.shown += shown
    l.hidden += o.leaves - shown
    l.orders++
    levels.set(o.price, l)
  }
  return [...levels]
    .filter(([, l]) => l.shown > 0n)
    .sort((a, b) => (side === 'B' ? (b[0] > a[0] ? 1 : -1) : a[0] > b[0] ? 1 : -1))
    .map(([p, l]) => [unitsText(p, 8), unitsText(l.shown, 6), unitsText(l.hidden, 6), l.orders])
}

/** The NBBO over every venue not halted: best displayed prices, sizes summed there, venues sorted. */
function modelNbbo(ns: bigint) {
  const venues = [...new Set(records.map((r) => r.venue))].sort()
  const best = { B: undefined as bigint | undefined, S: undefined as bigint | undefined }
  const tops = new Map<string, { B?: [bigint, bigint]; S?: [bigint, bigint] }>()
  for (const v of venues) {
    const { orders, halted } = modelBook(v, ns)
    if (halted) continue
    const top: { B?: [bigint, bigint]; S?: [bigint, bigint] } = {}
    for (const side of ['B', 'S'] as const) {
      const first = modelLevels(orders, side)[0]
      if (!first) continue
      const p = units(first[0], 8)
      top[side] = [p, units(first[1], 6)]
      const b = best[side]
      if (b === undefined || (side === 'B' ? p > b : p < b)) best[side] = p
    }
    tops.set(v, top)
  }
  const at = (side: 'B' | 'S') => {
    const p = best[side]
    const here = [...tops].filter(([, t]) => p !== undefined && t[side]?.[0] === p)
    return {
      price: p === undefined ? null : unitsText(p, 8),
      size: unitsText(
        here.reduce((n, [, t]) => n + t[side]![1], 0n),
        6,
      ),
      venues: here.map(([v]) => v),
    }
  }
  return { bid: at('B'), ask: at('S') }
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli([...args, '--json'])
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
  return JSON.parse(r.stdout)
}

/** Instants spread over the day: the times of some of the symbol's records. */
function instants(n: number): Rec[] {
  return Array.from({ length: n }, (_, i) => records[Math.floor(((i + 1) * (records.length - 1)) / (n + 1))])
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 300, customers: 40, faults: 0, seed: 5 })
  symbol = busiestSymbol(day)
  writeExtremes(day, symbol)
  records = readRecords(day, symbol)
  repo = join(day, '..', 'repo')
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const s = await json(['submit', '--repo', repo, '--at', '2026-03-02T20:00:00', join(day, 'submissions')])
  expect(s.rejected, JSON.stringify(s)).toBe(0)
}, 300_000)

describe('books, NBBO and replay at the top of the spec ranges', { timeout: 180_000 }, () => {
  it('were given the extremes: the maximum price and quantity, 8 decimal places', () => {
    const raws = records.map((r) => r.raw).join('\n')
    expect(raws).toMatch(/"(price|bidPrice|askPrice)":9999999999\.99999999[,}]/)
    expect(raws).toContain('"quantity":999999999999.999999')
    expect(records.filter((r) => /"price":\d+\.\d{8}[,}]/.test(r.raw)).length).toBeGreaterThan(
      records.length / 2,
    )
  })

  it('book gives every level of every venue exactly, at instants over the day', async () => {
    const venues = [...new Set(records.map((r) => r.venue))].sort()
    let levels = 0
    for (const r of instants(8))
      for (const venue of venues) {
        if (!records.some((x) => x.venue === venue && x.ns <= r.ns)) continue
        const out = (await json([
          'book',
          '--repo',
          repo,
          '--venue',
          venue,
          '--symbol',
          symbol,
          '--at',
          r.at,
          '--depth',
          '1000',
        ])) as { bids: LevelOut[]; asks: LevelOut[] }
        const { orders } = modelBook(venue, r.ns)
        const got = (ls: LevelOut[]) => ls.map((l) => [l.price, l.size, l.hidden ?? '0', l.orders])
        expect(got(out.bids), `${venue} bids at ${r.at}`).toEqual(modelLevels(orders, 'B'))
        expect(got(out.asks), `${venue} asks at ${r.at}`).toEqual(modelLevels(orders, 'S'))
        levels += out.bids.length + out.asks.length
      }
    expect(levels).toBeGreaterThan(10)
  })

  it('book lists a resting order of the maximum quantity, and the queue ahead of it, exactly', async () => {
    const maxed = records.find((r) => r.raw.includes('"quantity":999999999999.999999'))!
    const last = maxed
    const id = field(maxed.raw, 'orderID')!
    const base = ['book', '--repo', repo, '--venue', maxed.venue, '--symbol', symbol, '--at', last.at]
    const out = (await json([...base, '--depth', '1000', '--orders'])) as {
      bids: LevelOut[]
      asks: LevelOut[]
    }
    const level = [...out.bids, ...out.asks].find((l) => l.queue!.some((o) => o.orderId === id))!
    const mine = level.queue!.find((o) => o.orderId === id)!
    expect(mine).toEqual({ orderId: id, displayQty: '999999999999', leavesQty: '999999999999.999999' })
    const { orders } = modelBook(maxed.venue, last.ns)
    expect(level.price).toBe(unitsText(orders.get(id)!.price, 8))
    const pos = (await json([...base, '--order', id])) as { queuePosition: { sharesAhead: string } }
    const ahead = level.queue!.slice(
      0,
      level.queue!.findIndex((o) => o.orderId === id),
    )
    const shown = (o: { displayQty: string; leavesQty: string }) => {
      const d = units(o.displayQty, 6)
      const l = units(o.leavesQty, 6)
      return d <= 0n ? 0n : least(d, l)
    }
    expect(pos.queuePosition.sharesAhead).toBe(
      unitsText(
        ahead.filter((o) => shown(o) > 0n).reduce((n, o) => n + shown(o), 0n),
        6,
      ),
    )
  })

  it('nbbo gives the best prices, the summed sizes and the venues exactly', async () => {
    let quoted = 0
    for (const r of instants(10)) {
      const out = (await json(['nbbo', '--repo', repo, '--symbol', symbol, '--at', r.at])) as Record<
        string,
        unknown
      >
      const want = modelNbbo(r.ns)
      expect(
        [out.bid, out.bidSize, out.bidVenues, out.ask, out.askSize, out.askVenues],
        `NBBO at ${r.at}`,
      ).toEqual([
        want.bid.price,
        want.bid.size,
        want.bid.venues,
        want.ask.price,
        want.ask.size,
        want.ask.venues,
      ])
      if (want.bid.price !== null && want.ask.price !== null) quoted++
    }
    expect(quoted).toBeGreaterThan(3)
  })

  it("replay gives each record's amounts and every NBBO change exactly", async () => {
    const r = await runCli([
      'replay',
      '--repo',
      repo,
      '--symbols',
      symbol,
      '--from',
      '2026-03-02T04:00:00',
      '--to',
      '2026-03-02T20:00:00',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const items = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const byId = new Map(records.map((x) => [`${x.venue} ${field(x.raw, 'recordID')}`, x]))
    let events = 0
    for (const x of items.filter((i) => i.kind === 'event' && byId.has(`${i.reporter} ${i.firmROEID}`))) {
      const raw = byId.get(`${x.reporter} ${x.firmROEID}`)!.raw
      const price = amount(raw, 'price', 8)
      if (price !== undefined) expect(x.price).toBe(unitsText(price, 8))
      const qty = amount(raw, 'quantity', 6)
      if (qty !== undefined) expect(x.quantity).toBe(unitsText(qty, 6))
      events++
    }
    expect(events).toBeGreaterThan(records.length / 3)
    const changes = items.filter((i) => i.kind === 'nbbo')
    expect(changes.length).toBeGreaterThan(10)
    for (const c of changes.filter((_, i) => i % Math.ceil(changes.length / 25) === 0)) {
      const want = modelNbbo(BigInt(c.ns))
      expect([c.bidPrice, c.bidSize, c.askPrice, c.askSize], `NBBO change at ${c.ns}`).toEqual([
        want.bid.price,
        want.bid.size,
        want.ask.price,
        want.ask.size,
      ])
    }
  })
})

interface LevelOut {
  price: string
  size: string
  hidden?: string
  orders: number
  queue?: { orderId: string; displayQty: string; leavesQty: string }[]
}
