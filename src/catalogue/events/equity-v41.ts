/**
 * Equity event layouts of CAT IM spec v4.1.0 (39 types), in the notation of equity-v221.ts: the fields after
 * the common header, in CSV order. v4.1 kept the v2.2.1 positions and appended fields; positions it retired
 * are written `-` (they must stay blank, like reserved ones). Layouts follow the v4.1 field tables as a
 * third-party viewer of the specification publishes them; where those differ from the spec digest or the
 * official v2.2.1 schema, the digest wins (see docs/formats/events.md, "v4.1 deviations").
 */
import type { EventDraft } from './draft.ts'

/** What each equity event type reports; the option (MO) types reuse these words. */
export const DOC: Readonly<Record<string, string>> = {
  MENO: 'The firm originates an order or receives one from a customer; starts a lifecycle.',
  MENOS: 'More aggregated orders than fit in a MENO, or the real FDID of a MENO reported as PENDING.',
  MEOR: 'The firm sends the order to another firm, an exchange or a foreign broker.',
  MEORS: 'Reports afterwards that a route was rejected (routeRejectedFlag).',
  MEMR: 'The sender modifies an order it routed earlier; restates the route as modified.',
  MECR: 'The sender cancels an order it routed earlier; carries the routedOrderID of the route.',
  MEMRS: 'Reports afterwards that a route modification was rejected.',
  MECRS: 'Reports afterwards that a route cancellation was rejected.',
  MEOA: 'The firm accepts an order routed to it by another firm or an exchange.',
  MEIR: 'A desk or department of the firm receives the order from another one (reported by the receiver).',
  MEIM: 'An internal route is modified; a partial internal route names its desk order (deskOrderID).',
  MEIC: 'An internal route is cancelled in full or in part.',
  MEIMR: 'A request to modify an internal route, reported apart from the modification.',
  MEICR: 'A request to cancel an internal route, reported apart from the cancellation.',
  MECO: 'A child order sliced from a parent within one desk.',
  MECOM: 'A child order is modified.',
  MECOC: 'A child order is cancelled in full or in part.',
  MEOM: 'A cancel/replace or change of material terms; restates the whole order.',
  MEOMS: 'More aggregated orders than fit in a MEOM.',
  MEOMR: 'A modification request not captured in the requestTimestamp of a MEOM.',
  MEOJ: 'A price or quantity change only (ATS engine adjustments).',
  MEOC: 'The order is cancelled in full or in part.',
  MEOCR: 'A cancel request, reported apart from the cancellation.',
  MEOE: 'The order becomes effective later (a stop or other conditional order is triggered).',
  MENQ: 'A quote the firm originates (OTC, quote-driven ATSs).',
  MENQS: 'More aggregated orders behind a quote than fit in a MENQ.',
  MERQ: 'The firm sends a quote to another firm or an exchange.',
  MERQS: 'Reports afterwards that a routed quote was rejected.',
  MEQR: 'A quote the firm receives from another firm.',
  MEQC: 'A quote is withdrawn.',
  MEQM: 'A quote is modified.',
  MEQS: 'The market participant status of a quote changes (open or closed).',
  MEOT: 'An execution the firm reports to a trade reporting facility; carries both sides.',
  MEOTS: 'One more order of a trade side that had several.',
  MEOF: 'A fill of a client order that is not itself reported to a tape (e.g. from a representative order).',
  MEOFS: 'A client filled from several representative orders: one more firm-side order per supplement.',
  MEFA: 'Restates an amended fulfillment.',
  MEPA: 'Shares booked to a customer account after the trade.',
  MEAA: 'An allocation is amended: restates it, naming the prior allocation.',
}

