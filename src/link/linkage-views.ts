/**
 * Views over the current linkage results, per connection. Stored tables, each with `event_date` and `run`
 * (and `bucket` for the lookup files): `linkage_member_ids`, `linkage_key_ids`, `linkage_link_ids` (with
 * the readable `lifecycle_id`), `linkage_findings`, `linkage_pairs`, `linkage_drift`, `linkage_nodes`;
 * `linkage_runs` lists every run of every date. For people and SQL, `linkage_members`, `linkage_keys` and
 * `linkage_links` add the events' reporter, record id, type and time from the event store (convenient,
 * but a join with the store: lookups use the bucketed tables directly).
 */
import { existsSync } from 'node:fs'
import { type Database, ident, literal } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { parquetRead } from '../store/store-cipher.ts'
import { BUCKETED, LINKAGE_FILES, type LinkageTable } from './linkage-columns.ts'
import { currentRuns, linkageRoot, runDir, runFiles, runsOf } from './linkage-layout.ts'

/** The readable lifecycle id (CAT-Order-ID) from its two stored parts. */
export const LIFECYCLE_ID = "'L' || lc_date || '-' || to_base(lc_num, 32, 13)"

const NAMES: Record<LinkageTable, string> = {
  members: 'linkage_member_ids',
  keys: 'linkage_key_ids',
  links: 'linkage_link_ids',
  findings: 'linkage_findings',
  pairs: 'linkage_pairs',
  drift: 'linkage_drift',
  nodes: 'linkage_nodes',
}

/** Every view `createLinkageViews` creates (a repository's connection creates them once one is named). */
export const LINKAGE_VIEWS: readonly string[] = [
  ...Object.values(NAMES),
  'linkage_members',
  'linkage_keys',
  'linkage_links',
  'linkage_runs',
]

/** (Re)creates the linkage views on a connection; call after a run is published. */
export async function createLinkageViews(db: Database, paths: RepoPaths): Promise<void> {
  const current = currentRuns(paths)
  for (const table of Object.keys(LINKAGE_FILES) as LinkageTable[]) {
    const files = [...current].flatMap(([date, run]) => runFiles(runDir(paths, date, run), table))
    const hive = `hive_partitioning = true, hive_types = {'event_date': INTEGER, 'run': INTEGER${BUCKETED.has(table) ? ", 'bucket': INTEGER" : ''}}`
    let source: string
    if (files.length > 0) {
      source = parquetRead(db, `[${files.map(literal).join(', ')}]`, [hive])
    } else {
      const empty = `_no_linkage_${table}`
      const cols = [
        ...LINKAGE_FILES[table],
        { name: 'event_date', sqlType: 'INTEGER' },
        { name: 'run', sqlType: 'INTEGER' },
        ...(BUCKETED.has(table) ? [{ name: 'bucket', sqlType: 'INTEGER' }] : []),
      ]
      await db.run(
        `CREATE TEMP TABLE IF NOT EXISTS ${empty} (${cols.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`,
      )
      source = empty
    }
    const id = LINKAGE_FILES[table].some((c) => c.name === 'lc_num')
      ? `, ${LIFECYCLE_ID} AS lifecycle_id`
      : ''
    await db.run(`CREATE OR REPLACE TEMP VIEW ${NAMES[table]} AS SELECT *${id} FROM ${source}`)
  }
  const text = 'e._reporter, e._roe_id, e._type, e._event_ns, e._ts_digits'
  await db.run(`CREATE OR REPLACE TEMP VIEW linkage_members AS
    SELECT m.*, ${text} FROM linkage_member_ids m LEFT JOIN events_all e ON e._event_id = m._event_id`)
  await db.run(`CREATE OR REPLACE TEMP VIEW linkage_keys AS
    SELECT k.*, ${text} FROM linkage_key_ids k LEFT JOIN events_all e ON e._event_id = k._event_id`)
  await db.run(`CREATE OR REPLACE TEMP VIEW linkage_links AS
    SELECT l.*, f._reporter AS from_reporter, f._roe_id AS from_roe_id, t._reporter AS to_reporter, t._roe_id AS to_roe_id
    FROM linkage_link_ids l
    LEFT JOIN events_all f ON f._event_id = l.from_event_id
    LEFT JOIN events_all t ON t._event_id = l.to_event_id`)
  const runs: string[] = []
  if (existsSync(linkageRoot(paths))) {
    for (const [date, last] of current) {
      for (const run of runsOf(paths, date)) runs.push(`(${date}, ${run}, ${run === last})`)
    }
  }
  await db.run(
    `CREATE OR REPLACE TEMP VIEW linkage_runs AS SELECT * FROM ${
      runs.length > 0
        ? `(VALUES ${runs.join(', ')})`
        : '(SELECT NULL::INTEGER, NULL::INTEGER, NULL::BOOLEAN WHERE false)'
    } AS r(event_date, run, current)`,
  )
}
