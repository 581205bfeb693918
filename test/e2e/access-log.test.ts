/**
 * The access log: writers in several processes at once keep one unbroken chain; every read the portal or
 * the command line answers is in it — summary, report cards, refusals and not-found requests included;
 * and `opencat audit verify` finds lines cut from its end and a log rewritten and re-chained.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { readAccessLog } from '../../src/store/access-log.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { runCli } from '../support/cli.ts'
import { type PortalClient, tokenClient } from '../support/portal.ts'
import { PROJECT_ROOT } from '../support/shared.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-access-'))
const dir = join(root, 'repo')
const logFile = join(dir, 'log', 'access.ndjson')
let portal: Portal
/** A regulator's API client, signed in by token. */
let ana: PortalClient

interface Verdict {
  ok: boolean
  entries: number
  signedEntries: number
  checkpoints: number
  firstBreak?: { line: number; problem: string }
}

async function auditVerify(): Promise<Verdict & { code: number | null }> {
  const r = await runCli(['audit', 'verify', '--repo', dir, '--json'])
  return { ...(JSON.parse(r.stdout) as Verdict), code: r.code }
}

function appender(writer: string, n: number): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, 'bin', 'run-ts.js'),
      join(PROJECT_ROOT, 'test', 'support', 'access-appender.ts'),
      dir,
      writer,
      String(n),
    ],
    { stdio: 'inherit' },
  )
  return new Promise((resolve) => child.on('close', (code) => resolve(code)))
}

const entries = () => readAccessLog(new RepoPaths(dir)).entries

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, seed: 3 })
  expect((await runCli(['init', '--repo', dir, '--reference', join(day, 'reference')])).code).toBe(0)
  const r = await runCli(['submit', '--repo', dir, '--at', '2026-03-03T09:00:00', join(day, 'submissions')])
  expect(r.code, r.stderr).toBe(0)
  portal = await startPortal({ repo: dir, port: 0, keepOpenMs: 100 })
  ana = await tokenClient(portal, dir, 'ana')
}, 120_000)

afterAll(async () => {
  await portal?.close()
})

describe('the access log', () => {
  it('logs every API request, answered or not: summary, report card, not found, unknown route', async () => {
    const before = entries().length
    const asks = [
      ['/api/summary', 200],
      ['/api/report-card?reporter=NOSUCH&date=2026-03-02', 404],
      ['/api/lifecycle?id=999999999', 404],
      ['/api/no-such-route', 404],
    ] as const
    for (const [path, status] of asks) {
      const res = await ana.get(path)
      expect(res.status, path).toBe(status)
    }
    const requests = entries()
      .slice(before)
      .filter((e) => e.action.startsWith('GET '))
    expect(requests.map((e) => `${e.user} ${e.action}?${e.subject} ${e.status}`)).toEqual(
      asks.map(([path, status]) => `ana GET ${path.includes('?') ? path : `${path}?`} ${status}`),
    )
    expect(requests.slice(1).every((e) => e.error === 'OCAT_ERR_NOT_FOUND')).toBe(true)
  })

  it('logs every read the command line answers, a not-found one included', async () => {
    const before = entries().length
    const card = await runCli(['report-card', '--repo', dir, '--reporter', 'NOSUCH', '--date', '2026-03-02'])
    const lc = await runCli(['lifecycle', '--repo', dir, '--lifecycle', '999999999'])
    expect(card.code).not.toBe(0)
    expect(lc.code).not.toBe(0)
    const logged = entries().slice(before)
    expect(logged.map((e) => [e.action, e.status, e.error])).toEqual([
      ['cli report-card', card.code, 'OCAT_ERR_NOT_FOUND'],
      ['cli lifecycle', lc.code, 'OCAT_ERR_NOT_FOUND'],
    ])
    expect(logged[1].subject).toBe('--lifecycle 999999999')
  })

  it('logs a refused query with what it asked, never the credential it came with', async () => {
    const before = entries().length
    const r = await runCli(['sql', '--repo', dir, '--token', 'not-a-real-token', 'SELECT 1'])
    expect(r.code).toBe(1)
    // The command notes its own refusal; the run itself is logged as every command's is.
    const logged = entries()
      .slice(before)
      .filter((e) => e.action === 'cli sql')
    expect(logged.map((e) => [e.subject, e.status])).toEqual([['SELECT 1', 1]])
    expect(logged[0].error).toMatch(/^OCAT_ERR_/)
    expect(readFileSync(logFile, 'utf8')).not.toContain('not-a-real-token')
  })

  it('keeps one unbroken chain when three processes append at once', async () => {
    const before = entries().length
    const codes = await Promise.all(['w1', 'w2', 'w3'].map((w) => appender(w, 300)))
    expect(codes).toEqual([0, 0, 0])
    const v = await auditVerify()
    expect(v.firstBreak).toBeUndefined()
    expect(v.code).toBe(0)
    expect(v.entries).toBe(before + 900)
    expect(v.signedEntries).toBe(v.entries)
    expect(v.checkpoints).toBe(Math.floor(v.entries / 64))
    for (const w of ['w1', 'w2', 'w3'])
      expect(
        entries()
          .filter((e) => e.user === w)
          .map((e) => e.subject),
      ).toEqual(Array.from({ length: 300 }, (_, i) => String(i)))
  }, 180_000)

  it('fails audit verify when lines are cut from its end', async () => {
    const original = readFileSync(logFile, 'utf8')
    const lines = original.trimEnd().split('\n')
    writeFileSync(logFile, `${lines.slice(0, -2).join('\n')}\n`)
    try {
      const v = await auditVerify()
      expect(v.code).toBe(1)
      expect(v.firstBreak?.line).toBe(lines.length - 1)
      expect(v.firstBreak?.problem).toMatch(/cut from its end/)
      const text = await runCli(['audit', 'verify', '--repo', dir])
      expect(text.stdout).toMatch(/NOT verified: line [0-9]+: .*cut from its end/)
    } finally {
      writeFileSync(logFile, original)
    }
    expect((await auditVerify()).code).toBe(0)
  })

  it('fails audit verify when an entry is removed and the rest re-chained', async () => {
    const original = readFileSync(logFile, 'utf8')
    const lines = original
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    // An insider drops the last report-card request and re-chains everything after it, numbers included.
    const drop = lines.findLastIndex((l) => String(l.action).includes('report-card'))
    expect(drop).toBeGreaterThan(0)
    const kept = lines.filter((_, i) => i !== drop)
    let prev = '0'.repeat(64)
    const rewritten = kept.map((l, i) => {
      const { hash: _h, signature, ...body } = l
      const b = { ...body, seq: i + 1, prev }
      const ordered = Object.fromEntries(Object.keys(body).map((k) => [k, b[k as keyof typeof b]]))
      const hash = createHash('sha256').update(JSON.stringify(ordered)).digest('hex')
      prev = hash
      return JSON.stringify({ ...ordered, hash, ...(signature ? { signature } : {}) })
    })
    writeFileSync(logFile, `${rewritten.join('\n')}\n`)
    try {
      const v = await auditVerify()
      expect(v.code).toBe(1)
      expect(v.firstBreak?.line).toBeGreaterThan(0)
      expect(v.firstBreak?.problem).toMatch(/signature does not verify|rewritten|cut from its end/)
    } finally {
      writeFileSync(logFile, original)
    }
    expect((await auditVerify()).code).toBe(0)
  })

  it('has --help', async () => {
    const r = await runCli(['audit', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/audit verify --repo DIR/)
  })
})
