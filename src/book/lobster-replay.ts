/**
 * Replays an imported LOBSTER file through an `OrderBook` and checks it against the file's orderbook rows.
 * A level-N file leaves out everything that happens outside the top N levels, so messages alone cannot give
 * the whole book (LOBSTER's README says as much). The replay therefore compares only what the messages
 * determine, and takes from the file only what they cannot:
 * - row k must equal the rebuilt book on every price that row k-1 and row k both show (a level that stays
 *   in view is never corrected);
 * - a level that comes into view (uncovered from below the previous row's last level) is reconciled with
 *   the row: missing shares become an anonymous order, surplus shares (orders that left out of view) are
 *   taken off, so the book itself shows exactly the file's levels;
 * - when a message changes its level by other than the book's own change (a delete of an order that had
 *   shrunk out of view), the file's change wins and the difference is listed as a correction.
 */
import {
  type BookEvent,
  type BookSide,
  type OrderEvent,
  type OrderEventInit,
  orderEvent,
} from './book-event.ts'
import type { LobsterBookRow, LobsterLevel } from './lobster-book-row.ts'
import { LOBSTER_ADJUST_TAG, LOBSTER_SEED_TAG, type LobsterImport } from './lobster-import.ts'
import type { LobsterMessage, LobsterType } from './lobster-message.ts'
import { type BookOrder, OrderBook } from './order-book.ts'
import { QUANTITY_SCALE } from './price.ts'

/** A row where the rebuilt book and the file disagree on a level both determine. */
export interface LobsterMismatch {
  /** 1-based line of the message (and of the orderbook row after it). */
  readonly line: number
  readonly side: BookSide
  readonly expected: LobsterLevel[]
  readonly got: LobsterLevel[]
}

/** A message whose level change the book did not reproduce. */
export interface LobsterCorrection {
  readonly line: number
  readonly type: LobsterType
  /** Change of the message's level in the book, and in the file (shares). */
  readonly bookDelta: number
  readonly fileDelta: number
}

/** What a checked replay found. */
export interface LobsterReplayReport {
  readonly rows: number
  /** Rows that disagree with the rebuilt book (0 when the book is right). */
  readonly mismatches: number
  /** The first few mismatches. */
  readonly firstMismatches: LobsterMismatch[]
  /** Levels brought into view by the file and reconciled with it. */
  readonly reconciled: number
  readonly corrections: LobsterCorrection[]
  /** Rows whose best bid and offer the book shows exactly (after reconciling what came into view). */
  readonly topMatches: number
  /** The order-level book after the last message. */
  readonly book: OrderBook
  /**
   * Every event the replay applied, in order: the import's own, and between them the adjustments that bring
   * the book in line with the file (recordIDs holding LOBSTER_ADJUST_TAG). Stored as exchange events, they
   * give the store the same book as the replay at every message.
   */
  readonly events: BookEvent[]
  /** How many of `events` are adjustments. */
  readonly adjustments: number
}

const TICK = 10_000n

/**
 * Replays `imported` (from `importLobster` of `messages`, seeds included) and checks every row of the orderbook
 * file (`rows[k]` is the book after `messages[k]`).
 * @example
 * const report = replayLobster(messages, importLobster(messages, { venue, symbol, date, firstRow: rows[0] }), rows)
 * report.mismatches // 0
 */
