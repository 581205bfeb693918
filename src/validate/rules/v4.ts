/** Rules the v4 specification adds on any family: self-routes, late FDIDs, desk orders, request times. */
import type { Rule } from '../rule.ts'

// A route to oneself is refused at ingestion from v4.1 on; earlier versions leave it to linkage (8007/9007).
const V41 = ['4.1.0']

export const V4_RULES: readonly Rule[] = [
  {
    id: 'route-not-to-self',
    code: 2189,
    fields: ['senderIMID', 'destination'],
    versions: V41,
    message: 'senderIMID must differ from destination: a firm cannot route to itself',
    when: 'senderIMID = destination',
    example: { type: 'MLOR', set: { destination: '104001:ALDR' }, fileVersion: '4.1.0' },
  },
  {
    id: 'accept-not-from-self',
    code: 2189,
    fields: ['senderIMID', 'receiverIMID'],
    versions: V41,
    message: 'senderIMID must differ from receiverIMID: a firm cannot accept its own route',
    when: 'senderIMID = receiverIMID',
    example: { type: 'MLOA', set: { senderIMID: '104001:ALDR' }, fileVersion: '4.1.0' },
  },
  {
    id: 'supplement-carries-real-fdid',
    code: 2270,
    fields: ['firmDesignatedID'],
    events: ['MENOS', 'MONOS', 'MLOS'],
    message:
      'firmDesignatedID on a supplement is the real FDID of an order reported as PENDING, never PENDING',
    when: "firmDesignatedID = 'PENDING'",
    example: { type: 'MONOS', set: { firmDesignatedID: 'PENDING' }, fileVersion: '4.1.0' },
  },
  {
    id: 'prior-desk-order-with-desk-order',
    code: 2230,
    fields: ['priorDeskOrderID', 'deskOrderID'],
    message: 'priorDeskOrderID names the desk order a modification replaces, so it needs deskOrderID',
    when: 'priorDeskOrderID IS NOT NULL AND deskOrderID IS NULL',
    example: { type: 'MEIM', set: { priorDeskOrderID: 'D0' }, fileVersion: '4.1.0' },
  },
  {
    id: 'request-not-after-event',
    code: 2205,
    fields: ['requestTimestamp', 'eventTimestamp'],
    message:
      'requestTimestamp must not be later than eventTimestamp: the request comes before what it asked for',
    when: 'requestTimestamp > _event_ns',
    example: { type: 'MOOC', set: { requestTimestamp: '20260302T100000.500' }, fileVersion: '4.1.0' },
  },
]
