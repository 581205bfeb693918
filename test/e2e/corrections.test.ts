/**
 * Repairs and deletes that name a record by the errorROEID linkage feedback gave it, through `opencat
 * submit` and the feedback files (IM spec §7.6): a record reusing another's firmROEID (3002) repaired under
 * a new firmROEID retires the duplicate version, so relinking reports no 3002 again and links the repaired
 * record, while the store still holds the original version, and customer activity shows the repaired
 * order; a DEL naming a linkage errorROEID is accepted and takes the record out of the current views; one
 * date's current versions (current_events_of) are what current_events gives for it, a record corrected and
 * then deleted by its corrected version's errorROEID included.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bzip2Buffer } from '../../src/common/bzip2.ts'
import { openRepository } from '../../src/store/repository.ts'
import '../../src/pipeline/stage-views.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { type ErrorLine, readErrorLines } from '../support/link-harness.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-corrections-'))
const repo = join(root, 'repo')
const feedback = join(repo, 'feedback', '104001')

// A new order, its cancel and another order of the same account both written under the order's firmROEID
// (duplicates, 3002), and a cancel of an order ALDR never reported (unlinked, an intrafirm linkage error).
const order = recordWith(BASE.MENO, {})
const cancel = recordWith(BASE.MEOC, { firmROEID: BASE.MENO.firmROEID })
const secondOrder = recordWith(BASE.MENO, {
  orderID: 'O5',
  orderKeyDate: '20260302T093100.000',
  eventTimestamp: '20260302T093100.000',
})
// A trade for the order's account against the firm's account PROP1, with no trade report to link to.
const trade = recordWith(BASE.MEOT, {})
const stray = recordWith(BASE.MEOC, {
  firmROEID: '20260302_C7',
  orderID: 'O7',
  orderKeyDate: '20260302T091500.000',
})

async function submit(name: string, number: number, lines: string[], at: string) {
  writeSubmission(join(root, name), { number, lines })
  const r = await runCli(['submit', '--repo', repo, '--at', at, '--json', join(root, name)])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as {
    accepted: number
    rejected: number
    errorsByCode: Record<string, number>
    linkage: { eventDate: number; errorsByCode: Record<string, number> }[]
  }
}

/** The lines of ALDR's linkage error files, newest run last. */
function linkageErrors(): ErrorLine[][] {
  return readdirSync(join(feedback, 'errors'))
    .filter((f) => f.includes('.linkage.error'))
    .sort()
    .map((f) => readErrorLines(join(feedback, 'errors', f)))
}

async function storeRows(sql: string): Promise<Record<string, unknown>[]> {
  const r = await openRepository(repo)
  try {
    return await r.db.all<Record<string, unknown>>(sql)
  } finally {
    r.close()
  }
}

/** The customer files of ALDR: the account the orders name, held by one person. */
function writeCustomers(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const data = {
    version: '2.0.0',
    catReporterCRD: 104001,
    catSubmitterID: 104001,
    fdidRecordCount: 2,
    fdidRecordList: [BASE.MENO.firmDesignatedID, 'PROP1'].map((fdid) => ({
      firmDesignatedID: fdid,
      fdidType: 'ACCOUNT',
      accountType: ['INDIVIDUAL'],
      fdidDate: 20250101,
      fdidCustomerList: [{ customerRecordID: 'C1', role: 'HOLDER', roleStartDate: 20250101 }],
    })),
    naturalPersonCustomerRecordCount: 1,
    naturalPersonCustomerList: [
      { customerRecordID: 'C1', firstName: 'Test', lastName: 'Holder', yearOfBirth: 1980, addressList: [] },
    ],
    legalEntityCustomerRecordCount: 0,
    legalEntityCustomerList: [],
  }
  const tid = createHash('sha256').update('cat-tid-v1:666-00-0001').digest('hex')
  writeFileSync(
    join(dir, '104001_104001_20260302_CAISData_000001.json.bz2'),
    bzip2Buffer(JSON.stringify(data)),
  )
  writeFileSync(
    join(dir, '104001_104001_20260302_CAISTID_000001.json.bz2'),
    bzip2Buffer(
      JSON.stringify({
        version: '2.0.0',
        tidRecordCount: 1,
        tidRecordList: [{ customerRecordID: 'C1', tidType: 'SSN', tid }],
      }),
    ),
  )
}