export function replayLobster(
  messages: readonly LobsterMessage[],
  imported: LobsterImport,
  rows: readonly LobsterBookRow[],
): LobsterReplayReport {
  const events = imported.events
  const book = new OrderBook(events[0]?.venue ?? '', events[0]?.symbol ?? '')
  const applied: BookEvent[] = []
  let adjustments = 0
  const prefix = `${book.symbol}-${LOBSTER_ADJUST_TAG}`
  const apply = (ev: BookEvent) => {
    applied.push(ev)
    book.apply(ev)
  }
  /** An adjustment of the book, as an event of its own at the current message's time. */
  const adjust = (ev: Omit<OrderEventInit, 'ns' | 'seq' | 'venue' | 'symbol' | 'recordId'>) =>
    apply(
      orderEvent({
        ...ev,
        ns: now,
        seq: applied.length,
        venue: book.venue,
        symbol: book.symbol,
        recordId: `${prefix}${++adjustments}`,
      }),
    )
  // LOBSTER counts whole shares; the book's 1e-6 units are converted at this boundary.
  const bookAt = (side: BookSide, price: number) =>
    wholeShares(book.level(side, BigInt(price) * TICK)?.size ?? 0n)
  const firstMismatches: LobsterMismatch[] = []
  const corrections: LobsterCorrection[] = []
  let mismatches = 0
  let reconciled = 0
  let topMatches = 0
  let fills = 0
  let now = 0n

  /** Adds shares to a level as an anonymous order at the back of its queue. */
  function put(side: BookSide, price: number, shares: number): void {
    const orderId = `~r${++fills}`
    adjust({
      kind: 'add',
      orderId,
      side,
      price: BigInt(price) * TICK,
      quantity: BigInt(shares) * QUANTITY_SCALE,
    })
  }

  /**
   * Takes shares off a level. Which orders left out of view the file cannot say; the likeliest go first:
   * anonymous quantity, orders no later message names (one of exactly that size first), shares later
   * messages do not need (an exact match first), and only then the newest orders.
   */
  function cut(side: BookSide, price: number, shares: number, keep?: string): void {
    const queue = book
      .levelOrders(side, BigInt(price) * TICK)
      .filter((o) => o.orderId !== keep)
      .reverse()
    const need = (o: BookOrder) => future.get(o.orderId) ?? 0
    const leavesOf = (o: BookOrder) => wholeShares(o.leavesQty)
    const spare = (o: BookOrder) => Math.max(0, leavesOf(o) - need(o))
    const gone = queue.filter((o) => need(o) === 0)
    const loose = queue.filter((o) => spare(o) > 0)
    const plan: [BookOrder | undefined, number][] = [
      ...queue.filter((o) => o.orderId.startsWith('~')).map((o): [BookOrder, number] => [o, leavesOf(o)]),
      [gone.find((o) => leavesOf(o) === shares), shares],
      ...gone.map((o): [BookOrder, number] => [o, leavesOf(o)]),
      [loose.find((o) => spare(o) === shares), shares],
      ...loose.map((o): [BookOrder, number] => [o, spare(o)]),
      ...queue.map((o): [BookOrder, number] => [o, leavesOf(o)]),
    ]
    const taken = new Map<string, number>()
    for (const [o, most] of plan) {
      if (shares <= 0) break
      if (o === undefined) continue
      const left = leavesOf(o) - (taken.get(o.orderId) ?? 0)
      const q = Math.min(shares, most, left)
      if (q <= 0) continue
      taken.set(o.orderId, (taken.get(o.orderId) ?? 0) + q)
      shares -= q
      const leavesQty = left - q
      adjust({
        kind: 'cancel',
        orderId: o.orderId,
        side,
        price: o.price,
        quantity: BigInt(q) * QUANTITY_SCALE,
        leavesQty: BigInt(leavesQty) * QUANTITY_SCALE,
      })
    }
  }

  function setLevel(side: BookSide, price: number, want: number): boolean {
    const diff = want - bookAt(side, price)
    if (diff > 0) put(side, price, diff)
    else if (diff < 0) cut(side, price, -diff)
    return diff !== 0
  }

  /** Brings the levels that came into view (in view of `edge`, not of `known`) in line with the row. */
  function reconcile(
    side: BookSide,
    row: LobsterBookRow,
    edge: number | undefined,
    known: number | undefined | 'none',
  ): void {
    const shown = new Map((side === 'B' ? row.bids : row.asks).map((l) => [l.price, l.size]))
    const prices = new Set<number>(shown.keys())
    for (const l of book.sideDepth(side, edge === undefined ? undefined : BigInt(edge) * TICK))
      prices.add(Number(l.price / TICK))
    for (const p of prices) {
      if (!inView(side, p, edge) || (known !== 'none' && inView(side, p, known))) continue
      if (setLevel(side, p, shown.get(p) ?? 0)) reconciled++
    }
  }

  // Shares each order still has to give up to later messages: what the book must not take from it.
  const future = new Map<string, number>()
  for (const m of messages)
    if (m.type >= 2 && m.type <= 4)
      future.set(String(m.orderId), (future.get(String(m.orderId)) ?? 0) + m.size)
  let e = 0
  // Seeds before the first message (resting from the start, or named by it) are in the starting book.
  while (e < events.length && isSeed(events[e]) && messages.length > 0) apply(events[e++])
  // Row 0 is the book after the first message: undo that message, then take every level in view from it.
  let prevEdges: Edges = { B: undefined, S: undefined }
  if (rows.length > 0 && messages.length > 0) {
    const start = undo(rows[0], messages[0])
    prevEdges = start.edges
    now = events[e]?.ns ?? 0n
    for (const side of SIDES) reconcile(side, start.row, start.edges[side], 'none')
  }

  for (let k = 0; k < messages.length && k < rows.length; k++) {
    const m = messages[k]
    const side: BookSide = m.direction === 1 ? 'B' : 'S'
    // A seed named by this message was already counted in its level, which is in view: keep the level.
    while (e < events.length && isSeed(events[e])) {
      const s = events[e++] as OrderEvent
      now = s.ns
      apply(s)
      if (s.price === undefined) continue
      const p = Number(s.price / TICK)
      if (inView(s.side, p, prevEdges[s.side])) cut(s.side, p, wholeShares(s.quantity), s.orderId)
    }
    if (m.type >= 2 && m.type <= 4)
      future.set(String(m.orderId), (future.get(String(m.orderId)) ?? 0) - m.size)
    const ev = events[e++]
    now = ev.ns
    const before = bookAt(side, m.price)
    apply(ev)
    const bookDelta = bookAt(side, m.price) - before
    const fileDelta = m.type === 1 ? m.size : m.type <= 4 ? -m.size : 0
    if (bookDelta !== fileDelta) {
      corrections.push({ line: k + 1, type: m.type, bookDelta, fileDelta })
      if (fileDelta > bookDelta) put(side, m.price, fileDelta - bookDelta)
      else cut(side, m.price, bookDelta - fileDelta)
    }

    const row = rows[k]
    const edges: Edges = { B: edgeOf(row, 'B'), S: edgeOf(row, 'S') }
    for (const s of SIDES) {
      const worst = tighter(s, prevEdges[s], edges[s])
      const got = book.sideDepth(s, worst === undefined ? undefined : BigInt(worst) * TICK).map(toLobster)
      const expected = (s === 'B' ? row.bids : row.asks).filter((l) => inView(s, l.price, prevEdges[s]))
      if (!sameLevels(got, expected)) {
        mismatches++
        if (firstMismatches.length < 10) firstMismatches.push({ line: k + 1, side: s, expected, got })
      }
      reconcile(s, row, edges[s], prevEdges[s])
    }
    if (sameTop(book.bestBid(), row.bids[0]) && sameTop(book.bestAsk(), row.asks[0])) topMatches++
    prevEdges = edges
  }
  return {
    rows: Math.min(messages.length, rows.length),
    mismatches,
    firstMismatches,
    reconciled,
    corrections,
    topMatches,
    book,
    events: [...applied, ...events.slice(e)],
    adjustments,
  }
}

