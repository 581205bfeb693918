/**
 * The portal's security through the real server (`opencat serve`, HTTPS) on a simulated, linked day:
 * every route for every role (allowed and refused; anonymous refused everywhere but the open routes), the
 * OpenAPI document kept true by calling every route it describes and checking each answer against it,
 * TLS version and certificate fingerprint, the Host check, CSRF, cookie flags, security headers, lockout
 * after failed sign-ins, rate limits, and malformed requests answered with a clear 4xx.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Ajv } from 'ajv'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import { surveilAndStore } from '../../src/surveil/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import {
  type Answer,
  addMachineToken,
  addPerson,
  PortalClient as Client,
  codeOf,
  type PersonCredentials,
  type PortalClient,
  type ServedPortal,
  servePortal,
  signedInPage,
} from '../support/portal.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
const CHROMIUM = '/usr/bin/chromium'
let repoDir: string
let served: ServedPortal
let anon: PortalClient
/** Signed-in clients by role. */
const as: Record<'reporter' | 'regulator' | 'pii' | 'operator', PortalClient> = {} as never
let people: Record<string, PersonCredentials>
/** Real keys of the day: an event of the reporter in scope, a customer account, a busy venue and instant. */
let day: {
  own: string
  other: string
  /** The own reporter's submitter, another submitter, and a feedback file of the own one. */
  ownSubmitter: string
  otherSubmitter: string
  feedbackFile: string
  /** A data file the own submitter sent (its path), to upload again: the same bytes are a retry. */
  ownFile: string
  firmROEID: string
  imid: string
  fdid: string
  venue: string
  symbol: string
  at: string
  /** An alert of the day's surveillance run. */
  alert: string
}

interface TruthLifecycle {
  events: { reporter: string; firmROEID: string }[]
}
interface Person {
  accounts: { imid: string; fdid: string }[]
}

beforeAll(async () => {
  // Planted wash trades give the alerts routes an alert to show.
  const sim = await simulatedDay({ orders: 300, customers: 60, abuse: ['wash'] })
  repoDir = join(sim, '..', 'repo')
  const repo = await initRepository(repoDir, join(sim, 'reference'), undefined, { piiVault: true })
  const at = isoOrCatToNs(`${DATE}T20:00:00`)
  await submitFiles(repo, [join(sim, 'submissions')], { nowNs: at })
  await linkDate(repo, 20260302, { nowNs: at })
  const alert = (await surveilAndStore(repo, 20260302)).alerts[0]
  const top = await repo.db.one<{ venue: string; symbol: string; ns: string }>(
    `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
     WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 1`,
  )
  const reporters = await repo.db.all<{ reporter: string }>(
    `SELECT DISTINCT reporter FROM files WHERE role = 'data' AND kind = 'OrderEvents' ORDER BY reporter`,
  )
  const lc = truth<TruthLifecycle>(sim, 'lifecycles.ndjson').find((l) => l.events.length > 1)!
  const own = lc.events[0].reporter
  const submitters = await repo.db.all<{ submitter: string; own: boolean }>(
    `SELECT DISTINCT CAST(submitter_id AS VARCHAR) AS submitter, bool_or(reporter = ?) AS own FROM files
     WHERE submitter_id IS NOT NULL GROUP BY ALL ORDER BY own DESC, submitter`,
    [own],
  )
  repo.close()
  const account = truth<Person>(sim, 'customers.ndjson').find((p) => p.accounts.length > 0)!.accounts[0]
  day = {
    own,
    other: reporters.map((r) => r.reporter).find((r) => r !== own)!,
    ownSubmitter: submitters[0].submitter,
    otherSubmitter: submitters.find((s) => !s.own)!.submitter,
    feedbackFile: readdirSync(join(repoDir, 'feedback', submitters[0].submitter, 'feedback')).sort()[0],
    ownFile: join(
      sim,
      'submissions',
      submitters[0].submitter,
      readdirSync(join(sim, 'submissions', submitters[0].submitter))
        .filter((f) => /_OrderEvents_\d+\.json\.bz2$/.test(f))
        .sort()[0],
    ),
    firmROEID: lc.events[0].firmROEID,
    imid: account.imid,
    fdid: account.fdid,
    venue: top!.venue,
    symbol: top!.symbol,
    at: top!.ns,
    alert: alert?.id ?? 'none',
  }
  people = {
    reporter: await addPerson(repoDir, 'rep', ['reporter'], [own], [day.ownSubmitter]),
    regulator: await addPerson(repoDir, 'reg', ['regulator']),
    pii: await addPerson(repoDir, 'regpii', ['regulator', 'pii']),
    operator: await addPerson(repoDir, 'op', ['operator']),
    leaver: await addPerson(repoDir, 'leaver', ['regulator']),
    locky: await addPerson(repoDir, 'locky', ['regulator']),
  }
  served = await servePortal(repoDir)
  anon = served.client
  for (const role of ['reporter', 'regulator', 'pii', 'operator'] as const)
    as[role] = await anon.signedIn(people[role])
}, 240_000)

afterAll(async () => {
  await served?.stop()
})

