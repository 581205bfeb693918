/**
 * The engine's memory limit an operator sets with OPENCAT_MEMORY_LIMIT: every command opens the engine
 * under it (a day submitted and linked under 256 MB answers as one under the default); a command that
 * needs more stops with OCAT_ERR_ENGINE_MEMORY, not a crash, and runs again once the limit is raised; a
 * value that is not a size stops the command with a clear usage error before it touches the repository;
 * `opencat --help` names the setting.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SUMMARIES } from '../../src/cli/commands/summaries.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

const TIGHT = { OPENCAT_MEMORY_LIMIT: '256MB' }
let root: string
let files: string

/** A repository holding NSDQ's day, submitted (and linked) with the given environment. */
async function repoWith(name: string, env: Record<string, string>): Promise<string> {
  const repo = join(root, name)
  ;(await initRepository(repo, writeReference(join(root, `${name}-ref`)))).close()
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T18:00:00', '--json', files], env)
  expect(r.code, r.stderr).toBe(0)
  expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 4, rejected: 0 })
  return repo
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'opencat-memory-limit-'))
  files = join(root, 'files')
  const order = (n: number, hms: string, side: string, price: number) =>
    recordWith(BASE.EXOA, {
      recordID: `20260302_M${n}`,
      orderID: `M${n}`,
      eventTimestamp: `20260302T${hms}`,
      side,
      price,
      quantity: 100,
      displayQty: 100,
    })
  writeSubmission(files, {
    submitter: '900001',
    reporter: 'NSDQ',
    kind: 'ExchangeEvents',
    lines: [
      order(1, '093000.000000', 'B', 10.01),
      order(2, '093001.000000', 'SL', 10.04),
      order(3, '093002.000000', 'B', 10.02),
      order(4, '093003.000000', 'SL', 10.03),
    ],
  })
})

describe('OPENCAT_MEMORY_LIMIT', () => {
  it('runs submit, link and the queries under a tight limit with the same answers', async () => {
    const tight = await repoWith('tight', TIGHT)
    const plain = await repoWith('plain', {})
    const ask = async (repo: string, env: Record<string, string>, args: string[]) => {
      const r = await runCli([...args, '--repo', repo, '--json'], env)
      expect(r.code, r.stderr).toBe(0)
      return JSON.parse(r.stdout) as Record<string, unknown>
    }
    const book = ['book', '--venue', 'NSDQ', '--symbol', 'XYZ', '--at', '2026-03-02T09:31:00']
    const nbbo = ['nbbo', '--symbol', 'XYZ', '--at', '2026-03-02T09:31:00']
    expect(await ask(tight, TIGHT, book)).toEqual(await ask(plain, {}, book))
    const quote = await ask(tight, TIGHT, nbbo)
    expect(quote).toMatchObject({ bid: '10.02', ask: '10.03' })
    expect(quote).toEqual(await ask(plain, {}, nbbo))
    const link = await ask(tight, TIGHT, [
      'link',
      '--date',
      '2026-03-02',
      '--full',
      '--at',
      '2026-03-02T19:00:00',
    ])
    expect(link).toMatchObject({ eventDate: 20260302 })
  }, 120_000)

  it('stops a command that needs more with OCAT_ERR_ENGINE_MEMORY, and the command runs again once raised', async () => {
    const repo = join(root, 'plain')
    const link = ['link', '--repo', repo, '--date', '2026-03-02', '--full', '--at', '2026-03-02T19:30:00']
    const starved = await runCli(link, { OPENCAT_MEMORY_LIMIT: '4MB' })
    expect(starved.code).toBe(1)
    expect(starved.stderr).toMatch(
      /^opencat: the engine ran out of memory \(.*\) with its limit at OPENCAT_MEMORY_LIMIT=4MB: raise it/,
    )
    expect(starved.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/)
    const json = await runCli([...link, '--json'], { OPENCAT_MEMORY_LIMIT: '4MB' })
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'OCAT_ERR_ENGINE_MEMORY' })
    const again = await runCli([...link, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ eventDate: 20260302 })
  }, 120_000)

  it('stops a command with a clear usage error when the limit is not a size', async () => {
    const r = await runCli(
      [
        'book',
        '--repo',
        join(root, 'plain'),
        '--venue',
        'NSDQ',
        '--symbol',
        'XYZ',
        '--at',
        '2026-03-02T09:31:00',
      ],
      {
        OPENCAT_MEMORY_LIMIT: 'plenty',
      },
    )
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/OPENCAT_MEMORY_LIMIT="plenty" is not a memory size/)
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
  }, 60_000)

  it('is named in the overview of `opencat --help`, with every command', async () => {
    const r = await runCli(['--help'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Environment:\n {2}OPENCAT_MEMORY_LIMIT {2}the engine's memory limit/m)
    for (const name of Object.keys(SUMMARIES)) expect(r.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'))
  })
})
