/** Creates the identity views (accounts, holders, FDID → CCID over time, event customers, FDID findings) on a connection. */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { parquetScan } from '../store/views.ts'
import { FDID_FINDING_COLUMNS, IDENTITY_TABLES } from './identity-columns.ts'

const SQL = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sql', 'identity-views.sql'), 'utf8')
const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'identity')

/**
 * The events of `events` (a scan or subquery of current versions, with every column of `current_events`)
 * with the customers behind the FDIDs they name, as the `event_customers` view gives them for all
 * current versions: a reader that holds a few dates' or symbols' rows asks for theirs only, and the
 * latest word on the accounts they name only (every account's would rank the whole holders table).
 */
export function eventCustomersOf(events: string): string {
  const holders = sql('latest-word', {
    ROWS: '(SELECT * FROM cais_holders WHERE fdid IN (SELECT fdid FROM _named))',
  })
  return `(WITH _named AS MATERIALIZED (${sql('event-fdids', { EVENTS: events })})
${sql('event-customers', { FDIDS: '_named', HOLDERS: `(${holders})` })})`
}

/** Every FDID the events of `events` (current versions, every column of `current_events`) name. */
export function eventFdidsOf(events: string): string {
  return `(${sql('event-fdids', { EVENTS: events })})`
}

/** The identity store folder of a repository. */
export function identityDir(paths: RepoPaths): string {
  return join(paths.store, 'identity')
}

/** (Re)creates the identity views. */
export async function createIdentityViews(db: Database, paths: RepoPaths): Promise<void> {
  let text = SQL.replaceAll('{{event_fdids}}', sql('event-fdids', { EVENTS: 'current_events' }))
    .replaceAll(
      '{{event_customers}}',
      sql('event-customers', { FDIDS: 'event_fdids', HOLDERS: 'fdid_holders' }),
    )
    .replaceAll('{{fdid_holders}}', sql('latest-word', { ROWS: 'cais_holders' }))
    .replaceAll('{{fdid_ltids}}', sql('latest-word', { ROWS: 'cais_ltids' }))
  for (const [table, columns] of Object.entries(IDENTITY_TABLES)) {
    text = text.replaceAll(
      `{{${table}}}`,
      await parquetScan(db, join(identityDir(paths), table), `_no_cais_${table}`, columns),
    )
  }
  text = text.replaceAll(
    '{{fdid_findings}}',
    await parquetScan(
      db,
      join(identityDir(paths), 'fdid_findings'),
      '_no_fdid_findings',
      FDID_FINDING_COLUMNS,
    ),
  )
  await db.run(text)
}
