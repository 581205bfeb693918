/**
 * The intake commands as a user runs them: init, submit (exit status, --json), report-card, verify-receipt,
 * and bad command lines.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-cli-'))
const repo = join(root, 'repo')

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  writeSubmission(join(root, 'in'), {
    lines: [
      JSON.stringify(BASE.MENO),
      JSON.stringify(BASE.MEOC),
      recordWith(BASE.MEOR, { destinationType: 'X' }),
    ],
  })
}, 60_000)

describe('opencat intake commands', () => {
  it('init creates a repository and refuses a second one in the same place', async () => {
    const first = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
    expect(first.code).toBe(0)
    // Two exchanges and FINRA, which reports its facilities' trade reports as a participant.
    expect(JSON.parse(first.stdout).reference).toMatchObject({ firms: '2', exchanges: '3' })
    const again = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toMatchObject({ code: 'OCAT_ERR_REPO_EXISTS' })
  })

  it('submit exits 0 with data errors as feedback, and reports them in --json', async () => {
    const r = await runCli([
      'submit',
      '--repo',
      repo,
      '--at',
      '2026-03-02T18:00:00',
      '--json',
      join(root, 'in'),
    ])
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout)
    expect(summary).toMatchObject({ records: 3, accepted: 2, rejected: 1, errorsByCode: { 2020: 1 } })
    // The metadata said doneForDay, so the date was linked in the same run.
    expect(summary.linkage).toEqual([
      expect.objectContaining({ eventDate: 20260302, trigger: 'doneForDay', run: 1 }),
    ])
    expect(
      existsSync(join(repo, 'store', 'linkage', 'event_date=20260302', 'run=000001', 'summary.json')),
    ).toBe(true)
  })

  it('report-card gives the error rate against the maximum', async () => {
    const r = await runCli([
      'report-card',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--date',
      '2026-03-02',
      '--json',
    ])
    expect(r.code).toBe(0)
    const card = JSON.parse(r.stdout)
    expect(card).toMatchObject({ records: 3, errors: 1, withinLimit: false })
    expect(card.errorRate).toBeCloseTo(1 / 3)
    expect(card.byCode).toEqual([{ code: 2020, count: 1, title: expect.any(String) }])
  })

  it('verify-receipt accepts the acknowledgement of a submitted file and the whole log', async () => {
    const ack = join(
      repo,
      'feedback',
      '104001',
      'feedback',
      '104001_ALDR_20260302_OrderEvents_000001.ack.json',
    )
    expect(JSON.parse(readFileSync(ack, 'utf8')).receipt).toBeDefined()
    const r = await runCli(['verify-receipt', '--repo', repo, ack])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('verified')
    expect((await runCli(['verify-receipt', '--repo', repo, '--log'])).code).toBe(0)
  })

  it('answers a bad command line with a usage error and exit status 2', async () => {
    const r = await runCli(['submit', '--repo', repo, '--nonsense'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Unknown option')
    const missing = await runCli([
      'report-card',
      '--repo',
      join(root, 'nope'),
      '--reporter',
      'X',
      '--date',
      '2026-03-02',
      '--json',
    ])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout).code).toBe('OCAT_ERR_REPO_NOT_FOUND')
  })
})
