/**
 * Small helpers that turn simulator numbers into codec values: exact decimal texts for prices and
 * quantities, and the field groups several event types share (order terms, the ATS block).
 */
import type { Timestamp, Values } from '../codec/index.ts'

/** Price text from cents, exact to 1/100 cent: 1001 → '10.01', 1001.25 → '10.0125'. */
export function priceText(cents: number): string {
  const units = Math.round(cents * 100)
  const whole = Math.floor(units / 10000)
  let frac = String(units % 10000).padStart(4, '0')
  if (frac.endsWith('00')) frac = frac.slice(0, 2)
  return `${whole}.${frac}`
}

/** Real Quantity text, with no trailing zeros in the fraction (2076 otherwise): 100 → '100', 0.5 → '0.5'. */
export function qtyText(q: number): string {
  if (Number.isInteger(q)) return String(q)
  return q.toFixed(6).replace(/0+$/, '')
}

/** Side codes the simulator writes. */
export type Side = 'B' | 'SL' | 'SS'

/** Trading sessions the simulator's orders ask for. */
export type TradingSession = 'PREREG' | 'REG' | 'REGPOST' | 'POST'

/** The terms of an order as sent: side, type, price, size, time in force, session. */
export interface OrderTerms {
  readonly side: Side
  readonly type: 'LMT' | 'MKT'
  /** Limit price in cents (LMT only). */
  readonly price?: number
  readonly quantity: number
  readonly minQty?: number
  readonly tif: 'DAY' | 'IOC'
  readonly session: TradingSession
  /** Whether an option order opens or closes a position (option series only). */
  readonly openClose?: 'Open' | 'Close'
}

/**
 * Sets the order-terms fields (side through tradingSession) of MENO, MEOR, MEOA, MEOM, MEIR, MECO and
 * friends. Values are built by assignment, never by object spread, which is slow in V8 for wide records.
 */
export function putTerms(v: Values, terms: OrderTerms, date: number): void {
  v.side = terms.side
  v.quantity = qtyText(terms.quantity)
  v.orderType = terms.type
  v.timeInForce = terms.tif === 'DAY' ? { DAY: date } : { IOC: true }
  v.tradingSession = terms.session
  if (terms.type === 'LMT') v.price = priceText(terms.price!)
  if (terms.minQty !== undefined) v.minQty = String(terms.minQty)
  if (terms.openClose !== undefined) v.openCloseIndicator = terms.openClose
}

/** The national best bid and offer a venue saw (prices in cents, sizes in shares). */
export interface Nbbo {
  readonly bid?: number
  readonly bidQty: number
  readonly ask?: number
  readonly askQty: number
  readonly t: Timestamp
}

/** Sets the ATS fields of an MEOT: sequence number and the NBBO the ATS used (0 and NA when it had none). */
export function putAtsTrade(v: Values, seqNum: number, nbbo: Nbbo): void {
  const two = nbbo.bid !== undefined && nbbo.ask !== undefined
  v.seqNum = String(seqNum)
  v.nbbPrice = two ? priceText(nbbo.bid!) : '0'
  v.nbbQty = two ? String(nbbo.bidQty) : '0'
  v.nboPrice = two ? priceText(nbbo.ask!) : '0'
  v.nboQty = two ? String(nbbo.askQty) : '0'
  v.nbboSource = two ? 'D' : 'NA'
  if (two) v.nbboTimestamp = nbbo.t
}

/** Sets the ATS block of order events: required of ATSs on NMS symbols; 0 where a field does not apply (§2.3). */
export function putAts(v: Values, seqNum: number, terms: OrderTerms, nbbo: Nbbo): void {
  putAtsTrade(v, seqNum, nbbo)
  v.atsDisplayInd = 'N'
  v.displayPrice = '0'
  v.workingPrice = terms.type === 'LMT' ? priceText(terms.price!) : '0'
  v.displayQty = '0'
  v.atsOrderType = [terms.type === 'MKT' ? 'DARKMKT' : 'DARKLMT']
}
