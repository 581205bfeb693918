/**
 * Creates the per-connection views over the Parquet store (events, current_events, events_as_of(t),
 * rejects). Before the first file is stored the views read empty tables of the same shape.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Database, ident, literal } from './database.ts'
import { EVENT_COLUMNS } from './event-columns.ts'
import type { RepoPaths } from './paths.ts'
import { REJECT_COLUMNS } from './reject-columns.ts'

const VIEWS_SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'views.sql'), 'utf8')

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.parquet'))
}

/** The SQL that scans one hive-partitioned Parquet folder, or an empty table of its columns. */
async function scanOf(
  db: Database,
  dir: string,
  emptyTable: string,
  columns: readonly { name: string; sqlType: string }[],
): Promise<string> {
  if (hasParquet(dir)) {
    return `read_parquet(${literal(join(dir, '*', '*.parquet'))}, hive_partitioning = true, union_by_name = true)`
  }
  await db.run(
    `CREATE TEMP TABLE IF NOT EXISTS ${emptyTable} (${columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`,
  )
  return emptyTable
}

/** (Re)creates the store views on this connection. */
export async function createStoreViews(db: Database, paths: RepoPaths): Promise<void> {
  const events = await scanOf(db, paths.events, '_no_events', EVENT_COLUMNS)
  const rejects = await scanOf(db, paths.rejects, '_no_rejects', REJECT_COLUMNS)
  await db.run(VIEWS_SQL.replaceAll('{{EVENTS}}', events).replaceAll('{{REJECTS}}', rejects))
}
