/**
 * A repository: one folder holding the DuckDB catalogue, the Parquet store, received files, feedback and
 * logs. `initRepository` creates one from reference data; `openRepository` opens it for reading or (under
 * an exclusive lock) for writing.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { parseCalendarFile, type TradingCalendar } from '../common/time/trading-calendar.ts'
import { Database } from './database.ts'
import {
  createKeyRing,
  defaultKeyDir,
  ensureSigningKey,
  ensureStoreKey,
  type KeyRing,
  loadKeyRing,
  migrateSigningKey,
  repositoryKeyDir,
  signingKeyFile,
} from './key-ring.ts'
import { acquireLock } from './lock.ts'
import { RepoPaths } from './paths.ts'
import { loadReference, readReferenceFolder } from './reference-data.ts'
import { removeStaleSpills, spillFolder } from './spill-folder.ts'
import { type StoreCipher, storeCipherOf } from './store-cipher.ts'
import { createStoreViews, markNoRepairsNamed } from './views.ts'

/** The on-disk format version this code reads and writes. */
export const REPOSITORY_FORMAT = 1

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql')

/** Reads one of the store's SQL files. */
export function storeSql(name: string): string {
  return readFileSync(join(SQL_DIR, name), 'utf8')
}

/** An open repository. */
export interface Repository {
  readonly paths: RepoPaths
  readonly db: Database
  readonly calendar: TradingCalendar
  readonly writable: boolean
  /** Settings chosen at init. */
  readonly settings: RepositorySettings
  /** The repository's keys (loaded on first use; they live outside the repository folder). */
  keys(): KeyRing
  /** The folder of the repository's keys, outside the repository folder. */
  readonly keysDir: string
  /**
   * The file of the key that signs the file log and the access log's checkpoints: in the key folder, or,
   * for a repository of an earlier version not yet opened for writing, where that version kept it.
   */
  signingKey(): string
  /** Re-creates the views over the Parquet store (after new files were written). */
  refreshViews(): Promise<void>
  /** Notes that the store changed; the views are re-created when next needed. */
  markStale(): void
  /** Re-creates the views if the store changed since they were made. */
  ensureViews(): Promise<void>
  close(): void
}

/** Settings chosen when the repository was created (opencat.json). */
export interface RepositorySettings {
  /** Keep customers' PII, encrypted, in the vault (off by default: PII is dropped once CCIDs are made). */
  readonly piiVault: boolean
  /**
   * The Parquet store and the catalogue are encrypted with the data key from the key folder (the default;
   * repositories made before encryption, or with `init --plain`, stay plain and keep working).
   */
  readonly encrypted: boolean
}

/** Options for opening a repository. */
export interface OpenOptions {
  /** Open for writing, under the repository lock. */
  write?: boolean
  /** How long to wait for the lock or for a writer to finish, in ms. @default 600000 */
  waitMs?: number
  /** Called once when the open has to wait for another process. */
  onWait?: (message: string) => void
  /** The key folder (default: the one recorded at init, else DIR-keys beside the repository). */
  keysDir?: string
}

function readManifest(paths: RepoPaths): Record<string, unknown> {
  if (!existsSync(paths.manifest)) {
    throw new OpenCatError(
      'OCAT_ERR_REPO_NOT_FOUND',
      `${paths.root} is not an OpenCAT repository (no opencat.json)`,
    )
  }
  const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as Record<string, unknown>
  if (manifest.format !== REPOSITORY_FORMAT) {
    throw new OpenCatError(
      'OCAT_ERR_REPO_VERSION',
      `repository format ${manifest.format}; this OpenCAT reads ${REPOSITORY_FORMAT}`,
    )
  }
  return manifest
}

function loadCalendar(paths: RepoPaths): TradingCalendar {
  const parsed = parseCalendarFile(JSON.parse(readFileSync(join(paths.reference, 'calendar.json'), 'utf8')))
  if (!parsed.ok) throw new OpenCatError('OCAT_ERR_REFERENCE_INVALID', parsed.errors.join('; '))
  return parsed.calendar
}