/** The events customer activity gives for an ALDR account, as `type firmROEID`. */
async function accountEvents(fdid: string): Promise<string[]> {
  const r = await runCli([
    'customer',
    '--repo',
    repo,
    '--reporter',
    'ALDR',
    '--fdid',
    fdid,
    '--from',
    '2026-03-02',
    '--to',
    '2026-03-02',
    '--json',
  ])
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout).events as { type: string; firmROEID: string }[])
    .map((e) => `${e.type} ${e.firmROEID}`)
    .sort()
}

/** The account's orders in customer activity, by firmROEID. */
async function accountOrders(): Promise<string[]> {
  return (await accountEvents(String(BASE.MENO.firmDesignatedID)))
    .filter((e) => e.startsWith('MENO '))
    .map((e) => e.slice('MENO '.length))
}

let duplicate: ErrorLine
let duplicateOrder: ErrorLine
let unlinked: ErrorLine
let ordersBefore: string[]

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  expect((await runCli(['init', '--repo', repo, '--reference', join(root, 'ref')])).code).toBe(0)
  writeCustomers(join(root, 'day'))
  const s = await submit('day', 1, [order, cancel, secondOrder, stray, trade], '2026-03-02T18:00:00')
  expect(s).toMatchObject({ rejected: 0 })
  const [first] = linkageErrors()
  const duplicates = first.filter((l) => (l.errorCode as number[]).includes(3002))
  const typeOf = (l: ErrorLine) => JSON.parse(String(l.errorRecord)).type
  duplicate = duplicates.find((l) => typeOf(l) === 'MEOC')!
  duplicateOrder = duplicates.find((l) => typeOf(l) === 'MENO')!
  ordersBefore = await accountOrders()
  unlinked = first.find((l) => JSON.parse(String(l.errorRecord)).firmROEID === '20260302_C7')!
}, 120_000)

describe('a repair naming a linkage errorROEID', { timeout: 180_000 }, () => {
  it('starts from a duplicate firmROEID reported as 3002 on the later records', () => {
    expect(duplicate).toBeDefined()
    expect(duplicateOrder).toBeDefined()
    // The duplicate order is not current, so the account shows the first order only.
    expect(ordersBefore).toEqual([BASE.MENO.firmROEID])
    expect(JSON.parse(String(duplicate.errorRecord))).toMatchObject({
      type: 'MEOC',
      firmROEID: BASE.MENO.firmROEID,
    })
    expect(unlinked).toBeDefined()
  })

  it('under a new firmROEID retires the duplicate: relinking reports no 3002 and links the repaired record', async () => {
    const repair = recordWith(BASE.MEOC, {
      actionType: 'RPR',
      errorROEID: Number(duplicate.errorROEID),
      firmROEID: '20260302_C1',
    })
    const orderRepair = recordWith(JSON.parse(secondOrder), {
      actionType: 'RPR',
      errorROEID: Number(duplicateOrder.errorROEID),
      firmROEID: '20260302_N5',
    })
    const s = await submit('repair', 2, [repair, orderRepair], '2026-03-03T07:00:00')
    expect(s).toMatchObject({ accepted: 2, rejected: 0 })
    const runs = linkageErrors()
    expect(runs.length).toBeGreaterThan(1)
    const latest = runs[runs.length - 1]
    expect(latest.flatMap((l) => l.errorCode as number[])).not.toContain(3002)
    // The record without a counterpart is still reported: the relink did look at the whole date.
    expect(latest.map((l) => l.errorROEID)).toContain(unlinked.errorROEID)

    const lc = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--firm-roe-id',
      '20260302_C1',
      '--json',
    ])
    expect(lc.code, lc.stderr).toBe(0)
    const tags = (JSON.parse(lc.stdout).events as { firmROEID: string; type: string }[]).map(
      (e) => `${e.type} ${e.firmROEID}`,
    )
    expect(tags).toEqual(expect.arrayContaining([`MENO ${BASE.MENO.firmROEID}`, 'MEOC 20260302_C1']))
    expect(tags).not.toContain(`MEOC ${BASE.MENO.firmROEID}`)
  })

  it('keeps the original version in the store, and the order and the repaired cancel current', async () => {
    const all = await storeRows(
      `SELECT CAST(_event_id AS VARCHAR) AS id, _action, _type, _roe_id FROM events ORDER BY _event_id`,
    )
    expect(all).toContainEqual({
      id: String(duplicate.errorROEID),
      _action: 'NEW',
      _type: 'MEOC',
      _roe_id: BASE.MENO.firmROEID,
    })
    const current = await storeRows(`SELECT _type, _roe_id FROM current_events ORDER BY _roe_id`)
    expect(current).toEqual([
      { _type: 'MEOC', _roe_id: '20260302_C1' },
      { _type: 'MEOC', _roe_id: '20260302_C7' },
      { _type: 'MENO', _roe_id: BASE.MENO.firmROEID },
      { _type: 'MENO', _roe_id: '20260302_N5' },
      { _type: 'MEOT', _roe_id: '20260302_T1' },
    ])
  })

  it("shows the repaired order in the account's customer activity", async () => {
    expect(await accountOrders()).toEqual([BASE.MENO.firmROEID, '20260302_N5'])
  })
})

