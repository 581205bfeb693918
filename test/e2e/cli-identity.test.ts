/**
 * The query commands' identity: an API token (or OPENCAT_TOKEN), or the repository owner, authorised as
 * the matching API route is — a regulator reads lifecycles, PII needs the pii entitlement and a reason, a
 * reporter sees only its own IMIDs' report cards, a bad or revoked token is refused — and the access log
 * names whoever asked.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readAccessLog } from '../../src/store/access-log.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { runCli } from '../support/cli.ts'
import { addMachineToken } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
/** The day the files were submitted and processed, the report card's date. */
const PROCESSED = '2026-03-03'
const root = mkdtempSync(join(tmpdir(), 'opencat-cli-identity-'))
const repo = join(root, 'repo')
const tokens: Record<string, string> = {}
let lifecycleId: string
let ccid: string
/** Two reporters of the day: the reporter account's own, and another. */
let own: string
let other: string

async function run(args: string[], env: Record<string, string> = {}) {
  const r = await runCli([...args, '--json'], env)
  return { ...r, answer: r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : {} }
}

const entries = () => readAccessLog(new RepoPaths(repo)).entries

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, seed: 3 })
  expect(
    (await runCli(['init', '--repo', repo, '--reference', join(day, 'reference'), '--pii-vault'])).code,
  ).toBe(0)
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-03T09:00:00', join(day, 'submissions')])
  expect(r.code, r.stderr).toBe(0)
  // The owner of the repository reads without a token, as a regulator.
  const page = await run(['browse', '--repo', repo, '--date', DATE, '--limit', '200'])
  expect(page.code, page.stderr).toBe(0)
  const events = page.answer.events as { reporter: string; lifecycleIds: string[] }[]
  lifecycleId = events.find((e) => e.lifecycleIds.length > 0)!.lifecycleIds[0]
  const reporters = [...new Set(events.map((e) => e.reporter))].filter((x) => /^[A-Z]{3,}/.test(x))
  ;[own, other] = reporters
  const customers = await run([
    'sql',
    '--repo',
    repo,
    '--operator',
    'SELECT ccid FROM event_customers WHERE ccid IS NOT NULL LIMIT 1',
  ])
  expect(customers.code, customers.stderr).toBe(0)
  ccid = String((customers.answer.rows as { ccid: string }[])[0].ccid)
  tokens.reg = await addMachineToken(repo, 'reg', ['regulator'])
  tokens.regpii = await addMachineToken(repo, 'regpii', ['regulator', 'pii'])
  tokens.firm = await addMachineToken(repo, 'firm', ['reporter'], [own])
  tokens.gone = await addMachineToken(repo, 'gone', ['regulator'])
  expect((await runCli(['token', 'revoke', '--repo', repo, '--user', 'gone', '--all'])).code).toBe(0)
}, 180_000)

