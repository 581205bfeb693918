/**
 * The columns of the rejected-records store: what was refused, why, and the errorROEID a repair names.
 */
import type { Column } from './event-columns.ts'

export const REJECT_COLUMNS: readonly Column[] = [
  {
    name: 'errorROEID',
    sqlType: 'UBIGINT',
    doc: 'Repository-assigned id of the rejected record; RPR and DEL name it',
  },
  { name: '_file_id', sqlType: 'BIGINT', doc: 'Data file the record came in' },
  { name: '_line', sqlType: 'INTEGER', doc: 'Line in the data file (1-based)' },
  { name: '_reporter', sqlType: 'VARCHAR', doc: 'Reporter from the file name' },
  { name: '_submitter', sqlType: 'UBIGINT', doc: 'Submitter from the file name' },
  { name: '_type', sqlType: 'VARCHAR', doc: 'Event type, when readable' },
  { name: '_action', sqlType: 'VARCHAR', doc: 'actionType, when readable' },
  { name: '_roe_id', sqlType: 'VARCHAR', doc: 'firmROEID or recordID, when readable' },
  { name: '_event_ns', sqlType: 'BIGINT', doc: 'eventTimestamp, when readable' },
  { name: '_repairs', sqlType: 'UBIGINT', doc: 'For a rejected repair: the errorROEID it tried to repair' },
  { name: 'codes', sqlType: 'INTEGER[]', doc: 'CAT codes sent back (at most 8; the 8th is 2999 beyond 8)' },
  { name: 'messages', sqlType: 'VARCHAR[]', doc: 'What was wrong, field by field, in words' },
  { name: 'raw', sqlType: 'VARCHAR', doc: 'The record as received' },
  { name: '_received_ns', sqlType: 'BIGINT', doc: 'When the data file was received' },
  { name: 'processing_date', sqlType: 'INTEGER', doc: 'CAT processing date (the Parquet partition key)' },
]
