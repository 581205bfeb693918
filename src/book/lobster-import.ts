/**
 * A LOBSTER message file as one venue's book events (and, through `toExchangeValues`, CAT exchange records):
 * 1 → add (EXOA), 2 → partial cancel (EXOC, leaves > 0), 3 → delete (EXOC, leaves 0), 4 → visible execution of
 * the resting order (EXOT), 5 → hidden execution (EXOT hiddenFlag), 6 → cross print (EXOT, aggressor NA),
 * 7 → trading status (EXTS). One event per message, in file order; docs/formats/lobster.md has the details.
 */
import { etWallToUtcNs } from '../common/time/index.ts'
import { type BookEvent, type BookSide, executeEvent, orderEvent, statusEvent } from './book-event.ts'
import type { LobsterBookRow } from './lobster-book-row.ts'
import type { LobsterMessage } from './lobster-message.ts'
import { shares } from './price.ts'

/** Marks the recordID of a seed (an order that rested before the file started); the exporter skips them. */
export const LOBSTER_SEED_TAG = '~pre'
/** Marks the recordID of an adjustment the orderbook file called for (lobster-replay.ts); the exporter skips them. */
export const LOBSTER_ADJUST_TAG = '~adj'

/** Options of `importLobster`. */
export interface LobsterImportOptions {
  /** Exchange ID the events belong to, e.g. 'NSDQ'. */
  venue: string
  symbol: string
  /** Trading date, YYYYMMDD; LOBSTER times count from its ET midnight. */
  date: number
  /**
   * Give orders first seen in a cancel or an execution a seed add before the first message, with the
   * smallest size consistent with the file. Off: such messages name orders the book does not know.
   * @default true
   */
  seed?: boolean
  /**
   * The orderbook file's first row: starting levels it shows that seeds do not fill get one anonymous seed
   * order each, so the starting book equals the file's.
   */
  firstRow?: LobsterBookRow
  /** recordID prefix: message line k gets `${prefix}${k}`. @default `${symbol}-` */
  recordPrefix?: string
}

/** What an import gives. */
export interface LobsterImport {
  /** Seeds first (`seeds` of them), then exactly one event per message, in file order. */
  readonly events: BookEvent[]
  readonly seeds: number
  /** Seeds resting from the start (the first row had room for them, or anonymous starting quantity). */
  readonly seedsAtStart: number
  /** Orders first seen in a cancel or execution that have no seed, and the messages naming them. */
  readonly unseeded: { readonly orders: number; readonly messages: number }
  /** Messages whose leaves quantity the file does not determine; the smallest consistent value was written. */
  readonly inexact: number
  /** Type 7 messages whose price is not -1, 0 or 1 (read as trading). */
  readonly badStatus: number
}

const TICK = 10_000n

/**
 * Imports LOBSTER messages as book events of one venue, symbol and date.
 * @example
 * const { messages } = parseLobsterMessages(readFileSync(file, 'utf8'))
 * const { events } = importLobster(messages, { venue: 'NSDQ', symbol: 'AMZN', date: 20120621 })
 */
