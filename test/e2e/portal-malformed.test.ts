/**
 * Malformed requests to every route of the portal on a simulated day: unknown, missing and hostile
 * parameters (path tricks, NUL, very long, SQL text) in every parameter, a huge JSON body, JSON that does
 * not parse, the wrong content type, wrongly typed fields, and SQL that writes or reads PII or files
 * outside the store. Each gets a 4xx naming an OpenCAT code and a reason (or, where the value is merely
 * unusual, an answer that leaks nothing); the server keeps answering and no lock is left behind.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import type { Route } from '../../src/server/route.ts'
import { ROUTES } from '../../src/server/routes/index.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { type Answer, PortalClient, tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
let repoDir: string
let portal: Portal
let clients: { regulator: PortalClient; operator: PortalClient; reporter: PortalClient }
/** A valid value of every required parameter, so that one malformed value at a time reaches the handler. */
let valid: Record<string, string>

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, customers: 20 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'), undefined, { piiVault: true })
  const at = isoOrCatToNs(`${DATE}T20:00:00`)
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: at })
  await linkDate(repo, 20260302, { nowNs: at })
  const top = await repo.db.one<{ venue: string; symbol: string; ns: string }>(
    `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
     WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 1`,
  )
  const own = await repo.db.one<{ submitter: string; reporter: string; name: string }>(
    `SELECT CAST(submitter_id AS VARCHAR) AS submitter, reporter, name FROM files
     WHERE role = 'data' AND kind = 'OrderEvents' ORDER BY name LIMIT 1`,
  )
  repo.close()
  const feedback = readdirSync(join(repoDir, 'feedback', own!.submitter, 'feedback')).sort()[0]
  valid = {
    date: DATE,
    q: top!.symbol,
    symbol: top!.symbol,
    venue: top!.venue,
    at: top!.ns,
    reporter: own!.reporter,
    submitter: own!.submitter,
    name: feedback,
    file: own!.name,
    format: 'csv',
    alert: 'A20260302-000000000000',
  }
  portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, perMinute: 100_000 })
  clients = {
    regulator: await tokenClient(portal, repoDir, 'reg', ['regulator', 'pii']),
    operator: await tokenClient(portal, repoDir, 'op', ['operator']),
    reporter: new PortalClient(portal.url, portal.certificate?.cert).withToken(
      await reporterToken(own!.reporter, own!.submitter),
    ),
  }
}, 240_000)

async function reporterToken(imid: string, submitter: string): Promise<string> {
  const added = await runCli([
    'user',
    'add',
    'firm',
    '--repo',
    repoDir,
    '--machine',
    '--role',
    'reporter',
    '--imid',
    imid,
    '--submitter',
    submitter,
  ])
  expect(added.code, added.stderr).toBe(0)
  const t = await runCli(['token', 'create', '--repo', repoDir, '--user', 'firm', '--json'])
  return (JSON.parse(t.stdout) as { token: string }).token
}

afterAll(async () => {
  await portal?.close()
})

/** Who may call a route (so a malformed request reaches its validation, not the role check). */
function clientFor(route: Route): PortalClient {
  if (route.access.kind !== 'action') return clients.regulator
  if (route.access.action === 'submit') return clients.reporter
  if (route.access.action === 'users.manage') return clients.operator
  return clients.regulator
}

/** Time-like parameters of the market routes read as times of day, the customer routes' as dates. */
function validOf(route: Route, param: string): string {
  if (param === 'from' || param === 'to')
    return ['/api/customer', '/api/bluesheet'].includes(route.path) ? DATE : '10:00:00'
  return valid[param] ?? '1'
}

function properties(schema: unknown): { names: string[]; required: string[] } {
  const s = (schema ?? {}) as { properties?: Record<string, unknown>; required?: string[] }
  return { names: Object.keys(s.properties ?? {}), required: s.required ?? [] }
}

function queryOf(route: Route, override: Record<string, string>): string {
  const { required } = properties(route.querystring)
  const q = new URLSearchParams()
  for (const p of required) q.set(p, validOf(route, p))
  for (const [k, v] of Object.entries(override)) q.set(k, v)
  const text = q.toString()
  return text ? `?${text}` : ''
}

const TRICKS = [
  '../../../../../../etc/passwd',
  '/etc/passwd',
  '..\\..\\accounts\\accounts.json',
  'vault/../accounts/accounts.json',
  'a\u0000b',
  'x'.repeat(4000),
  "' OR 1=1; DROP TABLE files; --",
  '%',
]
/** Parameters that name files: a trick there must be refused, not merely answered empty. */
const PATH_LIKE = new Set(['name', 'file'])

/** A 4xx answer with an OpenCAT code and a reason, or (where allowed) an answer that leaks nothing. */
function expectClear(res: Answer, what: string, mustRefuse: boolean): void {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500)
  if (res.status >= 400) {
    const body = res.json<{ code?: string; message?: string }>()
    expect(body.code, what).toMatch(/^OCAT_ERR_/)
    expect(body.message, what).toBeTruthy()
  } else {
    expect(mustRefuse, `${what} was answered ${res.status}`).toBe(false)
    expect(res.text, what).not.toMatch(/root:x:0:0|"password":\s*\{|totpStep/)
  }
}

