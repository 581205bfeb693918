/**
 * The DuckDB engine behind a repository: one instance and connection per process, with small helpers to
 * run SQL and read rows as plain JSON-safe objects (BIGINT/DECIMAL as strings, so nothing is rounded).
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api'
import { DeferredObjects } from './deferred-objects.ts'
import { loadEngine } from './engine.ts'
import { engineMemoryLimit } from './memory-limit.ts'
import { STORE_KEY_NAME, type StoreCipher, storeKeyError } from './store-cipher.ts'

/** A plain row: column name → JSON value (strings for big integers and decimals). */
export type Row = Record<string, unknown>

/** The name an encrypted database file is attached under (and made the default) on every connection. */
const CATALOG = 'repo'

/** Options for opening a database. */
export interface OpenDatabaseOptions {
  readOnly?: boolean
  threads?: number
  /**
   * The store's data key: registered for the Parquet store's files, and the key of the database file
   * itself (attached encrypted and made the default catalogue; ':memory:' just gets the key).
   */
  cipher?: StoreCipher
  /**
   * Where the engine spills what does not fit its memory limit (else `.tmp` in the working directory).
   * With a cipher the spilled blocks are encrypted too.
   */
  tempDirectory?: string
}

/** The connection's methods that take SQL text first: each creates the deferred objects it names. */
const SQL_METHODS = new Set<string | symbol>([
  'run',
  'runAndRead',
  'runAndReadAll',
  'runAndReadUntil',
  'stream',
  'streamAndRead',
  'streamAndReadAll',
  'streamAndReadUntil',
  'start',
  'startStream',
  'prepare',
  'extractStatements',
])

