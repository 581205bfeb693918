/**
 * Any venue's book events back out as LOBSTER message lines (and, optionally, orderbook rows after each
 * message), by replaying them through an `OrderBook`. A LOBSTER import comes back line for line.
 */
import { etWallToUtcNs, utcNsToEtParts } from '../common/time/index.ts'
import { type BookEvent, type BookSide, type ExecuteEvent, executeEvent, orderEvent } from './book-event.ts'
import { formatLobsterBookRow, lobsterRowOf } from './lobster-book-row.ts'
import { LOBSTER_ADJUST_TAG, LOBSTER_SEED_TAG } from './lobster-import.ts'
import { formatLobsterMessage, type LobsterType } from './lobster-message.ts'
import { type BookOrder, OrderBook } from './order-book.ts'
import { QUANTITY_SCALE } from './price.ts'

/** Options of `exportLobster`. */
export interface LobsterExportOptions {
  /** Levels of the orderbook rows to write after each message; 0 writes none. @default 0 */
  levels?: number
  /** Also write messages for seeds (recordIDs tagged by a LOBSTER import). @default false */
  includeSeeds?: boolean
}

/** What an export gives: message lines, orderbook lines (one per message when asked) and what had no form. */
export interface LobsterExport {
  readonly messages: string[]
  readonly orderbook: string[]
  /** Events LOBSTER cannot express (hidden adds, executions naming no passive order) or that named nothing resting. */
  readonly skipped: number
  /** Prices that are not whole multiples of $0.0001 (written rounded down). */
  readonly subPenny: number
  /** Sizes that are not whole shares (written rounded down). */
  readonly fractionalShares: number
  /** The book after the last event. */
  readonly book: OrderBook
}

const TICK = 10_000n

/**
 * Writes book events of one venue and symbol (in `compareBookEvents` order) as a LOBSTER message file.
 * Order ids that are not integers are numbered in order of appearance from 1, skipping the integer ids the
 * stream uses.
 * @example
 * const { messages, orderbook } = exportLobster(events, { levels: 5 })
 * writeFileSync('AMZN_message_5.csv', messages.join('\n') + '\n')
 */
