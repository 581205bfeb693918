/**
 * Decoded exchange records (codec `Values` of EXOA, EXOM, EXOC, EXOT, EXQT, EXTS, EXOR) to book events. An
 * EXOR takes the routed shares off the order: they are working at another venue now, not resting here.
 */
import { isTimestamp, type Values } from '../codec/index.ts'
import {
  type AggressorSide,
  type BookEvent,
  type BookSide,
  executeEvent,
  orderEvent,
  statusEvent,
  type TradingStatus,
} from './book-event.ts'
import { parsePrice, parseQuantity } from './price.ts'

/** The book events of one record, or why there are none. */
export interface ExchangeConversion {
  readonly events: BookEvent[]
  /** Set when the record cannot be used by the book (wrong type, missing or malformed field). */
  readonly problem?: string
}

/** Order id under which a member's quote rests: `|` cannot occur in a CAT Text order id, so no clash. */
export function quoteOrderId(routingParty: string, side: BookSide): string {
  return `Q|${routingParty}|${side}`
}

class Missing extends Error {}

/**
 * Record values: decoded `Values`, or a stored record read back as JSON, where an absent field is null;
 * both read the same here.
 */
type RecordValues = Values | Readonly<Record<string, unknown>>

function text(values: RecordValues, field: string): string {
  const v = values[field]
  if (typeof v !== 'string' || v === '') throw new Missing(`${field} is missing`)
  return v
}

function optText(values: RecordValues, field: string): string | undefined {
  const v = values[field]
  return typeof v === 'string' && v !== '' ? v : undefined
}

function qty(values: RecordValues, field: string): bigint {
  const q = optQty(values, field)
  if (q === undefined) throw new Missing(`${field} is missing`)
  return q
}

function optQty(values: RecordValues, field: string): bigint | undefined {
  const v = values[field]
  if (v === undefined || v === null) return undefined
  const q = typeof v === 'string' ? parseQuantity(v) : undefined
  if (q === undefined) throw new Missing(`${field} is not a quantity`)
  return q
}

function optPrice(values: RecordValues, field: string): bigint | undefined {
  const v = values[field]
  if (v === undefined || v === null) return undefined
  const p = typeof v === 'string' ? parsePrice(v) : undefined
  if (p === undefined) throw new Missing(`${field} is not a price`)
  return p
}

function sideOf(values: RecordValues): BookSide {
  const s = text(values, 'side')
  if (s === 'B') return 'B'
  if (s === 'SL' || s === 'SS' || s === 'SX') return 'S'
  throw new Missing(`side ${s} is not B, SL, SS or SX`)
}

/**
 * Converts one decoded exchange record into book events (EXQT gives two: one per side of the quote).
 * `seq` is the record's place in its source (file line, store row), which orders events of one nanosecond.
 * @example
 * const { events, problem } = fromExchangeRecord(decoded.type, decoded.values, lineNo)
 */
export function fromExchangeRecord(type: string, values: RecordValues, seq: number): ExchangeConversion {
  try {
    const ts = values.eventTimestamp
    if (!isTimestamp(ts)) return { events: [], problem: 'eventTimestamp is missing' }
    const ns = ts.ns
    const venue = text(values, 'exchange')
    const symbol = text(values, 'symbol')
    const recordId = optText(values, 'recordID')
    switch (type) {
      case 'EXOA': {
        const quantity = qty(values, 'quantity')
        const orderId = text(values, 'orderID')
        const side = sideOf(values)
        const price = optPrice(values, 'price')
        const displayQty = qty(values, 'displayQty')
        const event = orderEvent({
          ns,
          seq,
          venue,
          symbol,
          recordId,
          orderId,
          side,
          price,
          kind: 'add',
          quantity,
          displayQty,
          leavesQty: quantity,
        })
        return { events: [event] }
      }
      case 'EXOM':
      case 'EXOC':
      case 'EXOR': {
        const modify = type === 'EXOM'
        const routed = type === 'EXOR'
        const event = orderEvent({
          ns,
          seq,
          venue,
          symbol,
          recordId,
          orderId: text(values, 'orderID'),
          side: sideOf(values),
          price: optPrice(values, 'price'),
          kind: modify ? 'modify' : 'cancel',
          priorOrderId: modify ? optText(values, 'priorOrderID') : undefined,
          quantity: qty(values, modify || routed ? 'quantity' : 'cancelQty'),
          displayQty: modify ? qty(values, 'displayQty') : 0n,
          leavesQty: routed ? undefined : qty(values, 'leavesQty'),
        })
        return { events: [event] }
      }
      case 'EXOT': {
        const price = optPrice(values, 'price')
        if (price === undefined) return { events: [], problem: 'price is missing' }
        const aggressor = (optText(values, 'aggressorSide') ?? 'NA') as AggressorSide
        // Against a quote, the passive side is the quoting member's quote on that side.
        const quoter = optText(values, 'routingParty')
        const event = executeEvent({
          ns,
          seq,
          venue,
          symbol,
          recordId,
          tradeId: text(values, 'tradeID'),
          price,
          quantity: qty(values, 'quantity'),
          buyOrderId:
            optText(values, 'buyOrderID') ??
            (quoter && aggressor === 'S' ? quoteOrderId(quoter, 'B') : undefined),
          sellOrderId:
            optText(values, 'sellOrderID') ??
            (quoter && aggressor === 'B' ? quoteOrderId(quoter, 'S') : undefined),
          buyLeavesQty: optQty(values, 'buyLeavesQty'),
          sellLeavesQty: optQty(values, 'sellLeavesQty'),
          aggressor,
          hidden: values.hiddenFlag === true,
        })
        return { events: [event] }
      }
      case 'EXTS': {
        const status = text(values, 'tradingStatus')
        if (status !== 'H' && status !== 'Q' && status !== 'T')
          return { events: [], problem: `tradingStatus ${status} is not H, Q or T` }
        return {
          events: [statusEvent({ ns, seq, venue, symbol, recordId, status: status as TradingStatus })],
        }
      }
      case 'EXQT': {
        const party = text(values, 'routingParty')
        const leg = (side: BookSide, priceField: string, qtyField: string) => {
          const price = optPrice(values, priceField)
          // A quote without a price on a side withdraws that side.
          const quantity = price === undefined ? 0n : (optQty(values, qtyField) ?? 0n)
          return orderEvent({
            kind: 'quote',
            ns,
            seq,
            venue,
            symbol,
            recordId,
            orderId: quoteOrderId(party, side),
            side,
            price,
            quantity,
          })
        }
        return { events: [leg('B', 'bidPrice', 'bidQty'), leg('S', 'askPrice', 'askQty')] }
      }
      default:
        return { events: [], problem: `${type} is not an exchange event` }
    }
  } catch (e) {
    if (e instanceof Missing) return { events: [], problem: e.message }
    throw e
  }
}
