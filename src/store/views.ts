/**
 * Creates the per-connection views over the Parquet store (events, current_events, current_events_of(d),
 * events_as_of(t), rejects). Before the first file is stored the views read empty tables of the same shape.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Database, ident, literal } from './database.ts'
import type { RepoPaths } from './paths.ts'
import { REJECT_COLUMNS } from './reject-columns.ts'
import { createdName, splitStatements } from './sql-statements.ts'
import { parquetRead } from './store-cipher.ts'
import { storeColumns } from './store-columns.ts'

const VIEWS_SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'views.sql'), 'utf8')

/** What views.sql creates: the store's own views, macro and table. */
const STORE_VIEWS: readonly string[] = splitStatements(VIEWS_SQL).flatMap((s) => createdName(s) ?? [])

/** Whether a folder holds a Parquet file at any depth: stops at the first (a store holds thousands). */
function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false
  const folders = [dir]
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const e of readdirSync(folder, { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.parquet')) return true
      if (e.isDirectory()) folders.push(join(folder, e.name))
    }
  }
  return false
}

/** The SQL that scans one hive-partitioned Parquet folder, or an empty table of its columns. */
async function scanOf(
  db: Database,
  dir: string,
  emptyTable: string,
  columns: readonly { name: string; sqlType: string }[],
  partition: string,
): Promise<string> {
  await db.run(
    `CREATE TEMP TABLE IF NOT EXISTS ${emptyTable} (${columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`,
  )
  if (!hasParquet(dir)) return emptyTable
  // Files hold only the columns of their own event types; the empty table brings every column, typed.
  return `(SELECT * FROM ${emptyTable} UNION ALL BY NAME SELECT * FROM ${parquetRead(db, literal(join(dir, '*', '*.parquet')), ['hive_partitioning = true', `hive_types = {'${partition}': INTEGER}`, 'union_by_name = true'])})`
}

/** Creates a later stage's views over its own part of the store. */
export type ViewProvider = (db: Database, paths: RepoPaths) => Promise<void>

const providers = new Map<string, { provider: ViewProvider; names?: readonly string[] }>()

/**
 * Registers the views of a later stage (linkage, identity), created after the store's own on every
 * connection. Stages register through src/pipeline/stage-views.ts, so the store never imports them.
 * With `names` (every view the provider creates), a connection that defers its views (a repository's)
 * runs the provider only once a statement names one of them.
 */
export function registerViews(name: string, provider: ViewProvider, names?: readonly string[]): void {
  providers.set(name, { provider, ...(names ? { names } : {}) })
}

/**
 * (Re)creates the store views, then every registered stage's, on this connection. A connection that defers
 * its views defines the store's own, as it does a stage's, once a statement names one of them: finding the
 * store's files and the catalogue's first read (whether a repair names a version) are then made only by
 * connections that read the store.
 */
export async function createStoreViews(db: Database, paths: RepoPaths): Promise<void> {
  if (db.isDeferring) db.deferGroup('store', STORE_VIEWS, () => createOwnViews(db, paths))
  else await createOwnViews(db, paths)
  for (const [name, { provider, names }] of providers) {
    if (names && db.isDeferring) db.deferGroup(name, names, () => provider(db, paths))
    else await provider(db, paths)
  }
}

/** The store's own views over its Parquet folders (views.sql). */
async function createOwnViews(db: Database, paths: RepoPaths): Promise<void> {
  const events = await scanOf(db, paths.events, '_no_events', await storeColumns(), 'event_date')
  const rejects = await scanOf(db, paths.rejects, '_no_rejects', REJECT_COLUMNS, 'processing_date')
  const sql = VIEWS_SQL.replaceAll('{{EVENTS}}', events).replaceAll('{{REJECTS}}', rejects)
  const repairs = events !== '_no_events' && (await repairsNamed(db, events))
  await db.run(sql.replaceAll('{{REPAIRS}}', String(repairs)))
}

/**
 * Most stores hold no repair or delete naming a version by errorROEID, and the current-version views are
 * simpler without them. Ingestion records the first one in the catalogue (`meta` key `repairs_named`)
 * before its records become visible; a repository that has no such record yet (made before it was kept,
 * or a sandbox's copy of the catalogue) is asked by reading one pruned column of every event.
 */
async function repairsNamed(db: Database, events: string): Promise<boolean> {
  const known = await db
    .one<{ value: string }>(`SELECT value FROM meta WHERE key = '${REPAIRS_KEY}'`)
    .catch(() => undefined)
  if (known) return known.value === 'true'
  const row = await db.one<{ n: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${events} WHERE _action IN ('RPR', 'DEL') AND _repairs IS NOT NULL) AS n`,
  )
  return row?.n === true
}

const REPAIRS_KEY = 'repairs_named'

/** Records in the catalogue that the store holds (or is about to hold) a repair naming a version. */
export async function markRepairsNamed(db: Database): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('${REPAIRS_KEY}', 'true')`)
}

/** Records in a new repository's catalogue that its store holds no repair naming a version yet. */
export async function markNoRepairsNamed(db: Database): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('${REPAIRS_KEY}', 'false')`)
}

/** The scan of a Parquet folder of a later stage, or of an empty table of its columns when there is none. */
export async function parquetScan(
  db: Database,
  dir: string,
  emptyTable: string,
  columns: readonly { name: string; sqlType: string }[],
): Promise<string> {
  if (!hasParquet(dir)) {
    await db.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${emptyTable} (${columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`,
    )
    return emptyTable
  }
  return parquetRead(db, literal(join(dir, '**', '*.parquet')), ['union_by_name = true'])
}