/** One request of the matrix. */
interface Probe {
  readonly name: string
  readonly method: 'GET' | 'POST'
  readonly path: () => string
  readonly body?: unknown
  /** The body is the own data file, uploaded again. */
  readonly upload?: true
}

const PROBES: Probe[] = [
  { name: 'health', method: 'GET', path: () => '/api/health' },
  { name: 'openapi', method: 'GET', path: () => '/openapi.json' },
  { name: 'page', method: 'GET', path: () => '/' },
  { name: 'index', method: 'GET', path: () => '/api' },
  { name: 'whoami', method: 'GET', path: () => '/api/session' },
  { name: 'summary', method: 'GET', path: () => '/api/summary' },
  {
    name: 'lifecycle',
    method: 'GET',
    path: () => `/api/lifecycle?reporter=${day.own}&firmROEID=${day.firmROEID}`,
  },
  {
    name: 'lifecycle-graph',
    method: 'GET',
    path: () => `/api/lifecycle/graph?reporter=${day.own}&firmROEID=${day.firmROEID}`,
  },
  { name: 'search', method: 'GET', path: () => `/api/search?q=${day.firmROEID}&date=${DATE}` },
  { name: 'browse', method: 'GET', path: () => `/api/browse?date=${DATE}&symbol=${day.symbol}&limit=5` },
  {
    name: 'customer',
    method: 'GET',
    path: () => `/api/customer?reporter=${day.imid}&fdid=${day.fdid}&from=${DATE}&to=${DATE}`,
  },
  {
    name: 'customer-pii',
    method: 'GET',
    path: () =>
      `/api/customer?reporter=${day.imid}&fdid=${day.fdid}&from=${DATE}&to=${DATE}&reveal=1&reason=case+42`,
  },
  { name: 'report-card-own', method: 'GET', path: () => `/api/report-card?reporter=${day.own}&date=${DATE}` },
  {
    name: 'report-card-other',
    method: 'GET',
    path: () => `/api/report-card?reporter=${day.other}&date=${DATE}`,
  },
  {
    name: 'book',
    method: 'GET',
    path: () => `/api/book?venue=${day.venue}&symbol=${day.symbol}&at=${day.at}&depth=3`,
  },
  { name: 'nbbo', method: 'GET', path: () => `/api/nbbo?symbol=${day.symbol}&at=${day.at}` },
  { name: 'depth', method: 'GET', path: () => `/api/depth?symbol=${day.symbol}&at=${day.at}&depth=3` },
  {
    name: 'market',
    method: 'GET',
    path: () => `/api/market?symbol=${day.symbol}&date=${DATE}&from=10:00:00&to=10:05:00`,
  },
  {
    name: 'replay',
    method: 'GET',
    path: () => `/api/replay?symbol=${day.symbol}&date=${DATE}&from=10:00:00&to=10:05:00&limit=20`,
  },
  {
    name: 'bluesheet',
    method: 'GET',
    path: () => `/api/bluesheet?symbol=${day.symbol}&from=${DATE}&to=${DATE}`,
  },
  { name: 'dashboard', method: 'GET', path: () => `/api/dashboard?date=${DATE}` },
  { name: 'sql', method: 'POST', path: () => '/api/sql', body: { sql: 'SELECT count(*) AS n FROM events' } },
  {
    name: 'extract-day',
    method: 'GET',
    path: () => `/api/extract?date=${DATE}&format=csv&symbol=${day.symbol}`,
  },
  {
    name: 'extract-query',
    method: 'POST',
    path: () => '/api/extract',
    body: { sql: 'SELECT count(*) AS n FROM events', format: 'parquet' },
  },
  { name: 'users', method: 'GET', path: () => '/api/users' },
  { name: 'alerts', method: 'GET', path: () => `/api/alerts?date=${DATE}` },
  {
    name: 'alert-evidence',
    method: 'GET',
    path: () => `/api/alerts/evidence?date=${DATE}&alert=${day.alert}`,
  },
  {
    name: 'alert-status',
    method: 'GET',
    path: () => `/api/alerts/status?date=${DATE}&alert=${day.alert}`,
  },
  {
    name: 'alert-status-change',
    method: 'POST',
    path: () => '/api/alerts/status',
    // Keeping the status is a change too (a note): every allowed role's probe succeeds, in any order.
    body: { date: DATE, alert: '', status: 'open', note: 'role matrix probe' },
  },
  { name: 'feedback-own', method: 'GET', path: () => `/api/feedback?submitter=${day.ownSubmitter}` },
  { name: 'feedback-other', method: 'GET', path: () => `/api/feedback?submitter=${day.otherSubmitter}` },
  {
    name: 'feedback-file-own',
    method: 'GET',
    path: () => `/api/feedback/file?submitter=${day.ownSubmitter}&name=${day.feedbackFile}`,
  },
  { name: 'files-own', method: 'GET', path: () => `/api/files?submitter=${day.ownSubmitter}` },
  { name: 'files-other', method: 'GET', path: () => `/api/files?submitter=${day.otherSubmitter}` },
  {
    name: 'receipt-own',
    method: 'GET',
    path: () => `/api/receipts?submitter=${day.ownSubmitter}&file=${basename(day.ownFile)}`,
  },
  {
    name: 'upload-own',
    method: 'POST',
    path: () => `/api/files?submitter=${day.ownSubmitter}&name=${basename(day.ownFile)}`,
    upload: true,
  },
]

