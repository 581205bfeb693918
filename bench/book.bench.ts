/**
 * Order-book throughput: apply events/s per core replaying the LOBSTER samples (repeated to at least 10 M
 * events), "book at T" p50/p99 from checkpoints over a synthetic day of at least 10 M events, and the NBBO
 * build rate over several venues. `node bin/run-ts.js bench/book.bench.ts [--events N] [--queries N] [--json]`
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BookEvent,
  type BookEventSource,
  BookReplayer,
  buildNbbo,
  executeEvent,
  importLobster,
  mergeBookEvents,
  OrderBook,
  orderEvent,
  parseLobsterMessages,
} from '../src/book/index.ts'
import { etWallToUtcNs } from '../src/common/time/index.ts'
import { SHARED_ROOT } from '../test/support/shared.ts'
import { type BenchRow, measure, numberArg, peakRssMB, percentile, report } from './harness.ts'

/** What the book benchmark measured. */
export interface BookBenchResult {
  readonly rows: BenchRow[]
  /** Events applied per second on one core, replaying the LOBSTER samples (0 when they are absent). */
  readonly lobsterApplyPerSecond: number
  /** Events applied per second on one core over the synthetic day (already decoded). */
  readonly syntheticApplyPerSecond: number
  /** Events per second of the checkpointing pass over the synthetic day (decoding, applying, snapshots). */
  readonly checkpointPassPerSecond: number
  /** "Book at T" latency over random instants of the synthetic day, milliseconds. */
  readonly bookAtP50Ms: number
  readonly bookAtP99Ms: number
  /** Events per second through the NBBO builder (books of every venue plus the consolidation). */
  readonly nbboEventsPerSecond: number
  readonly peakRssMB: number
}

/** Options of `benchBook`. */
export interface BookBenchOptions {
  /** Events of the synthetic day (and at least this many LOBSTER events applied). @default 10_000_000 */
  events?: number
  /** Random instants asked of the synthetic day. @default 200 */
  queries?: number
  /** Events per venue of the NBBO case (4 venues). @default 1_000_000 */
  nbboEventsPerVenue?: number
  /** Events between checkpoints. @default 50_000 */
  everyEvents?: number
}

/** `measure`, plus the rate per second of this process's CPU time in the note (fairer on a busy machine). */
async function measureCpu(
  name: string,
  items: number,
  fn: () => void,
  note = '',
): Promise<BenchRow & { cpuPerSecond: number }> {
  const cpu = process.cpuUsage()
  const row = await measure('book', name, items, 1, fn)
  const used = process.cpuUsage(cpu)
  const cpuPerSecond = Math.round(items / ((used.user + used.system) / 1e6))
  const rate = `${cpuPerSecond.toLocaleString('en-US')}/s of CPU time`
  return { ...row, note: note ? `${note}; ${rate}` : rate, cpuPerSecond }
}

