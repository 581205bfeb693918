/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 30-second steps, 6 digits —
 * what common authenticator apps produce from an otpauth:// URI.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { toBase32 } from './base32.ts'

/** Seconds per TOTP step (RFC 6238 §4.1 default X). */
export const TOTP_PERIOD_S = 30
/** Digits of a code. */
export const TOTP_DIGITS = 6
/** Steps either side of now a code is accepted for, for clocks that drift (RFC 6238 §5.2 suggests one). */
export const TOTP_WINDOW = 1

/** The HOTP value of a counter (RFC 4226 §5.3: dynamic truncation of HMAC-SHA-1). */
export function hotp(key: Uint8Array, counter: bigint, digits = TOTP_DIGITS): string {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(counter)
  const mac = createHmac('sha1', key).update(msg).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The TOTP step an instant (Unix seconds) falls in. */
export function totpStep(unixSeconds: number): bigint {
  return BigInt(Math.floor(unixSeconds / TOTP_PERIOD_S))
}

/** The code for an instant (Unix seconds). */
export function totpCode(key: Uint8Array, unixSeconds: number, digits = TOTP_DIGITS): string {
  return hotp(key, totpStep(unixSeconds), digits)
}

/**
 * The step a code matches within ±TOTP_WINDOW steps of now, or undefined. Every candidate is compared
 * (in constant time), so how long this takes does not tell which step matched.
 */
export function matchTotp(key: Uint8Array, code: string, unixSeconds: number): bigint | undefined {
  if (!/^[0-9]+$/.test(code) || code.length !== TOTP_DIGITS) return undefined
  const given = Buffer.from(code)
  const now = totpStep(unixSeconds)
  let matched: bigint | undefined
  for (let d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
    if (timingSafeEqual(Buffer.from(hotp(key, now + BigInt(d))), given)) matched ??= now + BigInt(d)
  }
  return matched
}

/** A new random TOTP key (160 bits, the HMAC-SHA-1 output size RFC 4226 §4 recommends). */
export function newTotpKey(): Buffer {
  return randomBytes(20)
}

/** The otpauth:// URI authenticator apps take (issuer OpenCAT, the account named). */
export function otpauthUri(key: Uint8Array, account: string, issuer = 'OpenCAT'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  const q = new URLSearchParams({
    secret: toBase32(key),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_S),
  })
  return `otpauth://totp/${label}?${q}`
}
