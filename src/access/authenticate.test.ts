import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultKeyDir, ensureSigningKey } from '../store/key-ring.ts'
import { RepoPaths } from '../store/paths.ts'
import { addUser, createToken, disableUser, type NewCredentials } from './accounts.ts'
import { authenticate, authenticateToken, LOCKOUT_MS, MAX_FAILURES } from './authenticate.ts'
import { fromBase32 } from './base32.ts'
import { totpCode } from './totp.ts'

const repo = { paths: new RepoPaths(mkdtempSync(join(tmpdir(), 'opencat-auth-'))) }
// The account store is signed with the repository's signing key, in the key folder beside it.
ensureSigningKey(defaultKeyDir(repo.paths.root))
const T0 = Date.parse('2026-03-02T15:00:00Z')
const codeAt = (c: NewCredentials, ms: number) => totpCode(fromBase32(c.totpSecret) as Buffer, ms / 1000)

describe('authenticate', () => {
  const ana = addUser(repo.paths, 'ana', {
    kind: 'person',
    roles: ['regulator'],
    password: 'a long enough password',
  }) as NewCredentials

  it('a lockout lasts LOCKOUT_MS and then the right credentials work again', () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      const r = authenticate(
        repo,
        { user: 'ana', password: 'wrong', totp: codeAt(ana, T0) },
        { nowMs: T0 + i },
      )
      expect(r).toMatchObject({ ok: false, refusal: 'bad-password' })
    }
    const during = T0 + LOCKOUT_MS - 1000
    expect(
      authenticate(
        repo,
        { user: 'ana', password: 'a long enough password', totp: codeAt(ana, during) },
        { nowMs: during },
      ),
    ).toMatchObject({ ok: false, refusal: 'locked' })
    const after = T0 + LOCKOUT_MS + 60_000
    const r = authenticate(
      repo,
      { user: 'ana', password: 'a long enough password', totp: codeAt(ana, after) },
      { nowMs: after },
    )
    expect(r).toMatchObject({ ok: true, identity: { user: 'ana', roles: ['regulator'], via: 'password' } })
  })

  it('wrong TOTP codes count toward the lockout as wrong passwords do', () => {
    const bo = addUser(repo.paths, 'bo', { kind: 'person', roles: ['regulator'] }) as NewCredentials
    const at = T0 + 10 * 60_000
    for (let i = 0; i < MAX_FAILURES; i++)
      expect(
        authenticate(
          repo,
          { user: 'bo', password: bo.password as string, totp: codeAt(bo, at + 120_000) },
          { nowMs: at },
        ),
      ).toMatchObject({ ok: false, refusal: 'bad-totp' })
    expect(
      authenticate(
        repo,
        { user: 'bo', password: bo.password as string, totp: codeAt(bo, at) },
        { nowMs: at },
      ),
    ).toMatchObject({ ok: false, refusal: 'locked' })
  })
})

describe('authenticateToken', () => {
  it('accepts a token until its expiry, refuses it from then on and once its user is disabled', () => {
    addUser(repo.paths, 'loader', { kind: 'machine', roles: ['regulator'] })
    const t = createToken(repo.paths, 'loader', { expiresNs: BigInt(T0) * 1_000_000n })
    expect(authenticateToken(repo, t.token, { nowMs: T0 - 1 })).toMatchObject({
      ok: true,
      identity: { user: 'loader', via: 'token' },
    })
    expect(authenticateToken(repo, t.token, { nowMs: T0 })).toMatchObject({
      ok: false,
      refusal: 'expired-token',
    })
    const u = createToken(repo.paths, 'loader')
    expect(authenticateToken(repo, u.token).ok).toBe(true)
    disableUser(repo.paths, 'loader')
    expect(authenticateToken(repo, u.token)).toMatchObject({ ok: false, refusal: 'disabled' })
    expect(authenticateToken(repo, 'not a token')).toMatchObject({ ok: false, refusal: 'malformed-token' })
  })
})
