/**
 * Layouts of CAT's multi-dimensional arrays (one element = fields joined by `@` in CSV). The spec's name
 * for each is kept for the conformance test and the docs.
 */

/** One composite layout: element fields with their include flags, and how many elements are allowed. */
export interface CompositeLayout {
  readonly catName: string
  readonly layout: string
  readonly maxElements?: number
  /** v4.1: the code for more elements than allowed, by the field that holds the array (2273–2276). */
  readonly limitCodes?: Readonly<Record<string, number>>
}

const TRADE_SIDE_LIMITS = { buyDetails: 2273, sellDetails: 2274 }
const FULFILLMENT_SIDE_LIMITS = { clientDetails: 2275, firmDetails: 2276 }

export const COMPOSITES: Readonly<Record<string, CompositeLayout>> = {
  aggregatedOrders: {
    catName: 'Aggregated Orders',
    layout: 'orderID:R orderKeyDate:R quantity:C originatingIMID:C',
  },
  tradeSide: {
    catName: 'Trade Side Details',
    layout:
      'orderKeyDate:C orderID:C side:R quantity:O firmDesignatedID:C accountHolderType:C originatingIMID:C',
    maxElements: 1,
  },
  tradeSupplementSide: {
    catName: 'Trade Side Details',
    layout: 'orderKeyDate:R orderID:R side:R quantity:R originatingIMID:C',
    maxElements: 1,
  },
  fulfillmentSide: {
    catName: 'Fulfillment Side Details',
    layout:
      'orderKeyDate:C orderID:C side:R quantity:O firmDesignatedID:C accountHolderType:C originatingIMID:C',
    maxElements: 1,
  },
  // v4.1 retires the side quantity (position 4) and appends the bona fide market making flag (spec digest).
  tradeSideV41: {
    catName: 'Trade Side Details',
    layout:
      'orderKeyDate:C orderID:C side:R - firmDesignatedID:C accountHolderType:C originatingIMID:C BFMMFlag:C',
    maxElements: 1,
    limitCodes: TRADE_SIDE_LIMITS,
  },
  tradeSupplementSideV41: {
    catName: 'Trade Side Details',
    layout: 'orderKeyDate:R orderID:R side:R quantity:R originatingIMID:C',
    maxElements: 1,
    limitCodes: TRADE_SIDE_LIMITS,
  },
  fulfillmentSideV41: {
    catName: 'Fulfillment Side Details',
    layout:
      'orderKeyDate:C orderID:C side:R quantity:O firmDesignatedID:C accountHolderType:C originatingIMID:C',
    maxElements: 1,
    limitCodes: FULFILLMENT_SIDE_LIMITS,
  },
  optionFulfillmentSideV41: {
    catName: 'Fulfillment Side Details',
    layout: 'orderKeyDate:R orderID:R side:R quantity:O originatingIMID:C',
    maxElements: 1,
    limitCodes: FULFILLMENT_SIDE_LIMITS,
  },
  legDetails: {
    catName: 'Leg Details',
    layout: 'legRefID:R symbol:C optionID:C openCloseIndicator:C side:R legRatioQuantity:R',
  },
  optionFulfillmentSide: {
    catName: 'Fulfillment Side Details',
    layout: 'orderKeyDate:R orderID:R side:R quantity:O originatingIMID:C',
    maxElements: 1,
  },
}
