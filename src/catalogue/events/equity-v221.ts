/**
 * Equity event layouts of CAT IM spec v2.2.1 (19 types). Each layout lists the fields after the common
 * header (actionType, errorROEID, firmROEID, type, CATReporterIMID = positions 1-5) in CSV order.
 * `-` is a reserved position; `name:R[composite]` names an array layout; `ATS` expands to the ATS block.
 */
import type { EventDraft } from './draft.ts'

const KEY = 'orderKeyDate:R orderID:R symbol:R'
const NBBO = 'nbbPrice:A nbbQty:A nboPrice:A nboQty:A nbboSource:A nbboTimestamp:A'
/** The ATS block: required of ATSs on NMS symbols, blank for everyone else. */
export const ATS = `seqNum:A atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A atsOrderType:A ${NBBO}`

export const EQUITY_V221: readonly EventDraft[] = [
  {
    type: 'MENO',
    title: 'New Order',
    key: 'order',
    eventClass: 'primary',
    doc: 'The firm originates an order or receives one from a customer; starts a lifecycle.',
    layout: `${KEY} eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C manualOrderKeyDate:O
      manualOrderID:O deptType:R - - side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C custDspIntrFlag:R firmDesignatedID:R accountHolderType:R affiliateFlag:R infoBarrierID:C
      aggregatedOrders:C[aggregatedOrders] negotiatedTradeFlag:R representativeInd:R ${ATS}`,
  },
  {
    type: 'MENOS',
    title: 'New Order Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: 'More aggregated orders than fit in a MENO, or the real FDID of a MENO reported as PENDING.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R aggregatedOrders:C[aggregatedOrders] firmDesignatedID:C`,
  },
  {
    type: 'MEOR',
    title: 'Order Route',
    key: 'order',
    eventClass: 'secondary',
    doc: 'The firm sends the order to another firm, an exchange or a foreign broker.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C
      senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C side:R price:C quantity:R minQty:C
      orderType:R timeInForce:R tradingSession:R affiliateFlag:R isoInd:R handlingInstructions:C routeRejectedFlag:O
      dupROIDCond:R seqNum:A`,
  },
  {
    type: 'MEOA',
    title: 'Order Accepted',
    key: 'order',
    eventClass: 'primary',
    doc: 'The firm accepts an order routed to it by another firm or an exchange.',
    layout: `${KEY} eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C receiverIMID:R senderIMID:R
      senderType:R routedOrderID:C manualOrderKeyDate:O manualOrderID:O affiliateFlag:R deptType:R side:R price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R isoInd:R handlingInstructions:C custDspIntrFlag:R
      infoBarrierID:C ${ATS}`,
  },
  {
    type: 'MEIR',
    title: 'Order Internal Route Accepted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A desk or department of the firm receives the order from another one (reported by the receiver).',
    layout: `${KEY} parentOrderKeyDate:C parentOrderID:C originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C deptType:R receivingDeskType:R infoBarrierID:C side:R price:C quantity:R minQty:C
      orderType:R handlingInstructions:C timeInForce:R tradingSession:R`,
  },
  {
    type: 'MECO',
    title: 'Child Order',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A child order sliced from a parent within one desk.',
    layout: `${KEY} parentOrderKeyDate:R parentOrderID:R originatingIMID:C eventTimestamp:R side:R price:C quantity:R
      minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C seqNum:A atsDisplayInd:A
      displayPrice:A workingPrice:A displayQty:A ${NBBO}`,
  },
  {
    type: 'MECOM',
    title: 'Child Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A child order is modified.',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R side:R price:C quantity:R
      minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R handlingInstructions:C seqNum:A atsDisplayInd:A
      displayPrice:A workingPrice:A displayQty:A ${NBBO}`,
  },
  {
    type: 'MECOC',
    title: 'Child Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: 'A child order is cancelled in full or in part.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R side:R cancelQty:R leavesQty:R - seqNum:A`,
  },
  {
    type: 'MEOM',
    title: 'Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A cancel/replace or change of material terms; restates the whole order.',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R manualFlag:R
      manualOrderKeyDate:O manualOrderID:O electronicDupFlag:R electronicTimestamp:C receiverIMID:C senderIMID:C
      senderType:C routedOrderID:C - - - - initiator:R side:R price:C quantity:R minQty:C leavesQty:R orderType:R
      timeInForce:R tradingSession:R isoInd:R handlingInstructions:C custDspIntrFlag:R infoBarrierID:C
      aggregatedOrders:C[aggregatedOrders] representativeInd:R ${ATS}`,
  },
  {
    type: 'MEOMS',
    title: 'Order Modified Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: 'More aggregated orders than fit in a MEOM.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R aggregatedOrders:R[aggregatedOrders]`,
  },
  {
    type: 'MEOJ',
    title: 'Order Adjusted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A price or quantity change only (ATS engine adjustments).',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C initiator:R price:C quantity:C minQty:C leavesQty:C seqNum:A atsDisplayInd:A
      displayPrice:C workingPrice:C displayQty:C ${NBBO}`,
  },
  {
    type: 'MEOC',
    title: 'Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: 'The order is cancelled in full or in part.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C cancelQty:R leavesQty:R
      initiator:R seqNum:A`,
  },
  {
    type: 'MEOT',
    title: 'Trade',
    key: 'trade',
    eventClass: 'primary',
    doc: 'An execution the firm reports to a trade reporting facility; carries both sides.',
    layout: `tradeKeyDate:R tradeID:R symbol:R eventTimestamp:R manualFlag:R electronicTimestamp:C cancelFlag:R
      cancelTimestamp:C quoteKeyDate:C quoteID:C quantity:R price:R capacity:R tapeTradeID:C marketCenterID:C
      sideDetailsInd:R buyDetails:C[tradeSide] sellDetails:C[tradeSide] reportingExceptionCode:C seqNum:A ${NBBO}`,
  },
  {
    type: 'MEOTS',
    title: 'Trade Supplement',
    key: 'trade',
    eventClass: 'secondary',
    doc: 'One more order of a trade side that had several.',
    layout: `tradeKeyDate:R tradeID:R symbol:R eventTimestamp:R buyDetails:C[tradeSupplementSide]
      sellDetails:C[tradeSupplementSide]`,
  },
  {
    type: 'MEOF',
    title: 'Order Fulfillment',
    key: 'fulfillment',
    eventClass: 'primary',
    doc: 'A fill of a client order that is not itself reported to a tape (e.g. from a representative order).',
    layout: `fillKeyDate:R fulfillmentID:R symbol:R eventTimestamp:R manualFlag:R electronicTimestamp:C
      fulfillmentLinkType:R cancelFlag:R cancelTimestamp:C quantity:R price:R capacity:R
      clientDetails:R[fulfillmentSide] firmDetails:C[fulfillmentSide]`,
  },
  {
    type: 'MEFA',
    title: 'Order Fulfillment Amendment',
    key: 'fulfillment',
    eventClass: 'secondaryNewKey',
    doc: 'Restates an amended fulfillment.',
    layout: `fillKeyDate:R fulfillmentID:R priorFillKeyDate:C priorFulfillmentID:C symbol:R originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C quantity:R capacity:R price:R fulfillmentLinkType:R
      clientDetails:R[fulfillmentSide] firmDetails:C[fulfillmentSide]`,
  },
  {
    type: 'MENQ',
    title: 'New Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: 'A quote the firm originates (OTC, quote-driven ATSs).',
    layout: `quoteKeyDate:R quoteID:R symbol:R priorQuoteKeyDate:C priorQuoteID:C eventTimestamp:R seqNum:A
      senderIMID:C/imid destination:C/imid routedQuoteID:C onlyOneQuoteFlag:R bidPrice:C bidQty:C askPrice:C
      askQty:C firmDesignatedID:R accountHolderType:R unsolicitedInd:R mpStatusCode:C quoteRejectedFlag:O`,
  },
  {
    type: 'MEQR',
    title: 'Quote Received',
    key: 'quote',
    eventClass: 'primary',
    doc: 'A quote the firm receives from another firm.',
    layout: `quoteKeyDate:R quoteID:R symbol:R receivedQuoteID:R eventTimestamp:R seqNum:A receiverIMID:R
      senderIMID:R/imid onlyOneQuoteFlag:R priorQuoteKeyDate:C priorQuoteID:C bidPrice:C bidQty:C askPrice:C
      askQty:C mpStatusCode:C unsolicitedInd:R quoteWantedInd:C`,
  },
  {
    type: 'MEQC',
    title: 'Quote Cancelled',
    key: 'quote',
    eventClass: 'secondary',
    doc: 'A quote is withdrawn.',
    layout:
      'quoteKeyDate:R quoteID:R symbol:R originatingIMID:C eventTimestamp:R seqNum:A - initiator:R mpStatusCode:C',
  },
]
