/**
 * The DuckDB engine behind a repository: one instance and connection per process, with small helpers to
 * run SQL and read rows as plain JSON-safe objects (BIGINT/DECIMAL as strings, so nothing is rounded).
 */
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api'

/** A plain row: column name → JSON value (strings for big integers and decimals). */
export type Row = Record<string, unknown>

/** An open DuckDB database. */
export class Database {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly ownsInstance = true,
  ) {}

  /** Opens (or creates) a database file, or ':memory:'. */
  static async open(path: string, options: { readOnly?: boolean; threads?: number } = {}): Promise<Database> {
    const config: Record<string, string> = {}
    if (options.readOnly) config.access_mode = 'READ_ONLY'
    if (options.threads) config.threads = String(options.threads)
    const instance = await DuckDBInstance.create(path, config)
    const connection = await instance.connect()
    // Parquet footers are read once per process, not on every query over the store's many files.
    await connection.run('SET parquet_metadata_cache = true')
    return new Database(instance, connection)
  }

  /**
   * Another connection to the same instance: DuckDB runs the queries of different connections in
   * parallel, where one connection runs them one after another. Closing it leaves the instance open.
   */
  async connect(): Promise<Database> {
    const connection = await this.instance.connect()
    await connection.run('SET parquet_metadata_cache = true')
    return new Database(this.instance, connection, false)
  }

  /** Runs one or more statements. */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.connection.run(sql, params)
  }

  /** Runs a query and returns its rows as JSON-safe objects. */
  async all<T = Row>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params)
    return reader.getRowObjectsJson() as T[]
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
    try {
      const out = await fn()
      await this.run('COMMIT')
      return out
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined)
      throw e
    }
  }

  /** Closes the connection and the instance (checkpointing a file database). */
  close(): void {
    this.connection.closeSync()
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
