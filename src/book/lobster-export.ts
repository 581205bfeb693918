/**
 * Any venue's book events back out as LOBSTER message lines (and, optionally, orderbook rows after each
 * message), by replaying them through an `OrderBook`. A LOBSTER import comes back line for line.
 */
import { etWallToUtcNs, utcNsToEtParts } from '../common/time/index.ts'
import { type BookEvent, type BookSide, orderEvent } from './book-event.ts'
import { formatLobsterBookRow, lobsterRowOf } from './lobster-book-row.ts'
import { LOBSTER_ADJUST_TAG, LOBSTER_SEED_TAG } from './lobster-import.ts'
import { formatLobsterMessage, type LobsterType } from './lobster-message.ts'
import { OrderBook } from './order-book.ts'
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
 * Order ids that are not integers are numbered from 1 in order of appearance.
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
  const ids = new Map<string, number>()
  let nextId = 1
  const idOf = (id: string | undefined): number => {
    if (id === undefined) return 0
    if (/^-?\d{1,15}$/.test(id)) return Number(id)
    let n = ids.get(id)
    if (n === undefined) ids.set(id, (n = nextId++))
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

  for (const ev of events) {
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
        const full = ev.leavesQty !== undefined ? ev.leavesQty === 0n : before.leavesQty <= ev.quantity
        write(ev, full ? 3 : 2, idOf(ev.orderId), ev.quantity, ticks(ev.price ?? before.price), before.side)
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
          if (leaves < before.leavesQty) {
            write(
              ev,
              leaves === 0n ? 3 : 2,
              idOf(before.orderId),
              before.leavesQty - leaves,
              ticks(before.price),
              before.side,
            )
          }
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