describe('query commands take a real identity', () => {
  it('lets a regulator token read a lifecycle, and logs the token holder as who read it', async () => {
    const before = entries().length
    const lc = await run(['lifecycle', '--repo', repo, '--lifecycle', lifecycleId, '--token', tokens.reg])
    expect(lc.code, lc.stderr).toBe(0)
    expect(lc.answer.lifecycleId).toBe(lifecycleId)
    // The same through OPENCAT_TOKEN.
    const viaEnv = await run(['lifecycle', '--repo', repo, '--lifecycle', lifecycleId], {
      OPENCAT_TOKEN: tokens.reg,
    })
    expect(viaEnv.stdout).toBe(lc.stdout)
    const logged = entries()
      .slice(before)
      .filter((e) => e.action === 'cli lifecycle')
    expect(logged.map((e) => [e.user, e.status])).toEqual([
      ['reg', 0],
      ['reg', 0],
    ])
  })

  it('reveals PII only to a regulator holding the pii entitlement, with a reason', async () => {
    const ask = ['customer', '--repo', repo, '--ccid', ccid, '--from', DATE, '--to', DATE, '--reveal-pii']
    const plain = await run(['customer', '--repo', repo, '--ccid', ccid, '--from', DATE, '--to', DATE])
    expect(plain.code, plain.stderr).toBe(0)
    for (const refused of [
      await run([...ask, '--token', tokens.reg, '--reason', 'curious']),
      await run([...ask, '--reason', 'owner, curious']),
      await run([...ask, '--token', tokens.regpii]),
    ]) {
      expect(refused.code).toBe(1)
      expect(refused.answer.code).toBe('OCAT_ERR_PII_NOT_ENTITLED')
      expect(refused.stdout).not.toContain('"pii"')
    }
    const shown = await run([...ask, '--token', tokens.regpii, '--reason', 'case 2026-17'])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.answer.ccids).toEqual(plain.answer.ccids)
    expect((shown.answer.pii as { ccid: string }[]).map((p) => p.ccid)).toContain(ccid)
    const reveals = entries().filter((e) => e.action.startsWith('pii-reveal'))
    expect(reveals.map((e) => `${e.user} ${e.action}`)).toEqual([
      'reg pii-reveal-refused',
      `${reveals[1].user} pii-reveal-refused`,
      'regpii pii-reveal-refused',
      'regpii pii-reveal',
    ])
    expect(reveals[1].user).toMatch(/^os:/)
    expect(reveals[3].reason).toBe('case 2026-17')
  })

  it("gives a reporter token its own IMID's report card and refuses another's and every lifecycle", async () => {
    const card = (imid: string) => ['report-card', '--repo', repo, '--reporter', imid, '--date', PROCESSED]
    const mine = await run([...card(own), '--token', tokens.firm])
    expect(mine.code, mine.stderr).toBe(0)
    const asRegulator = await run([...card(own), '--token', tokens.reg])
    expect(mine.stdout).toBe(asRegulator.stdout)
    const theirs = await run([...card(other), '--token', tokens.firm])
    expect(theirs.code).toBe(1)
    expect(theirs.answer.code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
    expect(theirs.answer.message).toContain(`imid:${own}`)
    const lc = await run(['lifecycle', '--repo', repo, '--lifecycle', lifecycleId, '--token', tokens.firm])
    expect(lc.answer.code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
  })

  it('refuses a malformed, unknown or revoked token with a clear error and exit status 1', async () => {
    const unknown = `ocat_${'0'.repeat(12)}_${'A'.repeat(43)}`
    const cases = [
      ['not-a-token', 'malformed-token'],
      [unknown, 'unknown-token'],
      [tokens.gone, 'revoked-token'],
    ]
    for (const [token, refusal] of cases) {
      const text = await runCli(['lifecycle', '--repo', repo, '--lifecycle', lifecycleId, '--token', token])
      expect(text.code, token).toBe(1)
      expect(text.stderr).toContain(`the token is refused: ${refusal}`)
      const asJson = await run(['lifecycle', '--repo', repo, '--lifecycle', lifecycleId, '--token', token])
      expect(asJson.answer.code).toBe('OCAT_ERR_AUTH_REFUSED')
    }
    const gone = entries().filter((e) => e.action === 'cli lifecycle' && e.user === 'gone')
    expect(gone.map((e) => [e.status, e.error])).toEqual([
      [1, 'OCAT_ERR_AUTH_REFUSED'],
      [1, 'OCAT_ERR_AUTH_REFUSED'],
    ])
  })

  it('keeps an access log that audit verify accepts, naming each identity and no credential', async () => {
    const v = await run(['audit', 'verify', '--repo', repo])
    expect(v.code, v.stdout).toBe(0)
    expect(v.answer.ok).toBe(true)
    const users = new Set(
      entries()
        .filter((e) => e.action.startsWith('cli '))
        .map((e) => e.user),
    )
    for (const u of ['reg', 'regpii', 'firm', 'gone']) expect(users).toContain(u)
    const text = JSON.stringify(entries())
    for (const t of Object.values(tokens)) expect(text).not.toContain(t.slice(18))
  })
})