describe('a delete naming a linkage errorROEID', { timeout: 180_000 }, () => {
  it('is accepted and takes the record out of the current views and out of customer activity', async () => {
    const tradeError = linkageErrors()[0].find(
      (l) => JSON.parse(String(l.errorRecord)).firmROEID === '20260302_T1',
    )!
    expect(tradeError).toBeDefined()
    // One person holds both accounts, so the customer's activity has the orders too.
    const trades = async () => (await accountEvents('PROP1')).filter((e) => e.startsWith('MEOT '))
    expect(await trades()).toEqual(['MEOT 20260302_T1'])
    const s = await submit(
      'delete',
      3,
      [unlinked, tradeError].map((l) => `{"actionType":"DEL","errorROEID":${l.errorROEID}}`),
      '2026-03-03T07:30:00',
    )
    expect(s).toMatchObject({ accepted: 2, rejected: 0 })
    const current = await storeRows(`SELECT _roe_id FROM current_events ORDER BY _roe_id`)
    expect(current.map((r) => r._roe_id)).toEqual(['20260302_C1', BASE.MENO.firmROEID, '20260302_N5'])
    expect(await trades()).toEqual([])
    // As the repository stood just before the delete, the records were current.
    const before = await storeRows(
      `SELECT _roe_id FROM events_as_of((SELECT max(ingested_ns) - 1 FROM files WHERE ingested_ns IS NOT NULL)) ORDER BY _roe_id`,
    )
    expect(before.map((r) => r._roe_id)).toEqual([
      '20260302_C1',
      '20260302_C7',
      BASE.MENO.firmROEID,
      '20260302_N5',
      '20260302_T1',
    ])
    // Deleted, not overwritten: the version is still stored.
    const kept = await storeRows(`SELECT _roe_id FROM events WHERE _event_id = ${unlinked.errorROEID}`)
    expect(kept).toEqual([{ _roe_id: '20260302_C7' }])
    // The deletes have no event date of their own, yet they relink the date of the records they name,
    // which then has nothing left in error: the duplicates were repaired, the stray cancel and the trade
    // without a report deleted.
    expect(s.linkage).toEqual([expect.objectContaining({ eventDate: 20260302, errorsByCode: {} })])
  })

  it('naming an errorROEID nobody was sent is refused with 2137', async () => {
    const s = await submit(
      'bad-delete',
      4,
      ['{"actionType":"DEL","errorROEID":987654321}'],
      '2026-03-03T07:40:00',
    )
    expect(s).toMatchObject({ accepted: 0, rejected: 1, errorsByCode: { 2137: 1 } })
  })
})