function isSeed(ev: BookEvent): boolean {
  return ev.recordId?.includes(LOBSTER_SEED_TAG) === true
}

function toLobster(l: { price: bigint; size: bigint }): LobsterLevel {
  return { price: Number(l.price / TICK), size: wholeShares(l.size) }
}

function wholeShares(units: bigint): number {
  return Number(units / QUANTITY_SCALE)
}

const SIDES: readonly BookSide[] = ['B', 'S']

/** Per side, the last price a row shows when levels beyond it are unknown; undefined when the row shows the whole side. */
type Edges = { B: number | undefined; S: number | undefined }

/** The row's last shown price on a side when the side is full (levels beyond it are unknown), else undefined. */
function edgeOf(row: LobsterBookRow, side: BookSide): number | undefined {
  const shown = side === 'B' ? row.bids : row.asks
  return shown.length >= row.levels ? shown[shown.length - 1].price : undefined
}

function inView(side: BookSide, price: number, edge: number | undefined): boolean {
  return edge === undefined || (side === 'B' ? price >= edge : price <= edge)
}

/** The nearer of two edges to the top of the book. */
function tighter(side: BookSide, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return side === 'B' ? Math.max(a, b) : Math.min(a, b)
}

function sameLevels(a: LobsterLevel[], b: LobsterLevel[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i].price !== b[i].price || a[i].size !== b[i].size) return false
  return true
}

function sameTop(
  level: { price: bigint; size: bigint } | undefined,
  want: LobsterLevel | undefined,
): boolean {
  if (level === undefined || want === undefined) return level === undefined && want === undefined
  return level.price === BigInt(want.price) * TICK && level.size === BigInt(want.size) * QUANTITY_SCALE
}

/** The book before a message, from the row after it, with what it shows of each side. */
function undo(row: LobsterBookRow, m: LobsterMessage): { row: LobsterBookRow; edges: Edges } {
  const edges: Edges = { B: edgeOf(row, 'B'), S: edgeOf(row, 'S') }
  if (m.type > 4) return { row, edges }
  const side: BookSide = m.direction === 1 ? 'B' : 'S'
  const key = side === 'B' ? 'bids' : 'asks'
  const sizes = new Map(row[key].map((l) => [l.price, l.size]))
  sizes.set(m.price, (sizes.get(m.price) ?? 0) + (m.type === 1 ? -m.size : m.size))
  const levels = [...sizes].filter(([, s]) => s > 0).map(([price, size]) => ({ price, size }))
  levels.sort((x, y) => (side === 'B' ? y.price - x.price : x.price - y.price))
  // A full side stays known down to its last level, whether the message added a level or took one away.
  if (edges[side] !== undefined) edges[side] = levels[levels.length - 1]?.price
  return { row: { ...row, [key]: levels }, edges }
}
