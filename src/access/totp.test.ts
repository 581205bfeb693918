import { describe, expect, it } from 'vitest'
import { fromBase32, toBase32 } from './base32.ts'
import { hotp, matchTotp, otpauthUri, totpCode } from './totp.ts'

// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890", codes have 8 digits.
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii')
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

describe('TOTP (RFC 6238, SHA-1, 30 s steps)', () => {
  for (const [t, code] of RFC_VECTORS)
    it(`gives the appendix B code ${code} at T = ${t}`, () => {
      expect(totpCode(RFC_KEY, t, 8)).toBe(code)
    })

  it('six-digit codes are the last six digits of the eight-digit ones', () => {
    for (const [t, code] of RFC_VECTORS) expect(totpCode(RFC_KEY, t)).toBe(code.slice(2))
  })

  it('accepts a code one step either side of now, and no further', () => {
    const now = 1234567890
    const step = BigInt(Math.floor(now / 30))
    for (const d of [-1, 0, 1])
      expect(matchTotp(RFC_KEY, hotp(RFC_KEY, step + BigInt(d)), now)).toBe(step + BigInt(d))
    for (const d of [-3, -2, 2, 3])
      expect(matchTotp(RFC_KEY, hotp(RFC_KEY, step + BigInt(d)), now)).toBeUndefined()
  })

  it('refuses codes that are not six digits', () => {
    const code = totpCode(RFC_KEY, 59)
    for (const bad of ['', `${code}0`, code.slice(1), 'abcdef', ` ${code.slice(1)}`])
      expect(matchTotp(RFC_KEY, bad, 59)).toBeUndefined()
  })

  it('round-trips keys through base32 and names them in an otpauth URI', () => {
    expect(toBase32(RFC_KEY)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    expect(fromBase32(toBase32(RFC_KEY))).toEqual(RFC_KEY)
    const uri = new URL(otpauthUri(RFC_KEY, 'ana'))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.searchParams.get('secret')).toBe(toBase32(RFC_KEY))
    expect(uri.searchParams.get('digits')).toBe('6')
    expect(uri.searchParams.get('period')).toBe('30')
  })
})
