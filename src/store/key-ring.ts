/**
 * The repository's secrets, kept outside the repository folder (by default in `<repo>-keys/` beside it;
 * an operator may move them to a secrets store and point OpenCAT at the folder): the CCID key (HMAC-SHA-256
 * over transformed identifiers), the vault master key (AES-256-GCM envelope encryption), and the Ed25519
 * key that signs the file log's tree heads and the access log's checkpoints. The first two rotate: a new
 * version becomes current and older ones stay readable until everything is re-keyed. Whoever can write
 * the repository folder but not this one can neither forge a receipt nor re-sign a log.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
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
import type { RepoPaths } from './paths.ts'

/** Which key versions are current. */
interface KeyIndex {
  readonly ccid: number
  readonly vault: number
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
}

function keyFile(dir: string, kind: 'ccid' | 'vault', version: number): string {
  return join(dir, `${kind}-v${version}.key`)
}

function readKey(dir: string, kind: 'ccid' | 'vault', version: number): MasterKey {
  const path = keyFile(dir, kind, version)
  const hex = readFileSync(path, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new OpenCatError('OCAT_ERR_KEYS', `${path} does not hold a 256-bit key`)
  return { id: `${kind}-v${version}`, key: Buffer.from(hex, 'hex') }
}

function writeIndex(dir: string, index: KeyIndex): void {
  writeFileSync(join(dir, 'keys.json.tmp'), `${JSON.stringify(index)}\n`, { mode: 0o600 })
  renameSync(join(dir, 'keys.json.tmp'), join(dir, 'keys.json'))
}

function newKey(dir: string, kind: 'ccid' | 'vault', version: number): void {
  writeFileSync(keyFile(dir, kind, version), `${randomBytes(32).toString('hex')}\n`, {
    mode: 0o600,
    flag: 'wx',
  })
}

/** Creates a key folder with first versions of both keys (refuses to overwrite existing keys). */
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
