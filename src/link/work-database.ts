/**
 * Where a run's work tables live: in memory (fastest; past the engine's memory limit DuckDB spills them to
 * its temp folder uncompressed), or in a scratch database file in the repository's work folder, where
 * DuckDB compresses them about fivefold and its buffer manager evicts pages to the file, at the price of
 * compressing on write.
 */
import { rmSync } from 'node:fs'
import type { Database } from '../store/database.ts'
import { memoryLimitBytes } from '../store/memory-limit.ts'
import type { WorkStorage } from './link-options.ts'

/** The name the work database is attached under. */
export const WORK_DB = 'lk'

/**
 * Bytes the engine holds per record version of the date while a run's work tables are in memory: about
 * 0.9 KB once the passes are done and 1.1 KB at their height, on a synthetic day of 1 M events. On disk
 * they take about 0.2 KB.
 */
export const WORK_BYTES_PER_VERSION = 1_100

/**
 * Where a run of `versions` record versions keeps its work tables: `memory` and `disk` as asked; `auto`
 * puts them on disk when in memory they would take more than half the engine's memory limit, past which
 * the engine would spill them uncompressed (a 100 M-event day: over 30 GB of spill before the first pass
 * was done) while other statements compete for the rest.
 */
export async function chooseWorkStorage(
  db: Database,
  asked: WorkStorage,
  versions: number,
): Promise<'memory' | 'disk'> {
  if (asked !== 'auto') return asked
  return versions * WORK_BYTES_PER_VERSION > (await memoryLimitBytes(db)) / 2 ? 'disk' : 'memory'
}

/**
 * Attaches the work database (`path`, or in memory when undefined) as the default for unqualified new
 * tables; returns how to put things back.
 */
export async function attachWorkDatabase(
  db: Database,
  path: string | undefined,
): Promise<() => Promise<void>> {
  const files = path === undefined ? [] : [path, `${path}.wal`]
  for (const f of files) rmSync(f, { force: true })
  const home = (await db.one<{ d: string }>('SELECT current_database() AS d'))!.d
  // An encrypted store's scratch file is encrypted too: the work tables hold the day's records.
  const key = db.cipher && path !== undefined ? ` (ENCRYPTION_KEY '${db.cipher.key.toString('base64')}')` : ''
  await db.run(`ATTACH '${(path ?? ':memory:').replaceAll("'", "''")}' AS ${WORK_DB}${key}`)
  await db.run(`USE ${WORK_DB}`)
  // New tables go to the work database; names still resolve in the repository catalogue (files, ref_*).
  await db.run(`SET search_path = '${WORK_DB}.main,${home}.main'`)
  return async () => {
    // USE sets the search path, so it comes after the reset (the home may be an attached catalogue).
    await db.run('RESET search_path')
    await db.run(`USE ${home}`)
    await db.run(`DETACH ${WORK_DB}`)
    for (const f of files) rmSync(f, { force: true })
  }
}