async function openDatabase(
  paths: RepoPaths,
  write: boolean,
  waitMs: number,
  cipher: StoreCipher | undefined,
  tempDirectory: string,
  onWait?: (m: string) => void,
): Promise<Database> {
  const start = Date.now()
  let told = false
  for (;;) {
    try {
      return await Database.open(paths.catalog, {
        readOnly: !write,
        tempDirectory,
        ...(cipher ? { cipher } : {}),
      })
    } catch (e) {
      // DuckDB refuses while another process has the file open for writing; wait for it.
      if (!/lock/i.test((e as Error).message) || Date.now() - start > waitMs) {
        if (/lock/i.test((e as Error).message)) {
          throw new OpenCatError(
            'OCAT_ERR_REPO_LOCKED',
            `the repository catalogue is in use by another process`,
            {},
            { cause: e },
          )
        }
        throw e
      }
      if (!told) {
        onWait?.('waiting for another OpenCAT process to finish with the repository')
        told = true
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/**
 * A connection's store views (temporary, per connection): defined by `refreshViews` and created when a
 * statement first names them (most commands use a few), defined again by `ensureViews` once `markStale`
 * says the store changed under them.
 */
function storeViews(
  db: Database,
  paths: RepoPaths,
): Pick<Repository, 'refreshViews' | 'markStale' | 'ensureViews'> {
  let stale = true
  return {
    async refreshViews() {
      stale = false
      await db.deferCreation(() => createStoreViews(db, paths))
    },
    markStale() {
      stale = true
    },
    async ensureViews() {
      if (stale) await this.refreshViews()
    },
  }
}

/**
 * The key a repository's store and catalogue are encrypted with (undefined for a plain repository): the
 * one place every connection to a repository — its own, the portal's pool, the SQL sandbox — gets it.
 */
export function repositoryCipher(paths: RepoPaths, keysDir?: string): StoreCipher | undefined {
  const manifest = readManifest(paths)
  return storeCipherOf(manifest.encrypted === true, keysDir ?? repositoryKeyDir(paths))
}

/** Opens an existing repository. */
export async function openRepository(dir: string, options: OpenOptions = {}): Promise<Repository> {
  const paths = new RepoPaths(resolve(dir))
  const manifest = readManifest(paths)
  const keysDir =
    options.keysDir ?? (typeof manifest.keys === 'string' ? manifest.keys : defaultKeyDir(paths.root))
  let keys: KeyRing | undefined
  const waitMs = options.waitMs ?? 600_000
  const write = options.write === true
  const release = write
    ? await acquireLock(paths.lock, waitMs, () => options.onWait?.('waiting for the repository lock'))
    : () => {}
  const spill = spillFolder(paths)
  try {
    const encrypted = manifest.encrypted === true
    const db = await openDatabase(
      paths,
      write,
      waitMs,
      repositoryCipher(paths, keysDir),
      spill,
      options.onWait,
    )
    if (write) {
      removeStaleSpills(paths)
      rmSync(paths.work, { recursive: true, force: true })
      mkdirSync(paths.work, { recursive: true })
      migrateSigningKey(paths.receiptKey, keysDir)
    }
    const repo: Repository = {
      paths,
      db,
      calendar: loadCalendar(paths),
      writable: write,
      settings: { piiVault: manifest.piiVault === true, encrypted },
      keys() {
        keys ??= loadKeyRing(keysDir)
        return keys
      },
      keysDir,
      signingKey() {
        const outside = signingKeyFile(keysDir)
        return !existsSync(outside) && existsSync(paths.receiptKey) ? paths.receiptKey : outside
      },
      ...storeViews(db, paths),
      close() {
        db.close()
        rmSync(spill, { recursive: true, force: true })
        release()
      },
    }
    await repo.refreshViews()
    return repo
  } catch (e) {
    rmSync(spill, { recursive: true, force: true })
    release()
    throw e
  }
}

/**
 * Another connection to an open repository, sharing its database instance, with its own views (they are
 * temporary, per connection); closing it leaves `base` open. For readers that query in parallel.
 */
export async function connectAgain(base: Repository): Promise<Repository> {
  const db = await base.db.connect()
  const repo: Repository = {
    ...base,
    db,
    ...storeViews(db, base.paths),
    close() {
      db.close()
    },
  }
  try {
    await repo.refreshViews()
  } catch (e) {
    db.close()
    throw e
  }
  return repo
}

/** Creates a repository in `dir` (new or empty) from a reference folder; keys go to `keysDir` (outside it). */
export async function initRepository(
  dir: string,
  referenceDir: string,
  keysDir?: string,
  settings: Partial<RepositorySettings> = {},
): Promise<Repository> {
  const paths = new RepoPaths(resolve(dir))
  const keys = resolve(keysDir ?? defaultKeyDir(paths.root))
  if (keys === paths.root || keys.startsWith(`${paths.root}/`)) {
    throw new OpenCatError('OCAT_ERR_KEYS', 'the key folder must be outside the repository folder')
  }
  if (existsSync(paths.root) && readdirSync(paths.root).length > 0) {
    throw new OpenCatError('OCAT_ERR_REPO_EXISTS', `${paths.root} is not empty`)
  }
  if (!existsSync(referenceDir))
    throw new OpenCatError('OCAT_ERR_INPUT_NOT_FOUND', `no reference folder ${referenceDir}`)
  const reference = readReferenceFolder(referenceDir)
  for (const d of [paths.root, paths.reference, paths.inbox, paths.events, paths.rejects, paths.log]) {
    mkdirSync(d, { recursive: true, mode: 0o700 })
  }
  for (const f of ['reporters.json', 'symbols.json', 'calendar.json']) {
    // A copy keeps its source's mode: the repository's copy is private like every file of it.
    cpSync(join(referenceDir, f), join(paths.reference, f))
    chmodSync(join(paths.reference, f), 0o600)
  }
  const ring = createKeyRing(keys)
  ensureSigningKey(keys)
  const encrypted = settings.encrypted !== false
  if (encrypted) ensureStoreKey(keys)
  const cipher = storeCipherOf(encrypted, keys)
  const spill = spillFolder(paths)
  const db = await Database.open(paths.catalog, { tempDirectory: spill, ...(cipher ? { cipher } : {}) })
  try {
    await db.run(storeSql('catalog.sql'))
    await loadReference(db, reference)
    await db.run(`INSERT INTO meta VALUES ('created_ns', '${BigInt(Date.now()) * 1_000_000n}')`)
    await db.run('INSERT INTO meta VALUES ($1, $2)', ['ccid_key', ring.ccid.id])
    await markNoRepairsNamed(db)
  } finally {
    db.close()
    rmSync(spill, { recursive: true, force: true })
  }
  writeFileSync(
    paths.manifest,
    `${JSON.stringify({ format: REPOSITORY_FORMAT, product: 'OpenCAT', created: new Date().toISOString(), keys, piiVault: settings.piiVault === true, encrypted }, null, 2)}\n`,
    { mode: 0o600 },
  )
  return openRepository(paths.root, { write: true })
}
