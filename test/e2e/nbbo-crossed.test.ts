/**
 * Crossed and locked markets. A hand-made day (NSDQ bids 10.05; NYSE offers 10.05, then 10.00; NSDQ then
 * offers 10.00 itself) is flagged by `opencat nbbo`, `opencat replay`, `opencat book` and the portal's API,
 * text and JSON, and the portal's Market page. On a simulated day, where exchanges route away or cancel back orders that would lock or
 * cross another exchange's quote and market makers quote inside the away market, the NBBO is crossed for
 * a negligible share of the regular session.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository, openRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { nbboTimeInState } from '../support/nbbo-states.ts'
import {
  addPerson,
  type PersonCredentials,
  type PortalClient,
  signedInPage,
  tokenClient,
} from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'
import { writeSubmission } from '../support/submission.ts'

const CHROMIUM = '/usr/bin/chromium'
const at = (hms: string) => `2026-03-02T${hms}`

describe('a hand-made crossed market', () => {
  let repoDir: string
  let portal: Portal
  let client: PortalClient
  let person: PersonCredentials

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'opencat-crossed-'))
    const ref = writeReference(join(root, 'ref'))
    // NYSE reports for itself too.
    const reporters = JSON.parse(readFileSync(join(ref, 'reporters.json'), 'utf8'))
    reporters.submitters.push({
      submitterId: 900003,
      name: 'NYSE',
      reportsFor: [{ reporter: 'NYSE', from: '2020-01-01', to: null }],
      thirdPartyFor: [],
    })
    writeFileSync(join(ref, 'reporters.json'), JSON.stringify(reporters))
    repoDir = join(root, 'repo')
    ;(await initRepository(repoDir, ref)).close()
    const order = (venue: string, n: number, hms: string, side: string, price: number) =>
      recordWith(BASE.EXOA, {
        exchange: venue,
        recordID: `20260302_${venue}${n}`,
        orderID: `${venue}${n}`,
        eventTimestamp: `20260302T${hms}`,
        side,
        price,
        quantity: 300,
        displayQty: 300,
        routedOrderID: `RT${venue}${n}`,
      })
    const files = join(root, 'files')
    writeSubmission(join(files, 'NSDQ'), {
      submitter: '900001',
      reporter: 'NSDQ',
      kind: 'ExchangeEvents',
      lines: [order('NSDQ', 1, '093000.000000', 'B', 10.05), order('NSDQ', 2, '093004.000000', 'SL', 10.0)],
    })
    writeSubmission(join(files, 'NYSE'), {
      submitter: '900003',
      reporter: 'NYSE',
      kind: 'ExchangeEvents',
      lines: [order('NYSE', 1, '093001.000000', 'SL', 10.05), order('NYSE', 2, '093002.000000', 'SL', 10.0)],
    })
    const r = await runCli(['submit', '--repo', repoDir, '--at', at('18:00:00'), '--json', files])
    expect(r.code, r.stderr).toBe(0)
    portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100 })
    client = await tokenClient(portal, repoDir, 'reader')
    person = await addPerson(repoDir, 'analyst', ['regulator'])
  }, 120_000)

  afterAll(async () => {
    await portal?.close()
  })

  const nbbo = async (time: string) => {
    const r = await runCli(['nbbo', '--repo', repoDir, '--symbol', 'XYZ', '--at', at(time), '--json'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as { bid: string; ask: string | null; crossed: boolean; locked: boolean }
  }

  it('opencat nbbo flags the locked and the crossed NBBO, and neither before', async () => {
    expect(await nbbo('09:30:00.5')).toMatchObject({ bid: '10.05', ask: null, crossed: false, locked: false })
    expect(await nbbo('09:30:01.5')).toMatchObject({
      bid: '10.05',
      ask: '10.05',
      crossed: false,
      locked: true,
    })
    expect(await nbbo('09:30:02.5')).toMatchObject({ bid: '10.05', ask: '10', crossed: true, locked: false })
    const text = await runCli(['nbbo', '--repo', repoDir, '--symbol', 'XYZ', '--at', at('09:30:02.5')])
    expect(text.stdout).toMatch(/CROSSED/)
    const locked = await runCli(['nbbo', '--repo', repoDir, '--symbol', 'XYZ', '--at', at('09:30:01.5')])
    expect(locked.stdout).toMatch(/LOCKED/)
  }, 120_000)

  it('opencat replay flags each NBBO change that locks or crosses', async () => {
    const args = [
      'replay',
      '--repo',
      repoDir,
      '--symbols',
      'XYZ',
      '--from',
      at('09:29:00'),
      '--to',
      at('09:30:03'),
    ]
    const json = await runCli([...args, '--json'])
    expect(json.code, json.stderr).toBe(0)
    const changes = json.stdout
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { kind: string; askPrice: string | null; crossed: boolean; locked: boolean },
      )
      .filter((i) => i.kind === 'nbbo')
      .map((i) => [i.askPrice, i.crossed, i.locked])
    expect(changes).toEqual([
      [null, false, false],
      ['10.05', false, true],
      ['10', true, false],
    ])
    const text = await runCli(args)
    expect(text.stdout.match(/NBBO.*LOCKED/g)?.length).toBe(1)
    expect(text.stdout.match(/NBBO.*CROSSED/g)?.length).toBe(1)
  }, 120_000)

  it('the API flags the crossed NBBO, and a venue book that crosses itself, with a notice', async () => {
    const n = (await client.get(`/api/nbbo?symbol=XYZ&at=${at('09:30:02.5')}`)).json() as {
      crossed: boolean
    }
    expect(n.crossed).toBe(true)
    const book = async (time: string) =>
      (await client.get(`/api/book?venue=NSDQ&symbol=XYZ&at=${at(time)}`)).json() as {
        crossed: boolean
        locked: boolean
        notice?: string
      }
    // NSDQ's own book is fine while only NYSE crosses it, and crossed once NSDQ rests an offer below its bid.
    expect(await book('09:30:03')).toMatchObject({ crossed: false, locked: false })
    const crossed = await book('09:30:05')
    expect(crossed.crossed).toBe(true)
    expect(crossed.notice).toMatch(/crossed book/)
    const text = await runCli([
      'book',
      '--repo',
      repoDir,
      '--venue',
      'NSDQ',
      '--symbol',
      'XYZ',
      '--at',
      at('09:30:05'),
    ])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/CROSSED: crossed book/)
  }, 120_000)

  it.skipIf(!existsSync(CHROMIUM))(
    'the Market page shows both flags',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      })
      try {
        const page = await signedInPage(browser, portal.url, person, '/legacy/')
        await page.click('nav a[data-page="market"]')
        await page.fill('#market-form input[name="venue"]', 'NSDQ')
        await page.fill('#market-form input[name="symbol"]', 'XYZ')
        await page.fill('#market-form input[name="at"]', at('09:30:05'))
        await page.click('#market-form button')
        await page.waitForSelector('#market-result table')
        expect(await page.locator('#market-nbbo .market-flag').textContent()).toMatch(/CROSSED/)
        expect(await page.locator('#market-result .market-flag').textContent()).toMatch(
          /CROSSED: crossed book/,
        )
      } finally {
        await browser.close()
      }
    },
    60_000,
  )
})

describe('a simulated day', () => {
  it('has a crossed NBBO for well under 0.05% of each symbol’s regular session, and rarely a locked one', async () => {
    const day = await simulatedDay({ orders: 3000, customers: 60 })
    const repo = await initRepository(join(day, '..', 'repo'), join(day, 'reference'))
    await submitFiles(repo, [join(day, 'submissions')], { nowNs: isoOrCatToNs(at('20:00:00')) })
    repo.close()
    const read = await openRepository(join(day, '..', 'repo'))
    try {
      const rows = await nbboTimeInState(read, 20260302)
      expect(rows.length).toBeGreaterThan(10)
      const session = rows.reduce((n, r) => n + r.regularNs, 0)
      const crossed = rows.reduce((n, r) => n + r.crossedNs, 0)
      const locked = rows.reduce((n, r) => n + r.lockedNs, 0)
      // Exchanges no longer rest or quote through each other: a demo-sized day (20,000 orders) measures
      // 0 s crossed and 0 s locked, against about 70 % of the session crossed before order protection.
      // The bounds (0.05 % of the session, 12 s of a 6.5 h day; 0.5 % for any one symbol) leave room for what
      // a rebuilt NBBO cannot order exactly, venues' events stamped by their own clocks, and are still a
      // thousand times below what the simulator without protection gives.
      expect(crossed / session).toBeLessThan(0.0005)
      for (const r of rows) expect(r.crossedNs / r.regularNs, r.symbol).toBeLessThan(0.005)
      expect(locked / session).toBeLessThan(0.005)
    } finally {
      read.close()
    }
  }, 600_000)
})
