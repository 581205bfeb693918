/**
 * The identity part of the store (store/identity/<table>/f<fileId>.parquet): accounts, who holds them
 * (by CCID) and when, large trader IDs, and customers. No PII and no TID is ever written here.
 */
import type { Column } from '../store/event-columns.ts'

const COMMON: Column[] = [
  { name: 'file_id', sqlType: 'BIGINT', doc: 'The CAIS data file the row came in' },
  { name: 'received_ns', sqlType: 'BIGINT', doc: 'When that file was received' },
]

/** Column lists of the identity tables, by table name. */
export const IDENTITY_TABLES: Readonly<Record<string, readonly Column[]>> = {
  accounts: [
    { name: 'crd', sqlType: 'UBIGINT', doc: 'Reporting firm' },
    { name: 'fdid', sqlType: 'VARCHAR', doc: 'Firm Designated ID' },
    { name: 'fdid_type', sqlType: 'VARCHAR', doc: 'ACCOUNT, RELATIONSHIP or ENTITYID' },
    { name: 'account_types', sqlType: 'VARCHAR', doc: 'JSON array of account types' },
    { name: 'from_date', sqlType: 'INTEGER', doc: 'fdidDate' },
    { name: 'to_date', sqlType: 'INTEGER', doc: 'fdidEndDate (null while open)' },
    { name: 'end_reason', sqlType: 'VARCHAR', doc: 'fdidEndReason' },
    { name: 'replaced_by', sqlType: 'VARCHAR', doc: 'replacedByFDID' },
    ...COMMON,
  ],
  holders: [
    { name: 'crd', sqlType: 'UBIGINT', doc: 'Reporting firm' },
    { name: 'fdid', sqlType: 'VARCHAR', doc: 'Firm Designated ID' },
    { name: 'ccid', sqlType: 'VARCHAR', doc: 'CAT Customer ID of the holder' },
    { name: 'role', sqlType: 'VARCHAR', doc: 'HOLDER, AUTHREP, AUTH3RD, ...' },
    { name: 'has_discretion', sqlType: 'BOOLEAN', doc: 'The customer has discretion over the account' },
    { name: 'from_date', sqlType: 'INTEGER', doc: 'roleStartDate' },
    { name: 'to_date', sqlType: 'INTEGER', doc: 'roleEndDate (null while current)' },
    { name: 'ccid_key', sqlType: 'VARCHAR', doc: 'Version of the CCID key the CCID was made with' },
    ...COMMON,
  ],
  ltids: [
    { name: 'crd', sqlType: 'UBIGINT', doc: 'Reporting firm' },
    { name: 'fdid', sqlType: 'VARCHAR', doc: 'Firm Designated ID' },
    { name: 'ltid', sqlType: 'VARCHAR', doc: 'Large trader ID' },
    { name: 'from_date', sqlType: 'INTEGER', doc: 'ltidEffectiveDate' },
    { name: 'to_date', sqlType: 'INTEGER', doc: 'ltidEndDate' },
    ...COMMON,
  ],
  customers: [
    { name: 'ccid', sqlType: 'VARCHAR', doc: 'CAT Customer ID: keyed one-way transform of the TID' },
    { name: 'kind', sqlType: 'VARCHAR', doc: 'natural or entity' },
    { name: 'crd', sqlType: 'UBIGINT', doc: 'Firm that reported the customer' },
    { name: 'customer_record_id', sqlType: 'VARCHAR', doc: "The firm's own id of the customer" },
    { name: 'ccid_key', sqlType: 'VARCHAR', doc: 'Version of the CCID key the CCID was made with' },
    ...COMMON,
  ],
}

/**
 * Order events naming an FDID the firm had not reported in CAIS by T+3 08:00 (90050), one file per event
 * date in store/identity/fdid_findings/; the file exists once the date was checked.
 */
export const FDID_FINDING_COLUMNS: readonly Column[] = [
  { name: '_event_id', sqlType: 'UBIGINT', doc: 'The event (its errorROEID in feedback)' },
  { name: 'reporter', sqlType: 'VARCHAR', doc: 'CAT Reporter IMID of the event' },
  { name: 'roe_id', sqlType: 'VARCHAR', doc: 'firmROEID of the event' },
  { name: 'type', sqlType: 'VARCHAR', doc: 'Event type' },
  { name: 'event_date', sqlType: 'INTEGER', doc: 'Event date' },
  { name: 'crd', sqlType: 'UBIGINT', doc: 'CRD of the reporting firm' },
  { name: 'fdid', sqlType: 'VARCHAR', doc: 'The FDID no customer file of the firm reported' },
  { name: 'code', sqlType: 'INTEGER', doc: 'Customer-file code (90050)' },
  { name: 'checked_ns', sqlType: 'BIGINT', doc: 'When the check ran (repository clock)' },
]