export function importLobster(
  messages: readonly LobsterMessage[],
  options: LobsterImportOptions,
): LobsterImport {
  const { venue, symbol, date } = options
  const prefix = options.recordPrefix ?? `${symbol}-`
  const { later, bump } = lookAhead(messages)
  const y = Math.floor(date / 10000)
  const mo = Math.floor(date / 100) % 100
  const d = date % 100
  const nsOf = (nsOfDay: number): bigint => {
    const sec = Math.floor(nsOfDay / 1e9)
    return etWallToUtcNs(
      y,
      mo,
      d,
      Math.floor(sec / 3600),
      Math.floor(sec / 60) % 60,
      sec % 60,
      nsOfDay - sec * 1e9,
    )
  }

  const leaves = new Map<number, number>()
  const events: BookEvent[] = []
  let seedNo = 0
  const pushSeed = (s: Seed, ns: bigint) => {
    if (typeof s.orderId === 'number') leaves.set(s.orderId, s.size)
    const orderId = String(s.orderId)
    const recordId = `${prefix}${LOBSTER_SEED_TAG}${++seedNo}`
    const price = BigInt(s.price) * TICK
    events.push(
      orderEvent({
        kind: 'add',
        ns,
        seq: events.length,
        venue,
        symbol,
        recordId,
        orderId,
        side: s.side,
        price,
        quantity: shares(s.size),
      }),
    )
  }
  const seedList = options.seed === false ? [] : findSeeds(messages, later, bump)
  const plan =
    options.seed === false ? { atStart: [], onSight: [] } : planSeeds(seedList, options.firstRow, messages[0])
  if (messages.length > 0) {
    const startNs = nsOf(messages[0].nsOfDay)
    for (const s of plan.atStart) pushSeed(s, startNs)
  }
  const seeded = new Set(seedList.map((s) => s.orderId))
  let next = 0

  let inexact = 0
  let badStatus = 0
  const unseenOrders = new Set<number>()
  const unseenLive = new Set<number>()
  let unseenMessages = 0
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]
    const line = k + 1
    const ns = nsOf(m.nsOfDay)
    while (next < plan.onSight.length && plan.onSight[next].first === k) pushSeed(plan.onSight[next++], ns)
    const recordId = `${prefix}${line}`
    const side: BookSide = m.direction === 1 ? 'B' : 'S'
    const price = BigInt(m.price) * TICK
    const id = String(m.orderId)
    const seq = events.length
    switch (m.type) {
      case 1:
        leaves.set(m.orderId, m.size)
        unseenLive.delete(m.orderId)
        events.push(
          orderEvent({
            kind: 'add',
            ns,
            seq,
            venue,
            symbol,
            recordId,
            orderId: id,
            side,
            price,
            quantity: shares(m.size),
          }),
        )
        break
      case 2:
      case 3:
      case 4: {
        const had = leaves.get(m.orderId)
        if (had === undefined && !seeded.has(m.orderId)) {
          unseenOrders.add(m.orderId)
          unseenLive.add(m.orderId)
        }
        if (unseenLive.has(m.orderId)) unseenMessages++
        // What is left after the message; where the file does not say, the least that later messages need.
        const least = later[k] + bump[k]
        let left = m.type === 3 ? 0 : had === undefined ? least : had - m.size
        if (m.type !== 3 && left < least) {
          left = least
          inexact++
        } else if (m.type !== 3 && unseenLive.has(m.orderId)) inexact++
        if (left > 0) leaves.set(m.orderId, left)
        else leaves.delete(m.orderId)
        if (m.type === 4) {
          const buy = side === 'B'
          events.push(
            executeEvent({
              ns,
              seq,
              venue,
              symbol,
              recordId,
              tradeId: recordId,
              price,
              quantity: shares(m.size),
              // LOBSTER does not say what an execution leaves; the book knows better than an inference.
              buyOrderId: buy ? id : undefined,
              sellOrderId: buy ? undefined : id,
              aggressor: buy ? 'S' : 'B',
            }),
          )
        } else {
          const quantity = shares(m.size)
          events.push(
            orderEvent({
              kind: 'cancel',
              ns,
              seq,
              venue,
              symbol,
              recordId,
              orderId: id,
              side,
              price,
              quantity,
              leavesQty: shares(left),
            }),
          )
        }
        break
      }
      case 5:
      case 6: {
        // Hidden executions name no order since NASDAQ dropped the id (0); crosses name a negative pseudo order.
        const named = m.type === 6 || m.orderId !== 0 ? id : undefined
        const buy = side === 'B'
        events.push(
          executeEvent({
            ns,
            seq,
            venue,
            symbol,
            recordId,
            tradeId: recordId,
            price,
            quantity: shares(m.size),
            buyOrderId: buy ? named : undefined,
            sellOrderId: buy ? undefined : named,
            aggressor: m.type === 6 ? 'NA' : buy ? 'S' : 'B',
            hidden: m.type === 5,
          }),
        )
        break
      }
      case 7: {
        const status = m.price === -1 ? 'H' : m.price === 0 ? 'Q' : 'T'
        if (m.price !== -1 && m.price !== 0 && m.price !== 1) badStatus++
        events.push(statusEvent({ ns, seq, venue, symbol, recordId, status }))
        break
      }
    }
  }
  return {
    events,
    seeds: seedNo,
    unseeded: { orders: unseenOrders.size, messages: unseenMessages },
    inexact,
    seedsAtStart: plan.atStart.length,
    badStatus,
  }
}

/**
 * For each cancel or execution: the shares later messages remove from the same order before it is deleted
 * or re-added (`later`), and 1 when that order's last message is a partial cancel, which leaves at least a
 * share (`bump`). Together they give the smallest leaves consistent with the rest of the file.
 */