/** An open DuckDB database. */
export class Database {
  private readonly deferred: DeferredObjects
  private sqlConnection: DuckDBConnection | undefined
  private deferring = false

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly raw: DuckDBConnection,
    private readonly ownsInstance = true,
    /** The key the store is encrypted with, when it is. */
    readonly cipher: StoreCipher | undefined = undefined,
    private readonly attached = false,
  ) {
    this.deferred = new DeferredObjects((sql) => this.execute(sql))
  }

  /**
   * The engine's connection, for what these helpers do not cover (appenders, streams, prepared
   * statements): SQL given to it first creates the deferred objects it names, as with `run`.
   */
  get connection(): DuckDBConnection {
    this.sqlConnection ??= new Proxy(this.raw, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target)
        if (typeof value !== 'function') return value
        if (!SQL_METHODS.has(prop)) return value.bind(target)
        return async (sql: string, ...rest: unknown[]) => {
          await this.deferred.before(sql)
          return value.call(target, sql, ...rest)
        }
      },
    })
    return this.sqlConnection
  }

  /**
   * Runs `fn`, keeping the temporary views, macros and tables its statements create until a later
   * statement names them (every other statement runs as usual): a connection pays for binding only the
   * views it uses.
   */
  async deferCreation(fn: () => Promise<void>): Promise<void> {
    const was = this.deferring
    this.deferring = true
    try {
      await fn()
    } finally {
      this.deferring = was
    }
  }

  /**
   * Keeps `fn`, which creates the temporary objects `names` (and private ones whose names start with
   * `_`), until a statement names one of them; then runs it as `deferCreation` would.
   */
  deferGroup(label: string, names: readonly string[], fn: () => Promise<void>): void {
    this.deferred.deferGroup(label, names, () => this.deferCreation(fn))
  }

  /** Whether statements creating temporary objects are being deferred (inside `deferCreation`). */
  get isDeferring(): boolean {
    return this.deferring
  }

  private async execute(sql: string): Promise<void> {
    try {
      await this.raw.run(sql)
    } catch (e) {
      throw this.cipher ? storeKeyError(e) : e
    }
  }

  /** Opens (or creates) a database file, or ':memory:'. */
  static async open(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
    const { DuckDBInstance } = await loadEngine()
    const config: Record<string, string> = {}
    if (options.threads) config.threads = String(options.threads)
    const memoryLimit = engineMemoryLimit()
    if (memoryLimit) config.memory_limit = memoryLimit
    if (options.tempDirectory) config.temp_directory = options.tempDirectory
    const cipher = options.cipher
    if (!cipher) {
      if (options.readOnly) config.access_mode = 'READ_ONLY'
      const instance = await DuckDBInstance.create(path, config)
      const connection = await instance.connect()
      // Parquet footers are read once per process, not on every query over the store's many files.
      await connection.run('SET parquet_metadata_cache = true')
      return new Database(instance, connection)
    }
    // The engine writes encrypted files only with a crypto module it deems secure (OpenSSL, brought by
    // its httpfs extension) or when told to use its built-in one; docs/ARCHITECTURE.md says what that means.
    // Readers too: what they spill beyond the memory limit is written encrypted.
    config.force_mbedtls_unsafe = 'true'
    config.temp_file_encryption = 'true'
    const instance = await DuckDBInstance.create(':memory:', config)
    const connection = await instance.connect()
    const key = cipher.key.toString('base64')
    try {
      await connection.run(`PRAGMA add_parquet_key('${STORE_KEY_NAME}', '${key}')`)
      if (path !== ':memory:') {
        await connection.run(
          `ATTACH '${path.replaceAll("'", "''")}' AS ${CATALOG} (ENCRYPTION_KEY '${key}'${options.readOnly ? ', READ_ONLY' : ''})`,
        )
        await connection.run(`USE ${CATALOG}`)
      }
    } catch (e) {
      connection.closeSync()
      instance.closeSync()
      throw storeKeyError(e)
    }
    return new Database(instance, connection, true, cipher, path !== ':memory:')
  }

  /**
   * Another connection to the same instance: DuckDB runs the queries of different connections in
   * parallel, where one connection runs them one after another. Closing it leaves the instance open.
   */
  async connect(): Promise<Database> {
    const connection = await this.instance.connect()
    if (!this.cipher) await connection.run('SET parquet_metadata_cache = true')
    if (this.attached) await connection.run(`USE ${CATALOG}`)
    return new Database(this.instance, connection, false, this.cipher, this.attached)
  }

  /** Runs one or more statements. */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    if (this.deferring && params === undefined) {
      for (const statement of this.deferred.defer(sql)) {
        await this.deferred.before(statement)
        await this.execute(statement)
      }
      return
    }
    await this.deferred.before(sql)
    try {
      await this.raw.run(sql, params)
    } catch (e) {
      throw this.cipher ? storeKeyError(e) : e
    }
  }

  /** Runs a query and returns its rows as JSON-safe objects. */
  async all<T = Row>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    await this.deferred.before(sql)
    try {
      const reader = await this.raw.runAndReadAll(sql, params)
      return reader.getRowObjectsJson() as T[]
    } catch (e) {
      throw this.cipher ? storeKeyError(e) : e
    }
  }

  /**
   * Runs a query and returns its rows with the engine's JS values (VARCHAR as string, INTEGER as number,
   * BIGINT as bigint), built from its columns: several times quicker than `all` for many rows, which
   * converts value by value to JSON.
   */
  async allValues<T = Row>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    await this.deferred.before(sql)
    try {
      const reader = await this.raw.runAndReadAll(sql, params)
      const names = reader.columnNames()
      const columns = reader.getColumnsJS()
      const rows: Record<string, unknown>[] = new Array(reader.currentRowCount)
      for (let i = 0; i < rows.length; i++) {
        const row: Record<string, unknown> = {}
        for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][i]
        rows[i] = row
      }
      return rows as T[]
    } catch (e) {
      throw this.cipher ? storeKeyError(e) : e
    }
  }

  /** Runs a query and returns its first row, if any. */
  async one<T = Row>(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0]
  }

  /** Runs `fn` inside a transaction; rolls back if it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION')
    this.deferred.begin()
    try {
      const out = await fn()
      await this.run('COMMIT')
      this.deferred.end(true)
      return out
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined)
      this.deferred.end(false)
      throw e
    }
  }

  /** Closes the connection and the instance (checkpointing a file database). */
  close(): void {
    this.raw.closeSync()
    if (this.ownsInstance) this.instance.closeSync()
  }
}

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes an SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
