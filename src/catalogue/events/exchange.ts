/**
 * OpenCAT's exchange (participant) events. The participant spec's layouts are not public, so these are
 * our own design: what route linkage (exchange, routingParty, routedOrderID, session) and order-book
 * reconstruction (venue order id, side, price, quantity, displayed and leaves quantity) need.
 * Header: actionType, errorROEID, recordID, type, exchange (positions 1-5).
 */
import type { EventDraft } from './draft.ts'

/** The exchange record header; recordID plays the role firmROEID plays for firms. */
export const EXCHANGE_HEADER = 'actionType:R errorROEID:C recordID:R type:R exchange:R'
const SOURCE = 'OpenCAT exchange event format 1.0'

const DRAFTS: readonly Omit<EventDraft, 'header' | 'source'>[] = [
  {
    type: 'EXOA',
    title: 'Exchange Order Accepted',
    key: 'exchangeOrder',
    eventClass: 'primary',
    doc: 'The exchange accepts an order into its book; links to the member route by routingParty, routedOrderID and session.',
    layout: `orderID:R symbol:R eventTimestamp:R side:R price:C quantity:R displayQty:R orderType:R timeInForce:R
      tradingSession:R routingParty:C routedOrderID:C session:C capacity:C handlingInstructions:C`,
  },
  {
    type: 'EXOM',
    title: 'Exchange Order Modified',
    key: 'exchangeOrder',
    eventClass: 'secondaryNewKey',
    doc: 'A resting order changes; a new orderID with priorOrderID means it was replaced. Priority is kept only when the price is unchanged and the quantity does not grow.',
    layout: `orderID:R priorOrderID:C symbol:R eventTimestamp:R side:R price:C quantity:R displayQty:R leavesQty:R
      routingParty:C routedOrderID:C session:C`,
  },
  {
    type: 'EXOC',
    title: 'Exchange Order Cancelled',
    key: 'exchangeOrder',
    eventClass: 'secondary',
    doc: 'A resting order is cancelled in part (leavesQty > 0) or in full.',
    layout: 'orderID:R symbol:R eventTimestamp:R side:R price:C cancelQty:R leavesQty:R initiator:C',
  },
  {
    type: 'EXOR',
    title: 'Exchange Order Routed',
    key: 'exchangeOrder',
    eventClass: 'secondary',
    doc: "The exchange routes (part of) an order out through a routing broker, which reports the MEOA; the routed quantity leaves the exchange's book.",
    layout: `orderID:R symbol:R eventTimestamp:R side:R price:C quantity:R orderType:R timeInForce:R routingParty:R
      routedOrderID:R session:C`,
  },
  {
    type: 'EXOT',
    title: 'Exchange Execution',
    key: 'exchangeTrade',
    eventClass: 'primary',
    doc: "An execution in the book: both order ids where known, the leaves quantity of each side, and which side took liquidity. Against a member's quote, that side's order id is absent and routingParty names the member whose quote was executed.",
    layout: `tradeID:R symbol:R eventTimestamp:R price:R quantity:R buyOrderID:C sellOrderID:C buyLeavesQty:C
      sellLeavesQty:C aggressorSide:R hiddenFlag:R tapeTradeID:C routingParty:C`,
  },
  {
    type: 'EXQT',
    title: 'Exchange Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: "A member's two-sided quote on the exchange.",
    layout: 'quoteID:R symbol:R eventTimestamp:R routingParty:R bidPrice:C bidQty:C askPrice:C askQty:C',
  },
  {
    type: 'TRFT',
    title: 'Trade Report',
    key: 'tradeReport',
    eventClass: 'primary',
    doc: "A trade report of a FINRA facility (TRF, ADF or ORF), reported by the participant FINRA as the member entered it: marketCenterID and tapeTradeID (branch sequence number, compliance or control number) name it, eventTimestamp is the execution time. The firms' Trade events (MEOT) link to it on the TRF linkage key.",
    layout: `symbol:R eventTimestamp:R marketCenterID:R tapeTradeID:R quantity:R price:R rptngExctgMPID:R rptngCapacity:R
      rptngSideCode:R contraExctgMPID:C contraCapacity:C contraSideCode:C`,
  },
  {
    type: 'EXTS',
    title: 'Exchange Trading Status',
    key: 'exchangeOrder',
    eventClass: 'secondary',
    doc: 'Trading in a symbol halts, goes to quoting only, or resumes.',
    layout: 'symbol:R eventTimestamp:R tradingStatus:R',
  },
]

export const EXCHANGE_EVENTS: readonly EventDraft[] = DRAFTS.map((e) => ({
  ...e,
  header: EXCHANGE_HEADER,
  source: SOURCE,
}))

/**
 * Exchange events of the catalogues that have multi-leg orders (v4.1): an options exchange accepting a
 * package into its complex order book. It has no single instrument, so the package's underlying and legs
 * stand where a book order has its symbol; the book of no symbol holds it.
 */
export const COMPLEX_EXCHANGE_EVENTS: readonly EventDraft[] = [
  {
    type: 'EXCA',
    title: 'Exchange Complex Order Accepted',
    key: 'exchangeOrder',
    eventClass: 'primary',
    doc: "An options exchange accepts a member's multi-leg order (MLOR) into its complex order book; links to the route by routingParty, routedOrderID and session, like EXOA.",
    layout: `orderID:R underlying:R eventTimestamp:R side:R price:C quantity:R orderType:R timeInForce:R
      tradingSession:R routingParty:R routedOrderID:R session:C capacity:C numberOfLegs:R legDetails:R[legDetails]`,
    header: EXCHANGE_HEADER,
    source: SOURCE,
  },
]
