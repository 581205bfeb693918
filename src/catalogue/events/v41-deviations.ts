/**
 * Where OpenCAT's v4.1 layouts deliberately differ from the v4.1 field tables they were written from (a
 * third-party transcription): the spec digest, or the official v2.2.1 schema it confirms, wins. The
 * conformance test checks every other field against the transcription, and the docs list these.
 */
import type { Include } from '../types.ts'

/** One deliberate difference of presence: the event types, fields, both flags, and why. */
export interface PresenceDeviation {
  /** Event types it applies to; `equity` means every equity (ME) type that has the field. */
  readonly types: readonly string[] | 'equity'
  readonly fields: readonly string[]
  readonly transcription: Include
  readonly catalogue: Include
  readonly reason: string
}

/** The ATS block: ATS-only fields, which the transcription (like the official schema) marks Conditional. */
export const ATS_BLOCK = [
  'seqNum',
  'atsDisplayInd',
  'displayPrice',
  'workingPrice',
  'displayQty',
  'atsOrderType',
  'nbbPrice',
  'nbbQty',
  'nboPrice',
  'nboQty',
  'nbboSource',
  'nbboTimestamp',
] as const

export const V41_PRESENCE_DEVIATIONS: readonly PresenceDeviation[] = [
  {
    types: 'equity',
    fields: ATS_BLOCK,
    transcription: 'C',
    catalogue: 'A',
    reason:
      'the digest (§2.2, §2.3) makes the ATS block required of ATSs on NMS symbols and blank for everyone else; A is that condition made explicit',
  },
  {
    types: ['MEQR'],
    fields: ['seqNum'],
    transcription: 'R',
    catalogue: 'A',
    reason:
      'seqNum is the ATS matching-engine sequence number of the ATS block (digest §2.3); firms that are not ATSs have none',
  },
  {
    types: ['MEQR'],
    fields: ['receivedQuoteID', 'senderIMID'],
    transcription: 'C',
    catalogue: 'R',
    reason:
      'the Quote Route Key (digest §4.1) matches senderIMID and receivedQuoteID; the official v2.2.1 schema requires both',
  },
  {
    types: ['MEFA', 'MOFA'],
    fields: ['clientDetails'],
    transcription: 'C',
    catalogue: 'R',
    reason:
      'an amendment restates the whole fulfillment (digest §2.3, MEOF/MEFA), whose clientDetails are required; the official v2.2.1 schema requires them',
  },
  {
    types: ['MEOT'],
    fields: ['electronicTimestamp'],
    transcription: 'O',
    catalogue: 'C',
    reason:
      'the digest (§2.3, MEOT position 11) keeps electronicTimestamp Conditional: required on systematized manual trades',
  },
]

/** The transcription names retired positions `retiredFieldPosition`; the catalogue treats them as reserved. */
export const RETIRED_POSITION = 'retiredFieldPosition'
