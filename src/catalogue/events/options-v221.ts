/**
 * Single-leg option event layouts of CAT IM spec v2.2.1 (13 types). Same notation as equity-v221.ts;
 * options carry optionID instead of symbol.
 */
import type { EventDraft } from './draft.ts'

const KEY = 'orderKeyDate:R orderID:R optionID:R'

export const OPTIONS_V221: readonly EventDraft[] = [
  {
    type: 'MONO',
    title: 'New Option Order',
    key: 'order',
    eventClass: 'primary',
    doc: 'The firm originates or receives an option order; starts a lifecycle.',
    layout: `${KEY} eventTimestamp:R manualFlag:R manualOrderKeyDate:O manualOrderID:O electronicDupFlag:R
      electronicTimestamp:C deptType:R side:R price:C quantity:R minQty:C orderType:R timeInForce:R tradingSession:R
      handlingInstructions:C firmDesignatedID:R accountHolderType:R affiliateFlag:R aggregatedOrders:C[aggregatedOrders]
      - openCloseIndicator:C representativeInd:R nextUnlinked:C`,
  },
  {
    type: 'MONOS',
    title: 'New Option Order Supplement',
    key: 'order',
    eventClass: 'secondary',
    doc: 'More aggregated orders for a MONO, or its late FDID.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R aggregatedOrders:C[aggregatedOrders] priorUnlinked:C
      nextUnlinked:C firmDesignatedID:C`,
  },
  {
    type: 'MOOR',
    title: 'Option Order Route',
    key: 'order',
    eventClass: 'secondary',
    doc: 'The firm routes an option order.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C
      senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C side:R price:C quantity:R minQty:C
      orderType:R timeInForce:R tradingSession:R handlingInstructions:C routeRejectedFlag:O exchOriginCode:C
      affiliateFlag:R - openCloseIndicator:C priorUnlinked:C nextUnlinked:C`,
  },
  {
    type: 'MOOA',
    title: 'Option Order Accepted',
    key: 'order',
    eventClass: 'primary',
    doc: 'The firm accepts a routed option order.',
    layout: `${KEY} eventTimestamp:R manualOrderKeyDate:O manualOrderID:O manualFlag:R electronicDupFlag:R
      electronicTimestamp:C receiverIMID:R senderIMID:R senderType:R routedOrderID:C deptType:R side:R price:C
      quantity:R minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C affiliateFlag:R - -
      openCloseIndicator:C priorUnlinked:C nextUnlinked:C`,
  },
  {
    type: 'MOIR',
    title: 'Option Order Internal Route Accepted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A desk receives an option order internally.',
    layout: `${KEY} parentOrderKeyDate:C parentOrderID:C originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C deptType:R receivingDeskType:R side:R price:C quantity:R minQty:C orderType:R
      handlingInstructions:C openCloseIndicator:C priorUnlinked:C nextUnlinked:C timeInForce:R tradingSession:R`,
  },
  {
    type: 'MOCO',
    title: 'Option Child Order',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'A child of an option order.',
    layout: `${KEY} parentOrderKeyDate:R parentOrderID:R originatingIMID:C eventTimestamp:R side:R price:C quantity:R
      minQty:C orderType:R timeInForce:R tradingSession:R handlingInstructions:C openCloseIndicator:R priorUnlinked:C
      nextUnlinked:C`,
  },
  {
    type: 'MOCOM',
    title: 'Option Child Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'An option child order is modified.',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R side:R price:C quantity:R
      minQty:C leavesQty:R orderType:R timeInForce:R tradingSession:R handlingInstructions:C openCloseIndicator:C
      priorUnlinked:C nextUnlinked:C`,
  },
  {
    type: 'MOCOC',
    title: 'Option Child Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: 'An option child order is cancelled.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R side:R cancelQty:R leavesQty:R - priorUnlinked:C`,
  },
  {
    type: 'MOOM',
    title: 'Option Order Modified',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'An option order is modified or cancel/replaced.',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R manualOrderKeyDate:O
      manualOrderID:O manualFlag:R electronicDupFlag:R electronicTimestamp:C receiverIMID:C senderIMID:C senderType:C
      routedOrderID:C initiator:R side:R price:C quantity:R minQty:C leavesQty:R orderType:R timeInForce:R
      tradingSession:R handlingInstructions:C openCloseIndicator:C - - aggregatedOrders:C[aggregatedOrders]
      representativeInd:R priorUnlinked:C nextUnlinked:C`,
  },
  {
    type: 'MOOJ',
    title: 'Option Order Adjusted',
    key: 'order',
    eventClass: 'secondaryNewKey',
    doc: 'Price or quantity of an option order changes.',
    layout: `${KEY} priorOrderKeyDate:C priorOrderID:C originatingIMID:C eventTimestamp:R manualFlag:R
      electronicTimestamp:C initiator:R price:C quantity:C minQty:C leavesQty:C priorUnlinked:C nextUnlinked:C`,
  },
  {
    type: 'MOOC',
    title: 'Option Order Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: 'An option order is cancelled.',
    layout: `${KEY} originatingIMID:C eventTimestamp:R manualFlag:R electronicTimestamp:C cancelQty:R leavesQty:R
      initiator:R priorUnlinked:C`,
  },
  {
    type: 'MOOF',
    title: 'Option Order Fulfillment',
    key: 'fulfillment',
    eventClass: 'primary',
    doc: 'A fill of a client option order.',
    layout: `fillKeyDate:R fulfillmentID:R optionID:R eventTimestamp:R manualFlag:R electronicTimestamp:C quantity:R
      price:R fulfillmentLinkType:R clientDetails:R[optionFulfillmentSide] firmDetails:O[optionFulfillmentSide]
      priorUnlinked:C cancelFlag:R cancelTimestamp:C`,
  },
  {
    type: 'MOFA',
    title: 'Option Order Fulfillment Amendment',
    key: 'fulfillment',
    eventClass: 'secondaryNewKey',
    doc: 'Restates an amended option fulfillment.',
    layout: `fillKeyDate:R fulfillmentID:R optionID:R priorFillKeyDate:C priorFulfillmentID:C originatingIMID:C
      eventTimestamp:R manualFlag:R electronicTimestamp:C fulfillmentLinkType:R quantity:R price:R
      clientDetails:R[optionFulfillmentSide] firmDetails:O[optionFulfillmentSide] priorUnlinked:C`,
  },
]
