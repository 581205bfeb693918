/**
 * The repository's secrets, kept outside the repository folder (by default in `<repo>-keys/` beside it;
 * an operator may move them to a secrets store and point OpenCAT at the folder): the CCID key (HMAC-SHA-256
 * over transformed identifiers), the vault master key (AES-256-GCM envelope encryption), the store master
 * key that wraps the store's data key (the key the engine encrypts the Parquet store and the catalogue
 * with, `store-data.json`), and the Ed25519 key that signs the file log's tree heads and the access log's
 * checkpoints. Master keys are protected as key-protection.ts says (plain hex, a passphrase, a command).
 * The CCID and vault keys rotate: a new version becomes current and older ones stay readable until
 * everything is re-keyed. Whoever can write the repository folder but not this one can neither forge a
 * receipt nor re-sign a log, nor read the store.
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { replaceFileDurably } from '../common/durable-file.ts'
import type { MasterKey } from '../common/envelope-crypto.ts'
import { OpenCatError } from '../common/errors.ts'
import { folderProtection, keyProvider, openKeyFile } from './key-protection.ts'
import type { RepoPaths } from './paths.ts'

/** Which key versions are current. */
interface KeyIndex {
  readonly ccid: number
  readonly vault: number
  /** The store master key's version (absent in key folders made before the store was encrypted). */
  readonly store?: number
}

/** The kinds of master key a key folder holds. */
export type MasterKind = 'ccid' | 'vault' | 'store-master'

/** The store's data key, as store-data.json keeps it: wrapped by a store master key version. */
interface WrappedDataKey {
  readonly version: number
  readonly master: string
  readonly iv: string
  readonly tag: string
  readonly key: string
}

/** The repository's keys. */
export interface KeyRing {
  readonly dir: string
  /** The current CCID key. */
  readonly ccid: MasterKey
  /** The current vault master key. */
  readonly vault: MasterKey
  /** Any vault master key version by id (for opening older envelopes). */
  vaultKey(id: string): MasterKey | undefined
  /** The store's data key (unwrapped by the store master key); undefined if the folder has none. */
  storeKey(): MasterKey | undefined
}

function keyFile(dir: string, kind: MasterKind, version: number): string {
  return join(dir, `${kind}-v${version}.key`)
}

function readKey(dir: string, kind: MasterKind, version: number): MasterKey {
  const path = keyFile(dir, kind, version)
  if (!existsSync(path)) throw new OpenCatError('OCAT_ERR_KEYS', `${path} is missing`)
  const key = openKeyFile(dir, path)
  if (key.length !== 32) throw new OpenCatError('OCAT_ERR_KEYS', `${path} does not hold a 256-bit key`)
  return { id: `${kind}-v${version}`, key }
}

function dataKeyFile(dir: string): string {
  return join(dir, 'store-data.json')
}

function wrapDataKey(master: MasterKey, version: number, key: Buffer): WrappedDataKey {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', master.key, iv)
  c.setAAD(Buffer.from(`store-data-v${version}`))
  const body = Buffer.concat([c.update(key), c.final()])
  return {
    version,
    master: master.id,
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    key: body.toString('base64'),
  }
}

function unwrapDataKey(master: MasterKey, wrapped: WrappedDataKey, path: string): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', master.key, Buffer.from(wrapped.iv, 'base64'))
    d.setAAD(Buffer.from(`store-data-v${wrapped.version}`))
    d.setAuthTag(Buffer.from(wrapped.tag, 'base64'))
    return Buffer.concat([d.update(Buffer.from(wrapped.key, 'base64')), d.final()])
  } catch {
    throw new OpenCatError('OCAT_ERR_STORE_KEY', `${master.id} does not open the data key in ${path}`)
  }
}

function readWrappedDataKey(dir: string): WrappedDataKey | undefined {
  const path = dataKeyFile(dir)
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as WrappedDataKey) : undefined
}

