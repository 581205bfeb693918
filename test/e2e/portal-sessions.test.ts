/**
 * Portal sessions outlive a restart of the server on the same repository: the cookie and its CSRF token
 * still work, sign-out and expiry still end them, and the session file holds no session id or CSRF token.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { addPerson, type PersonCredentials, PortalClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

let repoDir: string
let portal: Portal | undefined
let person: PersonCredentials

const SESSIONS = { idleMs: 60_000, maxMs: 4_000 }

async function start(): Promise<PortalClient> {
  await portal?.close()
  portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, sessions: SESSIONS })
  return new PortalClient(portal.url, portal.certificate?.cert)
}

/** The same cookie and CSRF token, sent to the portal now running. */
function carried(from: PortalClient, to: PortalClient): PortalClient {
  to.cookie = from.cookie
  to.csrf = from.csrf
  return to
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 120, customers: 20 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: isoOrCatToNs('2026-03-02T20:00:00') })
  repo.close()
  person = await addPerson(repoDir, 'analyst', ['regulator'])
}, 180_000)

afterAll(async () => {
  await portal?.close()
})

describe('sessions across a restart', () => {
  it('a signed-in cookie works after a restart; the file keeps only hashes, privately', async () => {
    const before = await start()
    expect((await before.signIn(person)).status).toBe(200)
    const summary = await before.get('/api/summary')
    expect(summary.status, summary.text).toBe(200)

    const after = carried(before, await start())
    const again = await after.get('/api/summary')
    expect(again.status, again.text).toBe(200)
    expect(again.json()).toEqual(summary.json())
    const who = await after.get('/api/session')
    expect(who.json()).toMatchObject({ user: 'analyst', csrfToken: before.csrf })
    // A state-changing request still needs, and still takes, the CSRF token.
    const sql = await after.send('POST', '/api/sql', { sql: 'SELECT count(*) AS n FROM events' })
    expect(sql.status, sql.text).toBe(200)
    const forged = await after.send('POST', '/api/sql', { sql: 'SELECT 1' }, { 'x-csrf-token': 'x' })
    expect(forged.json().code).toBe('OCAT_ERR_CSRF')

    const file = join(repoDir, 'accounts', 'sessions.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    const id = decodeURIComponent(before.cookie!.split('=')[1])
    expect(text).not.toContain(id)
    expect(text).not.toContain(before.csrf!)
    expect(Object.values(JSON.parse(text).sessions)).toContainEqual(
      expect.objectContaining({ user: 'analyst' }),
    )

    // Signing out ends it for good, restart or not.
    expect((await after.send('DELETE', '/api/session')).json()).toEqual({ signedOut: true })
    const restarted = carried(before, await start())
    expect((await restarted.get('/api/summary')).status).toBe(401)
  }, 60_000)

  it('after its expiry a session does not come back with a restart', async () => {
    // A person of its own: a TOTP code is good for one sign-in only.
    const brief = await addPerson(repoDir, 'brief', ['regulator'])
    const before = await start()
    expect((await before.signIn(brief)).status).toBe(200)
    await new Promise((r) => setTimeout(r, SESSIONS.maxMs + 200))
    const after = carried(before, await start())
    const res = await after.get('/api/summary')
    expect(res.status).toBe(401)
    expect(res.json().code).toBe('OCAT_ERR_AUTH_REQUIRED')
  }, 60_000)

  it('a disabled account loses its sessions at the restart', async () => {
    const leaver = await addPerson(repoDir, 'leaver', ['regulator'])
    const before = await start()
    expect((await before.signIn(leaver)).status).toBe(200)
    const off = await runCli(['user', 'disable', 'leaver', '--repo', repoDir])
    expect(off.code, off.stderr).toBe(0)
    const after = carried(before, await start())
    expect((await after.get('/api/summary')).status).toBe(401)
  }, 60_000)
})