/** Runs the order-book benchmark. */
export async function benchBook(options: BookBenchOptions = {}): Promise<BookBenchResult> {
  const target = options.events ?? 10_000_000
  const rows: BenchRow[] = []

  // 1. LOBSTER replay, repeated: each pass a fresh book per file.
  const lobster = lobsterEvents()
  let lobsterApplyPerSecond = 0
  if (lobster.length > 0) {
    const perPass = lobster.reduce((n, f) => n + f.length, 0)
    const passes = Math.max(1, Math.ceil(target / perPass))
    const row = await measureCpu(
      'apply, LOBSTER samples replayed',
      perPass * passes,
      () => {
        for (let p = 0; p < passes; p++) {
          for (const events of lobster) {
            const book = new OrderBook()
            for (let i = 0; i < events.length; i++) book.apply(events[i])
          }
        }
      },
      `${lobster.length} files × ${passes} passes`,
    )
    rows.push(row)
    lobsterApplyPerSecond = row.perSecondPerCore
  }
  lobster.length = 0

  // 2. A synthetic day: the engine alone, one pass building checkpoints, then "book at T" at random instants.
  const day = syntheticDay(target, 1, 'NSDQ')
  // The engine alone, before checkpoints fill the heap: decode a chunk (not timed), apply it (timed).
  let applySeconds = 0
  let applyCpu = 0
  const book = new OrderBook()
  for (let from = 0; from < day.length; from += 500_000) {
    const chunk: BookEvent[] = []
    for (let i = from; i < Math.min(day.length, from + 500_000); i++) chunk.push(day.at(i)!)
    const cpu = process.cpuUsage()
    const t = process.hrtime.bigint()
    for (let i = 0; i < chunk.length; i++) book.apply(chunk[i])
    applySeconds += Number(process.hrtime.bigint() - t) / 1e9
    const used = process.cpuUsage(cpu)
    applyCpu += (used.user + used.system) / 1e6
  }
  const applyRate = Math.round(day.length / applySeconds)
  rows.push({
    bench: 'book',
    case: 'apply, synthetic day (decoded)',
    items: day.length,
    seconds: Number(applySeconds.toFixed(3)),
    perSecond: applyRate,
    perSecondPerCore: applyRate,
    peakRssMB: peakRssMB(),
    note: `${Math.round(day.length / applyCpu).toLocaleString('en-US')}/s of CPU time`,
  })
  const replayer = new BookReplayer(day, { everyEvents: options.everyEvents ?? 50_000 })
  let final: OrderBook | undefined
  const build = await measureCpu(
    'apply + checkpoints, synthetic day',
    day.length,
    () => void (final = replayer.build()),
  )
  rows.push({
    ...build,
    note: `${replayer.checkpoints.length} checkpoints, ${final!.orderCount} orders resting at the close; ${build.note}`,
  })
  const first = day.at(0)!.ns
  const last = day.at(day.length - 1)!.ns
  const queries = options.queries ?? 200
  const latencies: number[] = []
  const cpuLatencies: number[] = []
  const rng = seeded(42)
  const at = await measure('book', 'book at T (restore + roll forward)', queries, 1, () => {
    for (let q = 0; q < queries; q++) {
      const t = first + BigInt(Math.floor(rng() * Number(last - first)))
      const cpu = process.cpuUsage()
      const started = process.hrtime.bigint()
      replayer.bookAt(t).depth(10)
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
      const used = process.cpuUsage(cpu)
      cpuLatencies.push((used.user + used.system) / 1e3)
    }
  })
  latencies.sort((a, b) => a - b)
  cpuLatencies.sort((a, b) => a - b)
  const p50 = percentile(latencies, 0.5)
  const p99 = percentile(latencies, 0.99)
  const cpu = `CPU time p50 ${percentile(cpuLatencies, 0.5).toFixed(1)} ms, p99 ${percentile(cpuLatencies, 0.99).toFixed(1)} ms`
  rows.push({
    ...at,
    note: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms; ${cpu}`,
  })

  // 3. NBBO over four venues of one symbol.
  const perVenue = options.nbboEventsPerVenue ?? 1_000_000
  const venues = ['ARCA', 'BZX', 'EDGX', 'NSDQ'].map((v, i) => syntheticDay(perVenue, 100 + i, v))
  let changes = 0
  const nbbo = await measureCpu('NBBO build, 4 venues', perVenue * venues.length, () => {
    changes = buildNbbo(mergeBookEvents(venues.map(iterate))).changes.length
  })
  rows.push({ ...nbbo, note: `${changes.toLocaleString('en-US')} NBBO changes; ${nbbo.note}` })

  return {
    rows,
    lobsterApplyPerSecond,
    syntheticApplyPerSecond: applyRate,
    checkpointPassPerSecond: build.perSecondPerCore,
    bookAtP50Ms: Number(p50.toFixed(2)),
    bookAtP99Ms: Number(p99.toFixed(2)),
    nbboEventsPerSecond: nbbo.perSecondPerCore,
    peakRssMB: peakRssMB(),
  }
}

/** The LOBSTER samples as book events (level-1 CSVs, and the ZIPs when unzip is installed). */
function lobsterEvents(): BookEvent[][] {
  const dir = join(SHARED_ROOT, 'data', 'lobster')
  if (!existsSync(dir)) return []
  const files: string[] = readdirSync(dir)
    .filter((f) => f.includes('_message_'))
    .map((f) => join(dir, f))
  const scratch = mkdtempSync(join(tmpdir(), 'opencat-bench-lobster-'))
  try {
    for (const zip of readdirSync(dir).filter((f) => f.endsWith('.zip'))) {
      const out = join(scratch, zip)
      if (spawnSync('unzip', ['-o', '-q', join(dir, zip), '-d', out]).status === 0) {
        files.push(
          ...readdirSync(out)
            .filter((f) => f.includes('_message_'))
            .map((f) => join(out, f)),
        )
      }
    }
    return files.map((f) => {
      const { messages } = parseLobsterMessages(readFileSync(f, 'utf8'))
      return importLobster(messages, {
        venue: 'NSDQ',
        symbol: f.includes('AMZN') ? 'AMZN' : 'GOOG',
        date: 20120621,
      }).events
    })
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const ADD = 0
const CANCEL = 1
const EXECUTE = 2
const TICK = 1_000_000n

/**
 * A day of one venue's events for one symbol in compact columns, made into `BookEvent`s on demand, as the
 * store will from Parquet batches. A random walk of the mid price; adds cluster near it, about 10,000 orders
 * rest; cancels and executions name resting orders, so the stream is consistent.
 */
class SyntheticDay implements BookEventSource {
  readonly kind: Uint8Array
  readonly ns: BigInt64Array
  readonly id: Int32Array
  readonly side: Uint8Array
  readonly price: Int32Array
  readonly qty: Int32Array
  readonly leaves: Int32Array
  length = 0
  /** One bigint per price in cents, made once: prices repeat, the store would decode a dictionary column. */
  private readonly prices: bigint[] = []

  constructor(
    capacity: number,
    readonly venue: string,
    readonly start: bigint,
  ) {
    this.kind = new Uint8Array(capacity)
    this.ns = new BigInt64Array(capacity)
    this.id = new Int32Array(capacity)
    this.side = new Uint8Array(capacity)
    this.price = new Int32Array(capacity)
    this.qty = new Int32Array(capacity)
    this.leaves = new Int32Array(capacity)
  }

  push(kind: number, ns: number, id: number, side: number, price: number, qty: number, leaves: number): void {
    const i = this.length++
    this.kind[i] = kind
    this.ns[i] = this.start + BigInt(ns)
    this.id[i] = id
    this.side[i] = side
    this.price[i] = price
    this.qty[i] = qty
    this.leaves[i] = leaves
  }

  at(i: number): BookEvent | undefined {
    if (i < 0 || i >= this.length) return undefined
    const ns = this.ns[i]
    const orderId = String(this.id[i])
    const side = this.side[i] === 0 ? 'B' : 'S'
    const cents = this.price[i]
    const price = this.prices[cents] ?? (this.prices[cents] = BigInt(cents) * TICK)
    const venue = this.venue
    const symbol = 'SYN'
    const quantity = BigInt(this.qty[i]) * 1_000_000n
    switch (this.kind[i]) {
      case ADD:
        return orderEvent({ kind: 'add', ns, seq: i, venue, symbol, orderId, side, price, quantity })
      case CANCEL:
        return orderEvent({
          kind: 'cancel',
          ns,
          seq: i,
          venue,
          symbol,
          orderId,
          side,
          price,
          quantity,
          leavesQty: BigInt(this.leaves[i]) * 1_000_000n,
        })
      default:
        return executeEvent({
          ns,
          seq: i,
          venue,
          symbol,
          tradeId: `t${i}`,
          price,
          quantity,
          buyOrderId: side === 'B' ? orderId : undefined,
          sellOrderId: side === 'S' ? orderId : undefined,
          aggressor: side === 'B' ? 'S' : 'B',
        })
    }
  }
}

function* iterate(source: BookEventSource): Generator<BookEvent> {
  for (let i = 0; ; i++) {
    const ev = source.at(i)
    if (ev === undefined) return
    yield ev
  }
}

/** Generates `n` events of a 09:30-16:00 day. */
function syntheticDay(n: number, seed: number, venue: string): SyntheticDay {
  const rng = seeded(seed)
  const day = new SyntheticDay(n, venue, etWallToUtcNs(2026, 3, 2, 9, 30, 0))
  const meanGap = 23_400e9 / n
  // Live orders, with swap-removal by position.
  const liveId: number[] = []
  const liveSide: number[] = []
  const livePrice: number[] = []
  const liveLeaves: number[] = []
  let mid = 10_000 // $100.00 in cents
  let ns = 0
  let nextId = 1
  const target = 10_000
  const remove = (j: number) => {
    const last = liveId.length - 1
    liveId[j] = liveId[last]
    liveSide[j] = liveSide[last]
    livePrice[j] = livePrice[last]
    liveLeaves[j] = liveLeaves[last]
    liveId.pop()
    liveSide.pop()
    livePrice.pop()
    liveLeaves.pop()
  }
  while (day.length < n) {
    // Bursts: a third of events share the previous event's nanosecond.
    if (rng() > 0.33) ns += Math.max(1, Math.round(-Math.log(1 - rng()) * meanGap * 1.5))
    if (rng() < 0.001) mid += rng() < 0.5 ? -1 : 1
    const r = rng()
    const pAdd = liveId.length < target ? 0.55 : 0.3
    if (liveId.length < 50 || r < pAdd) {
      const side = rng() < 0.5 ? 0 : 1
      const away = Math.floor(-Math.log(1 - rng()) * 8)
      const price = side === 0 ? mid - 1 - away : mid + 1 + away
      const qty = 100 * (1 + Math.floor(rng() * 5))
      liveId.push(nextId)
      liveSide.push(side)
      livePrice.push(price)
      liveLeaves.push(qty)
      day.push(ADD, ns, nextId++, side, price, qty, qty)
    } else {
      // Recent and near-the-mid orders are the likeliest to go.
      const j =
        rng() < 0.5
          ? liveId.length - 1 - Math.floor(rng() * Math.min(200, liveId.length))
          : Math.floor(rng() * liveId.length)
      const execute = r > 0.85 && Math.abs(livePrice[j] - mid) <= 3
      const qty = rng() < 0.75 ? liveLeaves[j] : Math.max(1, Math.floor(liveLeaves[j] * rng()))
      const left = liveLeaves[j] - qty
      day.push(execute ? EXECUTE : CANCEL, ns, liveId[j], liveSide[j], livePrice[j], qty, left)
      if (left === 0) remove(j)
      else liveLeaves[j] = left
    }
  }
  return day
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    // xorshift32: fast, deterministic, good enough for load generation.
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4_294_967_296
  }
}

if (process.argv[1]?.endsWith('book.bench.ts')) {
  const result = await benchBook({
    events: numberArg('events', 10_000_000),
    queries: numberArg('queries', 200),
  })
  report(result.rows)
  if (!process.argv.includes('--json')) {
    process.stdout.write(
      `\nbook: apply ${result.lobsterApplyPerSecond.toLocaleString('en-US')} events/s/core (LOBSTER), ` +
        `${result.syntheticApplyPerSecond.toLocaleString('en-US')} (synthetic); checkpoint pass ` +
        `${result.checkpointPassPerSecond.toLocaleString('en-US')} events/s; ` +
        `book at T p50 ${result.bookAtP50Ms} ms, p99 ${result.bookAtP99Ms} ms; ` +
        `NBBO ${result.nbboEventsPerSecond.toLocaleString('en-US')} events/s; peak ${result.peakRssMB} MB\n`,
    )
  }
}
