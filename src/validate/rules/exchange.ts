/** Rules on OpenCAT's exchange events. */
import type { Rule } from '../rule.ts'

export const EXCHANGE_RULES: readonly Rule[] = [
  {
    id: 'exchange-is-the-file-reporter',
    code: 2011,
    fields: ['exchange'],
    message: "exchange must be the Exchange ID in the file's name",
    when: '"exchange" <> _reporter',
    example: { type: 'EXOA', set: { exchange: 'NYSE' } },
  },
  {
    id: 'displayed-within-quantity',
    code: 2022,
    fields: ['displayQty', 'quantity', 'exchange'],
    message: 'displayQty must be at most quantity',
    when: 'displayQty > quantity',
    example: { type: 'EXOA', set: { displayQty: 100000 } },
  },
  {
    id: 'routed-order-names-routing-party',
    code: 2091,
    fields: ['routedOrderID', 'routingParty'],
    message: 'routingParty is required with a routedOrderID',
    when: 'routedOrderID IS NOT NULL AND routingParty IS NULL',
    example: { type: 'EXOA', set: { routingParty: undefined } },
  },
  {
    id: 'execution-names-an-order',
    code: 2061,
    fields: ['buyOrderID', 'sellOrderID', 'hiddenFlag'],
    message: 'an execution of displayed liquidity names at least one of buyOrderID and sellOrderID',
    when: 'buyOrderID IS NULL AND sellOrderID IS NULL AND NOT hiddenFlag',
    example: { type: 'EXOT', set: { buyOrderID: undefined, sellOrderID: undefined } },
  },
]