function lookAhead(messages: readonly LobsterMessage[]): { later: Float64Array; bump: Uint8Array } {
  const n = messages.length
  const later = new Float64Array(n)
  const bump = new Uint8Array(n)
  const removedAfter = new Map<number, number>()
  const lastType = new Map<number, number>()
  for (let i = n - 1; i >= 0; i--) {
    const m = messages[i]
    if (m.type === 1) {
      // Earlier messages of this id belong to an earlier life of it.
      removedAfter.delete(m.orderId)
      lastType.delete(m.orderId)
    } else if (m.type === 3) {
      removedAfter.set(m.orderId, m.size)
      lastType.set(m.orderId, 3)
    } else if (m.type === 2 || m.type === 4) {
      const after = removedAfter.get(m.orderId)
      if (after === undefined) lastType.set(m.orderId, m.type)
      later[i] = after ?? 0
      bump[i] = lastType.get(m.orderId) === 2 ? 1 : 0
      removedAfter.set(m.orderId, (after ?? 0) + m.size)
    }
  }
  return { later, bump }
}

interface Seed {
  orderId: number | string
  side: BookSide
  /** Dollars × 10000. */
  price: number
  size: number
  /** Index of the first message naming it (-1 for anonymous starting quantity). */
  first: number
}

/**
 * Orders a cancel or execution names before any add. An id added earlier in the file and then gone is not
 * one (its seed would clash with its own add).
 */
function findSeeds(messages: readonly LobsterMessage[], later: Float64Array, bump: Uint8Array): Seed[] {
  const alive = new Set<number>()
  const added = new Set<number>()
  const seeds: Seed[] = []
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]
    if (m.type === 1) {
      alive.add(m.orderId)
      added.add(m.orderId)
    } else if (m.type >= 2 && m.type <= 4) {
      if (!alive.has(m.orderId) && !added.has(m.orderId)) {
        const side = m.direction === 1 ? 'B' : 'S'
        seeds.push({ orderId: m.orderId, side, price: m.price, size: m.size + later[k] + bump[k], first: k })
        added.add(m.orderId)
        if (m.type !== 3) alive.add(m.orderId)
      } else if (m.type === 3) alive.delete(m.orderId)
    }
  }
  return seeds
}

/**
 * Which seeds rest from the start and which appear just before the message that first names them. A level-N
 * file omits whatever happens outside the top N levels, so an unseen order may have been added during the
 * day; only the first orderbook row can tell. With it, a seed rests from the start when its starting level
 * shows room for it (lower reference numbers first: they grow with time), and what the seeds leave of a
 * starting level becomes one anonymous seed. Without it, every seed appears on sight.
 */
function planSeeds(
  seeds: Seed[],
  row: LobsterBookRow | undefined,
  first: LobsterMessage | undefined,
): { atStart: Seed[]; onSight: Seed[] } {
  if (row === undefined) return { atStart: [], onSight: seeds }
  // The first row is the book after the first message: undo that message.
  const start = {
    B: new Map(row.bids.map((l) => [l.price, l.size])),
    S: new Map(row.asks.map((l) => [l.price, l.size])),
  }
  if (first && first.type <= 4) {
    const side = first.direction === 1 ? start.B : start.S
    side.set(first.price, (side.get(first.price) ?? 0) + (first.type === 1 ? -first.size : first.size))
  }
  const atStart: Seed[] = []
  const anonymous: Seed[] = []
  const onSight: Seed[] = []
  for (const side of ['B', 'S'] as const) {
    const shown = side === 'B' ? row.bids : row.asks
    const edge = shown.length >= row.levels ? shown[shown.length - 1].price : undefined
    const inView = (p: number) => edge === undefined || (side === 'B' ? p >= edge : p <= edge)
    const room = new Map(start[side])
    const mine = seeds
      .filter((s) => s.side === side)
      .sort((a, b) => (a.orderId as number) - (b.orderId as number))
    for (const s of mine) {
      const left = room.get(s.price) ?? 0
      if (inView(s.price) && left >= s.size) {
        room.set(s.price, left - s.size)
        atStart.push(s)
      } else onSight.push(s)
    }
    for (const [price, size] of room) {
      if (size > 0 && inView(price))
        anonymous.push({ orderId: `~${side}${price}`, side, price, size, first: -1 })
    }
  }
  onSight.sort((a, b) => a.first - b.first)
  return { atStart: [...atStart, ...anonymous], onSight }
}
