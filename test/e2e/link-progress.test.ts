/**
 * `opencat link` shows its progress on standard error, pass by pass, ending with every pass done; with
 * --json it stays quiet there and prints only the summary.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { LINK_PASSES } from '../../src/link/index.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

let repo: string

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'opencat-link-progress-'))
  repo = join(root, 'repo')
  ;(await initRepository(repo, writeReference(join(root, 'ref')))).close()
  const files = join(root, 'files')
  writeSubmission(files, {
    lines: [recordWith(BASE.MENO, {}), recordWith(BASE.MENO, { firmROEID: '20260302_N2', orderID: 'O2' })],
  })
  const r = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T18:00:00',
    '--no-link',
    '--json',
    files,
  ])
  expect(r.code, r.stderr).toBe(0)
}, 120_000)

describe('opencat link', () => {
  // The repository is made in beforeAll, after this block is read.
  const link = () => ['link', '--repo', repo, '--date', '2026-03-02', '--full', '--at', '2026-03-02T19:00:00']

  it('shows each pass on standard error and ends with all of them done', async () => {
    const r = await runCli(link())
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stderr.trim().split('\n')
    const last = lines[lines.length - 1]
    expect(last).toMatch(new RegExp(`^linking .*${LINK_PASSES.length}/${LINK_PASSES.length} passes`))
    expect(r.stdout).toMatch(/lifecycles/)
  }, 60_000)

  it('stays quiet on standard error with --json', async () => {
    const r = await runCli([...link(), '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/linking/)
    expect(JSON.parse(r.stdout)).toMatchObject({ eventDate: 20260302 })
  }, 60_000)
})
