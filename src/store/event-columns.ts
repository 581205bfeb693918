/**
 * The columns of the event store, derived from the catalogue: one column per field name of any event type
 * of any catalogue version (a wide, sparse table; Parquet stores absent values for free), typed for exact
 * values, plus the repository's own columns, which start with an underscore.
 */
import { CATALOGUES, type DataType, FIELDS } from '../catalogue/index.ts'

/** A column of the event store. */
export interface Column {
  readonly name: string
  readonly sqlType: string
  readonly doc: string
}

/** The DuckDB/Parquet type that holds a value of a CAT data type exactly. */
export function sqlTypeOf(type: DataType): string {
  switch (type.kind) {
    case 'price':
      return 'DECIMAL(18,8)'
    case 'realQuantity':
      return 'DECIMAL(18,6)'
    case 'wholeQuantity':
    case 'integer':
      return 'BIGINT'
    case 'unsigned':
      return 'UBIGINT'
    case 'boolean':
      return 'BOOLEAN'
    case 'date':
      return 'INTEGER'
    // Nanoseconds since the epoch, UTC: exact, and cheap to compare.
    case 'timestamp':
      return 'BIGINT'
    default:
      // Text, choices, identifiers; name/value pairs, arrays and arrays of elements as JSON text.
      return 'VARCHAR'
  }
}

/** Columns the repository adds to every stored record version. */
export const META_COLUMNS: readonly Column[] = [
  {
    name: '_event_id',
    sqlType: 'UBIGINT',
    doc: 'Repository id of this record version: file id × 2^32 + line',
  },
  { name: '_file_id', sqlType: 'BIGINT', doc: 'Id of the data file the record came in' },
  { name: '_line', sqlType: 'INTEGER', doc: 'Line of the record in its data file (1-based)' },
  { name: '_reporter', sqlType: 'VARCHAR', doc: 'CAT Reporter IMID or Exchange ID, from the file name' },
  { name: '_submitter', sqlType: 'UBIGINT', doc: 'CAT Submitter ID, from the file name' },
  { name: '_type', sqlType: 'VARCHAR', doc: 'Event type' },
  { name: '_action', sqlType: 'VARCHAR', doc: 'NEW, COR, RPR or DEL' },
  {
    name: '_roe_id',
    sqlType: 'VARCHAR',
    doc: "The reporter's record id: firmROEID, or recordID for exchanges",
  },
  { name: '_event_ns', sqlType: 'BIGINT', doc: 'eventTimestamp, nanoseconds since the epoch' },
  {
    name: '_ts_digits',
    sqlType: 'TINYINT',
    doc: 'Fraction digits the eventTimestamp was written with (9 for the number form)',
  },
  { name: '_received_ns', sqlType: 'BIGINT', doc: 'When the repository received the data file' },
  {
    name: '_processing_date',
    sqlType: 'INTEGER',
    doc: 'CAT processing date (YYYYMMDD ET) from the metadata receipt time',
  },
  { name: '_file_version', sqlType: 'VARCHAR', doc: 'Catalogue version the record was read with' },
  {
    name: '_repairs',
    sqlType: 'UBIGINT',
    doc: 'For RPR (and DEL by errorROEID): the errorROEID this record answers',
  },
  {
    name: '_late',
    sqlType: 'BOOLEAN',
    doc: 'Received after its deadline (T+1 08:00 for NEW, T+3 08:00 for corrections)',
  },
]

function buildFieldColumns(): Column[] {
  const names = new Set<string>()
  for (const cat of CATALOGUES) {
    for (const e of cat.events.values())
      for (const f of e.fields) if (f.name !== 'reservedForFutureUse') names.add(f.name)
  }
  return [...FIELDS.values()]
    .filter((f) => names.has(f.name))
    .map((f) => ({ name: f.name, sqlType: sqlTypeOf(f.type), doc: f.doc }))
}

/** One column per catalogue field, in dictionary order. */
export const FIELD_COLUMNS: readonly Column[] = buildFieldColumns()

/** The partition column: the event date (YYYYMMDD, ET) of eventTimestamp, or of the firmROEID for deletes. */
export const PARTITION_COLUMN: Column = {
  name: 'event_date',
  sqlType: 'INTEGER',
  doc: 'Event date, YYYYMMDD in Eastern Time (the Parquet partition key)',
}

/** Every column of a stored record version, in storage order (the partition column last). */
export const EVENT_COLUMNS: readonly Column[] = [...META_COLUMNS, ...FIELD_COLUMNS, PARTITION_COLUMN]
