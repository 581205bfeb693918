/**
 * Establishing who is asking: a person by password and TOTP code, a machine by API token. Both answer an
 * Identity or a typed refusal; the caller decides what to tell the user (the portal should say the same
 * for an unknown user as for a wrong password, and log the kind).
 */
import { timingSafeEqual } from 'node:crypto'
import type { RepoPaths } from '../store/paths.ts'
import { type Account, readAccounts, updateAccounts } from './account-store.ts'
import { TOKEN_PREFIX, tokenSecretHash, totpKeyOf } from './accounts.ts'
import { burnPasswordCheck, verifyPassword } from './password.ts'
import type { Identity } from './roles.ts'
import { matchTotp } from './totp.ts'

/** Why a sign-in or token was refused. */
export type Refusal =
  | 'unknown-user'
  | 'bad-password'
  | 'bad-totp'
  | 'totp-reused'
  | 'locked'
  | 'disabled'
  | 'machine-account'
  | 'malformed-token'
  | 'unknown-token'
  | 'revoked-token'
  | 'expired-token'

/** An identity, or why there is none. */
export type AuthResult =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly refusal: Refusal; readonly user?: string }

/** Sign-in policy. */
export interface SignInPolicy {
  /** Consecutive failures after which an account is locked. @default 5 */
  readonly maxFailures?: number
  /** How long a lockout lasts, in ms (`user reset` lifts it at once). @default 900000 (15 minutes) */
  readonly lockoutMs?: number
  /** The instant to check against, ms since the epoch. @default Date.now() */
  readonly nowMs?: number
}

/** Default number of failed sign-ins before a lockout. */
export const MAX_FAILURES = 5
/** Default lockout, ms. */
export const LOCKOUT_MS = 15 * 60_000

const identityOf = (user: string, a: Account, via: Identity['via']): Identity => ({
  user,
  roles: a.roles,
  scopes: a.scopes,
  via,
})

/**
 * Signs a person in with password and TOTP code. Every failure counts toward a lockout; a success resets
 * the count and uses up its TOTP step (the same code is not good twice).
 */
export function authenticate(
  repo: { readonly paths: RepoPaths },
  credentials: { readonly user: string; readonly password: string; readonly totp: string },
  policy: SignInPolicy = {},
): AuthResult {
  const nowMs = policy.nowMs ?? Date.now()
  const nowNs = BigInt(nowMs) * 1_000_000n
  const { user } = credentials
  return updateAccounts(repo.paths, (doc) => {
    const account = Object.hasOwn(doc.users, user) ? doc.users[user] : undefined
    if (!account) {
      burnPasswordCheck(credentials.password)
      return { result: { ok: false, refusal: 'unknown-user', user } as AuthResult }
    }
    const refuse = (refusal: Refusal, counted: boolean): { next?: typeof doc; result: AuthResult } => {
      if (!counted) return { result: { ok: false, refusal, user } }
      const failures = account.failures + 1
      const lock = failures >= (policy.maxFailures ?? MAX_FAILURES)
      const next: Account = {
        ...account,
        failures,
        ...(lock
          ? { lockedUntilNs: (nowNs + BigInt(policy.lockoutMs ?? LOCKOUT_MS) * 1_000_000n).toString() }
          : {}),
      }
      return { next: { ...doc, users: { ...doc.users, [user]: next } }, result: { ok: false, refusal, user } }
    }
    if (account.disabledNs) return refuse('disabled', false)
    if (account.lockedUntilNs && BigInt(account.lockedUntilNs) > nowNs) return refuse('locked', false)
    if (account.kind !== 'person' || !account.password) return refuse('machine-account', false)
    if (!verifyPassword(credentials.password, account.password)) return refuse('bad-password', true)
    const key = totpKeyOf(account)
    const step = key ? matchTotp(key, credentials.totp.trim(), nowMs / 1000) : undefined
    if (step === undefined) return refuse('bad-totp', true)
    if (account.totpStep !== undefined && step <= BigInt(account.totpStep)) return refuse('totp-reused', true)
    const { lockedUntilNs: _l, ...rest } = account
    const next: Account = { ...rest, failures: 0, totpStep: step.toString(), lastSignInNs: nowNs.toString() }
    return {
      next: { ...doc, users: { ...doc.users, [user]: next } },
      result: { ok: true, identity: identityOf(user, next, 'password') },
    }
  })
}

/** Checks an API token: known, not revoked, not expired, and its user neither disabled nor unknown. */
export function authenticateToken(
  repo: { readonly paths: RepoPaths },
  token: string,
  policy: Pick<SignInPolicy, 'nowMs'> = {},
): AuthResult {
  const m = /^ocat_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token.trim())
  if (!token.startsWith(TOKEN_PREFIX) || !m) return { ok: false, refusal: 'malformed-token' }
  const [, id, secret] = m
  const doc = readAccounts(repo.paths)
  const stored = Object.hasOwn(doc.tokens, id) ? doc.tokens[id] : undefined
  if (!stored) return { ok: false, refusal: 'unknown-token' }
  const given = Buffer.from(tokenSecretHash(secret), 'hex')
  const expected = Buffer.from(stored.hash, 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, refusal: 'unknown-token' }
  const user = stored.user
  if (stored.revokedNs !== undefined) return { ok: false, refusal: 'revoked-token', user }
  const nowNs = BigInt(policy.nowMs ?? Date.now()) * 1_000_000n
  if (stored.expiresNs !== undefined && BigInt(stored.expiresNs) <= nowNs)
    return { ok: false, refusal: 'expired-token', user }
  const account = Object.hasOwn(doc.users, user) ? doc.users[user] : undefined
  if (!account) return { ok: false, refusal: 'unknown-user', user }
  if (account.disabledNs) return { ok: false, refusal: 'disabled', user }
  return { ok: true, identity: identityOf(user, account, 'token') }
}
