/** Rules on manual and electronic handling and on timestamp precision (IM spec §3.2.2, App. B). */
import type { Rule } from '../rule.ts'

export const MANUAL_RULES: readonly Rule[] = [
  {
    id: 'electronic-duplicate-is-electronic',
    code: 2143,
    fields: ['electronicDupFlag', 'manualFlag'],
    message:
      'an electronic duplicate (electronicDupFlag) of a manual order is itself electronic: manualFlag must be false',
    when: 'electronicDupFlag AND manualFlag',
    example: {
      type: 'MENO',
      set: { electronicDupFlag: true, manualFlag: true, eventTimestamp: '20260302T093000' },
    },
  },
  {
    id: 'electronic-timestamp-only-when-manual',
    code: 2144,
    fields: ['electronicTimestamp', 'manualFlag'],
    message: 'electronicTimestamp is only for manual events (manualFlag true)',
    when: 'electronicTimestamp IS NOT NULL AND NOT manualFlag',
    example: { type: 'MEOC', set: { electronicTimestamp: '20260302T093001.500' } },
  },
  {
    id: 'electronic-events-to-the-millisecond',
    code: 2027,
    fields: ['eventTimestamp', 'manualFlag'],
    message: 'an electronic event (manualFlag false) needs eventTimestamp to at least the millisecond',
    when: 'NOT manualFlag AND _ts_digits < 3',
    example: { type: 'MEOC', set: { eventTimestamp: '20260302T093001' } },
  },
  {
    id: 'manual-key-date-with-manual-id',
    code: 2042,
    fields: ['manualOrderID', 'manualOrderKeyDate'],
    message: 'manualOrderKeyDate is required when manualOrderID is given',
    when: 'manualOrderID IS NOT NULL AND manualOrderKeyDate IS NULL',
    example: { type: 'MENO', set: { manualOrderID: 'M1' } },
  },
]
