/** Rules on post-trade allocations (MEPA, MEAA, MOPA, MOAA): dates, DVP custodians, amendments, price. */
import type { Rule } from '../rule.ts'

export const ALLOCATION_RULES: readonly Rule[] = [
  {
    id: 'trade-date-not-after-allocation',
    code: 2175,
    fields: ['tradeDate', 'allocationID'],
    message: 'tradeDate must not be later than the date of the allocation (eventTimestamp)',
    when: 'tradeDate > event_date',
    example: { type: 'MEPA', set: { tradeDate: 20260303 }, fileVersion: '4.1.0' },
  },
  {
    id: 'settlement-not-before-trade',
    code: 2176,
    fields: ['settlementDate', 'tradeDate'],
    message: 'settlementDate must not be earlier than tradeDate',
    when: 'settlementDate < tradeDate',
    example: { type: 'MOPA', set: { settlementDate: 20260227 }, fileVersion: '4.1.0' },
  },
  {
    id: 'dvp-names-custodian',
    code: 2178,
    fields: ['DVPCustodianID', 'allocationType'],
    message: 'DVPCustodianID is required when allocationType is DVP or DVPF',
    when: "allocationType IN ('DVP', 'DVPF') AND DVPCustodianID IS NULL",
    example: { type: 'MEAA', set: { allocationType: 'DVP' }, fileVersion: '4.1.0' },
  },
  {
    id: 'prior-allocation-key-whole',
    code: 2172,
    fields: ['priorAllocationKeyDate', 'priorAllocationID'],
    message: 'priorAllocationKeyDate and priorAllocationID go together: both or neither',
    when: '(priorAllocationKeyDate IS NULL) <> (priorAllocationID IS NULL)',
    example: { type: 'MOAA', set: { priorAllocationID: 'A0' }, fileVersion: '4.1.0' },
  },
  {
    id: 'allocation-price-not-negative',
    code: 2067,
    fields: ['price', 'allocationID'],
    message: 'price of an allocation must not be negative',
    when: 'price < 0',
    example: { type: 'MEPA', set: { price: -1 }, fileVersion: '4.1.0' },
  },
]
