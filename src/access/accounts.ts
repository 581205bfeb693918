/**
 * Managing accounts: adding people (password + TOTP) and machines (tokens only), granting roles and
 * scopes, disabling, resetting credentials, and creating and revoking API tokens. Secrets are returned
 * once, to be shown once; the store keeps only hashes (and the TOTP key, which checking a code needs).
 */
import { createHash, randomBytes } from 'node:crypto'
import { OpenCatError } from '../common/errors.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type Account, type AccountKind, readAccounts, updateAccounts } from './account-store.ts'
import { fromBase32, toBase32 } from './base32.ts'
import { hashPassword } from './password.ts'
import { grantProblem, type Role } from './roles.ts'
import { newTotpKey, otpauthUri } from './totp.ts'

/** Shortest password accepted from the operator (generated ones are longer). */
export const MIN_PASSWORD_LENGTH = 12

/** API tokens read `ocat_<id>_<secret>`: the id finds the stored hash, the secret is checked against it. */
export const TOKEN_PREFIX = 'ocat_'

const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString()

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name))
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `user name "${name}" must be 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit`,
    )
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
    )
}

function existing(users: Record<string, Account>, name: string): Account {
  const account = Object.hasOwn(users, name) ? users[name] : undefined
  if (!account) throw new OpenCatError('OCAT_ERR_ACCOUNT_NOT_FOUND', `no user ${name}`)
  return account
}

/** A person's new credentials, to be shown once. */
export interface NewCredentials {
  readonly user: string
  /** Set when the password was generated rather than given. */
  readonly password?: string
  /** base32 TOTP key. */
  readonly totpSecret: string
  readonly otpauthUri: string
}

function credentials(name: string, password?: string) {
  const generated = password === undefined ? randomBytes(15).toString('base64url') : undefined
  const key = newTotpKey()
  return {
    hash: hashPassword(password ?? (generated as string)),
    totp: toBase32(key),
    shown: {
      user: name,
      ...(generated ? { password: generated } : {}),
      totpSecret: toBase32(key),
      otpauthUri: otpauthUri(key, name),
    },
  }
}

/** Adds an account. A person gets a password (generated unless given) and a TOTP key; a machine neither. */
export function addUser(
  paths: RepoPaths,
  name: string,
  options: { kind: AccountKind; roles?: readonly Role[]; scopes?: readonly string[]; password?: string },
): NewCredentials | { readonly user: string } {
  checkName(name)
  if (options.password !== undefined) checkPassword(options.password)
  const roles = [...new Set(options.roles ?? [])]
  const scopes = [...new Set(options.scopes ?? [])]
  const problem = roles.length + scopes.length > 0 ? grantProblem(roles, scopes) : undefined
  if (problem) throw new OpenCatError('OCAT_ERR_CLI_USAGE', problem)
  const made = options.kind === 'person' ? credentials(name, options.password) : undefined
  return updateAccounts(paths, (doc) => {
    if (Object.hasOwn(doc.users, name))
      throw new OpenCatError('OCAT_ERR_ACCOUNT_EXISTS', `user ${name} exists already`)
    const account: Account = {
      kind: options.kind,
      roles,
      scopes,
      createdNs: nowNs(),
      failures: 0,
      ...(made ? { password: made.hash, totp: made.totp } : {}),
    }
    return {
      next: { ...doc, users: { ...doc.users, [name]: account } },
      result: made?.shown ?? { user: name },
    }
  })
}

/** Sets an account's roles and scopes (replacing what it had). */
export function grantUser(
  paths: RepoPaths,
  name: string,
  roles: readonly Role[],
  scopes: readonly string[],
): void {
  const problem = grantProblem([...new Set(roles)], [...new Set(scopes)])
  if (problem) throw new OpenCatError('OCAT_ERR_CLI_USAGE', problem)
  updateAccounts(paths, (doc) => {
    const account = existing(doc.users, name)
    const next = { ...account, roles: [...new Set(roles)], scopes: [...new Set(scopes)] }
    return { next: { ...doc, users: { ...doc.users, [name]: next } }, result: undefined }
  })
}

/** Disables an account: its sign-ins and all its tokens are refused from now on. */
export function disableUser(paths: RepoPaths, name: string): void {
  updateAccounts(paths, (doc) => {
    const account = existing(doc.users, name)
    if (account.disabledNs) return { result: undefined }
    return {
      next: { ...doc, users: { ...doc.users, [name]: { ...account, disabledNs: nowNs() } } },
      result: undefined,
    }
  })
}

