/**
 * The compact, typed form of the exchange events an order book needs. One event per book change; every
 * event of a kind has the same shape (absent values are `undefined`), which keeps the apply loop monomorphic.
 */

/** Which side of the book: B bids, S offers (CAT sides SL, SS and SX are all sells). */
export type BookSide = 'B' | 'S'

/** A symbol's trading state on a venue: H halted, Q quoting only, T trading (EXTS `tradingStatus`). */
export type TradingStatus = 'H' | 'Q' | 'T'

/** The side that took liquidity in an execution; NA for crosses and auctions. */
export type AggressorSide = 'B' | 'S' | 'NA'

/** What every book event carries: when, in which order, where. */
interface BookEventBase {
  /** Event time, UTC nanoseconds since the epoch. */
  readonly ns: bigint
  /** Source order; breaks ties between events of the same nanosecond (see `compareBookEvents`). */
  readonly seq: number
  /** Exchange ID of the venue (`exchange` of the record). */
  readonly venue: string
  readonly symbol: string
  /** The exchange's own record id, when the event came from (or is meant for) a CAT record. */
  readonly recordId: string | undefined
}

/**
 * An event about one resting order. `add` (EXOA) puts it at the back of its price level; `modify` (EXOM)
 * changes it, keeping priority only when the price is unchanged and neither leaves nor displayed size grow,
 * and replaces it when `priorOrderId` names another order; `cancel` (EXOC) removes `quantity` shares (or sets
 * `leavesQty` when known); `quote` (EXQT) replaces one side of a member's quote, 0 withdrawing it.
 */
export interface OrderEvent extends BookEventBase {
  readonly kind: 'add' | 'modify' | 'cancel' | 'quote'
  readonly orderId: string
  /** The order a modify replaces (a new orderID was assigned); undefined otherwise. */
  readonly priorOrderId: string | undefined
  readonly side: BookSide
  /** Limit price in 1e-8 dollars (CAT Price scaled); undefined for a market order or an unpriced cancel. */
  readonly price: bigint | undefined
  /** 1e-6 shares (CAT Real Quantity scaled): the order's size on add/modify/quote, the shares cancelled on cancel. */
  readonly quantity: bigint
  /** Displayed 1e-6 shares; 0 means fully hidden. Unused on cancel. */
  readonly displayQty: bigint
  /** Open 1e-6 shares after the event; undefined when the source does not say. */
  readonly leavesQty: bigint | undefined
}

/**
 * An execution (EXOT). It reduces every named order that rests in the book; the aggressor (or both sides of a
 * cross, aggressor NA) may legitimately be absent from the book.
 */
export interface ExecuteEvent extends BookEventBase {
  readonly kind: 'execute'
  readonly tradeId: string
  /** Execution price in 1e-8 dollars. */
  readonly price: bigint
  /** 1e-6 shares. */
  readonly quantity: bigint
  readonly buyOrderId: string | undefined
  readonly sellOrderId: string | undefined
  readonly buyLeavesQty: bigint | undefined
  readonly sellLeavesQty: bigint | undefined
  readonly aggressor: AggressorSide
  /** The execution took non-displayed liquidity. */
  readonly hidden: boolean
}

/** A change of the symbol's trading status on the venue (EXTS). */
export interface StatusEvent extends BookEventBase {
  readonly kind: 'status'
  readonly status: TradingStatus
}

/** Any book event. */
export type BookEvent = OrderEvent | ExecuteEvent | StatusEvent

/** The kinds of book event. */
export type BookEventKind = BookEvent['kind']

/** Fields of an order event; optional ones default to undefined (displayQty to quantity, 0 on a cancel; an add's leavesQty to quantity). */
export interface OrderEventInit {
  kind: OrderEvent['kind']
  ns: bigint
  seq: number
  venue: string
  symbol: string
  orderId: string
  side: BookSide
  price: bigint | undefined
  quantity: bigint
  displayQty?: bigint
  leavesQty?: bigint
  priorOrderId?: string
  recordId?: string
}

/** Builds an order event with every field present, in one fixed order. */
export function orderEvent(init: OrderEventInit): OrderEvent {
  return {
    kind: init.kind,
    ns: init.ns,
    seq: init.seq,
    venue: init.venue,
    symbol: init.symbol,
    recordId: init.recordId,
    orderId: init.orderId,
    priorOrderId: init.priorOrderId,
    side: init.side,
    price: init.price,
    quantity: init.quantity,
    displayQty: init.displayQty ?? (init.kind === 'cancel' ? 0n : init.quantity),
    leavesQty: init.leavesQty ?? (init.kind === 'add' ? init.quantity : undefined),
  }
}

/** Fields of an execution; optional ones default to undefined, `hidden` to false, `aggressor` to NA. */
export interface ExecuteEventInit {
  ns: bigint
  seq: number
  venue: string
  symbol: string
  tradeId: string
  price: bigint
  quantity: bigint
  buyOrderId?: string
  sellOrderId?: string
  buyLeavesQty?: bigint
  sellLeavesQty?: bigint
  aggressor?: AggressorSide
  hidden?: boolean
  recordId?: string
}

/** Builds an execution event with every field present, in one fixed order. */
export function executeEvent(init: ExecuteEventInit): ExecuteEvent {
  return {
    kind: 'execute',
    ns: init.ns,
    seq: init.seq,
    venue: init.venue,
    symbol: init.symbol,
    recordId: init.recordId,
    tradeId: init.tradeId,
    price: init.price,
    quantity: init.quantity,
    buyOrderId: init.buyOrderId,
    sellOrderId: init.sellOrderId,
    buyLeavesQty: init.buyLeavesQty,
    sellLeavesQty: init.sellLeavesQty,
    aggressor: init.aggressor ?? 'NA',
    hidden: init.hidden ?? false,
  }
}

/** Builds a trading-status event. */
export function statusEvent(init: {
  ns: bigint
  seq: number
  venue: string
  symbol: string
  status: TradingStatus
  recordId?: string
}): StatusEvent {
  return {
    kind: 'status',
    ns: init.ns,
    seq: init.seq,
    venue: init.venue,
    symbol: init.symbol,
    recordId: init.recordId,
    status: init.status,
  }
}

/**
 * The order of book events: by time, then by `seq` (source order) within a nanosecond. Events of different
 * venues at the same nanosecond have no true order; `venue` then decides, so merges are deterministic.
 */
export function compareBookEvents(a: BookEvent, b: BookEvent): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1
  if (a.venue !== b.venue) return a.venue < b.venue ? -1 : 1
  return a.seq - b.seq
}
