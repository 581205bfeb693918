/**
 * Reporters' uploads over HTTPS (`opencat serve`): a simulated day's files sent one by one to
 * POST /api/files by a reporter granted their submitters end in the same registry, feedback files and
 * records as `opencat submit` of the same files into another repository. Files are listed with their
 * statuses, receipts verify with `opencat verify-receipt`; another submitter, an oversized body, a bad name
 * and a body that is not a file are refused with a clear 4xx, and nothing is left locked.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { readAccessLog } from '../../src/store/access-log.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { openRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import type { PortalClient, ServedPortal } from '../support/portal.ts'
import { servePortal } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

let day: string
let apiRepo: string
let cliRepo: string
let served: ServedPortal
let reporter: PortalClient
/** The day's files in the order submit takes a folder: data files before metadata. */
let files: { path: string; name: string; submitter: string }[]
let submitters: string[]
/** A submitter of the day the reporter is not granted. */
let outside: string

async function machine(repo: string, user: string, flags: string[]): Promise<string> {
  const added = await runCli(['user', 'add', user, '--repo', repo, '--machine', ...flags])
  expect(added.code, added.stderr).toBe(0)
  const t = await runCli(['token', 'create', '--repo', repo, '--user', user, '--json'])
  expect(t.code, t.stderr).toBe(0)
  return (JSON.parse(t.stdout) as { token: string }).token
}

function upload(client: PortalClient, submitter: string, name: string, body: Buffer, headers = {}) {
  return client.request(
    `/api/files?submitter=${encodeURIComponent(submitter)}&name=${encodeURIComponent(name)}`,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body },
  )
}