export function exportLobster(
  events: Iterable<BookEvent>,
  options: LobsterExportOptions = {},
): LobsterExport {
  const levels = options.levels ?? 0
  const messages: string[] = []
  const orderbook: string[] = []
  let skipped = 0
  let subPenny = 0
  let fractionalShares = 0
  let book: OrderBook | undefined
  const list = [...events]
  // Integer ids pass through; the others (members' quotes, anonymous ids) take the smallest numbers no integer
  // id of the stream uses, so no two orders share a LOBSTER id.
  const NUMERIC = /^-?\d{1,15}$/
  const taken = new Set<number>()
  for (const ev of list)
    for (const id of idsOf(ev)) if (id !== undefined && NUMERIC.test(id)) taken.add(Number(id))
  const ids = new Map<string, number>()
  let nextId = 1
  const idOf = (id: string | undefined): number => {
    if (id === undefined) return 0
    if (NUMERIC.test(id)) return Number(id)
    let n = ids.get(id)
    if (n === undefined) {
      while (taken.has(nextId)) nextId++
      n = nextId++
      ids.set(id, n)
    }
    return n
  }
  let midnightDate = -1
  let midnight = 0n
  const nsOfDay = (ns: bigint): number => {
    const p = utcNsToEtParts(ns)
    const date = p.year * 10000 + p.month * 100 + p.day
    if (date !== midnightDate) {
      midnightDate = date
      midnight = etWallToUtcNs(p.year, p.month, p.day, 0, 0, 0)
    }
    return Number(ns - midnight)
  }
  const ticks = (price: bigint | undefined): number => {
    if (price === undefined) return 0
    if (price % TICK !== 0n) subPenny++
    return Number(price / TICK)
  }
  const write = (
    ev: BookEvent,
    type: LobsterType,
    orderId: number,
    size: bigint,
    price: number,
    side: BookSide,
  ) => {
    if (size % QUANTITY_SCALE !== 0n) fractionalShares++
    messages.push(
      formatLobsterMessage({
        nsOfDay: nsOfDay(ev.ns),
        type,
        orderId,
        size: Number(size / QUANTITY_SCALE),
        price,
        direction: side === 'B' ? 1 : -1,
      }),
    )
    if (levels > 0) orderbook.push(formatLobsterBookRow(lobsterRowOf(book!.depth(levels), levels), levels))
  }

  /**
   * Writes what LOBSTER sees of an order shrinking (the event applied): the displayed shares it lost (the
   * event's own size for a wholly displayed order), as a delete when it is gone. Hidden shares are not in LOBSTER's view, so a hidden order's cancel writes nothing.
   */
  const shrink = (ev: BookEvent, before: BookOrder, stated: bigint) => {
    const after = book!.order(before.orderId)
    const lost = before.displayed - (after?.displayed ?? 0n)
    if (lost <= 0n) return
    // A wholly displayed order's message says what the event says (a LOBSTER import comes back line for line).
    const size = before.displayed === before.leavesQty ? stated : lost
    write(ev, after === undefined ? 3 : 2, idOf(before.orderId), size, ticks(before.price), before.side)
  }

  for (const ev of list) {
    book ??= new OrderBook(ev.venue, ev.symbol)
    if (
      ev.recordId?.includes(LOBSTER_ADJUST_TAG) ||
      (!options.includeSeeds && ev.recordId?.includes(LOBSTER_SEED_TAG))
    ) {
      book.apply(ev)
      continue
    }
    switch (ev.kind) {
      case 'status':
        book.apply(ev)
        write(ev, 7, 0, 0n, ev.status === 'H' ? -1 : ev.status === 'Q' ? 0 : 1, 'S')
        break
      case 'execute': {
        const passiveBuy = ev.aggressor === 'S' || (ev.aggressor === 'NA' && ev.buyOrderId !== undefined)
        const id = passiveBuy ? ev.buyOrderId : ev.sellOrderId
        const other = passiveBuy ? ev.sellOrderId : ev.buyOrderId
        const resting = ev.aggressor === 'NA' || other === undefined ? undefined : book.order(other)
        if (resting !== undefined && id !== undefined) {
          // The aggressor rested (its add came first, at the same instant): LOBSTER has no aggressor, so each
          // resting side's fill is a message of its own, or the aggressor would stay in the imported book.
          const [passive, aggressive] = splitExecution(ev, passiveBuy)
          book.apply(passive)
          write(ev, ev.hidden ? 5 : 4, idOf(id), ev.quantity, ticks(ev.price), passiveBuy ? 'B' : 'S')
          book.apply(aggressive)
          write(
            ev,
            resting.displayed > 0n ? 4 : 5,
            idOf(other),
            ev.quantity,
            ticks(resting.price),
            resting.side,
          )
          break
        }
        book.apply(ev)
        if (ev.aggressor === 'NA')
          write(ev, 6, idOf(id), ev.quantity, ticks(ev.price), passiveBuy ? 'B' : 'S')
        else if (ev.hidden) write(ev, 5, idOf(id), ev.quantity, ticks(ev.price), passiveBuy ? 'B' : 'S')
        else if (id !== undefined)
          write(ev, 4, idOf(id), ev.quantity, ticks(ev.price), passiveBuy ? 'B' : 'S')
        else skipped++
        break
      }
      case 'add': {
        book.apply(ev)
        const shown = book.order(ev.orderId)
        if (shown === undefined || shown.displayed === 0n) skipped++
        else write(ev, 1, idOf(ev.orderId), shown.displayed, ticks(shown.price), ev.side)
        break
      }
      case 'cancel': {
        const before = book.order(ev.orderId)
        book.apply(ev)
        if (before === undefined) {
          // The venue still cancelled it (the book lost the order, e.g. to an orderbook-file adjustment).
          if (ev.price === undefined || ev.side === undefined) skipped++
          else
            write(
              ev,
              (ev.leavesQty ?? 0n) === 0n ? 3 : 2,
              idOf(ev.orderId),
              ev.quantity,
              ticks(ev.price),
              ev.side,
            )
          break
        }
        shrink(ev, before, ev.quantity)
        break
      }
      case 'modify':
      case 'quote': {
        const before = book.order(ev.kind === 'modify' ? (ev.priorOrderId ?? ev.orderId) : ev.orderId)
        const leaves = ev.kind === 'quote' && ev.price === undefined ? 0n : (ev.leavesQty ?? ev.quantity)
        const keeps =
          before !== undefined &&
          (ev.priorOrderId === undefined || ev.priorOrderId === ev.orderId) &&
          (ev.price === undefined || ev.price === before.price) &&
          ev.side === before.side &&
          leaves <= before.leavesQty &&
          ev.displayQty <= before.displayQty
        if (keeps && before) {
          book.apply(ev)
          shrink(ev, before, before.leavesQty - leaves)
          break
        }
        // LOBSTER has no modify: a change that loses priority is a delete and a new order.
        if (before) {
          const gone = {
            ...ev,
            kind: 'cancel' as const,
            orderId: before.orderId,
            quantity: before.leavesQty,
            leavesQty: 0n,
          }
          book.apply(orderEvent({ ...gone, priorOrderId: undefined, price: before.price }))
          if (before.displayed > 0n)
            write(ev, 3, idOf(before.orderId), before.displayed, ticks(before.price), before.side)
        }
        if (leaves > 0n) {
          const added = orderEvent({ ...ev, kind: 'add', priorOrderId: undefined, leavesQty: leaves })
          book.apply(added)
          const shown = book.order(ev.orderId)
          if (shown && shown.displayed > 0n)
            write(ev, 1, idOf(ev.orderId), shown.displayed, ticks(shown.price), ev.side)
        }
        break
      }
    }
  }
  return { messages, orderbook, skipped, subPenny, fractionalShares, book: book ?? new OrderBook() }
}

function idsOf(ev: BookEvent): (string | undefined)[] {
  if (ev.kind === 'status') return []
  if (ev.kind === 'execute') return [ev.buyOrderId, ev.sellOrderId]
  return [ev.orderId, ev.priorOrderId]
}

/** An execution as two: the passive side's fill, then the aggressor's, each naming one order. */
function splitExecution(ev: ExecuteEvent, passiveBuy: boolean): [ExecuteEvent, ExecuteEvent] {
  const base = {
    ns: ev.ns,
    seq: ev.seq,
    venue: ev.venue,
    symbol: ev.symbol,
    tradeId: ev.tradeId,
    price: ev.price,
    quantity: ev.quantity,
    hidden: ev.hidden,
    ...(ev.recordId === undefined ? {} : { recordId: ev.recordId }),
  }
  const buy = {
    buyOrderId: ev.buyOrderId,
    ...(ev.buyLeavesQty === undefined ? {} : { buyLeavesQty: ev.buyLeavesQty }),
  }
  const sell = {
    sellOrderId: ev.sellOrderId,
    ...(ev.sellLeavesQty === undefined ? {} : { sellLeavesQty: ev.sellLeavesQty }),
  }
  return passiveBuy
    ? [executeEvent({ ...base, ...buy, aggressor: 'S' }), executeEvent({ ...base, ...sell, aggressor: 'B' })]
    : [executeEvent({ ...base, ...sell, aggressor: 'B' }), executeEvent({ ...base, ...buy, aggressor: 'S' })]
}
