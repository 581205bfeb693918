/**
 * `opencat nbbo --reporter R --firm-roe-id ID`: an order against the NBBO just before it, found by its
 * firmROEID or, for an exchange, its recordID. A firm's firmROEID carries its event date (2032, 2033), but
 * an exchange's recordID need not: NSDQ used one recordID on two event dates. The command asks for the
 * date instead of picking one, and with it answers from that date's market: NSDQ quotes 10.05 × 10.10 on
 * Monday and 20.00 × 20.10 on Tuesday, and the reused recordID is a buy at 10.10 (marketable) on Monday
 * and at 19.00 (not) on Tuesday.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

const ROE = 'REUSED1'
let repo: string

/** A day's NSDQ file: its bid and offer at 09:30, and a buy order under the reused recordID at 10:00. */
function writeDay(dir: string, date: string, bid: number, ask: number, buyAt: number): void {
  const order = (recordID: string, hms: string, side: string, price: number) =>
    recordWith(BASE.EXOA, {
      recordID,
      orderID: `${recordID}-${date}`,
      eventTimestamp: `${date}T${hms}`,
      side,
      price,
      quantity: 100,
      displayQty: 100,
      timeInForce: { DAY: Number(date) },
    })
  writeSubmission(join(dir, date), {
    submitter: '900001',
    reporter: 'NSDQ',
    kind: 'ExchangeEvents',
    date,
    lines: [
      order(`${date}_Q1`, '093000.000000', 'B', bid),
      order(`${date}_Q2`, '093000.000000', 'SL', ask),
      order(ROE, '100000.000000', 'B', buyAt),
    ],
  })
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'opencat-nbbo-order-'))
  repo = join(root, 'repo')
  ;(await initRepository(repo, writeReference(join(root, 'ref')))).close()
  const files = join(root, 'files')
  writeDay(files, '20260302', 10.05, 10.1, 10.1)
  writeDay(files, '20260303', 20, 20.1, 19)
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-03T18:00:00', '--json', files])
  expect(r.code, r.stderr).toBe(0)
  const s = JSON.parse(r.stdout) as { accepted: number; rejected: number }
  expect(s, r.stdout).toMatchObject({ accepted: 6, rejected: 0 })
}, 120_000)

describe('nbbo for an order by its firmROEID', () => {
  const nbbo = (...extra: string[]) =>
    runCli(['nbbo', '--repo', repo, '--reporter', 'NSDQ', '--firm-roe-id', ROE, '--json', ...extra])

  it('asks for the date when the firmROEID is on several dates, naming them', async () => {
    const r = await nbbo()
    expect(r.code).not.toBe(0)
    // With --json the error comes as JSON on standard output.
    const e = JSON.parse(r.stdout) as { code: string; message: string }
    expect(e.code).toBe('OCAT_ERR_CLI_USAGE')
    expect(e.message).toMatch(/on 2 event dates \(2026-03-02, 2026-03-03\): give --date/)
    const text = await runCli(['nbbo', '--repo', repo, '--reporter', 'NSDQ', '--firm-roe-id', ROE])
    expect(text.code).not.toBe(0)
    expect(text.stderr).toMatch(/give --date/)
  }, 60_000)

  it("answers from the given date's order and market", async () => {
    const answer = async (date: string) => {
      const r = await nbbo('--date', date)
      expect(r.code, r.stderr).toBe(0)
      return JSON.parse(r.stdout) as {
        order: { symbol: string; price: string; at: string }
        nbbo: { bid: string; ask: string }
        marketable: boolean
      }
    }
    const monday = await answer('2026-03-02')
    expect(monday.order.at).toMatch(/^20260302T100000/)
    expect(monday.nbbo).toMatchObject({ bid: '10.05', ask: '10.1' })
    expect(monday.marketable).toBe(true)
    const tuesday = await answer('20260303')
    expect(tuesday.order.at).toMatch(/^20260303T100000/)
    expect(tuesday.nbbo).toMatchObject({ bid: '20', ask: '20.1' })
    expect(tuesday.marketable).toBe(false)
  }, 60_000)

  it('says not found on a date without it, and refuses a date that is not one', async () => {
    const none = await nbbo('--date', '2026-03-04')
    expect(none.code).not.toBe(0)
    expect(JSON.parse(none.stdout)).toMatchObject({ code: 'OCAT_ERR_NOT_FOUND' })
    expect(none.stdout).toMatch(/on 2026-03-04/)
    const bad = await nbbo('--date', 'Monday')
    expect(bad.code).not.toBe(0)
    expect(JSON.parse(bad.stdout)).toMatchObject({ code: 'OCAT_ERR_CLI_USAGE' })
    expect(bad.stdout).toMatch(/\\"Monday\\" is not a date/)
  }, 60_000)
})
