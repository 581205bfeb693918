/**
 * The day index's customer index (docs/formats/day-index.md): the date's current versions by the FDIDs
 * they name, in hash buckets of the FDID, written from the build's current versions right after them
 * (day-index-write.ts), so a customer's day reads the buckets of its accounts only.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import type { Database } from './database.ts'
import { ident } from './database.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'store')

/** Customer rows per hash bucket aimed at; a customer's day reads a bucket whole per account. */
export const CUSTOMERS_PER_BUCKET = 250_000

/**
 * Where an event names an FDID, in the order a customer's day prefers them (an order's own account, then
 * a trade's buy side, then its sell side), as the `source` column of the rows.
 */
const FDID_SOURCES: readonly { readonly column: string; readonly fdid: string }[] = [
  { column: 'firmDesignatedID', fdid: 'firmDesignatedID' },
  { column: 'buyDetails', fdid: `json_extract_string(buyDetails, '$[0].firmDesignatedID')` },
  { column: 'sellDetails', fdid: `json_extract_string(sellDetails, '$[0].firmDesignatedID')` },
]

/**
 * What a row shows of its version, as store columns (`symbol` is the option series for option events);
 * a column the date never fills is NULL.
 */
function shown(filled: ReadonlySet<string>): string {
  const col = (c: string) => (filled.has(c) ? ident(c) : 'NULL')
  return [
    '_event_id',
    '_reporter',
    '_roe_id',
    '_type',
    'event_date',
    `CAST(_event_ns AS VARCHAR) AS event_ns`,
    `coalesce(${col('symbol')}, ${col('optionID')})::VARCHAR AS symbol`,
    `${col('side')}::VARCHAR AS side`,
    `CAST(${col('price')} AS VARCHAR) AS price`,
    `CAST(${col('quantity')} AS VARCHAR) AS quantity`,
  ].join(', ')
}

/** Where a build's customer rows take their lifecycle ids from: the linkage key rows of a run of the date. */
export interface CustomerLifecycles {
  /** The date's key rows (`_event_id`, `key_num`, `lifecycle_id`), of the run `run`. */
  readonly keys: string
  readonly run: number
  /** The key of a record from its `_reporter` and `_roe_id` columns, as linkage keys it. */
  readonly keyNum: string
}

/**
 * Writes the customer index of a build into `dir` from `current` (a scan of the build's current versions,
 * holding the `filled` columns), each row with its lifecycle ids when `lifecycles` says where they are, and
 * returns its row count. No row when the date names no FDID.
 */
export async function writeCustomerIndex(
  db: Database,
  options: {
    readonly current: string
    readonly filled: readonly string[]
    readonly dir: string
    readonly buckets: number
    readonly encryption: string
    readonly lifecycles?: CustomerLifecycles
  },
): Promise<number> {
  const filled = new Set(options.filled)
  const branches = FDID_SOURCES.map((s, i) => ({ ...s, source: i }))
    .filter((s) => filled.has(s.column))
    .map(
      (s) =>
        `SELECT fdid, ${s.source}::UTINYINT AS source, * EXCLUDE (fdid) FROM (SELECT ${s.fdid} AS fdid, ${shown(filled)} ` +
        `FROM ${options.current} WHERE ${ident(s.column)} IS NOT NULL) WHERE fdid IS NOT NULL`,
    )
  if (branches.length === 0) return 0
  const out = await db.one<{ Count: string }>(
    sql('day-index-customers', {
      BUCKETS: options.buckets,
      BRANCHES: branches.join(' UNION ALL '),
      KEYS:
        options.lifecycles?.keys ??
        '(SELECT NULL::UBIGINT AS _event_id, NULL::BIGINT AS key_num, NULL::VARCHAR AS lifecycle_id WHERE false)',
      KEY_NUM: options.lifecycles?.keyNum ?? 'NULL::BIGINT',
      DIR: options.dir.replaceAll("'", "''"),
      ENCRYPTION: options.encryption,
    }),
  )
  return Number(out?.Count ?? 0)
}