const OPEN = ['health', 'openapi', 'page']
const SIGNED_IN = [...OPEN, 'index', 'whoami']
const REGULATOR = [
  ...SIGNED_IN,
  'summary',
  'lifecycle',
  'lifecycle-graph',
  'search',
  'browse',
  'customer',
  'report-card-own',
  'report-card-other',
  'book',
  'nbbo',
  'depth',
  'market',
  'replay',
  'bluesheet',
  'dashboard',
  'sql',
  'extract-day',
  'extract-query',
  'alerts',
  'alert-evidence',
  'alert-status',
  'alert-status-change',
  'feedback-own',
  'feedback-other',
  'feedback-file-own',
]
const ALLOWED: Record<'anonymous' | keyof typeof as, string[]> = {
  anonymous: OPEN,
  reporter: [
    ...SIGNED_IN,
    'report-card-own',
    'feedback-own',
    'feedback-file-own',
    'files-own',
    'receipt-own',
    'upload-own',
  ],
  regulator: REGULATOR,
  pii: [...REGULATOR, 'customer-pii'],
  operator: [
    ...SIGNED_IN,
    'summary',
    'dashboard',
    'users',
    'feedback-own',
    'feedback-other',
    'feedback-file-own',
  ],
}

/** The own data file sent again to POST /api/files (a retry: the repository keeps what it had). */
function uploadAgain(client: PortalClient): Promise<Answer> {
  return client.request(`/api/files?submitter=${day.ownSubmitter}&name=${basename(day.ownFile)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(client.csrf ? { 'x-csrf-token': client.csrf } : {}),
    },
    body: readFileSync(day.ownFile),
  })
}

function call(client: PortalClient, probe: Probe): Promise<Answer> {
  if (probe.upload) return uploadAgain(client)
  const body =
    probe.name === 'alert-status-change' ? { ...(probe.body as object), alert: day.alert } : probe.body
  return probe.method === 'GET' ? client.get(probe.path()) : client.send(probe.method, probe.path(), body)
}

describe('the role matrix: every route × every role', () => {
  for (const role of Object.keys(ALLOWED) as (keyof typeof ALLOWED)[]) {
    it(`${role}: allowed where the permission table says, refused (${role === 'anonymous' ? 401 : 403}) elsewhere`, async () => {
      const client = role === 'anonymous' ? anon : as[role]
      const seen: Record<string, number> = {}
      for (const probe of PROBES) seen[probe.name] = (await call(client, probe)).status
      const expected = Object.fromEntries(
        PROBES.map((p) => [p.name, ALLOWED[role].includes(p.name) ? 200 : role === 'anonymous' ? 401 : 403]),
      )
      expect(seen).toEqual(expected)
    }, 60_000)
  }

  it('a machine token acts with its account roles, and a bad token is refused with 401', async () => {
    const token = await addMachineToken(repoDir, 'bot', ['regulator'])
    const bot = anon.withToken(token)
    expect((await bot.get('/api/summary')).status).toBe(200)
    expect((await bot.get('/api/users')).status).toBe(403)
    const forged = anon.withToken(`${token.slice(0, -4)}AAAA`)
    const refused = await forged.get('/api/summary')
    expect(refused.status).toBe(401)
    expect(refused.json().code).toBe('OCAT_ERR_AUTH_REFUSED')
    // The health route stays open, but a bad token is still not taken silently.
    expect((await forged.get('/api/health')).status).toBe(401)
  })

  it('a reporter sees its own report card and the same answer as the CLI', async () => {
    const own = await as.reporter.get(`/api/report-card?reporter=${day.own}&date=${DATE}`)
    const cli = await runCli([
      'report-card',
      '--repo',
      repoDir,
      '--reporter',
      day.own,
      '--date',
      DATE,
      '--json',
    ])
    expect(own.json()).toEqual(JSON.parse(cli.stdout))
    const other = await as.reporter.get(`/api/report-card?reporter=${day.other}&date=${DATE}`)
    expect(other.json().code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
  })

  it('the access log names the authenticated identity of every request, and never a password', async () => {
    await as.regulator.get('/api/summary')
    await anon.get('/api/summary')
    const log = readFileSync(join(repoDir, 'log', 'access.ndjson'), 'utf8')
    const lines = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user: string; action: string; status?: number; reason?: string })
    expect(lines.some((l) => l.user === 'reg' && l.action === 'GET /api/summary' && l.status === 200)).toBe(
      true,
    )
    expect(
      lines.some((l) => l.user === 'anonymous' && l.action === 'GET /api/summary' && l.status === 401),
    ).toBe(true)
    expect(
      lines.some((l) => l.user === 'regpii' && l.action === 'pii-reveal' && l.reason === 'case 42'),
    ).toBe(true)
    expect(lines.some((l) => l.user === 'reg' && l.action === 'pii-reveal-refused')).toBe(true)
    for (const p of Object.values(people)) expect(log).not.toContain(p.password)
  })
})

describe('the OpenAPI document', () => {
  it('describes every route, and every answer of every described route validates against it', async () => {
    const doc = (await anon.get('/openapi.json')).json<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
      >
    }>()
    // A valid request per described route, sent by a role allowed to make it; a new route fails here until added.
    const requests: Record<string, { client: () => PortalClient; path: () => string; body?: unknown }> = {
      'get /api': { client: () => as.regulator, path: () => '/api' },
      'get /api/health': { client: () => anon, path: () => '/api/health' },
      'get /api/session': { client: () => as.regulator, path: () => '/api/session' },
      'post /api/session': { client: () => anon, path: () => '/api/session', body: 'sign-in' },
      'delete /api/session': { client: () => anon, path: () => '/api/session', body: 'sign-out' },
      'get /api/summary': { client: () => as.regulator, path: () => '/api/summary' },
      'get /api/lifecycle': {
        client: () => as.regulator,
        path: () => `/api/lifecycle?reporter=${day.own}&firmROEID=${day.firmROEID}`,
      },
      'get /api/customer': {
        client: () => as.pii,
        path: () =>
          `/api/customer?reporter=${day.imid}&fdid=${day.fdid}&from=${DATE}&to=${DATE}&reveal=1&reason=audit`,
      },
      'get /api/report-card': {
        client: () => as.regulator,
        path: () => `/api/report-card?reporter=${day.own}&date=${DATE}`,
      },
      'get /api/book': {
        client: () => as.regulator,
        path: () => `/api/book?venue=${day.venue}&symbol=${day.symbol}&at=${day.at}&depth=4&orders=1`,
      },
      'get /api/nbbo': {
        client: () => as.regulator,
        path: () => `/api/nbbo?symbol=${day.symbol}&at=${day.at}`,
      },
      'get /api/depth': {
        client: () => as.regulator,
        path: () => `/api/depth?symbol=${day.symbol}&at=${day.at}&depth=3`,
      },
      'get /api/market': {
        client: () => as.regulator,
        path: () => `/api/market?symbol=${day.symbol}&date=${DATE}&from=09:30:00&to=16:00:00`,
      },
      'get /api/replay': {
        client: () => as.regulator,
        path: () => `/api/replay?symbol=${day.symbol}&date=${DATE}&from=09:30:00&to=16:00:00&limit=100`,
      },
      'get /api/bluesheet': {
        client: () => as.regulator,
        path: () => `/api/bluesheet?symbol=${day.symbol}&from=${DATE}&to=${DATE}`,
      },
      'get /api/dashboard': { client: () => as.operator, path: () => `/api/dashboard?date=${DATE}` },
      'post /api/sql': {
        client: () => as.regulator,
        path: () => '/api/sql',
        body: { sql: 'SELECT _reporter, count(*) AS n FROM events GROUP BY ALL ORDER BY 1', maxRows: 5 },
      },
      'get /api/extract': {
        client: () => as.regulator,
        path: () => `/api/extract?date=${DATE}&format=parquet&reporter=${day.venue}`,
      },
      'post /api/extract': {
        client: () => as.regulator,
        path: () => '/api/extract',
        body: { sql: 'SELECT _reporter, count(*) AS n FROM events GROUP BY ALL ORDER BY 1', format: 'csv' },
      },
      'get /api/search': {
        client: () => as.regulator,
        path: () => `/api/search?q=${day.firmROEID}&date=${DATE}`,
      },
      'get /api/browse': {
        client: () => as.regulator,
        path: () => `/api/browse?date=${DATE}&symbol=${day.symbol}&limit=5`,
      },
      'get /api/lifecycle/graph': {
        client: () => as.regulator,
        path: () => `/api/lifecycle/graph?reporter=${day.own}&firmROEID=${day.firmROEID}`,
      },
      'get /api/users': { client: () => as.operator, path: () => '/api/users' },
      'get /api/alerts': { client: () => as.regulator, path: () => `/api/alerts?date=${DATE}` },
      'get /api/alerts/evidence': {
        client: () => as.regulator,
        path: () => `/api/alerts/evidence?date=${DATE}&alert=${day.alert}`,
      },
      'get /api/alerts/status': {
        client: () => as.regulator,
        path: () => `/api/alerts/status?date=${DATE}&alert=${day.alert}`,
      },
      'post /api/alerts/status': {
        client: () => as.regulator,
        path: () => '/api/alerts/status',
        body: { date: DATE, alert: day.alert, assignee: 'reg', note: 'the OpenAPI check assigns it' },
      },
      'get /api/feedback': {
        client: () => as.reporter,
        path: () => `/api/feedback?submitter=${day.ownSubmitter}`,
      },
      'get /api/feedback/file': {
        client: () => as.reporter,
        path: () => `/api/feedback/file?submitter=${day.ownSubmitter}&name=${day.feedbackFile}`,
      },
      'post /api/files': { client: () => as.reporter, path: () => '/api/files', body: 'upload' },
      'get /api/files': { client: () => as.reporter, path: () => `/api/files?submitter=${day.ownSubmitter}` },
      'get /api/receipts': {
        client: () => as.reporter,
        path: () => `/api/receipts?submitter=${day.ownSubmitter}&file=${basename(day.ownFile)}`,
      },
    }
    const described = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    )
    expect(described.sort()).toEqual(Object.keys(requests).sort())
    const ajv = new Ajv({ strict: false, allErrors: true })
    const schemaOf = (path: string, method: string, status: string) => {
      const responses = doc.paths[path][method].responses
      const r = responses[status] ?? responses[`${status[0]}XX`] ?? responses[`${status[0]}xx`]
      return r?.content?.['application/json']?.schema
    }
    for (const key of described) {
      const [method, path] = key.split(' ')
      const req = requests[key]
      let res: Answer
      if (req.body === 'sign-in') {
        const fresh = await addPerson(repoDir, 'openapi-signin', ['regulator'])
        res = await anon.anonymous().signIn(fresh)
      } else if (req.body === 'sign-out') {
        const leaving = await anon.signedIn(people.leaver)
        res = await leaving.send('DELETE', '/api/session')
      } else if (req.body === 'upload') res = await uploadAgain(req.client())
      else if (method === 'get') res = await req.client().get(req.path())
      else res = await req.client().send(method.toUpperCase(), req.path(), req.body)
      expect(res.status, `${key}: ${res.text}`).toBe(200)
      const type = String(res.headers['content-type']).split(';')[0]
      if (type === 'application/json') {
        const schema = schemaOf(path, method, '200')
        expect(schema, `${key} describes its answer`).toBeDefined()
        const valid = ajv.validate(schema!, res.json())
        expect(valid, `${key}: ${ajv.errorsText()}`).toBe(true)
      } else {
        // A file (an extract): the document names its content type, and the answer is not empty.
        const content = doc.paths[path][method].responses['200']?.content ?? {}
        expect(Object.keys(content), `${key} describes its ${type} answer`).toContain(type)
        expect(res.body.length, key).toBeGreaterThan(0)
      }
      // Failures are described too: an anonymous call (or, for the open ones, a malformed one) is a 4xx.
      const bad =
        req.client() === anon
          ? await anon.request(`${path}?unknown=1`, { method: method.toUpperCase() })
          : await anon.request(path, { method: method.toUpperCase() })
      expect(bad.status, key).toBeGreaterThanOrEqual(400)
      expect(bad.status, key).toBeLessThan(500)
      const failure = schemaOf(path, method, String(bad.status))
      expect(failure, `${key} describes its ${bad.status}`).toBeDefined()
      expect(ajv.validate(failure!, bad.json()), `${key} ${bad.status}: ${ajv.errorsText()}`).toBe(true)
    }
  }, 120_000)
})

describe('surveillance alerts', () => {
  it('/api/alerts and /api/alerts/evidence answer as opencat surveil and surveil evidence do', async () => {
    expect(day.alert, 'the planted wash trades give an alert').not.toBe('none')
    const cli = await runCli(['surveil', '--repo', repoDir, '--operator', '--date', DATE, '--json'])
    expect(cli.code, cli.stderr).toBe(0)
    const stored = JSON.parse(cli.stdout) as { run: number; written: boolean; alerts: { id: string }[] }
    expect(stored.written).toBe(false)
    const api = (await as.regulator.get(`/api/alerts?date=${DATE}`)).json<typeof stored>()
    expect(api.run).toBe(stored.run)
    expect(api.alerts).toEqual(stored.alerts)
    const ev = await runCli([
      'surveil',
      'evidence',
      '--repo',
      repoDir,
      '--operator',
      '--date',
      DATE,
      '--alert',
      day.alert,
      '--json',
    ])
    expect(ev.code, ev.stderr).toBe(0)
    const evidence = await as.regulator.get(`/api/alerts/evidence?date=${DATE}&alert=${day.alert}`)
    expect(evidence.status).toBe(200)
    expect(evidence.json()).toEqual(JSON.parse(ev.stdout))
    const missing = await as.regulator.get(`/api/alerts/evidence?date=${DATE}&alert=nope`)
    expect(missing.status).toBe(404)
    expect((await as.regulator.get('/api/alerts?date=2026-03-02&run=999')).status).toBe(404)
  }, 120_000)

  it("a regulator changes an alert's status through the API, as opencat surveil status records and shows it", async () => {
    interface State {
      status: string
      disposition: string | null
      assignee: string | null
      changes: number
    }
    const statusOf = async () =>
      (await as.regulator.get(`/api/alerts/status?date=${DATE}&alert=${day.alert}`)).json<{
        state: State
        history: { by: string; status: string; note: string }[]
      }>()
    const before = await statusOf()
    // From wherever the role matrix left it: escalated, then closed as a false positive.
    const escalate = await as.pii.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: day.alert,
      status: 'escalated',
      note: 'needs a second look',
    })
    expect(escalate.status, escalate.text).toBe(200)
    const close = await as.regulator.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: day.alert,
      status: 'closed',
      disposition: 'false-positive',
      note: 'hedging between two funds',
    })
    expect(close.status, close.text).toBe(200)
    expect(close.json().change).toMatchObject({ by: 'reg', from: 'escalated', status: 'closed' })
    const after = await statusOf()
    expect(after.state).toMatchObject({
      status: 'closed',
      disposition: 'false-positive',
      changes: before.state.changes + 2,
    })
    expect(after.history.slice(-2).map((c) => [c.by, c.status, c.note])).toEqual([
      ['regpii', 'escalated', 'needs a second look'],
      ['reg', 'closed', 'hedging between two funds'],
    ])
    // The command line shows the same, and the queue carries the state.
    const cli = await runCli([
      'surveil',
      'status',
      '--repo',
      repoDir,
      '--operator',
      '--date',
      DATE,
      '--alert',
      day.alert,
      '--json',
    ])
    expect(cli.code, cli.stderr).toBe(0)
    expect(JSON.parse(cli.stdout)).toEqual(after)
    const queue = (await as.regulator.get(`/api/alerts?date=${DATE}`)).json<{
      statuses: Record<string, State>
    }>()
    expect(queue.statuses[day.alert]).toEqual(after.state)
    // Refused: a step the workflow does not allow (409), a malformed body (400), a reporter (403), no CSRF token.
    const step = await as.regulator.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: day.alert,
      status: 'escalated',
      note: 'x',
    })
    expect([step.status, step.json().code]).toEqual([409, 'OCAT_ERR_ALERT_WORKFLOW'])
    const bad = await as.regulator.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: day.alert,
      status: 'done',
      note: 'x',
    })
    expect([bad.status, bad.json().code]).toEqual([400, 'OCAT_ERR_HTTP_REQUEST'])
    const unknown = await as.regulator.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: 'nope',
      status: 'closed',
      disposition: 'referred',
      note: 'x',
    })
    expect(unknown.status).toBe(404)
    const reporter = await as.reporter.send('POST', '/api/alerts/status', {
      date: DATE,
      alert: day.alert,
      status: 'open',
      note: 'x',
    })
    expect(reporter.status).toBe(403)
    const csrf = as.regulator.csrf
    as.regulator.csrf = undefined
    try {
      const forged = await as.regulator.send('POST', '/api/alerts/status', {
        date: DATE,
        alert: day.alert,
        status: 'open',
        note: 'x',
      })
      expect(forged.json().code).toBe('OCAT_ERR_CSRF')
    } finally {
      as.regulator.csrf = csrf
    }
    expect((await statusOf()).state).toEqual(after.state)
    // The change is in the access log under the signed-in identity, with its note.
    const log = readFileSync(join(repoDir, 'log', 'access.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user: string; action: string; reason?: string; status?: number })
    expect(
      log.some(
        (l) =>
          l.user === 'reg' && l.action === 'alert-status-change' && l.reason === 'hedging between two funds',
      ),
    ).toBe(true)
    expect(
      log.some((l) => l.user === 'reg' && l.action === 'POST /api/alerts/status' && l.status === 200),
    ).toBe(true)
  }, 120_000)

  it.skipIf(!existsSync(CHROMIUM))(
    'the portal lists the alerts of a date and opens the evidence of one',
    async () => {
      const api = (await as.regulator.get(`/api/alerts?date=${DATE}`)).json<{ alerts: { id: string }[] }>()
      const evidence = (await as.regulator.get(`/api/alerts/evidence?date=${DATE}&alert=${day.alert}`)).json<{
        lifecycles: { lifecycleId: string }[]
        moments: unknown[]
      }>()
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu'],
      })
      try {
        const page = await signedInPage(
          browser,
          served.url,
          await addPerson(repoDir, 'alert-viewer', ['regulator']),
        )
        await page.goto(`${served.url}/legacy/#alerts`)
        await page.fill('#alerts-form input[name="date"]', DATE)
        await page.click('#alerts-form button')
        await page.waitForSelector('#alerts-result table')
        const ids = await page.locator('#alerts-result button[data-alert]').allTextContents()
        expect(ids).toEqual(api.alerts.map((a) => a.id))
        await page.click(`#alerts-result button[data-alert="${day.alert}"]`)
        await page.waitForSelector('#alert-evidence h2')
        const shown = await page.locator('#alert-evidence .alert-lifecycles a').allTextContents()
        expect(shown).toEqual(evidence.lifecycles.map((l) => l.lifecycleId))
        expect(await page.locator('#alert-evidence table').first().locator('tbody tr').count()).toBe(
          evidence.moments.length,
        )
      } finally {
        await browser.close()
      }
    },
    120_000,
  )
})

