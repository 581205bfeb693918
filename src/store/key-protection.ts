/**
 * How the master keys in a key folder are protected at rest. A `KeyProvider` turns a 256-bit key into the
 * text of its key file and back:
 *
 * - `file`: the key as 64 hex digits, protected only by the folder's permissions (the default, so a demo
 *   needs nothing typed; anyone who can read the key folder can read the store);
 * - `passphrase`: the key wrapped (AES-256-GCM) by a key-encryption key derived with scrypt from
 *   `OPENCAT_KEY_PASSPHRASE` (or the file named by `OPENCAT_KEY_PASSPHRASE_FILE`); the scrypt parameters and
 *   salt are in `protection.json` beside the keys;
 * - `command`: the key wrapped by a key-encryption key that a command prints (`OPENCAT_KEY_COMMAND`, 64 hex
 *   digits or base64 of 32 bytes on stdout): the door to a KMS, an HSM or a secrets manager.
 *
 * Key files say which protection they need, so a folder can be read whatever the environment says, and a
 * missing or wrong passphrase is a clear error rather than a garbled key.
 */
import { execFileSync } from 'node:child_process'
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { replaceFileDurably } from '../common/durable-file.ts'
import { OpenCatError } from '../common/errors.ts'

/** The kinds of protection a key folder's master keys can have. */
export type ProtectionKind = 'file' | 'passphrase' | 'command'

/** Turns a master key into the text of its key file and back. */
export interface KeyProvider {
  readonly kind: ProtectionKind
  /** The key file's text for `key`. */
  seal(key: Buffer): string
  /** The key in a key file's text (`path` names it in errors). */
  open(text: string, path: string): Buffer
}

/** The scrypt parameters and salt of a key folder's passphrase (protection.json). */
interface ScryptParams {
  readonly kdf: 'scrypt'
  readonly N: number
  readonly r: number
  readonly p: number
  readonly salt: string
}

/** A wrapped key file. */
interface WrappedKeyFile {
  readonly protected: 'passphrase' | 'command'
  readonly iv: string
  readonly tag: string
  readonly key: string
}

// 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s per derivation: once per process and key folder.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 }

function wrap(kek: Buffer, key: Buffer, kind: WrappedKeyFile['protected']): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', kek, iv)
  const body = Buffer.concat([c.update(key), c.final()])
  const file: WrappedKeyFile = {
    protected: kind,
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    key: body.toString('base64'),
  }
  return `${JSON.stringify(file)}\n`
}

function unwrap(kek: Buffer, file: WrappedKeyFile, path: string): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.iv, 'base64'))
    d.setAuthTag(Buffer.from(file.tag, 'base64'))
    return Buffer.concat([d.update(Buffer.from(file.key, 'base64')), d.final()])
  } catch {
    throw new OpenCatError(
      'OCAT_ERR_KEY_PASSPHRASE',
      file.protected === 'passphrase'
        ? `the passphrase does not open ${path}`
        : `the key from OPENCAT_KEY_COMMAND does not open ${path}`,
    )
  }
}

function parseHexKey(text: string, path: string): Buffer {
  const hex = text.trim()
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new OpenCatError('OCAT_ERR_KEYS', `${path} does not hold a 256-bit key`)
  return Buffer.from(hex, 'hex')
}

/** The passphrase from the environment, if any. */
function passphrase(): string | undefined {
  if (process.env.OPENCAT_KEY_PASSPHRASE) return process.env.OPENCAT_KEY_PASSPHRASE
  const file = process.env.OPENCAT_KEY_PASSPHRASE_FILE
  if (!file) return undefined
  if (!existsSync(file)) throw new OpenCatError('OCAT_ERR_INPUT_NOT_FOUND', `no passphrase file ${file}`)
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
}

const derived = new Map<string, Buffer>()

function paramsFile(dir: string): string {
  return join(dir, 'protection.json')
}