/** An upload sent in chunks, with no content-length, as a client streaming a file of unknown size does. */
function chunkedUpload(
  submitter: string,
  name: string,
  bytes: number,
): Promise<{ status: number; code: string }> {
  const url = new URL(`/api/files?submitter=${submitter}&name=${encodeURIComponent(name)}`, served.url)
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: reporter.ca,
        agent: false,
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${reporter.bearer}` },
      },
      (res) => {
        let text = ''
        res.on('data', (d) => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).code }))
      },
    )
    req.on('error', reject)
    const chunk = Buffer.alloc(64 * 1024)
    for (let sent = 0; sent < bytes; sent += chunk.length)
      req.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))
    req.end()
  })
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 150, customers: 20, faults: 0.03, seed: 23 })
  apiRepo = join(day, '..', 'api-repo')
  cliRepo = join(day, '..', 'cli-repo')
  for (const repo of [apiRepo, cliRepo]) {
    const r = await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])
    expect(r.code, r.stderr).toBe(0)
  }
  const root = join(day, 'submissions')
  const all = readdirSync(root)
    .sort()
    .flatMap((s) =>
      readdirSync(join(root, s)).map((f) => ({ path: join(root, s, f), name: f, submitter: s })),
    )
  const isMeta = (f: { name: string }) => /\.meta\.(json|csv)$/.test(f.name)
  files = [...all.filter((f) => !isMeta(f)), ...all.filter(isMeta)]
  // Four submitters' files (firms and a venue) keep the run short; another submitter stays outside.
  const everyone = [...new Set(all.map((f) => f.submitter))]
  outside = everyone[everyone.length - 1]
  submitters = everyone.slice(0, 4)
  files = files.filter((f) => submitters.includes(f.submitter))
  const token = await machine(apiRepo, 'firm-robot', [
    '--role',
    'reporter',
    ...submitters.flatMap((s) => ['--submitter', s]),
  ])
  // The largest file fits the 1 MB limit; the oversized upload below does not.
  expect(Math.max(...files.map((f) => statSync(f.path).size))).toBeLessThan(1024 * 1024)
  served = await servePortal(apiRepo, ['--upload-limit', '1'])
  reporter = served.client.withToken(token)
}, 240_000)

afterAll(async () => {
  await served?.stop()
})

describe('POST /api/files', () => {
  it("takes a day's files as opencat submit does: same registry, feedback files and records", async () => {
    for (const f of files) {
      const res = await upload(reporter, f.submitter, f.name, readFileSync(f.path))
      expect(res.status, `${f.name}: ${res.text}`).toBe(200)
      const answer = res.json<{ bytes: number; file: { name: string; status: string } }>()
      expect(answer.bytes).toBe(statSync(f.path).size)
      expect(answer.file.name).toBe(f.name)
    }
    // The same files, by the command line, one submitter at a time as each would send them.
    for (const s of submitters) {
      const r = await runCli([
        'submit',
        '--repo',
        cliRepo,
        '--submitter',
        s,
        '--json',
        ...files.filter((f) => f.submitter === s && !/\.meta\./.test(f.name)).map((f) => f.path),
        ...files.filter((f) => f.submitter === s && /\.meta\./.test(f.name)).map((f) => f.path),
      ])
      expect(r.code, r.stderr).toBe(0)
    }

    const state = async (dir: string) => {
      const repo = await openRepository(dir)
      try {
        return {
          registry: await repo.db.all(
            `SELECT name, role, kind, status, records, accepted, rejected FROM files ORDER BY name`,
          ),
          events: await repo.db.all(
            'SELECT _reporter, _type, count(*)::INTEGER AS n FROM current_events GROUP BY ALL ORDER BY ALL',
          ),
          rejects: await repo.db.all('SELECT count(*)::INTEGER AS n FROM rejects'),
          linkage: await repo.db.all(
            'SELECT count(DISTINCT lifecycle_id)::INTEGER AS lifecycles, count(*)::INTEGER AS members FROM linkage_members',
          ),
          feedback: submitters.map((s) => {
            const folder = join(dir, 'feedback', s)
            return existsSync(folder)
              ? readdirSync(folder)
                  .sort()
                  .flatMap((sub) => readdirSync(join(folder, sub)).map((n) => `${sub}/${n}`))
                  // Linkage feedback is numbered per linkage run, and each upload may start one.
                  .filter((n) => !/\.linkage/.test(n))
                  .sort()
              : []
          }),
        }
      } finally {
        repo.close()
      }
    }
    const viaApi = await state(apiRepo)
    const viaCli = await state(cliRepo)
    expect(viaApi.registry.length).toBe(files.length)
    expect(viaApi.registry.filter((r) => r.status === 'ingested').length).toBeGreaterThan(0)
    expect(viaApi.events.length).toBeGreaterThan(0)
    expect(viaApi).toEqual(viaCli)
  }, 600_000)

  it('lists the submitter files with their statuses, as the registry has them', async () => {
    const s = files.find((f) => /OrderEvents/.test(f.name))!.submitter
    const res = await reporter.get(`/api/files?submitter=${s}`)
    expect(res.status, res.text).toBe(200)
    const listed = res.json<{ files: { name: string; status: string; records: number | null }[] }>().files
    expect(listed.map((f) => f.name).sort()).toEqual(
      files
        .filter((f) => f.submitter === s)
        .map((f) => f.name)
        .sort(),
    )
    const data = listed.find((f) => /OrderEvents_\d+\.json\.bz2$/.test(f.name))!
    expect(data.status).toBe('ingested')
    expect(data.records).toBeGreaterThan(0)
  })

  it('gives a receipt that opencat verify-receipt accepts', async () => {
    const f = files[0]
    const res = await reporter.get(
      `/api/receipts?submitter=${f.submitter}&file=${encodeURIComponent(f.name)}`,
    )
    expect(res.status, res.text).toBe(200)
    expect(res.json()).toMatchObject({ fileName: f.name })
    const file = join(day, '..', 'receipt.json')
    writeFileSync(file, res.text)
    const checked = await runCli(['verify-receipt', '--repo', apiRepo, file, '--json'])
    expect(checked.code, checked.stdout + checked.stderr).toBe(0)
    const missing = await reporter.get(`/api/receipts?submitter=${f.submitter}&file=nope.json`)
    expect(missing.status).toBe(404)
  })

  it("refuses another reporter's submitter, with 403, and stores nothing", async () => {
    const theirs = readdirSync(join(day, 'submissions', outside)).sort()[0]
    const path = join(day, 'submissions', outside, theirs)
    const res = await upload(reporter, outside, theirs, readFileSync(path))
    expect(res.status).toBe(403)
    expect(res.json().code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
    // Naming a granted submitter in the query does not let a name of another one in.
    const mine = submitters[0]
    const sneaky = await upload(reporter, mine, theirs, readFileSync(path))
    expect(sneaky.status).toBe(400)
    expect(sneaky.json()).toMatchObject({ code: 'OCAT_ERR_FILE_NAME', catCode: 1104 })
    const listed = await reporter.get(`/api/files?submitter=${outside}`)
    expect(listed.status).toBe(403)
    const feedback = await reporter.get(`/api/feedback?submitter=${outside}`)
    expect(feedback.status).toBe(403)
  })

  it('refuses a body over the upload limit with 413 and a reason', async () => {
    const s = submitters[0]
    const name = `${s}_ZZZZ_20260302_OrderEvents_000099.json.bz2`
    const res = await upload(reporter, s, name, Buffer.alloc(1024 * 1024 + 1))
    expect(res.status).toBe(413)
    expect(res.json()).toMatchObject({ code: 'OCAT_ERR_HTTP_TOO_LARGE', limitBytes: 1024 * 1024 })
    expect(res.json().message).toMatch(/upload limit/)
    // Sent without a length (chunked), the body is cut off as it streams.
    const chunked = await chunkedUpload(s, name, 1024 * 1024 + 10)
    expect(chunked.status).toBe(413)
    expect(chunked.code).toBe('OCAT_ERR_HTTP_TOO_LARGE')
    const listed = (await reporter.get(`/api/files?submitter=${s}`)).json<{ files: { name: string }[] }>()
    expect(listed.files.map((f) => f.name)).not.toContain(name)
  })

  it('an upload cut off mid-body takes nothing in, and the portal goes on answering', async () => {
    const s = submitters[0]
    const name = `${s}_ZZZZ_20260302_OrderEvents_000098.json.bz2`
    const url = new URL(`/api/files?submitter=${s}&name=${name}`, served.url)
    await new Promise<void>((resolve) => {
      const req = httpsRequest(url, {
        method: 'POST',
        ca: reporter.ca,
        agent: false,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': '100000',
          authorization: `Bearer ${reporter.bearer}`,
        },
      })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(10_000), () => setTimeout(() => req.destroy(), 200))
      req.on('close', () => resolve())
    })
    expect((await served.client.get('/api/health')).status).toBe(200)
    const listed = (await reporter.get(`/api/files?submitter=${s}`)).json<{ files: { name: string }[] }>()
    expect(listed.files.map((f) => f.name)).not.toContain(name)
    expect(existsSync(join(apiRepo, 'opencat.lock'))).toBe(false)
    // The portal logged it as a client's cut-off request, not an internal error.
    const logged = async () =>
      readAccessLog(new RepoPaths(apiRepo)).entries.find(
        (e) => e.action === 'POST /api/files' && e.subject.includes('000098'),
      )
    for (let i = 0; i < 50 && !(await logged()); i++) await new Promise((r) => setTimeout(r, 100))
    expect(await logged()).toMatchObject({ status: 400, error: 'OCAT_ERR_HTTP_REQUEST' })
  })

  it('refuses a bad name with its CAT code, a path with a reason, and a body that is not a file', async () => {
    const s = submitters[0]
    const body = Buffer.from('{}\n')
    const badDate = await upload(reporter, s, `${s}_LARC_20261399_OrderEvents_000001.json`, body)
    expect(badDate.status).toBe(400)
    expect(badDate.json()).toMatchObject({ code: 'OCAT_ERR_FILE_NAME', catCode: 1106 })
    const badImid = await upload(reporter, s, `${s}_TOO-LONG_20260302_OrderEvents_000001.json`, body)
    expect(badImid.json()).toMatchObject({ code: 'OCAT_ERR_FILE_NAME', catCode: 1105 })
    const badKind = await upload(reporter, s, `${s}_LARC_20260302_Orders_000001.json`, body)
    expect(badKind.status).toBe(400)
    expect(badKind.json().message).toMatch(/unknown file kind/)
    for (const trick of [`../${s}_LARC_20260302_OrderEvents_000001.json`, `a/../../b`, '..']) {
      const res = await upload(reporter, s, trick, body)
      expect(res.status, trick).toBe(400)
      expect(res.json().code, trick).toBe('OCAT_ERR_FILE_NAME')
    }
    const json = await reporter.send('POST', `/api/files?submitter=${s}&name=${basename(files[0].name)}`, {})
    expect(json.status).toBe(400)
    expect(json.json().message).toMatch(/application\/octet-stream/)
    expect(existsSync(join(apiRepo, 'opencat.lock'))).toBe(false)
    expect((await served.client.get('/api/health')).status).toBe(200)
  })
})