function send(route: Route, path: string, init: { body?: string | Buffer; type?: string } = {}) {
  const client = clientFor(route)
  return client.request(path, {
    method: route.method,
    headers: init.type ? { 'content-type': init.type } : {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  })
}

const api = () => ROUTES.filter((r) => r.path !== '/api/session')

describe('malformed requests to every route', () => {
  it('an unknown parameter, and each required one missing, is a 400 naming it', async () => {
    for (const route of api()) {
      if (!route.querystring) continue
      const unknown = await send(route, `${route.path}${queryOf(route, { zzz: '1' })}`)
      expect(unknown.status, `${route.method} ${route.path}`).toBe(400)
      expect(unknown.json().message).toContain('zzz')
      for (const p of properties(route.querystring).required) {
        const q = new URLSearchParams(queryOf(route, {}).slice(1))
        q.delete(p)
        const res = await send(route, `${route.path}?${q}`)
        // A reporter's submitter is what its access is checked on: without it, the scope check refuses first.
        const status = p === 'submitter' && clientFor(route) === clients.reporter ? 403 : 400
        expect(res.status, `${route.path} without ${p}`).toBe(status)
        if (status === 400) expect(res.json().message, `${route.path} without ${p}`).toContain(p)
      }
    }
  }, 300_000)

  it('path tricks, NUL, long and SQL-like text in every parameter get a clear 4xx or a harmless answer', async () => {
    for (const route of api()) {
      for (const p of properties(route.querystring).names) {
        for (const trick of TRICKS) {
          const res = await send(route, `${route.path}${queryOf(route, { [p]: trick })}`)
          expectClear(
            res,
            `${route.method} ${route.path} ${p}=${JSON.stringify(trick.slice(0, 40))}`,
            PATH_LIKE.has(p),
          )
        }
      }
    }
  }, 600_000)

  it('a huge JSON body is a 413, broken JSON or the wrong type a 400, to every route that takes a body', async () => {
    const huge = JSON.stringify({ sql: `SELECT '${'x'.repeat(300 * 1024)}'` })
    for (const route of ROUTES.filter((r) => r.method !== 'GET')) {
      const path = `${route.path}${queryOf(route, {})}`
      const what = `${route.method} ${route.path}`
      const big = await send(route, path, { body: huge, type: 'application/json' })
      // A route that takes no body (sign-out) may ignore one; the others must refuse it.
      const takesBody = route.body !== undefined || route.upload === true
      expectClear(big, `${what} huge`, takesBody)
      if (route.body) expect(big.status, `${what} huge`).toBe(413)
      expectClear(
        await send(route, path, { body: '{"sql": ', type: 'application/json' }),
        `${what} broken`,
        takesBody,
      )
      expectClear(await send(route, path, { body: 'sql=1', type: 'text/plain' }), `${what} text`, takesBody)
      if (route.body)
        for (const field of properties(route.body).names) {
          const res = await send(route, path, {
            body: JSON.stringify({ [field]: { nested: [1] } }),
            type: 'application/json',
          })
          expect(res.status, `${what} ${field} as an object`).toBe(400)
        }
    }
  }, 120_000)

  it('SQL that writes, changes settings, or reads PII, accounts or files outside the store is refused', async () => {
    const statements = [
      'DELETE FROM files',
      'CREATE TABLE t AS SELECT 1',
      "COPY (SELECT 1) TO '/tmp/opencat-written.csv'",
      `ATTACH '${join(repoDir, 'catalog.duckdb')}' AS c`,
      'SET enable_external_access = true',
      'SELECT 1; SELECT 2',
      `SELECT * FROM read_text('${join(repoDir, 'accounts', 'accounts.json')}')`,
      `SELECT * FROM read_blob('${join(repoDir, 'vault')}/*')`,
      `SELECT * FROM read_json_auto('${join(repoDir, 'inbox')}/*.json')`,
      "SELECT * FROM read_csv('/etc/passwd')",
      `SELECT * FROM read_parquet('${join(repoDir, 'store', 'events')}/../../vault/*')`,
      'INSTALL httpfs',
      'PRAGMA database_list',
    ]
    for (const sql of statements)
      for (const [path, extra] of [
        ['/api/sql', {}],
        ['/api/extract', { format: 'csv' }],
      ] as const) {
        const res = await clients.regulator.send('POST', path, { sql, ...extra })
        expect(res.status, `${path} ${sql}: ${res.text}`).toBe(400)
        expect(res.json().code, `${path} ${sql}`).toMatch(/^OCAT_ERR_SQL_(REFUSED|FAILED)$/)
        expect(res.text).not.toMatch(/root:x:0:0|"password":\s*\{/)
      }
    expect(existsSync('/tmp/opencat-written.csv')).toBe(false)
  }, 120_000)

  it('the server still answers, no lock is left behind, and the access log holds', async () => {
    expect((await clients.regulator.get('/api/health')).status).toBe(200)
    expect((await clients.regulator.get('/api/summary')).status).toBe(200)
    for (const lock of [
      'opencat.lock',
      'log/access.lock',
      'accounts/accounts.lock',
      'accounts/sessions.lock',
      'store/surveil/extraction/alerts.lock',
    ])
      expect(existsSync(join(repoDir, lock)), lock).toBe(false)
    const audit = await runCli(['audit', 'verify', '--repo', repoDir, '--json'])
    expect(audit.code, audit.stdout + audit.stderr).toBe(0)
  }, 60_000)
})
