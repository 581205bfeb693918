/** Rules on routes and accepts: destinations, sessions, routedOrderIDs, who sent and who received. */
import type { Rule } from '../rule.ts'

// An IMID in CRD:MPID form that the reference data knows on the event date.
const knownImid = (
  col: string,
) => `EXISTS (SELECT 1 FROM ref_imids i WHERE i.imid = split_part(r.${col}, ':', 2)
  AND CAST(i.crd AS VARCHAR) = split_part(r.${col}, ':', 1)
  AND r.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231))`
const knownExchange = (col: string) => `EXISTS (SELECT 1 FROM ref_exchanges x WHERE x.exchange_id = r.${col}
  AND r.event_date BETWEEN x.from_date AND coalesce(x.to_date, 99991231))`
// The IMID (CRD:MPID) belongs to the same firm (CRD) as the reporter of the file.
const sameFirm = (col: string) => `EXISTS (SELECT 1 FROM ref_imids a WHERE a.imid = r._reporter
  AND CAST(a.crd AS VARCHAR) = split_part(r.${col}, ':', 1))`

const ROUTES = ['MEOR', 'MOOR', 'MEMR', 'MECR', 'MOMR', 'MOCR', 'MLOR', 'MLMR', 'MLCR']
const ACCEPTS = ['MEOA', 'MOOA', 'MLOA']

export const ROUTE_RULES: readonly Rule[] = [
  {
    id: 'destination-fits-destination-type',
    code: 2019,
    fields: ['destination', 'destinationType'],
    message:
      'destination must be a known IMID (CRD:MPID) when destinationType is F, and a known Exchange ID when E',
    when: `(destinationType = 'F' AND (destination IS NULL OR NOT ${knownImid('destination')}))
      OR (destinationType = 'E' AND (destination IS NULL OR NOT ${knownExchange('destination')}))`,
    example: { type: 'MEOR', set: { destination: '999999:NOPE' } },
  },
  {
    id: 'session-only-to-exchanges',
    code: 2093,
    fields: ['session', 'destinationType'],
    message: 'session is required for routes to an exchange (destinationType E) and only for those',
    when: `(destinationType = 'E' AND "session" IS NULL) OR (destinationType <> 'E' AND "session" IS NOT NULL)`,
    example: { type: 'MEOR', set: { session: 'S1' } },
  },
  {
    id: 'routed-order-id-on-electronic-routes',
    code: 2086,
    fields: ['routedOrderID', 'destinationType', 'manualFlag'],
    message: 'routedOrderID is required on electronic routes to a firm or an exchange',
    when: "destinationType IN ('F', 'E') AND NOT manualFlag AND routedOrderID IS NULL",
    example: { type: 'MEOR', set: { routedOrderID: undefined } },
  },
  {
    id: 'sender-on-routes',
    code: 2091,
    fields: ['senderIMID', 'destinationType'],
    events: ROUTES,
    message: 'senderIMID is required on routes to a firm or an exchange',
    when: "destinationType IN ('F', 'E') AND senderIMID IS NULL",
    example: { type: 'MEOR', set: { senderIMID: undefined } },
  },
  {
    id: 'sender-is-the-reporting-firm',
    code: 2149,
    fields: ['senderIMID'],
    events: ROUTES,
    message: 'senderIMID must be an IMID of the reporting firm',
    when: `senderIMID IS NOT NULL AND NOT ${sameFirm('senderIMID')}`,
    example: { type: 'MEOR', set: { senderIMID: '999999:OTHR' } },
  },
  {
    id: 'receiver-is-the-reporting-firm',
    code: 2150,
    fields: ['receiverIMID'],
    message: 'receiverIMID must be an IMID of the reporting firm',
    when: `receiverIMID IS NOT NULL AND NOT ${sameFirm('receiverIMID')}`,
    example: { type: 'MEOA', set: { receiverIMID: '999999:OTHR' } },
  },
  {
    id: 'sender-fits-sender-type',
    code: 2089,
    fields: ['senderIMID', 'senderType'],
    message:
      'senderIMID must be a known IMID (CRD:MPID) when senderType is F, and a known Exchange ID when E',
    when: `(senderType = 'F' AND NOT ${knownImid('senderIMID')}) OR (senderType = 'E' AND NOT ${knownExchange('senderIMID')})`,
    example: { type: 'MEOA', set: { senderType: 'E' } },
  },
  {
    id: 'routed-order-id-on-electronic-accepts',
    code: 2086,
    fields: ['routedOrderID', 'manualFlag'],
    events: ACCEPTS,
    message: 'routedOrderID is required when an electronic order is accepted from another reporter',
    when: 'NOT manualFlag AND routedOrderID IS NULL',
    example: { type: 'MEOA', set: { routedOrderID: undefined } },
  },
  {
    id: 'duplicate-routed-order-id-only-to-exchanges',
    code: 2023,
    fields: ['dupROIDCond', 'destinationType'],
    message: 'dupROIDCond may be true only on routes to an exchange',
    when: "dupROIDCond AND destinationType <> 'E'",
    example: { type: 'MEOR', set: { dupROIDCond: true } },
  },
]
