/**
 * Encryption at rest of the Parquet store and the catalogue, as the engine provides it: Parquet modular
 * encryption (AES-GCM, footer and columns under one key) for every file under `store/`, and database
 * encryption for `catalog.duckdb`. The key is the repository's data key, kept wrapped in the key folder
 * (key-ring.ts); `storeCipherOf` is the one place a connection gets it, and the helpers below are the one
 * place SQL names it, so no stage handles key material.
 *
 * Two limits of the engine shape this (DuckDB 1.5): a multi-file `read_parquet` with `union_by_name` fails
 * on encrypted files, and so does a second read through the Parquet metadata cache. So an encrypted store
 * writes every events file with every event column (absent ones are all-null, nearly free in Parquet),
 * reads globs by name without `union_by_name`, and keeps the metadata cache off.
 */
import { OpenCatError } from '../common/errors.ts'
import { loadKeyRing } from './key-ring.ts'

/** The key a connection reads and writes the store with. */
export interface StoreCipher {
  /** The data key's version id (store-data-vN). */
  readonly id: string
  /** The 256-bit data key. */
  readonly key: Buffer
}

/** The name the engine knows the data key by (per database instance). */
export const STORE_KEY_NAME = 'opencat_store'

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`

/** The store cipher of a repository whose settings say it is encrypted: its key folder's data key. */
export function storeCipherOf(encrypted: boolean, keysDir: string): StoreCipher | undefined {
  if (!encrypted) return undefined
  const key = loadKeyRing(keysDir).storeKey()
  if (!key)
    throw new OpenCatError(
      'OCAT_ERR_STORE_KEY',
      `the repository is encrypted but ${keysDir} holds no store data key (store-data.json)`,
    )
  return key
}

/** Anything that knows whether its connection encrypts (a Database). */
interface Ciphered {
  readonly cipher: StoreCipher | undefined
}

/** The options a `COPY … TO` of Parquet adds so the file is encrypted (empty for a plain store). */
export function parquetWriteOptions(db: Ciphered): string {
  return db.cipher ? `, ENCRYPTION_CONFIG {footer_key: '${STORE_KEY_NAME}'}` : ''
}

/** The option a single-file `read_parquet` adds to read the store's key (empty for a plain store). */
export function parquetReadOptions(db: Ciphered): string {
  return db.cipher ? `, encryption_config = {footer_key: '${STORE_KEY_NAME}'}` : ''
}

/**
 * `read_parquet(source, options…)` for a store file, glob or list: with the key when the store is
 * encrypted, where `union_by_name` is left out (files are written with one schema per folder).
 */
export function parquetRead(db: Ciphered, source: string, options: readonly string[] = []): string {
  const opts = db.cipher
    ? [
        ...options.filter((o) => !/^union_by_name\s*=/.test(o)),
        `encryption_config = {footer_key: '${STORE_KEY_NAME}'}`,
      ]
    : options
  return `read_parquet(${[source, ...opts].join(', ')})`
}

/**
 * A query whose rows a store file will hold, widened to every column of `columns` (typed, in that order)
 * when the store is encrypted, so every file of a folder has one schema.
 */
export function widenToColumns(
  db: Ciphered,
  query: string,
  columns: readonly { name: string; sqlType: string }[],
  keep: readonly string[] = [],
): string {
  if (!db.cipher) return query
  const empty = columns.map((c) => `NULL::${c.sqlType} AS ${ident(c.name)}`).join(', ')
  const names = columns.map((c) => `${ident(c.name)}::${c.sqlType} AS ${ident(c.name)}`).join(', ')
  const extra = keep.map(ident).join(', ')
  return `SELECT ${names}${extra ? `, ${extra}` : ''} FROM ((SELECT ${empty} WHERE false) UNION ALL BY NAME (${query}))`
}

/** Turns the engine's key failures into OCAT_ERR_STORE_KEY; other errors pass through. */
export function storeKeyError(e: unknown): unknown {
  const message = (e as Error)?.message ?? ''
  if (
    /Wrong encryption key|AES tag differs|without a key|is encrypted, but 'encryption_config' was not set|not encrypted, but 'encryption_config' was set|is not encrypted/i.test(
      message,
    )
  ) {
    return new OpenCatError(
      'OCAT_ERR_STORE_KEY',
      `the store's data key does not open the repository (${message.split('\n')[0]})`,
      {},
      { cause: e },
    )
  }
  return e
}
