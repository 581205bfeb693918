/**
 * Multi-leg event layouts of CAT IM spec v4.1.0 (25 types), in the notation of equity-v221.ts. A multi-leg
 * order names its underlying, how many legs it has and the legs themselves (legDetails: each leg a symbol
 * or an optionID, its side, open/close and ratio); its price is the price of the package.
 */
import type { EventDraft } from './draft.ts'

const DOC: Readonly<Record<string, string>> = {
  MLNO: 'The firm originates or receives a multi-leg order (a spread, straddle, stock-option combination...); starts a lifecycle.',
  MLOR: 'The firm routes a multi-leg order to another firm or an exchange.',
  MLMR: 'The sender modifies a multi-leg order it routed earlier.',
  MLCR: 'The sender cancels a multi-leg order it routed earlier.',
  MLOA: 'The firm accepts a multi-leg order routed to it.',
  MLIR: 'A desk receives a multi-leg order internally.',
  MLIM: 'An internal route of a multi-leg order is modified.',
  MLIC: 'An internal route of a multi-leg order is cancelled.',
  MLIMR: 'A request to modify an internal route of a multi-leg order.',
  MLICR: 'A request to cancel an internal route of a multi-leg order.',
  MLCO: 'A child order sliced from a multi-leg order within one desk.',
  MLCOM: 'A multi-leg child order is modified.',
  MLCOC: 'A multi-leg child order is cancelled.',
  MLOM: 'A multi-leg order is modified or cancel/replaced; restates the whole order with its legs.',
  MLOMR: 'A request to modify a multi-leg order, reported apart from the modification.',
  MLOC: 'A multi-leg order is cancelled in full or in part.',
  MLOCR: 'A request to cancel a multi-leg order, reported apart from the cancellation.',
  MLNQ: 'A multi-leg quote the firm originates, answering a request for quote.',
  MLRQ: 'The firm sends a multi-leg quote to another firm or an exchange.',
  MLQS: 'The status of a multi-leg quote changes.',
  MLQR: 'A multi-leg quote the firm receives.',
  MLQC: 'A multi-leg quote is withdrawn.',
  MLQM: 'A multi-leg quote is modified.',
  MLOS: 'Supplements a multi-leg order: more aggregated orders, a late FDID, or a route rejected afterwards.',
  MLOE: 'A multi-leg order becomes effective later (a conditional order is triggered).',
}

