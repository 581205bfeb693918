/**
 * Password hashing with scrypt (node:crypto): a random salt per user, and the cost parameters stored with
 * the hash so that they can be raised later without invalidating existing passwords.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'

/** A stored password hash and the parameters it was made with. */
export interface PasswordHash {
  readonly alg: 'scrypt'
  /** CPU/memory cost (a power of two). */
  readonly N: number
  readonly r: number
  readonly p: number
  readonly keyLen: number
  /** base64 */
  readonly salt: string
  /** base64 */
  readonly hash: string
}

/** scrypt cost for new hashes: N = 2^15, r = 8 (32 MiB, tens of ms), p = 1. */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const

function derive(password: string, salt: Buffer, c: { N: number; r: number; p: number; keyLen: number }) {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is just below that for N = 2^15, r = 8.
  return scryptSync(password.normalize('NFKC'), salt, c.keyLen, {
    N: c.N,
    r: c.r,
    p: c.p,
    maxmem: 256 * c.N * c.r,
  })
}

/** Hashes a password with a new random salt. */
export function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16)
  const hash = derive(password, salt, SCRYPT_COST)
  return { alg: 'scrypt', ...SCRYPT_COST, salt: salt.toString('base64'), hash: hash.toString('base64') }
}

/** Whether a password matches a stored hash (constant-time comparison of the derived keys). */
export function verifyPassword(password: string, stored: PasswordHash): boolean {
  const expected = Buffer.from(stored.hash, 'base64')
  const actual = derive(password, Buffer.from(stored.salt, 'base64'), stored)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Spends the time a password check takes, so that an unknown user name answers no faster than a known one. */
export function burnPasswordCheck(password: string): void {
  derive(password, Buffer.alloc(16), SCRYPT_COST)
}
