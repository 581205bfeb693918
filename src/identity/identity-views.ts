/** Creates the identity views (accounts, holders, FDID → CCID over time, event customers, FDID findings) on a connection. */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { parquetScan } from '../store/views.ts'
import { FDID_FINDING_COLUMNS, IDENTITY_TABLES } from './identity-columns.ts'

const SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'identity-views.sql'), 'utf8')

/** The identity store folder of a repository. */
export function identityDir(paths: RepoPaths): string {
  return join(paths.store, 'identity')
}

/** (Re)creates the identity views. */
export async function createIdentityViews(db: Database, paths: RepoPaths): Promise<void> {
  let sql = SQL
  for (const [table, columns] of Object.entries(IDENTITY_TABLES)) {
    sql = sql.replaceAll(
      `{{${table}}}`,
      await parquetScan(db, join(identityDir(paths), table), `_no_cais_${table}`, columns),
    )
  }
  sql = sql.replaceAll(
    '{{fdid_findings}}',
    await parquetScan(
      db,
      join(identityDir(paths), 'fdid_findings'),
      '_no_fdid_findings',
      FDID_FINDING_COLUMNS,
    ),
  )
  await db.run(sql)
}