function writeWrappedDataKey(dir: string, wrapped: WrappedDataKey): void {
  replaceFileDurably(dataKeyFile(dir), `${JSON.stringify(wrapped, null, 2)}\n`)
}

function writeIndex(dir: string, index: KeyIndex): void {
  writeFileSync(join(dir, 'keys.json.tmp'), `${JSON.stringify(index)}\n`, { mode: 0o600 })
  renameSync(join(dir, 'keys.json.tmp'), join(dir, 'keys.json'))
}

function newKey(dir: string, kind: MasterKind, version: number): MasterKey {
  const key = randomBytes(32)
  writeFileSync(keyFile(dir, kind, version), keyProvider(dir, folderProtection(dir)).seal(key), {
    mode: 0o600,
    flag: 'wx',
  })
  return { id: `${kind}-v${version}`, key }
}

/** Gives a key folder a store master key and a data key wrapped by it, unless it has them. */
export function ensureStoreKey(dir: string): void {
  const index = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeyIndex
  if (index.store !== undefined && existsSync(dataKeyFile(dir))) return
  const version = index.store ?? 1
  const master = existsSync(keyFile(dir, 'store-master', version))
    ? readKey(dir, 'store-master', version)
    : newKey(dir, 'store-master', version)
  writeWrappedDataKey(dir, wrapDataKey(master, 1, randomBytes(32)))
  writeIndex(dir, { ...index, store: version })
}

/** Creates a key folder with first versions of its keys (refuses to overwrite existing keys). */
export function createKeyRing(dir: string): KeyRing {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (existsSync(join(dir, 'keys.json'))) return loadKeyRing(dir)
  newKey(dir, 'ccid', 1)
  newKey(dir, 'vault', 1)
  writeIndex(dir, { ccid: 1, vault: 1 })
  return loadKeyRing(dir)
}

/** Loads a key folder. */
export function loadKeyRing(dir: string): KeyRing {
  if (!existsSync(join(dir, 'keys.json'))) {
    throw new OpenCatError(
      'OCAT_ERR_KEYS',
      `no OpenCAT keys in ${dir} (keys.json missing); pass --keys DIR or set OPENCAT_KEYS`,
    )
  }
  const index = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeyIndex
  const cache = new Map<string, MasterKey>()
  return {
    dir,
    ccid: readKey(dir, 'ccid', index.ccid),
    vault: readKey(dir, 'vault', index.vault),
    vaultKey(id) {
      const m = /^vault-v([0-9]+)$/.exec(id)
      if (!m) return undefined
      if (!cache.has(id) && existsSync(keyFile(dir, 'vault', Number(m[1]))))
        cache.set(id, readKey(dir, 'vault', Number(m[1])))
      return cache.get(id)
    },
    storeKey() {
      const wrapped = readWrappedDataKey(dir)
      if (!wrapped || index.store === undefined) return undefined
      const m = /^store-master-v([0-9]+)$/.exec(wrapped.master)
      if (!m) throw new OpenCatError('OCAT_ERR_KEYS', `${dataKeyFile(dir)} names no store master key`)
      const master = readKey(dir, 'store-master', Number(m[1]))
      return { id: `store-data-v${wrapped.version}`, key: unwrapDataKey(master, wrapped, dataKeyFile(dir)) }
    },
  }
}

/** Makes a new version of a key current; returns the new ring. Older versions stay for reading. */
export function rotateKey(dir: string, kind: 'ccid' | 'vault'): KeyRing {
  const index = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeyIndex
  const next = index[kind] + 1
  newKey(dir, kind, next)
  writeIndex(dir, { ...index, [kind]: next })
  return loadKeyRing(dir)
}

/**
 * Rotates the store master key: a new version wraps the same data key, and the old version's file is
 * removed, so it opens nothing any more. No store file is touched (envelope encryption).
 */
