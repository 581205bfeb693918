/**
 * A DuckDB connection for regulators' own SQL: an in-memory database holding copies of the catalogue's
 * registry and reference tables and the store's views (events, current_events, current_events_of(d),
 * events_as_of(t), rejects, linkage_*, cais_*, …), and nothing else. It is closed before any of their SQL
 * runs (sql/sandbox-close.sql): external access off except the store's Parquet folders, configuration locked.
 * So PII — the vault, the customer files in the inbox — and the account store cannot be read, and no file can
 * be written, whatever the SQL says; the statement check in sql-query.ts comes on top of this, not instead of
 * it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { Database, literal } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { repositoryCipher } from '../store/repository.ts'
import { createStoreViews } from '../store/views.ts'

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql')
const sqlFile = (name: string) => readFileSync(join(SQL_DIR, name), 'utf8')

/** The store folders the sandbox may read Parquet from (never the vault, the inbox or the accounts). */
export function sandboxReadable(paths: RepoPaths): string[] {
  return ['events', 'rejects', 'linkage', 'identity'].map((d) => `${join(paths.store, d)}/`)
}

/** An open sandbox; `close` removes its spill folder. */
export interface SqlSandbox {
  readonly db: Database
  close(): void
}

async function copyCatalogue(db: Database, paths: RepoPaths, waitMs: number): Promise<void> {
  const start = Date.now()
  const key = db.cipher ? `, ENCRYPTION_KEY ${literal(db.cipher.key.toString('base64'))}` : ''
  for (;;) {
    try {
      await db.run(
        sqlFile('sandbox-catalog.sql')
          .replaceAll('{{CATALOG}}', literal(paths.catalog))
          .replaceAll('{{KEY}}', key),
      )
      return
    } catch (e) {
      // A writer (submit, link) holds the catalogue: wait for it as every reader does.
      if (!/lock/i.test((e as Error).message)) throw e
      if (Date.now() - start > waitMs)
        throw new OpenCatError(
          'OCAT_ERR_REPO_LOCKED',
          'the repository catalogue is in use by another process',
          {},
          { cause: e },
        )
      await db.run('DETACH DATABASE IF EXISTS repo_catalog').catch(() => undefined)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/** Memory one sandboxed query may hold, MB, unless told otherwise. */
export const SQL_MEMORY_LIMIT_MB = 1024
/** What a sandboxed query may spill to its private temporary folder, as a multiple of its memory limit. */
export const SQL_SPILL_FACTOR = 4

/** Opens a sandbox over a repository. */
export async function openSqlSandbox(
  paths: RepoPaths,
  options: { waitMs?: number; memoryLimitMb?: number } = {},
): Promise<SqlSandbox> {
  const memoryMb = Math.max(1, Math.floor(options.memoryLimitMb ?? SQL_MEMORY_LIMIT_MB))
  const cipher = repositoryCipher(paths)
  const db = await Database.open(':memory:', cipher ? { cipher, readOnly: true } : {})
  const temp = mkdtempSync(join(tmpdir(), 'opencat-sql-'))
  try {
    await copyCatalogue(db, paths, options.waitMs ?? 600_000)
    await createStoreViews(db, paths)
    await db.run(
      sqlFile('sandbox-close.sql')
        .replaceAll('{{TEMP}}', literal(temp))
        .replaceAll('{{MEMORY}}', literal(`${memoryMb}MB`))
        .replaceAll('{{TEMP_MAX}}', literal(`${memoryMb * SQL_SPILL_FACTOR}MB`))
        .replaceAll('{{ALLOWED}}', `[${sandboxReadable(paths).map(literal).join(', ')}]`),
    )
  } catch (e) {
    db.close()
    rmSync(temp, { recursive: true, force: true })
    throw e
  }
  return {
    db,
    close() {
      db.close()
      rmSync(temp, { recursive: true, force: true })
    },
  }
}
