/**
 * The options series master (options.json in the reference folder), through the CLI: a series whose OSI
 * symbol contradicts its own terms is refused when the reference is loaded; a repository without a master
 * does not check series; once `opencat reference --load` brings one, an option event naming a series it
 * does not list gets 2058, and one whose series is no longer effective 2060.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import { validJson } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-options-'))
const repo = join(root, 'repo')
const withMaster = writeReference(join(root, 'ref'))
const withoutMaster = writeReference(join(root, 'ref-none'))
rmSync(join(withoutMaster, 'options.json'))
const mono = CATALOGUE_V41.events.get('MONO')!

async function submitMono(number: number, optionID: string) {
  const dir = join(root, `in-${number}`)
  writeSubmission(dir, {
    number,
    fileVersion: '4.1.0',
    doneForDay: false,
    lines: [validJson(mono, CATALOGUE_V41, number, { optionID })],
  })
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T12:00:00', '--json', dir])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as { accepted: number; rejected: number; errorsByCode: Record<string, number> }
}

beforeAll(async () => {
  const r = await runCli(['init', '--repo', repo, '--reference', withoutMaster, '--json'])
  expect(r.code, r.stderr).toBe(0)
}, 60_000)

describe('options series master', { timeout: 120_000 }, () => {
  it('refuses a series whose OSI symbol contradicts its strike, expiry or put/call', async () => {
    const bad = writeReference(join(root, 'ref-bad'))
    const doc = JSON.parse(readFileSync(join(bad, 'options.json'), 'utf8'))
    doc.series[0].strike = '11'
    doc.series[1].putCall = 'P'
    writeFileSync(join(bad, 'options.json'), JSON.stringify(doc))
    const r = await runCli(['reference', '--repo', repo, '--load', bad, '--json'])
    expect(r.code).not.toBe(0)
    const out = `${r.stdout}${r.stderr}`
    expect(out).toContain('options.json: series[0]: optionID strike differs from strike')
    expect(out).toContain('options.json: series[1]: optionID put/call differs from putCall')
  })

  it('checks no series while the repository has no master', async () => {
    expect(await submitMono(1, 'XYZ   260320C00099000')).toMatchObject({ accepted: 1, rejected: 0 })
  })

  it('checks series against the master once one is loaded', async () => {
    const r = await runCli(['reference', '--repo', repo, '--load', withMaster, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(await submitMono(2, 'XYZ   260320C00010000')).toMatchObject({ accepted: 1, rejected: 0 })
    expect(await submitMono(3, 'XYZ   260320C00099000')).toMatchObject({
      rejected: 1,
      errorsByCode: { 2058: 1 },
    })
    expect(await submitMono(4, 'XYZ   250321C00010000')).toMatchObject({
      rejected: 1,
      errorsByCode: { 2060: 1 },
    })
  })
})