describe('transport', () => {
  it('serves HTTPS with the printed certificate fingerprint, TLS 1.2 or later only', async () => {
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(served.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    const res = await anon.get('/api/health')
    expect(res.tls?.fingerprint).toBe(served.fingerprint)
    expect(res.tls?.protocol).toBe('TLSv1.3')
    const v12 = await anon.request('/api/health', { maxVersion: 'TLSv1.2' })
    expect(v12.tls?.protocol).toBe('TLSv1.2')
    await expect(
      anon.request('/api/health', {
        maxVersion: 'TLSv1.1',
        minVersion: 'TLSv1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    ).rejects.toThrow()
    // Kept outside the repository folder, beside the other keys; a restart serves the same certificate.
    expect(served.output()).toContain(`${repoDir}-keys/portal-cert.pem`)
    const again = await servePortal(repoDir)
    try {
      expect(again.fingerprint).toBe(served.fingerprint)
    } finally {
      await again.stop()
    }
  })

  it('refuses plain HTTP on a non-loopback address, and serves it on loopback only when asked', async () => {
    const wide = await runCli([
      'serve',
      '--repo',
      repoDir,
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--insecure-http',
    ])
    expect(wide.code).toBe(2)
    expect(wide.stderr).toMatch(/plain HTTP is only for a loopback address/)
    const plain = await servePortal(repoDir, ['--insecure-http'])
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(plain.fingerprint).toBeUndefined()
      expect((await plain.client.get('/api/health')).status).toBe(200)
      expect((await plain.client.get('/api/summary')).status).toBe(401)
    } finally {
      await plain.stop()
    }
  })

  it('answers only Host headers naming loopback or the bound address (no DNS rebinding)', async () => {
    const port = new URL(served.url).port
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`])
      expect((await as.regulator.get('/api/summary', { host })).status).toBe(200)
    for (const host of [`rebind.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      const res = await as.regulator.get('/api/summary', { host })
      expect(res.status, host).toBe(421)
      expect(res.json().code).toBe('OCAT_ERR_HTTP_HOST')
    }
    expect((await anon.get('/', { host: 'rebind.example' })).status).toBe(421)
  })

  it('sends the security headers: CSP, frame denial, no-sniff, HSTS', async () => {
    for (const path of ['/', '/api/health', '/api/summary']) {
      const h = (await as.regulator.get(path)).headers
      expect(h['content-security-policy']).toContain("default-src 'self'")
      expect(h['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(h['content-security-policy']).toContain("script-src 'self'")
      expect(h['x-frame-options']).toBe('DENY')
      expect(h['x-content-type-options']).toBe('nosniff')
      expect(h['strict-transport-security']).toMatch(/max-age=\d+/)
    }
  })
})

describe('sessions', () => {
  it('sign-in sets an HttpOnly, Secure, SameSite=Strict cookie that expires', async () => {
    const fresh = await addPerson(repoDir, 'cookie-check', ['regulator'])
    const code = codeOf(fresh.totpSecret)
    const res = await anon.anonymous().signIn(fresh, code)
    expect(res.status).toBe(200)
    const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('opencat_session='))!
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1])
    expect(maxAge).toBeGreaterThan(0)
    expect(maxAge).toBeLessThanOrEqual(24 * 3600)
    // The same code twice is refused: a code seen over someone's shoulder cannot be replayed.
    expect((await anon.anonymous().signIn(fresh, code)).status).toBe(401)
  })

  it('refuses a state-changing request without the CSRF token, and signs out with it', async () => {
    const fresh = await addPerson(repoDir, 'csrf-check', ['regulator'])
    const client = await anon.signedIn(fresh)
    const csrf = client.csrf!
    const sql = { sql: 'SELECT 1 AS one' }
    client.csrf = undefined
    const missing = await client.send('POST', '/api/sql', sql)
    expect(missing.status).toBe(403)
    expect(missing.json().code).toBe('OCAT_ERR_CSRF')
    client.csrf = 'x'.repeat(43)
    expect((await client.send('POST', '/api/sql', sql)).json().code).toBe('OCAT_ERR_CSRF')
    expect((await client.send('DELETE', '/api/session')).status).toBe(403)
    client.csrf = csrf
    expect((await client.send('POST', '/api/sql', sql)).status).toBe(200)
    expect((await client.send('DELETE', '/api/session')).status).toBe(200)
    const after = await client.get('/api/summary')
    expect(after.status).toBe(401)
    expect(after.json().code).toBe('OCAT_ERR_AUTH_REQUIRED')
  })

  it('locks an account after five failed sign-ins, even against the right password and code', async () => {
    const who = people.locky
    for (let i = 0; i < 5; i++) {
      const res = await anon.anonymous().signIn({ ...who, password: `wrong-password-${i}` })
      expect(res.status).toBe(401)
      expect(res.json().code).toBe('OCAT_ERR_AUTH_REFUSED')
    }
    expect((await anon.anonymous().signIn(who)).status).toBe(401)
    const list = await runCli(['user', 'list', '--repo', repoDir, '--json'])
    const locky = (JSON.parse(list.stdout) as { user: string; locked: boolean; failures: number }[]).find(
      (u) => u.user === 'locky',
    )!
    expect(locky.locked).toBe(true)
    const log = readFileSync(join(repoDir, 'log', 'access.ndjson'), 'utf8')
    expect(log).toContain('"action":"sign-in-refused","subject":"locky","reason":"locked"')
  })
})

describe('malformed requests get a clear 4xx and the server keeps answering', () => {
  it('bad parameters, bodies and SQL', async () => {
    const reg = as.regulator
    const cases: [Promise<Answer>, number, string][] = [
      [reg.get('/api/summary?bogus=1'), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [reg.get(`/api/book?venue=${day.venue}&symbol=${day.symbol}`), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [
        reg.get(`/api/book?venue=${day.venue}&symbol=${day.symbol}&at=${day.at}&depth=many`),
        400,
        'OCAT_ERR_HTTP_REQUEST',
      ],
      [reg.get(`/api/nbbo?symbol=${day.symbol}&at=noon`), 400, 'OCAT_ERR_CLI_USAGE'],
      [reg.get(`/api/nbbo?symbol=${day.symbol}&symbol=X&at=${day.at}`), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [reg.get(`/api/lifecycle?reporter=${'A'.repeat(5000)}&firmROEID=x`), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [reg.get('/api/nothing'), 404, 'OCAT_ERR_NOT_FOUND'],
      [
        reg.get(`/api/feedback/file?submitter=${day.ownSubmitter}&name=..%2F..%2Faccounts%2Faccounts.json`),
        404,
        'OCAT_ERR_NOT_FOUND',
      ],
      [reg.get('/api/feedback?submitter=..%2F..'), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [reg.send('PUT', '/api/summary'), 405, 'OCAT_ERR_HTTP_METHOD'],
      [reg.send('POST', '/api/sql', { sql: 'x'.repeat(2_000_000) }), 413, 'OCAT_ERR_HTTP_TOO_LARGE'],
      [reg.send('POST', '/api/sql', { sql: 'SELECT 1', extra: true }), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [reg.send('POST', '/api/sql', { sql: 'SELECT 1', maxRows: '5' }), 400, 'OCAT_ERR_HTTP_REQUEST'],
      [
        reg.request('/api/sql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': reg.csrf! },
          body: '{"sql": ',
        }),
        400,
        'OCAT_ERR_HTTP_REQUEST',
      ],
      [
        reg.request('/api/sql', {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-csrf-token': reg.csrf! },
          body: 'SELECT 1',
        }),
        400,
        'OCAT_ERR_HTTP_REQUEST',
      ],
      [reg.send('POST', '/api/sql', { sql: 'DELETE FROM files' }), 400, 'OCAT_ERR_SQL_REFUSED'],
      [
        reg.send('POST', '/api/sql', { sql: "COPY (SELECT 1) TO '/tmp/opencat-out.csv'" }),
        400,
        'OCAT_ERR_SQL_REFUSED',
      ],
      [
        reg.send('POST', '/api/sql', { sql: `SELECT * FROM read_blob('${repoDir}/vault/*')` }),
        400,
        'OCAT_ERR_SQL_REFUSED',
      ],
      [
        reg.send('POST', '/api/sql', { sql: `SELECT * FROM read_text('${repoDir}/accounts/accounts.json')` }),
        400,
        'OCAT_ERR_SQL_REFUSED',
      ],
      [as.reporter.send('POST', '/api/sql', { sql: 'SELECT 1' }), 403, 'OCAT_ERR_AUTH_FORBIDDEN'],
      [anon.send('POST', '/api/session', { user: 'reg' }), 400, 'OCAT_ERR_HTTP_REQUEST'],
    ]
    for (const [pending, status, code] of cases) {
      const res = await pending
      expect({ status: res.status, code: res.json().code }).toEqual({ status, code })
      expect(String(res.json().message).length).toBeGreaterThan(5)
    }
    expect((await anon.get('/api/health')).status).toBe(200)
  }, 60_000)
})

describe('rate limits', () => {
  let portal: Portal
  afterAll(async () => {
    await portal?.close()
  })

  it('limits requests per account, each account on its own', async () => {
    portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, perMinute: 5 })
    const ca = portal.certificate!.cert
    const one = new Client(portal.url, ca).withToken(
      await addMachineToken(repoDir, 'busy-bot', ['regulator']),
    )
    const two = new Client(portal.url, ca).withToken(
      await addMachineToken(repoDir, 'calm-bot', ['regulator']),
    )
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await one.get('/api/health')).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
    const limited = await one.get('/api/health')
    expect(limited.json().code).toBe('OCAT_ERR_RATE_LIMITED')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await two.get('/api/health')).status).toBe(200)
  })

  it('ends a session once its lifetime is over: the cookie is refused with 401', async () => {
    const brief = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, sessions: { maxMs: 1 } })
    try {
      const client = new Client(brief.url, brief.certificate!.cert)
      const res = await client.signIn(await addPerson(repoDir, 'brief-session', ['regulator']))
      expect(res.status).toBe(200)
      expect(Number(/Max-Age=(\d+)/.exec(String(res.headers['set-cookie']))?.[1])).toBe(0)
      const after = await client.get('/api/session')
      expect(after.status).toBe(401)
      expect(after.json().code).toBe('OCAT_ERR_AUTH_REQUIRED')
    } finally {
      await brief.close()
    }
  })

  it('limits sign-in attempts per address, before any password is checked', async () => {
    const strict = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, signInPerMinute: 3 })
    try {
      const client = new Client(strict.url, strict.certificate!.cert)
      const guess = { user: 'nobody-here', password: 'not-the-password', totpSecret: 'AAAAAAAA' }
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await client.signIn(guess, '000000')).status)
      expect(statuses).toEqual([401, 401, 401, 429, 429])
    } finally {
      await strict.close()
    }
  })
})
