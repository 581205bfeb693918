/**
 * Book events back to exchange records (codec `Values`), so events made outside CAT files (a LOBSTER import,
 * a rebuilt stream) can be stored like any exchange file. Fields the book does not know get fixed values:
 * EXOA orderType LMT, timeInForce DAY=<ET date of the event>, tradingSession REG.
 */
import type { Values } from '../codec/index.ts'
import { etDateOf } from '../common/time/index.ts'
import type { BookEvent } from './book-event.ts'
import { formatPrice, formatQuantity } from './price.ts'

/** Options of `toExchangeValues`. */
export interface ToExchangeOptions {
  /** CAT side written for sells: the book only knows buy or sell. @default 'SL' */
  sellSide?: 'SL' | 'SS' | 'SX'
  /** recordID when the event has none. @default `${symbol}-${seq}` */
  recordId?: string
}

/**
 * The CAT values of a book event (EXOA, EXOM, EXOC, EXOT or EXTS), timestamps in the 9-digit string form.
 * Quote events give undefined: one side of a quote is not a whole EXQT.
 * @example
 * encodeJsonRecord(CATALOGUE_V4, CATALOGUE_V4.events.get(v.type as string)!, toExchangeValues(ev)!)
 */
export function toExchangeValues(ev: BookEvent, options: ToExchangeOptions = {}): Values | undefined {
  const head = (type: string): Values => ({
    actionType: 'NEW',
    recordID: ev.recordId ?? options.recordId ?? `${ev.symbol}-${ev.seq}`,
    type,
    exchange: ev.venue,
    symbol: ev.symbol,
    eventTimestamp: { ns: ev.ns, digits: 9, form: 'string' },
  })
  const put = (v: Values, field: string, x: string | undefined) => {
    if (x !== undefined) v[field] = x
  }
  switch (ev.kind) {
    case 'status':
      return { ...head('EXTS'), tradingStatus: ev.status }
    case 'execute': {
      const v = head('EXOT')
      v.tradeID = ev.tradeId
      v.price = formatPrice(ev.price)
      v.quantity = formatQuantity(ev.quantity)
      put(v, 'buyOrderID', ev.buyOrderId)
      put(v, 'sellOrderID', ev.sellOrderId)
      put(v, 'buyLeavesQty', ev.buyLeavesQty === undefined ? undefined : formatQuantity(ev.buyLeavesQty))
      put(v, 'sellLeavesQty', ev.sellLeavesQty === undefined ? undefined : formatQuantity(ev.sellLeavesQty))
      v.aggressorSide = ev.aggressor
      v.hiddenFlag = ev.hidden
      return v
    }
    case 'quote':
      return undefined
    default: {
      const type = ev.kind === 'add' ? 'EXOA' : ev.kind === 'modify' ? 'EXOM' : 'EXOC'
      const v = head(type)
      v.orderID = ev.orderId
      if (ev.kind === 'modify') put(v, 'priorOrderID', ev.priorOrderId)
      v.side = ev.side === 'B' ? 'B' : (options.sellSide ?? 'SL')
      put(v, 'price', ev.price === undefined ? undefined : formatPrice(ev.price))
      if (ev.kind === 'cancel') {
        v.cancelQty = formatQuantity(ev.quantity)
        v.leavesQty = formatQuantity(ev.leavesQty ?? 0n)
        return v
      }
      v.quantity = formatQuantity(ev.quantity)
      v.displayQty = formatQuantity(ev.displayQty)
      if (ev.kind === 'modify') {
        v.leavesQty = formatQuantity(ev.leavesQty ?? ev.quantity)
        return v
      }
      v.orderType = ev.price === undefined ? 'MKT' : 'LMT'
      v.timeInForce = { DAY: etDateOf(ev.ns) }
      v.tradingSession = 'REG'
      return v
    }
  }
}
