/**
 * Accounts through the command line: `opencat user` adds people (password + TOTP shown once) and machines,
 * grants roles, disables and resets; `user check` signs in as the portal will (TOTP window, a code good once,
 * lockout after five failures); `opencat token` creates tokens shown once and stored as hashes. The store
 * holds no secret in the clear but the TOTP key, and only the repository's owner manages it.
 */
import { chownSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromBase32 } from '../../src/access/base32.ts'
import { totpCode } from '../../src/access/totp.ts'
import { readAccessLog } from '../../src/store/access-log.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-accounts-'))
const dir = join(root, 'repo')
const storeFile = join(dir, 'accounts', 'accounts.json')

interface Made {
  user: string
  kind: string
  password?: string
  totpSecret?: string
  otpauthUri?: string
}

async function json<T>(
  args: string[],
  env: Record<string, string> = {},
): Promise<T & { exit: number | null }> {
  const r = await runCli([...args, '--json'], env)
  expect(r.stdout, r.stderr).not.toBe('')
  return { ...(JSON.parse(r.stdout) as T), exit: r.code }
}

/** A code for `offsetSteps` TOTP steps from now (the window accepts -1..+1). */
const code = (secret: string, offsetSteps = 0) =>
  totpCode(fromBase32(secret) as Buffer, Date.now() / 1000 + 30 * offsetSteps)

const check = (user: string, password: string, totp: string) =>
  json<{ user?: string; roles?: string[]; code?: string; refusal?: string }>(
    ['user', 'check', user, '--repo', dir, '--totp', totp],
    { OPENCAT_PASSWORD: password },
  )

beforeAll(async () => {
  const day = await simulatedDay({ orders: 50, seed: 5 })
  expect((await runCli(['init', '--repo', dir, '--reference', join(day, 'reference')])).code).toBe(0)
}, 120_000)

