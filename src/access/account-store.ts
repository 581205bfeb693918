/**
 * The account store: `accounts/accounts.json` in the repository folder (mode 0600), holding people and
 * machines, their roles and scopes, password hashes, TOTP keys, failed sign-in counts, and API tokens as
 * hashes. It is a file of its own, not a table in catalog.duckdb, because sign-ins write to it (failure
 * counts, the last TOTP step used) from readers — the portal and query commands — that hold the catalogue
 * read-only, and while a submit holds it for writing. Every change is made under `accounts/accounts.lock`,
 * written aside, fsync'd and renamed into place, so it is whole or not there at all. It is signed with the
 * repository's signing key, kept outside the repository folder, so whoever can write the folder but not the
 * key folder cannot grant themselves a role or plant a token: a store that does not verify is not used.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { replaceFileDurably } from '../common/durable-file.ts'
import { OpenCatError } from '../common/errors.ts'
import { repositoryKeyDir, signingKeyFile } from '../store/key-ring.ts'
import { withLockSync } from '../store/lock.ts'
import type { RepoPaths } from '../store/paths.ts'
import type { PasswordHash } from './password.ts'
import type { Role } from './roles.ts'

/** The account store's format version. */
export const ACCOUNTS_FORMAT = 1

/** A person (password + TOTP) or a machine (API tokens only). */
export type AccountKind = 'person' | 'machine'

/** One account as stored. */
export interface Account {
  readonly kind: AccountKind
  readonly roles: readonly Role[]
  /** What a reporter may see and send: `imid:<IMID>` and `submitter:<id>`. */
  readonly scopes: readonly string[]
  readonly createdNs: string
  readonly disabledNs?: string
  readonly password?: PasswordHash
  /** base32 TOTP key (people only). */
  readonly totp?: string
  /** The last TOTP step a sign-in used: a code is good once. */
  readonly totpStep?: string
  /** Consecutive failed sign-ins. */
  readonly failures: number
  readonly lockedUntilNs?: string
  readonly lastSignInNs?: string
}

/** One API token as stored: only the SHA-256 of its secret. */
export interface StoredToken {
  readonly user: string
  /** hex SHA-256 of the secret part */
  readonly hash: string
  readonly label?: string
  readonly createdNs: string
  readonly expiresNs?: string
  readonly revokedNs?: string
}

/** The whole store. */
export interface AccountsFile {
  readonly format: number
  readonly users: Record<string, Account>
  readonly tokens: Record<string, StoredToken>
}

/** Where a repository keeps its accounts. */
export function accountsDir(paths: RepoPaths): string {
  return join(paths.root, 'accounts')
}

function accountsFile(paths: RepoPaths): string {
  return join(accountsDir(paths), 'accounts.json')
}

function signedContent(doc: AccountsFile): Buffer {
  const { format, users, tokens } = doc
  return Buffer.from(`opencat-accounts-v1\n${JSON.stringify({ format, users, tokens })}`)
}

function signingKey(paths: RepoPaths): string {
  const key = signingKeyFile(repositoryKeyDir(paths))
  if (!existsSync(key))
    throw new OpenCatError('OCAT_ERR_KEYS', `no signing key ${key}: the account store is signed with it`)
  return key
}

/** Per account store, the key file and text that last verified. */
const VERIFIED = new Map<string, string>()
/** Public keys by signing-key file, with the key file's bytes they were made from. */
const PUBLIC_KEYS = new Map<string, { pem: string; key: KeyObject }>()

function publicKeyOf(keyFile: string): KeyObject {
  const pem = readFileSync(keyFile, 'utf8')
  const known = PUBLIC_KEYS.get(keyFile)
  if (known?.pem === pem) return known.key
  const key = createPublicKey(createPrivateKey(pem))
  PUBLIC_KEYS.set(keyFile, { pem, key })
  return key
}

/** Reads the account store (empty when the repository has none yet), checking its signature. */
export function readAccounts(paths: RepoPaths): AccountsFile {
  const file = accountsFile(paths)
  if (!existsSync(file)) return { format: ACCOUNTS_FORMAT, users: {}, tokens: {} }
  const text = readFileSync(file, 'utf8')
  const doc = JSON.parse(text) as AccountsFile & { signature?: string }
  if (doc.format !== ACCOUNTS_FORMAT)
    throw new OpenCatError(
      'OCAT_ERR_REPO_VERSION',
      `account store format ${doc.format}; this OpenCAT reads ${ACCOUNTS_FORMAT}`,
    )
  let valid = false
  try {
    const keyFile = signingKey(paths)
    // A portal reads the store on every request: the same bytes under the same key verified once are enough.
    const seen = `${keyFile}\n${text}`
    if (VERIFIED.get(file) === seen) valid = true
    else {
      valid = verify(
        null,
        signedContent(doc),
        publicKeyOf(keyFile),
        Buffer.from(doc.signature ?? '', 'base64'),
      )
      if (valid) VERIFIED.set(file, seen)
    }
  } catch (e) {
    if (e instanceof OpenCatError) throw e
    valid = false
  }
  if (!valid)
    throw new OpenCatError(
      'OCAT_ERR_ACCOUNTS_TAMPERED',
      `${file} does not verify against the repository's signing key: it was changed outside OpenCAT`,
    )
  return { format: doc.format, users: doc.users, tokens: doc.tokens }
}

function writeAccounts(paths: RepoPaths, doc: AccountsFile): void {
  const signature = sign(
    null,
    signedContent(doc),
    createPrivateKey(readFileSync(signingKey(paths))),
  ).toString('base64')
  replaceFileDurably(accountsFile(paths), `${JSON.stringify({ ...doc, signature }, null, 1)}\n`)
}

/**
 * Changes the account store under its lock: `change` gets the current store and returns the new one
 * (or undefined to leave it as it is) and a result.
 */
export function updateAccounts<T>(
  paths: RepoPaths,
  change: (doc: AccountsFile) => { next?: AccountsFile; result: T },
): T {
  mkdirSync(accountsDir(paths), { recursive: true, mode: 0o700 })
  return withLockSync(join(accountsDir(paths), 'accounts.lock'), 30_000, () => {
    const { next, result } = change(readAccounts(paths))
    if (next) writeAccounts(paths, next)
    return result
  })
}