export const MULTILEG_V41: readonly EventDraft[] = [
  {
    type: 'MLNO',
    title: 'Multi-Leg New Order',
    key: 'order',
    eventClass: 'primary',
    doc: DOC.MLNO,
    layout: `orderKeyDate:R orderID:R underlying:O eventTimestamp:R manualFlag:R manualOrderKeyDate:C manualOrderID:C
      electronicDupFlag:R electronicTimestamp:C deptType:R price:C quantity:R minQty:C orderType:R timeInForce:R
      tradingSession:R handlingInstructions:C firmDesignatedID:R accountHolderType:R affiliateFlag:R
      aggregatedOrders:C[aggregatedOrders] representativeInd:R solicitationFlag:R RFQID:C numberOfLegs:R
      priceType:C legDetails:R[legDetails]`,
  },
  {
    type: 'MLOR',
    title: 'Multi-Leg Order Route',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLOR,
    layout: `orderKeyDate:R orderID:R underlying:O eventTimestamp:R manualFlag:R electronicDupFlag:R
      electronicTimestamp:C senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C affiliateFlag:R
      routeRejectedFlag:R exchOriginCode:C pairedOrderID:C numberOfLegs:R priceType:C legDetails:R[legDetails]`,
  },
  {
    type: 'MLMR',
    title: 'Multi-Leg Order Route Modified',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLMR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C senderIMID:C/imid destination:C destinationType:R routedOrderID:C
      priorRoutedOrderID:C session:C - price:C quantity:R minQty:C - orderType:R timeInForce:R tradingSession:R
      affiliateFlag:R handlingInstructions:C routeRejectedFlag:R dupROIDCond:R exchOriginCode:C numberOfLegs:R
      priceType:C legDetails:R[legDetails]`,
  },
  {
    type: 'MLCR',
    title: 'Multi-Leg Order Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLCR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C cancelQty:R - senderIMID:C/imid destination:C destinationType:R routedOrderID:C
      session:C routeRejectedFlag:R numberOfLegs:O -`,
  },
  {
    type: 'MLOA',
    title: 'Multi-Leg Order Accepted',
    key: 'order',
    eventClass: 'primary',
    doc: DOC.MLOA,
    layout: `orderKeyDate:R orderID:R underlying:O eventTimestamp:R manualOrderKeyDate:C manualOrderID:C manualFlag:R
      electronicDupFlag:R electronicTimestamp:C receiverIMID:R senderIMID:R senderType:R routedOrderID:C price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C affiliateFlag:R
      solicitationFlag:R pairedOrderID:O numberOfLegs:R priceType:C legDetails:R[legDetails] deptType:R`,
  },
  {
    type: 'MLIR',
    title: 'Multi-Leg Order Internal Route Accepted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLIR,
    layout: `orderKeyDate:R orderID:R parentOrderKeyDate:C parentOrderID:C underlying:O eventTimestamp:R manualFlag:R
      electronicTimestamp:C deptType:R receivingDeskType:R price:C quantity:R minQty:C orderType:R timeInForce:R
      tradingSession:R handlingInstructions:C numberOfLegs:R priceType:C legDetails:R[legDetails] deskOrderID:C`,
  },
  {
    type: 'MLIM',
    title: 'Multi-Leg Order Internal Route Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLIM,
    layout: `orderKeyDate:R orderID:R underlying:O priorOrderKeyDate:C priorOrderID:C originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C deptType:R receivingDeskType:R initiator:R - price:C
      quantity:R minQty:C leavesQty:R orderType:R handlingInstructions:C timeInForce:R tradingSession:R
      requestTimestamp:C numberOfLegs:R priceType:C legDetails:R[legDetails] deskOrderID:C priorDeskOrderID:C`,
  },
  {
    type: 'MLIC',
    title: 'Multi-Leg Order Internal Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLIC,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C cancelQty:R leavesQty:R initiator:R requestTimestamp:C numberOfLegs:O deskOrderID:C`,
  },
  {
    type: 'MLIMR',
    title: 'Multi-Leg Order Internal Route Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLIMR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C deptType:R receivingDeskType:R - price:C quantity:R minQty:C - orderType:R
      handlingInstructions:C timeInForce:R tradingSession:R numberOfLegs:R priceType:C legDetails:R[legDetails]
      deskOrderID:C`,
  },
  {
    type: 'MLICR',
    title: 'Multi-Leg Order Internal Route Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLICR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C cancelQty:R numberOfLegs:O deskOrderID:C`,
  },
  {
    type: 'MLCO',
    title: 'Multi-Leg Child Order',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLCO,
    layout: `orderKeyDate:R orderID:R parentOrderKeyDate:R parentOrderID:R underlying:O eventTimestamp:R price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C numberOfLegs:R
      priceType:C legDetails:R[legDetails] manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MLCOM',
    title: 'Multi-Leg Child Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLCOM,
    layout: `orderKeyDate:R orderID:R underlying:O priorOrderKeyDate:C priorOrderID:C originatingIMID:C
      eventTimestamp:R - price:C quantity:R minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C numberOfLegs:R priceType:C legDetails:R[legDetails] manualFlag:O
      electronicTimestamp:C`,
  },
  {
    type: 'MLCOC',
    title: 'Multi-Leg Child Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLCOC,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R - cancelQty:R leavesQty:R
      numberOfLegs:O manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MLOM',
    title: 'Multi-Leg Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLOM,
    layout: `orderKeyDate:R orderID:R priorOrderKeyDate:C priorOrderID:C underlying:O eventTimestamp:R
      manualOrderKeyDate:C manualOrderID:C manualFlag:R electronicDupFlag:R electronicTimestamp:C receiverIMID:C
      senderIMID:C senderType:C routedOrderID:C initiator:R price:C quantity:R minQty:C leavesQty:R orderType:R
      timeInForce:R tradingSession:R handlingInstructions:C - aggregatedOrders:C[aggregatedOrders]
      representativeInd:R requestTimestamp:C numberOfLegs:R priceType:C legDetails:R[legDetails]`,
  },
  {
    type: 'MLOMR',
    title: 'Multi-Leg Order Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLOMR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C receiverIMID:C senderIMID:C senderType:C timeInForce:R price:C quantity:R minQty:C
      orderType:R tradingSession:R handlingInstructions:C numberOfLegs:R priceType:C legDetails:R[legDetails]`,
  },
  {
    type: 'MLOC',
    title: 'Multi-Leg Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLOC,
    layout: `orderKeyDate:R orderID:R underlying:O eventTimestamp:R manualFlag:R electronicTimestamp:C cancelQty:R
      leavesQty:R initiator:R requestTimestamp:C`,
  },
  {
    type: 'MLOCR',
    title: 'Multi-Leg Order Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLOCR,
    layout: `orderKeyDate:R orderID:R underlying:O originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C cancelQty:R`,
  },
  {
    type: 'MLNQ',
    title: 'Multi-Leg New Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MLNQ,
    layout: `quoteKeyDate:R quoteID:R underlying:O eventTimestamp:R onlyOneQuoteFlag:R bidPrice:C bidQty:C askPrice:C
      askQty:C firmDesignatedID:R accountHolderType:R numberOfLegs:R RFQID:R RFQFlag:R quotePriceType:C
      validUntilDuration:O legDetails:R[legDetails]`,
  },
  {
    type: 'MLRQ',
    title: 'Multi-Leg Routed Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MLRQ,
    layout: `quoteKeyDate:R quoteID:R underlying:O eventTimestamp:R senderIMID:R/imid destination:C routedQuoteID:R
      dupROIDCond:R bidPrice:C bidQty:C askPrice:C askQty:C quoteRejectedFlag:R destinationType:R numberOfLegs:R
      RFQID:R quotePriceType:C validUntilDuration:O legDetails:R[legDetails]`,
  },
  {
    type: 'MLQS',
    title: 'Multi-Leg Quote Status',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MLQS,
    layout: `quoteKeyDate:R quoteID:R underlying:O eventTimestamp:R firmDesignatedID:C senderIMID:C/imid destination:C
      destinationType:C routedQuoteID:C quoteRejectedFlag:R RFQID:R legDetails:C[legDetails]`,
  },
  {
    type: 'MLQR',
    title: 'Multi-Leg Quote Received',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MLQR,
    layout: `quoteKeyDate:R quoteID:R underlying:O receivedQuoteID:R dupROIDCond:R eventTimestamp:R receiverIMID:R
      senderIMID:C onlyOneQuoteFlag:R bidPrice:C bidQty:C askPrice:C askQty:C numberOfLegs:R RFQID:R RFQFlag:R
      quotePriceType:C senderType:R validUntilDuration:O legDetails:R[legDetails]`,
  },
  {
    type: 'MLQC',
    title: 'Multi-Leg Quote Cancelled',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MLQC,
    layout: `quoteKeyDate:R quoteID:R underlying:O eventTimestamp:R - RFQID:R`,
  },
  {
    type: 'MLQM',
    title: 'Multi-Leg Quote Modified',
    key: 'quote',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLQM,
    layout: `quoteKeyDate:R quoteID:R underlying:O priorQuoteKeyDate:C priorQuoteID:C receiverIMID:C senderIMID:C
      routedQuoteID:R eventTimestamp:R bidPrice:C bidQty:C askPrice:C askQty:C numberOfLegs:R RFQID:R
      quotePriceType:C validUntilDuration:O legDetails:R[legDetails]`,
  },
  {
    type: 'MLOS',
    title: 'Multi-Leg Order Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MLOS,
    layout: `orderKeyDate:R orderID:R underlying:O eventTimestamp:R manualFlag:R aggregatedOrders:C[aggregatedOrders]
      firmDesignatedID:C senderIMID:C/imid destination:C destinationType:C routedOrderID:C session:C
      routeRejectedFlag:R legDetails:C[legDetails]`,
  },
  {
    type: 'MLOE',
    title: 'Multi-Leg Order Effective',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MLOE,
    layout: `orderKeyDate:R orderID:R priorOrderKeyDate:C priorOrderID:C underlying:O eventTimestamp:R price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R numberOfLegs:R priceType:C triggerPrice:C
      legDetails:R[legDetails]`,
  },
]