export function rotateStoreMaster(dir: string): string {
  const index = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeyIndex
  const ring = loadKeyRing(dir)
  const data = ring.storeKey()
  const wrapped = readWrappedDataKey(dir)
  if (!data || !wrapped || index.store === undefined)
    throw new OpenCatError('OCAT_ERR_KEYS', `${dir} holds no store key (the repository is not encrypted)`)
  const next = index.store + 1
  const master = newKey(dir, 'store-master', next)
  writeWrappedDataKey(dir, wrapDataKey(master, wrapped.version, data.key))
  writeIndex(dir, { ...index, store: next })
  unlinkSync(keyFile(dir, 'store-master', index.store))
  return master.id
}

function nextDataKeyFile(dir: string): string {
  return join(dir, 'store-data.next.json')
}

/**
 * The data key a rotation rewrites the store under: drawn and kept wrapped in store-data.next.json before
 * the first file is rewritten, so a rotation interrupted midway resumes with the same key.
 */
export function nextDataKey(dir: string): MasterKey {
  const index = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeyIndex
  const current = readWrappedDataKey(dir)
  if (!current || index.store === undefined)
    throw new OpenCatError('OCAT_ERR_KEYS', `${dir} holds no store key (the repository is not encrypted)`)
  const master = readKey(dir, 'store-master', index.store)
  const path = nextDataKeyFile(dir)
  if (!existsSync(path)) {
    const staged = wrapDataKey(master, current.version + 1, randomBytes(32))
    replaceFileDurably(path, `${JSON.stringify(staged, null, 2)}\n`)
  }
  const staged = JSON.parse(readFileSync(path, 'utf8')) as WrappedDataKey
  return { id: `store-data-v${staged.version}`, key: unwrapDataKey(master, staged, path) }
}

/** Makes the staged next data key current (every store file is rewritten under it); the old one is gone. */
export function commitNextDataKey(dir: string): void {
  renameSync(nextDataKeyFile(dir), dataKeyFile(dir))
}

/** Every master key file of a key folder (for re-protecting them). */
export function masterKeyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^(ccid|vault|store-master)-v[0-9]+\.key$/.test(f))
    .map((f) => join(dir, f))
}

/** The default key folder of a repository folder: beside it, never inside it. */
export function defaultKeyDir(repoRoot: string): string {
  return `${repoRoot.replace(/\/+$/, '')}-keys`
}

/** The signing key's file in a key folder (PKCS#8 PEM). */
export function signingKeyFile(dir: string): string {
  return join(dir, 'signing-key.pem')
}

/** Creates the signing key in a key folder unless it has one; returns its file. */
export function ensureSigningKey(dir: string): string {
  const path = signingKeyFile(dir)
  if (existsSync(path)) return path
  const { privateKey } = generateKeyPairSync('ed25519')
  replaceFileDurably(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
  return path
}

/**
 * Moves a signing key that earlier versions kept inside the repository folder (`legacy`) out into the key
 * folder, unless the key folder has one already (then the one inside is not trusted and goes). Copied and
 * fsync'd before the original is removed, so a crash keeps one of the two.
 */
export function migrateSigningKey(legacy: string, dir: string): void {
  if (!existsSync(legacy)) return
  if (!existsSync(signingKeyFile(dir))) replaceFileDurably(signingKeyFile(dir), readFileSync(legacy))
  unlinkSync(legacy)
  try {
    rmdirSync(dirname(legacy))
  } catch {
    // Not empty or already gone: leave it.
  }
}

/**
 * The key folder of a repository without opening it: `OPENCAT_KEYS`, else the folder recorded at init,
 * else `DIR-keys` beside it.
 */
export function repositoryKeyDir(paths: RepoPaths): string {
  if (process.env.OPENCAT_KEYS) return process.env.OPENCAT_KEYS
  try {
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as { keys?: unknown }
    if (typeof manifest.keys === 'string') return manifest.keys
  } catch {
    // No manifest: the default folder.
  }
  return defaultKeyDir(paths.root)
}