describe('an earlier date repaired by errorROEID', { timeout: 180_000 }, () => {
  it('links a cancel of a later date to the repaired order, not to the version the repair retired', async () => {
    const nextDay = recordWith(BASE.MEOC, {
      firmROEID: '20260303_C5',
      orderID: 'O5',
      orderKeyDate: '20260302T093100.000',
      eventTimestamp: '20260303T093200.000',
    })
    writeSubmission(join(root, 'next'), { number: 1, date: '20260303', lines: [nextDay] })
    const s = await runCli([
      'submit',
      '--repo',
      repo,
      '--at',
      '2026-03-03T18:00:00',
      '--json',
      join(root, 'next'),
    ])
    expect(s.code, s.stderr).toBe(0)
    expect(JSON.parse(s.stdout).linkage.map((l: { eventDate: number }) => l.eventDate)).toContain(20260303)
    const lc = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--firm-roe-id',
      '20260303_C5',
      '--json',
    ])
    expect(lc.code, lc.stderr).toBe(0)
    const life = JSON.parse(lc.stdout) as {
      events: { firmROEID: string; type: string }[]
      links: { from: { firmROEID: string }; to: { firmROEID: string }; kind: string }[]
    }
    // The duplicate order O5 first came under the firmROEID of order O1; its repair retired that version.
    expect(life.events.map((e) => `${e.type} ${e.firmROEID}`).sort()).toEqual([
      'MENO 20260302_N5',
      'MEOC 20260303_C5',
    ])
    expect(life.links).toContainEqual(
      expect.objectContaining({
        from: expect.objectContaining({ firmROEID: '20260302_N5' }),
        kind: 'cancel',
      }),
    )
  })
})

describe("one date's current versions", { timeout: 180_000 }, () => {
  it('are what current_events gives for the date, with repairs and deletes by errorROEID among them', async () => {
    // A cancel of an order never reported, corrected, then deleted by the errorROEID its corrected version
    // was sent: the delete (which has no event date) ends the record, not only the version it names.
    const cancelOf = (set: Record<string, unknown>) =>
      recordWith(BASE.MEOC, {
        firmROEID: '20260302_C8',
        orderID: 'O8',
        orderKeyDate: '20260302T091600.000',
        ...set,
      })
    await submit('c8', 7, [cancelOf({})], '2026-03-04T09:00:00')
    await submit('c8-cor', 8, [cancelOf({ actionType: 'COR', cancelQty: 300 })], '2026-03-04T10:00:00')
    const corrected = linkageErrors()
      .at(-1)!
      .find((l) => JSON.parse(String(l.errorRecord)).actionType === 'COR')
    expect(corrected).toBeDefined()
    const s = await submit(
      'c8-del',
      9,
      [`{"actionType":"DEL","errorROEID":${corrected!.errorROEID}}`],
      '2026-03-04T11:00:00',
    )
    expect(s).toMatchObject({ accepted: 1, rejected: 0 })
    const c8 = await storeRows(`SELECT _action FROM events WHERE _roe_id = '20260302_C8' ORDER BY ALL`)
    expect(c8.map((v) => v._action)).toEqual(['COR', 'NEW'])
    const r = await openRepository(repo)
    try {
      const named = await r.db.all<{ action: string }>(
        `SELECT _action AS action FROM events WHERE _action IN ('RPR', 'DEL') AND _repairs IS NOT NULL ORDER BY ALL`,
      )
      expect(named.map((n) => n.action)).toEqual(expect.arrayContaining(['DEL', 'RPR']))
      const dates = await r.db.all<{ d: number }>(
        'SELECT DISTINCT event_date AS d FROM events WHERE event_date IS NOT NULL ORDER BY d',
      )
      expect(dates.map((d) => Number(d.d))).toEqual(expect.arrayContaining([20260302, 20260303]))
      for (const d of [...dates.map((x) => Number(x.d)), 20260304]) {
        const whole = await r.db.all(
          `SELECT * FROM current_events WHERE event_date = ${d} ORDER BY _event_id`,
        )
        const ofDate = await r.db.all(`SELECT * FROM current_events_of(${d}) ORDER BY _event_id`)
        expect(ofDate, String(d)).toEqual(whole)
      }
      const current = await r.db.all<{ roe: string }>(
        'SELECT _roe_id AS roe FROM current_events_of(20260302) ORDER BY ALL',
      )
      expect(current.map((c) => c.roe)).toEqual(['20260302_C1', BASE.MENO.firmROEID, '20260302_N5'])
    } finally {
      r.close()
    }
  })
})
