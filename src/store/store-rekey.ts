/**
 * Rotation of the store's data key: every Parquet file under `store/` is rewritten under a new data key
 * and the catalogue copied into a database file encrypted with it, under the repository lock; then the new
 * key becomes current and the old one is gone. (Rotating the store master key only re-wraps the data key:
 * key-ring.ts.) The new key is staged before the first file is rewritten and each file is replaced whole,
 * so a rotation interrupted midway is finished by running it again: a file already under the new key is
 * left as it is. Readers that run meanwhile may be refused with OCAT_ERR_STORE_KEY.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { Database, literal } from './database.ts'
import { commitNextDataKey, nextDataKey } from './key-ring.ts'
import { acquireLock } from './lock.ts'
import { RepoPaths } from './paths.ts'
import { repositoryCipher } from './repository.ts'
import { STORE_KEY_NAME } from './store-cipher.ts'

const NEXT_KEY_NAME = `${STORE_KEY_NAME}_next`

/** What a data key rotation did. */
export interface DataKeyRotation {
  readonly key: string
  readonly rewrittenFiles: number
}

/** The store's encrypted Parquet files ("PARE" at the end; a plain file is read plain and stays so). */
function encryptedParquet(paths: RepoPaths): string[] {
  if (!existsSync(paths.store)) return []
  return readdirSync(paths.store, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(paths.store, f))
    .filter((f) => {
      const fd = openSync(f, 'r')
      try {
        const tail = Buffer.alloc(4)
        readSync(fd, tail, 0, 4, Math.max(0, fstatSync(fd).size - 4))
        return tail.toString('latin1') === 'PARE'
      } finally {
        closeSync(fd)
      }
    })
    .sort()
}

async function underKey(db: Database, file: string, name: string): Promise<boolean> {
  try {
    await db.all(
      `SELECT count(*) FROM read_parquet(${literal(file)}, hive_partitioning = false, encryption_config = {footer_key: '${name}'})`,
    )
    return true
  } catch (e) {
    if ((e as OpenCatError).code === 'OCAT_ERR_STORE_KEY') return false
    throw e
  }
}

/** Rewrites a repository's store and catalogue under a new data key (see the file's comment). */
export async function rotateDataKey(
  dir: string,
  keysDir: string,
  waitMs = 600_000,
): Promise<DataKeyRotation> {
  const paths = new RepoPaths(resolve(dir))
  const cipher = repositoryCipher(paths, keysDir)
  if (!cipher)
    throw new OpenCatError('OCAT_ERR_KEYS', `${paths.root} is not encrypted: it has no data key to rotate`)
  const release = await acquireLock(paths.lock, waitMs, () => undefined)
  try {
    const next = nextDataKey(keysDir)
    const db = await Database.open(paths.catalog, { cipher })
    let rewritten = 0
    try {
      await db.run(`PRAGMA add_parquet_key('${NEXT_KEY_NAME}', '${next.key.toString('base64')}')`)
      for (const file of encryptedParquet(paths)) {
        if (!(await underKey(db, file, STORE_KEY_NAME))) {
          if (await underKey(db, file, NEXT_KEY_NAME)) continue
          throw new OpenCatError(
            'OCAT_ERR_STORE_KEY',
            `${file} is under neither the current nor the next key`,
          )
        }
        // Rejects keep their small row groups (the error files page through them); order is kept.
        const rowGroup = file.startsWith(`${paths.rejects}/`) ? ', ROW_GROUP_SIZE 8192' : ''
        const aside = `${file}.rekey`
        await db.run(
          `COPY (SELECT * FROM read_parquet(${literal(file)}, hive_partitioning = false, encryption_config = {footer_key: '${STORE_KEY_NAME}'}))
           TO ${literal(aside)} (FORMAT parquet, COMPRESSION zstd${rowGroup}, ENCRYPTION_CONFIG {footer_key: '${NEXT_KEY_NAME}'})`,
        )
        renameSync(aside, file)
        rewritten++
      }
      const copy = `${paths.catalog}.rekey`
      rmSync(copy, { force: true })
      rmSync(`${copy}.wal`, { force: true })
      await db.run(`ATTACH ${literal(copy)} AS rekeyed (ENCRYPTION_KEY '${next.key.toString('base64')}')`)
      await db.run('COPY FROM DATABASE repo TO rekeyed')
      await db.run('DETACH rekeyed')
    } finally {
      db.close()
    }
    rmSync(`${paths.catalog}.wal`, { force: true })
    renameSync(`${paths.catalog}.rekey`, paths.catalog)
    commitNextDataKey(keysDir)
    return { key: next.id, rewrittenFiles: rewritten }
  } finally {
    release()
  }
}
