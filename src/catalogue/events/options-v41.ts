/**
 * Single-leg option event layouts of CAT IM spec v4.1.0 (35 types), in the notation of equity-v221.ts.
 * Options carry optionID (the OSI symbol) where equities carry symbol, and add openCloseIndicator and
 * exchOriginCode. Positions v4.1 retired (the phase-2b priorUnlinked/nextUnlinked among them) are `-`.
 */
import type { EventDraft } from './draft.ts'
import { DOC } from './equity-v41.ts'

function optionDoc(equityType: string): string {
  return `${DOC[equityType]} For an option, named by its optionID.`
}

export const OPTIONS_V41: readonly EventDraft[] = [
  {
    type: 'MONO',
    title: 'Option New Order',
    key: 'order',
    eventClass: 'primary',
    doc: optionDoc('MENO'),
    layout: `orderKeyDate:R orderID:R optionID:R eventTimestamp:R manualFlag:R manualOrderKeyDate:C manualOrderID:C
      electronicDupFlag:R electronicTimestamp:C deptType:R side:R price:C quantity:R minQty:C orderType:R
      timeInForce:R tradingSession:R handlingInstructions:C firmDesignatedID:R accountHolderType:R
      affiliateFlag:R aggregatedOrders:C[aggregatedOrders] solicitationFlag:R openCloseIndicator:C
      representativeInd:R - RFQID:C netPrice:C`,
  },
  {
    type: 'MONOS',
    title: 'Option New Order Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MENOS'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R
      aggregatedOrders:C[aggregatedOrders] - - firmDesignatedID:C`,
  },
  {
    type: 'MOOR',
    title: 'Option Order Route',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEOR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicDupFlag:R
      electronicTimestamp:C senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C side:R
      price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C
      routeRejectedFlag:R exchOriginCode:C affiliateFlag:R multiLegInd:R openCloseIndicator:C - -
      pairedOrderID:C netPrice:C`,
  },
  {
    type: 'MOORS',
    title: 'Option Order Route Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEORS'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R senderIMID:C/imid destination:C
      destinationType:R routedOrderID:C session:C routeRejectedFlag:R manualFlag:R`,
  },
  {
    type: 'MOMR',
    title: 'Option Order Route Modified',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEMR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      senderIMID:C/imid destination:C destinationType:R routedOrderID:C priorRoutedOrderID:C session:C side:R
      price:C quantity:R minQty:C - orderType:R timeInForce:R tradingSession:R affiliateFlag:R
      handlingInstructions:C routeRejectedFlag:R dupROIDCond:R exchOriginCode:C openCloseIndicator:C netPrice:C
      multiLegInd:R`,
  },
  {
    type: 'MOMRS',
    title: 'Option Order Route Modified Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEMRS'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R senderIMID:C/imid
      destination:C destinationType:R routedOrderID:C session:C routeRejectedFlag:R multiLegInd:R`,
  },
  {
    type: 'MOCR',
    title: 'Option Order Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MECR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R - senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C
      routeRejectedFlag:R multiLegInd:R`,
  },
  {
    type: 'MOCRS',
    title: 'Option Order Route Cancelled Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MECRS'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R senderIMID:C/imid
      destination:C destinationType:R routedOrderID:C session:C routeRejectedFlag:R multiLegInd:R`,
  },
  {
    type: 'MOOA',
    title: 'Option Order Accepted',
    key: 'order',
    eventClass: 'primary',
    doc: optionDoc('MEOA'),
    layout: `orderKeyDate:R orderID:R optionID:R eventTimestamp:R manualOrderKeyDate:C manualOrderID:C manualFlag:R
      electronicDupFlag:R electronicTimestamp:C receiverIMID:R senderIMID:R senderType:R routedOrderID:C
      deptType:R side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C affiliateFlag:R solicitationFlag:R pairedOrderID:O openCloseIndicator:C - -
      netPrice:C`,
  },
  {
    type: 'MOIR',
    title: 'Option Order Internal Route Accepted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEIR'),
    layout: `orderKeyDate:R orderID:R optionID:R parentOrderKeyDate:C parentOrderID:C originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C deptType:R receivingDeskType:R side:R price:C
      quantity:R minQty:C orderType:R handlingInstructions:C openCloseIndicator:C - - timeInForce:R
      tradingSession:R multiLegInd:R netPrice:C deskOrderID:C`,
  },
  {
    type: 'MOIM',
    title: 'Option Order Internal Route Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEIM'),
    layout: `orderKeyDate:R orderID:R optionID:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R electronicTimestamp:C deptType:R receivingDeskType:R initiator:R side:R price:C quantity:R
      minQty:C leavesQty:R orderType:R handlingInstructions:C openCloseIndicator:C timeInForce:R
      tradingSession:R requestTimestamp:C netPrice:C deskOrderID:C priorDeskOrderID:C`,
  },
  {
    type: 'MOIC',
    title: 'Option Order Internal Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEIC'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R leavesQty:R initiator:R requestTimestamp:C deskOrderID:C`,
  },
  {
    type: 'MOIMR',
    title: 'Option Order Internal Route Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEIMR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      deptType:R receivingDeskType:R side:R price:C quantity:R minQty:C - orderType:R handlingInstructions:C
      timeInForce:R tradingSession:R netPrice:C deskOrderID:C`,
  },
  {
    type: 'MOICR',
    title: 'Option Order Internal Route Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEICR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R deskOrderID:C`,
  },
  {
    type: 'MOCO',
    title: 'Option Child Order',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MECO'),
    layout: `orderKeyDate:R orderID:R optionID:R parentOrderKeyDate:R parentOrderID:R originatingIMID:C
      eventTimestamp:R side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C openCloseIndicator:R - - multiLegInd:R netPrice:C manualFlag:O
      electronicTimestamp:C`,
  },
  {
    type: 'MOCOM',
    title: 'Option Child Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MECOM'),
    layout: `orderKeyDate:R orderID:R optionID:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      side:R price:C quantity:R minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C openCloseIndicator:C - - netPrice:C manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MOCOC',
    title: 'Option Child Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MECOC'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R side:R cancelQty:R leavesQty:R - -
      manualFlag:O electronicTimestamp:C`,
  },
  {
    type: 'MOOM',
    title: 'Option Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEOM'),
    layout: `orderKeyDate:R orderID:R optionID:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualOrderKeyDate:C manualOrderID:C manualFlag:R electronicDupFlag:R electronicTimestamp:C receiverIMID:C
      senderIMID:C senderType:C routedOrderID:C initiator:R side:R price:C quantity:R minQty:C leavesQty:R
      orderType:R timeInForce:R tradingSession:R handlingInstructions:C openCloseIndicator:C requestTimestamp:C
      - aggregatedOrders:C[aggregatedOrders] representativeInd:R - - netPrice:C`,
  },
  {
    type: 'MOOMS',
    title: 'Option Order Modified Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEOMS'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R
      aggregatedOrders:R[aggregatedOrders]`,
  },
  {
    type: 'MOOMR',
    title: 'Option Order Modification Request',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEOMR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      receiverIMID:C senderIMID:C senderType:C side:R price:C quantity:R minQty:C timeInForce:R orderType:R
      tradingSession:R handlingInstructions:C openCloseIndicator:C netPrice:C`,
  },
  {
    type: 'MOOJ',
    title: 'Option Order Adjusted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEOJ'),
    layout: `orderKeyDate:R orderID:R optionID:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      manualFlag:R electronicTimestamp:C initiator:R price:C quantity:C minQty:C leavesQty:C - - timeInForce:R
      netPrice:C`,
  },
  {
    type: 'MOOC',
    title: 'Option Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEOC'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R leavesQty:R initiator:R - requestTimestamp:C`,
  },
  {
    type: 'MOOCR',
    title: 'Option Order Cancel Request',
    key: 'order',
    eventClass: 'secondary',
    doc: optionDoc('MEOCR'),
    layout: `orderKeyDate:R orderID:R optionID:R originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C
      cancelQty:R`,
  },
  {
    type: 'MONQ',
    title: 'Option New Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: optionDoc('MENQ'),
    layout: `quoteKeyDate:R quoteID:R optionID:R eventTimestamp:R onlyOneQuoteFlag:R bidPrice:C bidQty:C askPrice:C
      askQty:C firmDesignatedID:R accountHolderType:R RFQID:R RFQFlag:R bidRelativePrice:C askRelativePrice:C
      validUntilDuration:O`,
  },
  {
    type: 'MORQ',
    title: 'Option Routed Quote',
    key: 'quote',
    eventClass: 'primary',
    doc: optionDoc('MERQ'),
    layout: `quoteKeyDate:R quoteID:R optionID:R eventTimestamp:R senderIMID:R/imid destination:C routedQuoteID:R
      dupROIDCond:R bidPrice:C bidQty:C askPrice:C askQty:C quoteRejectedFlag:R destinationType:R RFQID:R
      bidRelativePrice:C askRelativePrice:C validUntilDuration:O`,
  },
  {
    type: 'MOQR',
    title: 'Option Quote Received',
    key: 'quote',
    eventClass: 'primary',
    doc: optionDoc('MEQR'),
    layout: `quoteKeyDate:R quoteID:R optionID:R receivedQuoteID:R dupROIDCond:R eventTimestamp:R receiverIMID:R
      senderIMID:C onlyOneQuoteFlag:R bidPrice:C bidQty:C askPrice:C askQty:C RFQID:R RFQFlag:R
      bidRelativePrice:C askRelativePrice:C senderType:R validUntilDuration:O`,
  },
  {
    type: 'MOQC',
    title: 'Option Quote Cancelled',
    key: 'quote',
    eventClass: 'secondary',
    doc: optionDoc('MEQC'),
    layout: `quoteKeyDate:R quoteID:R optionID:R originatingIMID:C eventTimestamp:R RFQID:R`,
  },
  {
    type: 'MOQM',
    title: 'Option Quote Modified',
    key: 'quote',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEQM'),
    layout: `quoteKeyDate:R quoteID:R optionID:R priorQuoteKeyDate:C priorQuoteID:C receiverIMID:C senderIMID:C
      routedQuoteID:R eventTimestamp:R bidPrice:C bidQty:C askPrice:C askQty:C RFQID:R bidRelativePrice:C
      askRelativePrice:C validUntilDuration:O`,
  },
  {
    type: 'MOOT',
    title: 'Option Trade',
    key: 'trade',
    eventClass: 'primary',
    doc: optionDoc('MEOT'),
    layout: `tradeKeyDate:R tradeID:R optionID:R eventTimestamp:R manualFlag:R electronicTimestamp:O cancelFlag:R
      cancelTimestamp:C quantity:R price:R capacity:R tapeTradeID:R sideDetailsInd:R buyDetails:C[tradeSideV41]
      sellDetails:C[tradeSideV41] marketCenterID:R multiLegInd:R clearingFirm:R`,
  },
  {
    type: 'MOOF',
    title: 'Option Order Fulfillment',
    key: 'fulfillment',
    eventClass: 'primary',
    doc: optionDoc('MEOF'),
    layout: `fillKeyDate:R fulfillmentID:R optionID:R eventTimestamp:R manualFlag:R electronicTimestamp:C quantity:R
      price:R fulfillmentLinkType:R clientDetails:R[optionFulfillmentSideV41] firmDetails:C[optionFulfillmentSideV41]
      - cancelFlag:R cancelTimestamp:C`,
  },
  {
    type: 'MOOFS',
    title: 'Option Order Fulfillment Supplement',
    key: 'fulfillment',
    eventClass: 'secondary',
    doc: optionDoc('MEOFS'),
    layout: `fillKeyDate:R fulfillmentID:R optionID:R eventTimestamp:R firmDetails:R[optionFulfillmentSideV41]`,
  },
  {
    type: 'MOFA',
    title: 'Option Order Fulfillment Amendment',
    key: 'fulfillment',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEFA'),
    layout: `fillKeyDate:R fulfillmentID:R optionID:R priorFillKeyDate:C priorFulfillmentID:C originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C fulfillmentLinkType:R quantity:R price:R
      clientDetails:R[optionFulfillmentSideV41] firmDetails:C[optionFulfillmentSideV41] -`,
  },
  {
    type: 'MOPA',
    title: 'Option Post-Trade Allocation',
    key: 'allocation',
    eventClass: 'primary',
    doc: optionDoc('MEPA'),
    layout: `allocationKeyDate:R allocationID:R optionID:R eventTimestamp:R cancelFlag:R cancelTimestamp:C quantity:R
      price:R side:R firmDesignatedID:R - institutionFlag:R tradeDate:R settlementDate:C allocationType:R -
      correspondentCRD:C newOrderFDID:C allocationInstructionTime:O - occClearingMemberID:C accountHolderType:R`,
  },
  {
    type: 'MOAA',
    title: 'Option Amended Allocation',
    key: 'allocation',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEAA'),
    layout: `allocationKeyDate:R allocationID:R priorAllocationKeyDate:C priorAllocationID:C optionID:R
      eventTimestamp:R quantity:R price:R side:R firmDesignatedID:R - institutionFlag:R tradeDate:R
      settlementDate:C allocationType:R - correspondentCRD:C newOrderFDID:C allocationInstructionTime:O
      cancelFlag:R cancelTimestamp:C - occClearingMemberID:C accountHolderType:R`,
  },
  {
    type: 'MOOE',
    title: 'Option Order Effective',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: optionDoc('MEOE'),
    layout: `orderKeyDate:R orderID:R optionID:R priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R
      timeInForce:R tradingSession:R - side:C price:C quantity:C minQty:C orderType:R openCloseIndicator:C
      triggerPrice:C netPrice:C`,
  },
]