/**
 * Gives a person a new password (generated unless given) and a new TOTP key, and lifts a lockout. It does
 * not re-enable a disabled account.
 */
export function resetUser(paths: RepoPaths, name: string, password?: string): NewCredentials {
  if (password !== undefined) checkPassword(password)
  const made = credentials(name, password)
  return updateAccounts(paths, (doc) => {
    const account = existing(doc.users, name)
    if (account.kind !== 'person')
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `${name} is a machine account: it signs in with tokens only`,
      )
    const { lockedUntilNs: _l, totpStep: _s, ...rest } = account
    const next: Account = { ...rest, password: made.hash, totp: made.totp, failures: 0 }
    return { next: { ...doc, users: { ...doc.users, [name]: next } }, result: made.shown }
  })
}

/** An account as listed: no secrets. */
export interface AccountSummary {
  readonly user: string
  readonly kind: AccountKind
  readonly roles: readonly Role[]
  readonly scopes: readonly string[]
  readonly disabled: boolean
  readonly failures: number
  readonly locked: boolean
  readonly tokens: readonly {
    readonly id: string
    readonly label?: string
    readonly created: string
    readonly expires?: string
    readonly revoked: boolean
  }[]
}

const iso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString()

/** Every account, by name, without secrets. */
export function listUsers(paths: RepoPaths, atNs = BigInt(Date.now()) * 1_000_000n): AccountSummary[] {
  const doc = readAccounts(paths)
  return Object.keys(doc.users)
    .sort()
    .map((user) => {
      const a = doc.users[user]
      return {
        user,
        kind: a.kind,
        roles: a.roles,
        scopes: a.scopes,
        disabled: a.disabledNs !== undefined,
        failures: a.failures,
        locked: a.lockedUntilNs !== undefined && BigInt(a.lockedUntilNs) > atNs,
        tokens: Object.entries(doc.tokens)
          .filter(([, t]) => t.user === user)
          .map(([id, t]) => ({
            id,
            ...(t.label ? { label: t.label } : {}),
            created: iso(t.createdNs),
            ...(t.expiresNs ? { expires: iso(t.expiresNs) } : {}),
            revoked: t.revokedNs !== undefined,
          })),
      }
    })
}

/** SHA-256 of a token's secret part, as stored (a token is 256 random bits: no slow hash is needed). */
export function tokenSecretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Creates an API token for a user; the token is returned once and stored only as a hash. */
export function createToken(
  paths: RepoPaths,
  user: string,
  options: { label?: string; expiresNs?: bigint } = {},
): { readonly id: string; readonly token: string; readonly expires?: string } {
  const id = randomBytes(6).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  return updateAccounts(paths, (doc) => {
    const account = existing(doc.users, user)
    if (account.disabledNs) throw new OpenCatError('OCAT_ERR_AUTH_REFUSED', `user ${user} is disabled`)
    const stored = {
      user,
      hash: tokenSecretHash(secret),
      createdNs: nowNs(),
      ...(options.label ? { label: options.label } : {}),
      ...(options.expiresNs !== undefined ? { expiresNs: options.expiresNs.toString() } : {}),
    }
    return {
      next: { ...doc, tokens: { ...doc.tokens, [id]: stored } },
      result: {
        id,
        token: `${TOKEN_PREFIX}${id}_${secret}`,
        ...(options.expiresNs !== undefined ? { expires: iso(options.expiresNs.toString()) } : {}),
      },
    }
  })
}

/** Revokes one of a user's tokens (by id), or all of them; returns the ids revoked now. */
export function revokeTokens(paths: RepoPaths, user: string, id: string | 'all'): string[] {
  return updateAccounts(paths, (doc) => {
    existing(doc.users, user)
    const ids = Object.entries(doc.tokens)
      .filter(([tid, t]) => t.user === user && (id === 'all' || tid === id) && t.revokedNs === undefined)
      .map(([tid]) => tid)
    if (id !== 'all' && !(Object.hasOwn(doc.tokens, id) && doc.tokens[id].user === user))
      throw new OpenCatError('OCAT_ERR_ACCOUNT_NOT_FOUND', `user ${user} has no token ${id}`)
    if (ids.length === 0) return { result: [] }
    const tokens = { ...doc.tokens }
    const at = nowNs()
    for (const tid of ids) tokens[tid] = { ...tokens[tid], revokedNs: at }
    return { next: { ...doc, tokens }, result: ids }
  })
}

/** The TOTP key of a base32 secret as stored. */
export function totpKeyOf(account: Account): Buffer | undefined {
  return account.totp ? fromBase32(account.totp) : undefined
}