function scryptKek(dir: string, secret: string, create: boolean): Buffer {
  let params: ScryptParams
  if (existsSync(paramsFile(dir)) && !create) {
    params = JSON.parse(readFileSync(paramsFile(dir), 'utf8')) as ScryptParams
  } else {
    params = { kdf: 'scrypt', ...SCRYPT, salt: randomBytes(16).toString('base64') }
    replaceFileDurably(paramsFile(dir), `${JSON.stringify(params, null, 2)}\n`)
  }
  const cacheKey = `${params.salt}\0${params.N}\0${secret}`
  let kek = derived.get(cacheKey)
  if (!kek) {
    kek = scryptSync(secret, Buffer.from(params.salt, 'base64'), 32, {
      N: params.N,
      r: params.r,
      p: params.p,
      maxmem: 256 * params.N * params.r + 1024 * 1024,
    })
    derived.set(cacheKey, kek)
  }
  return kek
}

function commandKek(command: string): Buffer {
  let out: string
  try {
    out = execFileSync('/bin/sh', ['-c', command], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim()
  } catch (e) {
    throw new OpenCatError(
      'OCAT_ERR_KEY_PASSPHRASE',
      `OPENCAT_KEY_COMMAND failed: ${(e as Error).message.split('\n')[0]}`,
    )
  }
  const key = /^[0-9a-f]{64}$/i.test(out) ? Buffer.from(out, 'hex') : Buffer.from(out, 'base64')
  if (key.length !== 32)
    throw new OpenCatError(
      'OCAT_ERR_KEY_PASSPHRASE',
      'OPENCAT_KEY_COMMAND must print a 256-bit key (64 hex digits or base64 of 32 bytes)',
    )
  return key
}

function locked(path: string, kind: WrappedKeyFile['protected']): OpenCatError {
  return new OpenCatError(
    'OCAT_ERR_KEY_LOCKED',
    kind === 'passphrase'
      ? `${path} is protected by a passphrase: set OPENCAT_KEY_PASSPHRASE or OPENCAT_KEY_PASSPHRASE_FILE (--passphrase-file)`
      : `${path} is protected by a key command: set OPENCAT_KEY_COMMAND`,
  )
}

/**
 * Reads any key file of a key folder, whatever protects it: the provider is the one the file names, its
 * secret taken from the environment.
 */
export function openKeyFile(dir: string, path: string): Buffer {
  const text = readFileSync(path, 'utf8')
  if (!text.trimStart().startsWith('{')) return parseHexKey(text, path)
  const file = JSON.parse(text) as WrappedKeyFile
  if (file.protected === 'passphrase') {
    const secret = passphrase()
    if (secret === undefined) throw locked(path, 'passphrase')
    return unwrap(scryptKek(dir, secret, false), file, path)
  }
  const command = process.env.OPENCAT_KEY_COMMAND
  if (!command) throw locked(path, 'command')
  return unwrap(commandKek(command), file, path)
}

/** The protection a key folder's keys have now (that of its index's first key file). */
export function folderProtection(dir: string): ProtectionKind {
  for (const name of ['store-master-v1.key', 'vault-v1.key', 'ccid-v1.key']) {
    const path = join(dir, name)
    if (!existsSync(path)) continue
    const text = readFileSync(path, 'utf8').trimStart()
    return text.startsWith('{') ? (JSON.parse(text) as WrappedKeyFile).protected : 'file'
  }
  return 'file'
}

/**
 * The provider that seals new key files: `kind`, or the folder's current protection. Sealing with a new
 * passphrase (`fresh`) draws a new salt.
 */
export function keyProvider(dir: string, kind: ProtectionKind, fresh = false): KeyProvider {
  if (kind === 'file') {
    return { kind, seal: (key) => `${key.toString('hex')}\n`, open: (text, path) => parseHexKey(text, path) }
  }
  if (kind === 'passphrase') {
    const secret = passphrase()
    if (secret === undefined) throw locked(join(dir, 'keys.json'), 'passphrase')
    if (secret.length < 8)
      throw new OpenCatError('OCAT_ERR_KEY_PASSPHRASE', 'a passphrase needs at least 8 characters')
    const kek = scryptKek(dir, secret, fresh)
    return {
      kind,
      seal: (key) => wrap(kek, key, 'passphrase'),
      open: (text, path) => unwrap(kek, JSON.parse(text) as WrappedKeyFile, path),
    }
  }
  const command = process.env.OPENCAT_KEY_COMMAND
  if (!command) throw locked(join(dir, 'keys.json'), 'command')
  const kek = commandKek(command)
  return {
    kind,
    seal: (key) => wrap(kek, key, 'command'),
    open: (text, path) => unwrap(kek, JSON.parse(text) as WrappedKeyFile, path),
  }
}
