/** Rules on an order's terms: price and order type, quantities, time in force, representative orders. */
import type { Rule } from '../rule.ts'

export const ORDER_RULES: readonly Rule[] = [
  {
    id: 'price-by-order-type',
    code: 2067,
    fields: ['price', 'orderType'],
    message: 'price is required for limit (LMT) orders and must be blank for market (MKT) orders',
    when: "(orderType = 'LMT' AND price IS NULL) OR (orderType = 'MKT' AND price IS NOT NULL)",
    example: { type: 'MENO', set: { orderType: 'MKT' } },
  },
  {
    id: 'price-or-net-price',
    code: 2226,
    fields: ['price', 'netPrice'],
    message: 'price and netPrice must not both be given',
    when: 'price IS NOT NULL AND netPrice IS NOT NULL',
    example: { type: 'MENO', set: { netPrice: 10.5 } },
  },
  {
    id: 'quantity-positive',
    code: 2076,
    fields: ['quantity'],
    message: 'quantity must be greater than zero',
    when: 'quantity <= 0',
    example: { type: 'MENO', set: { quantity: 0 } },
  },
  {
    id: 'min-quantity-within-quantity',
    code: 2045,
    fields: ['minQty', 'quantity'],
    message: 'minQty must be greater than zero and at most quantity',
    when: 'minQty IS NOT NULL AND (minQty <= 0 OR minQty > quantity)',
    example: { type: 'MENO', set: { minQty: 5000 } },
  },
  {
    id: 'leaves-within-quantity',
    code: 2040,
    fields: ['leavesQty', 'quantity'],
    message: 'leavesQty must be at most quantity',
    when: 'leavesQty > quantity',
    example: { type: 'MEOM', set: { leavesQty: 5000 } },
  },
  {
    id: 'cancel-quantity-positive',
    code: 2012,
    fields: ['cancelQty'],
    message: 'cancelQty must be greater than zero (the whole remaining quantity on a full cancel)',
    when: 'cancelQty <= 0',
    example: { type: 'MEOC', set: { cancelQty: 0 } },
  },
  {
    id: 'day-order-for-event-date',
    code: 2101,
    fields: ['timeInForce', 'eventTimestamp'],
    message: 'a DAY order must be for the event date or the next trading day',
    when: `json_extract(timeInForce, '$.DAY') IS NOT NULL
      AND CAST(json_extract(timeInForce, '$.DAY') AS INTEGER) <> event_date
      AND CAST(json_extract(timeInForce, '$.DAY') AS INTEGER) IS DISTINCT FROM (SELECT d.next_trading_date FROM _deadlines d WHERE d.event_date = r.event_date)`,
    example: { type: 'MENO', set: { timeInForce: { DAY: 20250101 } } },
  },
  {
    id: 'aggregated-orders-fit-representative',
    code: 2142,
    fields: ['aggregatedOrders', 'representativeInd'],
    message: 'aggregatedOrders go with a representative order (representativeInd Y or YS), and Y needs them',
    when: "(aggregatedOrders IS NOT NULL AND representativeInd NOT IN ('Y', 'YS', 'O')) OR (representativeInd = 'Y' AND aggregatedOrders IS NULL)",
    example: { type: 'MENO', set: { representativeInd: 'Y' } },
  },
]