export const EQUITY_V41: readonly EventDraft[] = [
  {
    type: 'MENO',
    title: 'New Order',
    key: 'order',
    eventClass: 'primary',
    doc: DOC.MENO,
    layout: `orderKeyDate:R orderID:R symbol:R eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C
      manualOrderKeyDate:C manualOrderID:C deptType:R solicitationFlag:R RFQID:C side:R price:C quantity:R
      minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C custDspIntrFlag:R
      firmDesignatedID:R accountHolderType:R affiliateFlag:R infoBarrierID:C
      aggregatedOrders:C[aggregatedOrders] negotiatedTradeFlag:R representativeInd:R seqNum:A atsDisplayInd:A
      displayPrice:A workingPrice:A displayQty:A atsOrderType:A nbbPrice:A nbbQty:A nboPrice:A nboQty:A
      nbboSource:A nbboTimestamp:A netPrice:C BFMMFlag:C`,
  },
  {
    type: 'MENOS',
    title: 'New Order Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MENOS,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R aggregatedOrders:C[aggregatedOrders]
      firmDesignatedID:C`,
  },
  {
    type: 'MEOR',
    title: 'Order Route',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEOR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicDupFlag:R
      electronicTimestamp:C senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C side:R
      price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R affiliateFlag:R isoInd:R
      handlingInstructions:C routeRejectedFlag:R dupROIDCond:R seqNum:A multiLegInd:R pairedOrderID:O
      infoBarrierID:C netPrice:C quoteKeyDate:C quoteID:C`,
  },
  {
    type: 'MEORS',
    title: 'Order Route Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEORS,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R senderIMID:C/imid
      destination:C destinationType:R routedOrderID:C session:C routeRejectedFlag:R`,
  },
  {
    type: 'MEMR',
    title: 'Order Route Modified',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEMR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      senderIMID:C/imid destination:C destinationType:R routedOrderID:C priorRoutedOrderID:C session:C side:R
      price:C quantity:R minQty:C - orderType:R timeInForce:R tradingSession:R affiliateFlag:R isoInd:R
      handlingInstructions:C routeRejectedFlag:R dupROIDCond:R seqNum:A netPrice:C multiLegInd:R`,
  },
  {
    type: 'MECR',
    title: 'Order Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MECR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R - senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C
      routeRejectedFlag:R seqNum:A multiLegInd:R`,
  },
  {
    type: 'MEMRS',
    title: 'Order Route Modified Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEMRS,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R senderIMID:C/imid
      destination:C destinationType:R routedOrderID:C session:C routeRejectedFlag:R multiLegInd:R`,
  },
  {
    type: 'MECRS',
    title: 'Order Route Cancelled Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MECRS,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R senderIMID:C/imid
      destination:C destinationType:R routedOrderID:C session:C routeRejectedFlag:R multiLegInd:R`,
  },
  {
    type: 'MEOA',
    title: 'Order Accepted',
    key: 'order',
    eventClass: 'primary',
    doc: DOC.MEOA,
    layout: `orderKeyDate:R orderID:R symbol:R eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C
      receiverIMID:R senderIMID:R senderType:R routedOrderID:C manualOrderKeyDate:C manualOrderID:C
      affiliateFlag:R deptType:R side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R
      isoInd:R handlingInstructions:C custDspIntrFlag:R infoBarrierID:C seqNum:A atsDisplayInd:A displayPrice:A
      workingPrice:A displayQty:A atsOrderType:A nbbPrice:A nbbQty:A nboPrice:A nboQty:A nbboSource:A
      nbboTimestamp:A solicitationFlag:R pairedOrderID:O netPrice:C`,
  },
  {
    type: 'MEIR',
    title: 'Order Internal Route Accepted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEIR,
    layout: `orderKeyDate:R orderID:R symbol:R parentOrderKeyDate:C parentOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R electronicTimestamp:C deptType:R receivingDeskType:R infoBarrierID:C side:R price:C
      quantity:R minQty:C orderType:R handlingInstructions:C timeInForce:R tradingSession:R multiLegInd:R
      netPrice:C deskOrderID:C`,
  },
  {
    type: 'MEIM',
    title: 'Order Internal Route Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEIM,
    layout: `orderKeyDate:R orderID:R symbol:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R electronicTimestamp:C deptType:R receivingDeskType:R infoBarrierID:C initiator:R side:R
      price:C quantity:R minQty:C leavesQty:R orderType:R handlingInstructions:C timeInForce:R tradingSession:R
      requestTimestamp:C netPrice:C deskOrderID:C priorDeskOrderID:C`,
  },
  {
    type: 'MEIC',
    title: 'Order Internal Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEIC,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R leavesQty:R initiator:R requestTimestamp:C infoBarrierID:C deskOrderID:C`,
  },
  {
    type: 'MEIMR',
    title: 'Order Internal Route Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEIMR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      deptType:R receivingDeskType:R infoBarrierID:C side:R price:C quantity:R minQty:C - orderType:R
      handlingInstructions:C timeInForce:R tradingSession:R netPrice:C deskOrderID:C`,
  },
  {
    type: 'MEICR',
    title: 'Order Internal Route Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEICR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R deskOrderID:C`,
  },
  {
    type: 'MECO',
    title: 'Child Order',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MECO,
    layout: `orderKeyDate:R orderID:R symbol:R parentOrderKeyDate:R parentOrderID:R originatingIMID:C eventTimestamp:R
      side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C
      seqNum:A atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A nbbPrice:A nbbQty:A nboPrice:A
      nboQty:A nbboSource:A nbboTimestamp:A multiLegInd:R infoBarrierID:C netPrice:C manualFlag:O
      electronicTimestamp:C`,
  },
  {
    type: 'MECOM',
    title: 'Child Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MECOM,
    layout: `orderKeyDate:R orderID:R symbol:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      side:R price:C quantity:R minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C seqNum:A atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A nbbPrice:A
      nbbQty:A nboPrice:A nboQty:A nbboSource:A nbboTimestamp:A netPrice:C manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MECOC',
    title: 'Child Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MECOC,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R side:R cancelQty:R leavesQty:R -
      seqNum:A manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MEOM',
    title: 'Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEOM,
    layout: `orderKeyDate:R orderID:R symbol:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R manualOrderKeyDate:C manualOrderID:C electronicDupFlag:R electronicTimestamp:C receiverIMID:C
      senderIMID:C senderType:C routedOrderID:C requestTimestamp:C - - - initiator:R side:R price:C quantity:R
      minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R isoInd:R handlingInstructions:C
      custDspIntrFlag:R infoBarrierID:C aggregatedOrders:C[aggregatedOrders] representativeInd:R seqNum:A
      atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A atsOrderType:A nbbPrice:A nbbQty:A nboPrice:A
      nboQty:A nbboSource:A nbboTimestamp:A netPrice:C BFMMFlag:C`,
  },
  {
    type: 'MEOMS',
    title: 'Order Modified Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEOMS,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R aggregatedOrders:R[aggregatedOrders]`,
  },
  {
    type: 'MEOMR',
    title: 'Order Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEOMR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      receiverIMID:C senderIMID:C senderType:C - - side:R price:C quantity:R minQty:C orderType:R timeInForce:R
      tradingSession:R isoInd:R handlingInstructions:C custDspIntrFlag:R infoBarrierID:C - - seqNum:A
      atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A atsOrderType:A nbbPrice:A nbbQty:A nboPrice:A
      nboQty:A nbboSource:A nbboTimestamp:A netPrice:C`,
  },
  {
    type: 'MEOJ',
    title: 'Order Adjusted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEOJ,
    layout: `orderKeyDate:R orderID:R symbol:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R electronicTimestamp:C initiator:R price:C quantity:C minQty:C leavesQty:C seqNum:A
      atsDisplayInd:A displayPrice:A workingPrice:A displayQty:A nbbPrice:A nbbQty:A nboPrice:A nboQty:A
      nbboSource:A nbboTimestamp:A timeInForce:R netPrice:C`,
  },
  {
    type: 'MEOC',
    title: 'Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEOC,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R leavesQty:R initiator:R seqNum:A requestTimestamp:C infoBarrierID:C`,
  },
  {
    type: 'MEOCR',
    title: 'Order Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: DOC.MEOCR,
    layout: `orderKeyDate:R orderID:R symbol:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R seqNum:A infoBarrierID:C`,
  },
  {
    type: 'MEOE',
    title: 'Order Effective',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEOE,
    layout: `orderKeyDate:R orderID:R symbol:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      timeInForce:R tradingSession:R - side:C price:C quantity:C minQty:C orderType:R seqNum:A atsDisplayInd:A
      displayPrice:A workingPrice:A displayQty:A nbbPrice:A nbbQty:A nboPrice:A nboQty:A nbboSource:A
      nbboTimestamp:A triggerPrice:C netPrice:C`,
  },
  {
    type: 'MENQ',
    title: 'New Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MENQ,
    layout: `quoteKeyDate:R quoteID:R symbol:R - - eventTimestamp:R seqNum:A - - - onlyOneQuoteFlag:R bidPrice:C
      bidQty:C askPrice:C askQty:C firmDesignatedID:C accountHolderType:C unsolicitedInd:C - - unpricedInd:R
      manualFlag:R electronicTimestamp:C representativeQuoteInd:C askAggregatedOrders:C[aggregatedOrders]
      bidAggregatedOrders:C[aggregatedOrders] RFQID:C RFQFlag:C bidRelativePrice:C askRelativePrice:C
      validUntilDuration:O`,
  },
  {
    type: 'MENQS',
    title: 'New Quote Supplement',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MENQS,
    layout: `quoteKeyDate:R quoteID:R symbol:R eventTimestamp:R representativeQuoteInd:R
      askAggregatedOrders:C[aggregatedOrders] bidAggregatedOrders:C[aggregatedOrders]`,
  },
  {
    type: 'MERQ',
    title: 'Routed Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MERQ,
    layout: `quoteKeyDate:R quoteID:R symbol:R eventTimestamp:R seqNum:A senderIMID:R/imid destination:C
      routedQuoteID:C bidPrice:C bidQty:C askPrice:C askQty:C quoteRejectedFlag:R unpricedInd:R dupROIDCond:R
      manualFlag:R electronicTimestamp:C destinationType:C session:C RFQID:C bidRelativePrice:C
      askRelativePrice:C validUntilDuration:O`,
  },
  {
    type: 'MERQS',
    title: 'Routed Quote Supplement',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MERQS,
    layout: `quoteKeyDate:R quoteID:R symbol:R eventTimestamp:R senderIMID:R/imid destination:R routedQuoteID:R
      quoteRejectedFlag:R destinationType:R session:C`,
  },
  {
    type: 'MEQR',
    title: 'Quote Received',
    key: 'quote',
    eventClass: 'primary',
    doc: DOC.MEQR,
    layout: `quoteKeyDate:R quoteID:R symbol:R receivedQuoteID:R eventTimestamp:R seqNum:A receiverIMID:R senderIMID:R
      onlyOneQuoteFlag:R - - bidPrice:C bidQty:C askPrice:C askQty:C - unsolicitedInd:R quoteWantedInd:C
      unpricedInd:R dupROIDCond:R manualFlag:R electronicTimestamp:C RFQID:C RFQFlag:C bidRelativePrice:C
      askRelativePrice:C senderType:C validUntilDuration:O`,
  },
  {
    type: 'MEQC',
    title: 'Quote Cancelled',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MEQC,
    layout: `quoteKeyDate:R quoteID:R symbol:R originatingIMID:C eventTimestamp:R seqNum:A - initiator:R - manualFlag:R
      electronicTimestamp:C RFQID:C`,
  },
  {
    type: 'MEQM',
    title: 'Quote Modified',
    key: 'quote',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEQM,
    layout: `quoteKeyDate:R quoteID:R symbol:R priorQuoteKeyDate:C priorQuoteID:C eventTimestamp:R seqNum:A bidPrice:C
      bidQty:C askPrice:C askQty:C unsolicitedInd:R unpricedInd:R manualFlag:R electronicTimestamp:C RFQID:C
      bidRelativePrice:C askRelativePrice:C validUntilDuration:O`,
  },
  {
    type: 'MEQS',
    title: 'Quote Status',
    key: 'quote',
    eventClass: 'secondary',
    doc: DOC.MEQS,
    layout: `quoteKeyDate:R quoteID:R symbol:R originatingIMID:C eventTimestamp:R seqNum:A mpStatusCode:R manualFlag:R
      electronicTimestamp:C`,
  },
  {
    type: 'MEOT',
    title: 'Trade',
    key: 'trade',
    eventClass: 'primary',
    doc: DOC.MEOT,
    layout: `tradeKeyDate:R tradeID:R symbol:R eventTimestamp:R manualFlag:R electronicTimestamp:C cancelFlag:R
      cancelTimestamp:C - - quantity:R price:R capacity:R tapeTradeID:C marketCenterID:C sideDetailsInd:R
      buyDetails:C[tradeSideV41] sellDetails:C[tradeSideV41] reportingExceptionCode:C seqNum:A nbbPrice:A
      nbbQty:A nboPrice:A nboQty:A nbboSource:A nbboTimestamp:A - clearingFirm:C counterparty:C multiLegInd:R
      infoBarrierID:C`,
  },
  {
    type: 'MEOTS',
    title: 'Trade Supplement',
    key: 'trade',
    eventClass: 'secondary',
    doc: DOC.MEOTS,
    layout: `tradeKeyDate:R tradeID:R symbol:R eventTimestamp:R buyDetails:C[tradeSupplementSideV41]
      sellDetails:C[tradeSupplementSideV41] multiLegInd:R`,
  },
  {
    type: 'MEOF',
    title: 'Order Fulfillment',
    key: 'fulfillment',
    eventClass: 'primary',
    doc: DOC.MEOF,
    layout: `fillKeyDate:R fulfillmentID:R symbol:R eventTimestamp:R manualFlag:R electronicTimestamp:C
      fulfillmentLinkType:R cancelFlag:R cancelTimestamp:C quantity:R price:R capacity:R
      clientDetails:R[fulfillmentSideV41] firmDetails:C[fulfillmentSideV41] infoBarrierID:C`,
  },
  {
    type: 'MEOFS',
    title: 'Order Fulfillment Supplement',
    key: 'fulfillment',
    eventClass: 'secondary',
    doc: DOC.MEOFS,
    layout: `fillKeyDate:R fulfillmentID:R symbol:R eventTimestamp:R firmDetails:R[fulfillmentSideV41]`,
  },
  {
    type: 'MEFA',
    title: 'Order Fulfillment Amendment',
    key: 'fulfillment',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEFA,
    layout: `fillKeyDate:R fulfillmentID:R priorFillKeyDate:C priorFulfillmentID:C symbol:R originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C quantity:R capacity:R price:R fulfillmentLinkType:R
      clientDetails:R[fulfillmentSideV41] firmDetails:C[fulfillmentSideV41]`,
  },
  {
    type: 'MEPA',
    title: 'Post-Trade Allocation',
    key: 'allocation',
    eventClass: 'primary',
    doc: DOC.MEPA,
    layout: `allocationKeyDate:R allocationID:R symbol:R eventTimestamp:R cancelFlag:R cancelTimestamp:C quantity:R
      price:R side:R firmDesignatedID:R - institutionFlag:R tradeDate:R settlementDate:C allocationType:R
      DVPCustodianID:C correspondentCRD:C newOrderFDID:C allocationInstructionTime:O - accountHolderType:R`,
  },
  {
    type: 'MEAA',
    title: 'Amended Allocation',
    key: 'allocation',
    eventClass: 'secondaryNewKey',
    doc: DOC.MEAA,
    layout: `allocationKeyDate:R allocationID:R priorAllocationKeyDate:C priorAllocationID:C symbol:R eventTimestamp:R
      quantity:R price:R side:R firmDesignatedID:R - institutionFlag:R tradeDate:R settlementDate:C
      allocationType:R DVPCustodianID:C correspondentCRD:C newOrderFDID:C allocationInstructionTime:O
      cancelFlag:R cancelTimestamp:C - accountHolderType:R`,
  },
]
