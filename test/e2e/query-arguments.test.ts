/**
 * What regulators' commands refuse: an instant given as a bare date (book, nbbo, replay and the book and
 * NBBO API routes would otherwise read midnight), an unparsable time, and a report card for a reporter the
 * reference data does not know or a date with nothing processed (CLI: a clear message and a non-zero exit;
 * API: 404 OCAT_ERR_NOT_FOUND). A report card counts records accepted late among its errors, and the portal
 * shows its stages and its rate after repairs.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import {
  addPerson,
  type PersonCredentials,
  type PortalClient,
  signedInPage,
  tokenClient,
} from '../support/portal.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-args-'))
const repo = join(root, 'repo')
let portal: Portal
let client: PortalClient
let person: PersonCredentials

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  expect((await runCli(['init', '--repo', repo, '--reference', join(root, 'ref')])).code).toBe(0)
  // Three records of 2026-03-02: two on time, and one sent two days later (its deadline was 03-03 08:00).
  writeSubmission(join(root, 'day'), {
    lines: [JSON.stringify(BASE.MENO), JSON.stringify(BASE.MEOC)],
    doneForDay: false,
  })
  writeSubmission(join(root, 'late'), {
    number: 2,
    date: '20260304',
    lines: [recordWith(BASE.MENO, { firmROEID: '20260302_N9', orderID: 'O9' })],
    doneForDay: false,
  })
  for (const [dir, at] of [
    ['day', '2026-03-02T18:00:00'],
    ['late', '2026-03-04T12:00:00'],
  ]) {
    const r = await runCli(['submit', '--repo', repo, '--at', at, join(root, dir)])
    expect(r.code, r.stderr).toBe(0)
  }
  portal = await startPortal({ repo, port: 0, keepOpenMs: 100 })
  client = await tokenClient(portal, repo, 'reader')
  person = await addPerson(repo, 'analyst', ['regulator'])
}, 120_000)

afterAll(async () => {
  await portal?.close()
})

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await client.get(path)
  return { status: res.status, body: res.json() }
}

describe('an instant given as a date alone', { timeout: 180_000 }, () => {
  const commands: [string, string[]][] = [
    ['book', ['book', '--repo', repo, '--venue', 'NSDQ', '--symbol', 'XYZ', '--at']],
    ['nbbo', ['nbbo', '--repo', repo, '--symbol', 'XYZ', '--at']],
    ['replay', ['replay', '--repo', repo, '--symbols', 'XYZ', '--to', '2026-03-02T16:00:00', '--from']],
  ]
  for (const [name, args] of commands) {
    it(`is refused by ${name} with a usage error naming the missing time`, async () => {
      for (const date of ['2026-03-02', '20260302']) {
        const r = await runCli([...args, date, '--json'])
        expect(r.code).toBe(2)
        expect(JSON.parse(r.stdout)).toMatchObject({ code: 'OCAT_ERR_CLI_USAGE' })
        expect(JSON.parse(r.stdout).message).toContain(`"${date}" is a date, not an instant`)
      }
      const bad = await runCli([...args, '2026-03-02T25:00:00', '--json'])
      expect(bad.code).toBe(2)
      expect(JSON.parse(bad.stdout).message).toMatch(/is not a time \(hour must be 00-23\)/)
      // With a time (minutes are enough) the instant is read, whatever the command then answers.
      const ok = await runCli([...args, '2026-03-02T09:30', '--json'])
      expect(ok.stdout).not.toMatch(/not an instant|is not a time/)
    })
  }

  it('is refused by the book and NBBO API routes with 400', async () => {
    for (const path of [
      '/api/book?venue=NSDQ&symbol=XYZ&at=2026-03-02',
      '/api/nbbo?symbol=XYZ&at=2026-03-02',
    ]) {
      const { status, body } = await get(path)
      expect(status, path).toBe(400)
      expect(body).toMatchObject({ code: 'OCAT_ERR_CLI_USAGE' })
      expect(String(body.message)).toContain('is a date, not an instant')
    }
  })
})

describe('report-card', { timeout: 180_000 }, () => {
  it('refuses a reporter the reference data does not know', async () => {
    const r = await runCli(['report-card', '--repo', repo, '--reporter', 'NOPE', '--date', '2026-03-02'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/NOPE is not a CAT reporter/)
    expect(r.stdout).not.toMatch(/within limit/)
    const { status, body } = await get('/api/report-card?reporter=NOPE&date=2026-03-02')
    expect(status).toBe(404)
    expect(body).toMatchObject({ code: 'OCAT_ERR_NOT_FOUND' })
  })

  it('refuses a date with nothing processed, and a date that does not exist', async () => {
    const r = await runCli([
      'report-card',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--date',
      '2026-03-09',
      '--json',
    ])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'OCAT_ERR_NOT_FOUND' })
    expect(JSON.parse(r.stdout).message).toMatch(/ALDR has no data file processed on 20260309/)
    const bad = await runCli(['report-card', '--repo', repo, '--reporter', 'ALDR', '--date', '2026-02-30'])
    expect(bad.code).toBe(2)
    const { status } = await get('/api/report-card?reporter=ALDR&date=2026-03-09')
    expect(status).toBe(404)
  })

  it('counts a record accepted after its deadline as late, in the error rate', async () => {
    const r = await runCli([
      'report-card',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--date',
      '2026-03-04',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const card = JSON.parse(r.stdout)
    expect(card).toMatchObject({ records: 1, late: 1, errors: 1, errorRate: 1, withinLimit: false })
    expect(card.stages).toContainEqual({ stage: 'late', errors: 1, rate: 1, outstanding: 1 })
    const onTime = JSON.parse(
      (await runCli(['report-card', '--repo', repo, '--reporter', 'ALDR', '--date', '2026-03-02', '--json']))
        .stdout,
    )
    expect(onTime).toMatchObject({ records: 2, late: 0 })
  })
})

const CHROMIUM = '/usr/bin/chromium'

describe.skipIf(!existsSync(CHROMIUM))('the report card in the portal', () => {
  it('shows the errors per stage and the rate after repairs', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      const page = await signedInPage(browser, portal.url, person, '/legacy/')
      await page.click('nav a[data-page="report"]')
      await page.fill('#report-form input[name="reporter"]', 'ALDR')
      await page.fill('#report-form input[name="date"]', '2026-03-04')
      await page.click('#report-form button')
      await page.waitForSelector('#report-result table')
      const text = await page.locator('#report-result').textContent()
      expect(text).toContain('after repairs 1 errors, 100.00 %')
      const rows = await page.locator('#report-result table').first().locator('tbody tr').allTextContents()
      expect(rows).toEqual(['integrity00', 'ingestion00', 'linkage00', 'late11'])
    } finally {
      await browser.close()
    }
  }, 60_000)
})