describe('opencat user', { timeout: 180_000 }, () => {
  let ana: Made

  it('adds a person: a generated password and a TOTP secret with its otpauth URI, shown once', async () => {
    ana = await json<Made>(['user', 'add', 'ana', '--repo', dir, '--role', 'regulator'])
    expect(ana.kind).toBe('person')
    expect(ana.password?.length).toBeGreaterThanOrEqual(16)
    expect(ana.totpSecret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(ana.otpauthUri as string)
    expect(uri.searchParams.get('secret')).toBe(ana.totpSecret)
    // The text form prints them too; a second add of the same name is refused.
    const again = await runCli(['user', 'add', 'ana', '--repo', dir])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/exists already/)
  })

  it('keeps an scrypt hash with its salt and parameters, never the password, in a file only its owner reads', () => {
    const text = readFileSync(storeFile, 'utf8')
    expect(text).not.toContain(ana.password)
    const stored = JSON.parse(text).users.ana
    expect(stored.password).toMatchObject({ alg: 'scrypt', N: 32768, r: 8, p: 1 })
    expect(Buffer.from(stored.password.salt, 'base64')).toHaveLength(16)
    expect(statSync(storeFile).mode & 0o777).toBe(0o600)
  })

  it('lists accounts without secrets', async () => {
    const r = await runCli(['user', 'list', '--repo', dir, '--json'])
    expect(r.code).toBe(0)
    const users = JSON.parse(r.stdout) as { user: string; roles: string[]; disabled: boolean }[]
    expect(users.map((u) => u.user)).toContain('ana')
    expect(users.find((u) => u.user === 'ana')?.roles).toEqual(['regulator'])
    expect(r.stdout).not.toContain(ana.totpSecret)
    expect(r.stdout).not.toContain('"hash"')
  })

  it('signs in with password and a current code; the same code is not good twice; a code of the next step is', async () => {
    const now = code(ana.totpSecret as string)
    const ok = await check('ana', ana.password as string, now)
    expect(ok.exit).toBe(0)
    expect(ok).toMatchObject({ user: 'ana', roles: ['regulator'], via: 'password' })
    const replay = await check('ana', ana.password as string, now)
    expect(replay.exit).toBe(1)
    expect(replay).toMatchObject({ code: 'OCAT_ERR_AUTH_REFUSED', refusal: 'totp-reused' })
    const next = await check('ana', ana.password as string, code(ana.totpSecret as string, 1))
    expect(next.exit).toBe(0)
    // Sign-ins are in the access log, refused ones with why.
    const log = readAccessLog(new RepoPaths(dir)).entries.filter((e) => e.action === 'sign-in')
    expect(log.map((e) => [e.user, e.status, e.reason])).toEqual([
      ['ana', 0, undefined],
      ['ana', 1, 'totp-reused'],
      ['ana', 0, undefined],
    ])
  })

  it('refuses an unknown user, a wrong password, a code two steps off', async () => {
    expect(await check('nobody', 'whatever-password', '000000')).toMatchObject({ refusal: 'unknown-user' })
    const bo = await json<Made>(['user', 'add', 'bo', '--repo', dir, '--role', 'regulator'])
    expect(await check('bo', 'not-the-password', code(bo.totpSecret as string))).toMatchObject({
      refusal: 'bad-password',
    })
    expect(await check('bo', bo.password as string, code(bo.totpSecret as string, 2))).toMatchObject({
      refusal: 'bad-totp',
    })
  })

  it('locks an account after five failed sign-ins, even against the right credentials; reset lifts it', async () => {
    const cy = await json<Made>(['user', 'add', 'cy', '--repo', dir, '--role', 'regulator'], {
      OPENCAT_PASSWORD: 'correct horse battery',
    })
    expect(cy.password).toBeUndefined()
    for (let i = 0; i < 5; i++)
      expect(await check('cy', 'wrong password!', code(cy.totpSecret as string))).toMatchObject({
        refusal: 'bad-password',
      })
    expect(await check('cy', 'correct horse battery', code(cy.totpSecret as string))).toMatchObject({
      code: 'OCAT_ERR_AUTH_REFUSED',
      refusal: 'locked',
    })
    const listed = JSON.parse((await runCli(['user', 'list', '--repo', dir, '--json'])).stdout) as {
      user: string
      locked: boolean
      failures: number
    }[]
    expect(listed.find((u) => u.user === 'cy')).toMatchObject({ locked: true, failures: 5 })
    const reset = await json<Made>(['user', 'reset', 'cy', '--repo', dir])
    expect(reset.totpSecret).not.toBe(cy.totpSecret)
    // The old TOTP key is gone with the reset: only the new one signs in.
    expect(await check('cy', reset.password as string, code(cy.totpSecret as string))).toMatchObject({
      refusal: 'bad-totp',
    })
    expect((await check('cy', reset.password as string, code(reset.totpSecret as string))).exit).toBe(0)
  })

  it('grants roles and scopes, refusing combinations that make no sense', async () => {
    const g = await runCli(['user', 'grant', 'bo', '--repo', dir, '--role', 'regulator', '--role', 'pii'])
    expect(g.code, g.stderr).toBe(0)
    const bo = (JSON.parse((await runCli(['user', 'list', '--repo', dir, '--json'])).stdout) as Made[]).find(
      (u) => u.user === 'bo',
    ) as unknown as { roles: string[] }
    expect(bo.roles).toEqual(['regulator', 'pii'])
    const bad = [
      ['--role', 'pii'],
      ['--role', 'reporter'],
      ['--role', 'regulator', '--imid', 'LARC'],
      ['--role', 'superuser'],
    ]
    for (const extra of bad) {
      const r = await runCli(['user', 'grant', 'bo', '--repo', dir, ...extra])
      expect(r.code, extra.join(' ')).toBe(2)
    }
    const rep = await runCli([
      'user',
      'add',
      'larc-desk',
      '--repo',
      dir,
      '--role',
      'reporter',
      '--imid',
      'LARC',
    ])
    expect(rep.code, rep.stderr).toBe(0)
  })

  it('disables an account: its sign-ins are refused from then on', async () => {
    const dee = await json<Made>(['user', 'add', 'dee', '--repo', dir, '--role', 'regulator'])
    expect((await runCli(['user', 'disable', 'dee', '--repo', dir])).code).toBe(0)
    expect(await check('dee', dee.password as string, code(dee.totpSecret as string))).toMatchObject({
      refusal: 'disabled',
    })
  })

  it('a machine account has no password or TOTP and cannot sign in with one', async () => {
    const m = await json<Made>(['user', 'add', 'loader', '--repo', dir, '--machine', '--role', 'regulator'])
    expect(m).toMatchObject({ user: 'loader', kind: 'machine' })
    expect(m.password).toBeUndefined()
    expect(m.totpSecret).toBeUndefined()
    expect(await check('loader', 'anything at all', '123456')).toMatchObject({ refusal: 'machine-account' })
  })
})

