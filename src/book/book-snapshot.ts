/**
 * The serializable state of one order book: plain JSON (no bigint), one column per order field, so the store
 * can keep checkpoints as JSON or as a Parquet table of one row per resting order. Prices and quantities are
 * CAT decimal text, exact over the spec's whole ranges.
 */
import type { BookSide, TradingStatus } from './book-event.ts'

/** Inconsistencies the book reports instead of throwing; each is counted and the event applied as far as sensible. */
export type BookAnomaly =
  /** A modify, cancel or passive execution names an order that is not resting. */
  | 'unknown-order'
  /** An add names an order that is already resting (the add is ignored). */
  | 'duplicate-order'
  /** A cancel or execution removes more shares than the order has left (it is removed). */
  | 'overfill'
  /** The event's leaves quantity disagrees with the book's (the event's value is taken). */
  | 'leaves-mismatch'
  /** An order to rest has no price (it is not added). */
  | 'bad-price'
  /** An order kept its id but changed side (it is moved, losing priority). */
  | 'side-change'

/** Every anomaly kind, in a fixed order. */
export const BOOK_ANOMALIES: readonly BookAnomaly[] = [
  'unknown-order',
  'duplicate-order',
  'overfill',
  'leaves-mismatch',
  'bad-price',
  'side-change',
]

/** A zeroed count per anomaly kind. */
export function noAnomalies(): Record<BookAnomaly, number> {
  return {
    'unknown-order': 0,
    'duplicate-order': 0,
    overfill: 0,
    'leaves-mismatch': 0,
    'bad-price': 0,
    'side-change': 0,
  }
}

/** Resting orders, one array per field, in priority order: bids best first (FIFO within a level), then asks. */
export interface SnapshotOrders {
  readonly orderId: string[]
  readonly side: BookSide[]
  /** Prices and quantities as CAT decimal text (`'223.82'`, `'100'`, `'0.5'`). */
  readonly price: string[]
  readonly quantity: string[]
  readonly displayQty: string[]
  readonly leavesQty: string[]
  /** How long before the snapshot's `ns` the order took its current priority, in ns. */
  readonly age: number[]
  readonly seq: number[]
}

/** One order book's complete state after a number of events. */
export interface BookSnapshot {
  /** Version 1 held prices as numbers of 1e-8 dollars and quantities as numbers of shares; it is not read. */
  readonly format: 'opencat-book-snapshot/2'
  readonly venue: string
  readonly symbol: string
  /** Events applied to reach this state: the index of the next event of the source. */
  readonly applied: number
  /** Time of the last applied event, UTC ns as integer text; '' before any event. */
  readonly ns: string
  /** `seq` of the last applied event; -1 before any. */
  readonly seq: number
  readonly status: TradingStatus
  readonly anomalies: Record<BookAnomaly, number>
  readonly orders: SnapshotOrders
}