describe('opencat token', { timeout: 180_000 }, () => {
  it('creates a token shown once and stored as a hash, and revokes it by id', async () => {
    const t = await json<{ id: string; token: string }>([
      'token',
      'create',
      '--repo',
      dir,
      '--user',
      'loader',
      '--label',
      'nightly export',
    ])
    expect(t.token).toMatch(new RegExp(`^ocat_${t.id}_[A-Za-z0-9_-]{43}$`))
    const text = readFileSync(storeFile, 'utf8')
    expect(text).not.toContain(t.token.split('_').pop())
    expect(JSON.parse(text).tokens[t.id]).toMatchObject({ user: 'loader', label: 'nightly export' })
    const revoked = await json<{ revoked: string[] }>([
      'token',
      'revoke',
      '--repo',
      dir,
      '--user',
      'loader',
      '--id',
      t.id,
    ])
    expect(revoked.revoked).toEqual([t.id])
    const listed = JSON.parse((await runCli(['user', 'list', '--repo', dir, '--json'])).stdout) as {
      user: string
      tokens: { id: string; revoked: boolean }[]
    }[]
    expect(listed.find((u) => u.user === 'loader')?.tokens).toEqual([
      expect.objectContaining({ id: t.id, revoked: true }),
    ])
    const unknown = await runCli([
      'token',
      'revoke',
      '--repo',
      dir,
      '--user',
      'loader',
      '--id',
      'ffffffffffff',
    ])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no token/)
  })

  it('refuses a token for an unknown or disabled user', async () => {
    expect((await runCli(['token', 'create', '--repo', dir, '--user', 'nobody'])).code).toBe(1)
    const r = await runCli(['token', 'create', '--repo', dir, '--user', 'dee'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/disabled/)
  })
})

describe('only the owner of the repository folder manages accounts', { timeout: 180_000 }, () => {
  it.skipIf(process.getuid?.() !== 0)(
    'another owner (as root can arrange) makes user and token commands refuse',
    async () => {
      const owner = statSync(dir).uid
      chownSync(dir, 65534, 65534)
      try {
        for (const args of [
          ['user', 'add', 'eve', '--repo', dir, '--role', 'operator'],
          ['token', 'create', '--repo', dir, '--user', 'ana'],
        ]) {
          const r = await runCli([...args, '--json'])
          expect(r.code, args.join(' ')).toBe(1)
          expect(JSON.parse(r.stdout)).toMatchObject({ code: 'OCAT_ERR_AUTH_FORBIDDEN' })
        }
      } finally {
        chownSync(dir, owner, owner)
      }
      const users = JSON.parse((await runCli(['user', 'list', '--repo', dir, '--json'])).stdout) as Made[]
      expect(users.map((u) => u.user)).not.toContain('eve')
    },
  )
})

describe('the account store is signed with the key outside the repository', { timeout: 180_000 }, () => {
  it('refuses a store edited by hand (a role granted, a token planted) until the signed one is back', async () => {
    const signed = readFileSync(storeFile, 'utf8')
    const doc = JSON.parse(signed)
    doc.users.dee = { ...doc.users.dee, roles: ['regulator', 'pii', 'operator'] }
    delete doc.users.dee.disabledNs
    writeFileSync(storeFile, JSON.stringify(doc))
    for (const args of [
      ['user', 'list', '--repo', dir],
      ['user', 'check', 'ana', '--repo', dir, '--totp', '000000'],
    ]) {
      const r = await runCli([...args, '--json'], { OPENCAT_PASSWORD: 'whatever password' })
      expect(r.code, args.join(' ')).toBe(1)
      expect(JSON.parse(r.stdout)).toMatchObject({ code: 'OCAT_ERR_ACCOUNTS_TAMPERED' })
    }
    writeFileSync(storeFile, signed)
    expect((await runCli(['user', 'list', '--repo', dir])).code).toBe(0)
  })
})
