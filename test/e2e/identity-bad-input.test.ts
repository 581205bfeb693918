/**
 * Customer files that are wrong get clear feedback and nothing is guessed: unpaired files, malformed
 * identifiers, and a customer whose identifier changes.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMER_CODE as C } from '../../src/catalogue/index.ts'
import { bunzip2Buffer, bzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { customerActivity } from '../../src/query/customer.ts'
import type { Repository } from '../../src/store/repository.ts'
import { BASE } from '../support/fixtures.ts'
import { fixtureRepository, recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

const dir = mkdtempSync(join(tmpdir(), 'opencat-cais-'))
const AT = isoOrCatToNs('2026-03-02T18:00:00')
const HOUR = 3_600_000_000_000n
let repo: Repository

const tid = (ssn: string) => createHash('sha256').update(`cat-tid-v1:${ssn}`).digest('hex')

function person(id: string) {
  return {
    customerRecordID: id,
    firstName: 'Test',
    lastName: `Person${id}`,
    yearOfBirth: 1980,
    addressList: [],
  }
}

function account(fdid: string, holder: string, extra: Record<string, unknown> = {}) {
  return {
    firmDesignatedID: fdid,
    fdidType: 'ACCOUNT',
    accountType: ['INDIVIDUAL'],
    fdidDate: 20250101,
    fdidCustomerList: [{ customerRecordID: holder, role: 'HOLDER', roleStartDate: 20250101 }],
    ...extra,
  }
}

function writePair(
  sub: string,
  number: number,
  accounts: unknown[],
  customers: unknown[],
  tids: unknown[],
  only?: 'data' | 'tid',
): void {
  const d = join(dir, sub)
  mkdirSync(d, { recursive: true })
  const n = String(number).padStart(6, '0')
  const data = {
    version: '2.0.0',
    catReporterCRD: 104001,
    catSubmitterID: 104001,
    fdidRecordCount: accounts.length,
    fdidRecordList: accounts,
    naturalPersonCustomerRecordCount: customers.length,
    naturalPersonCustomerList: customers,
    legalEntityCustomerRecordCount: 0,
    legalEntityCustomerList: [],
  }
  if (only !== 'tid')
    writeFileSync(join(d, `104001_104001_20260302_CAISData_${n}.json.bz2`), bzip2Buffer(JSON.stringify(data)))
  if (only !== 'data')
    writeFileSync(
      join(d, `104001_104001_20260302_CAISTID_${n}.json.bz2`),
      bzip2Buffer(JSON.stringify({ version: '2.0.0', tidRecordCount: tids.length, tidRecordList: tids })),
    )
}

function feedback(n: number): Record<string, unknown> {
  return JSON.parse(
    readFileSync(
      join(
        repo.paths.root,
        'feedback',
        '104001',
        'feedback',
        `104001_104001_20260302_CAISData_${String(n).padStart(6, '0')}.ingestion.json`,
      ),
      'utf8',
    ),
  )
}

function errorLines(fb: Record<string, unknown>): { errorCode: number[]; errorRecord: string }[] {
  const d = bunzip2Buffer(
    readFileSync(join(repo.paths.root, 'feedback', '104001', 'errors', fb.errorFileName as string)),
  )
  return d.ok
    ? d.data
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : []
}

beforeAll(async () => {
  repo = await fixtureRepository()
}, 60_000)
afterAll(() => repo?.close())

describe('customer files with problems', () => {
  it(`accepts a good pair, and refuses the accounts of a malformed large trader ID with ${C.ltidInvalid}`, async () => {
    writePair(
      'good',
      1,
      [
        account('F1', 'C1'),
        account('F2', 'C2', { largeTraderList: [{ largeTraderID: '1234-56', ltidEffectiveDate: 20250101 }] }),
      ],
      [person('C1'), person('C2')],
      [
        { customerRecordID: 'C1', tidType: 'SSN', tid: tid('666-00-0001') },
        { customerRecordID: 'C2', tidType: 'SSN', tid: tid('666-00-0002') },
      ],
    )
    await submitFiles(repo, [join(dir, 'good')], { nowNs: AT })
    const fb = feedback(1)
    expect(fb).toMatchObject({ status: 'Failure', errorCount: 1 })
    const lines = errorLines(fb)
    expect(lines.map((l) => l.errorCode)).toEqual([[C.ltidInvalid]])
    expect(JSON.parse(lines[0].errorRecord)).toMatchObject({ firmDesignatedID: 'F2' })
    expect(lines[0].errorRecord).not.toContain('Person')
    const accounts = await repo.db.all<{ fdid: string }>('SELECT fdid FROM cais_accounts ORDER BY fdid')
    expect(accounts.map((a) => a.fdid)).toEqual(['F1'])
  })

  it(`refuses a customer whose identifier changed under the same customerRecordID (${C.tidChanged})`, async () => {
    writePair(
      'conflict',
      2,
      [account('F3', 'C1')],
      [person('C1')],
      [{ customerRecordID: 'C1', tidType: 'SSN', tid: tid('666-00-0099') }],
    )
    await submitFiles(repo, [join(dir, 'conflict')], { nowNs: AT })
    const codes = errorLines(feedback(2)).flatMap((l) => l.errorCode)
    expect(codes).toContain(C.tidChanged)
    expect(await repo.db.one("SELECT 1 AS x FROM cais_accounts WHERE fdid = 'F3'")).toBeUndefined()
  })

  it(`waits for the second file of a pair, and refuses a lone file after 60 minutes (${C.unpaired})`, async () => {
    writePair('lone', 3, [account('F4', 'C4')], [person('C4')], [], 'data')
    const first = await submitFiles(repo, [join(dir, 'lone')], { nowNs: AT })
    expect(first.files.find((f) => f.name.includes('CAISData_000003'))?.status).toBe('held')
    const later = await submitFiles(repo, [join(dir, 'lone')], { nowNs: AT + 2n * HOUR })
    expect(later.files.find((f) => f.name.includes('CAISData_000003'))?.status).toBe('rejected')
    expect(feedback(3)).toMatchObject({ status: 'Failure', code: [C.unpaired] })
  })

  it(`answers unreadable customer files with ${C.notJson}`, async () => {
    const d = join(dir, 'junk')
    mkdirSync(d, { recursive: true })
    writeFileSync(join(d, '104001_104001_20260302_CAISData_000004.json.bz2'), bzip2Buffer('{not json'))
    writeFileSync(join(d, '104001_104001_20260302_CAISTID_000004.json.bz2'), bzip2Buffer('[]'))
    await submitFiles(repo, [d], { nowNs: AT })
    expect(feedback(4)).toMatchObject({ status: 'Failure', code: [C.notJson] })
  })

  it(`sends back order events naming an FDID no customer file reported, once T+3 08:00 has passed (${C.fdidUnknownAtT3})`, async () => {
    const orders = [
      recordWith(BASE.MENO, { firmROEID: '20260302_K1', orderID: 'K1', firmDesignatedID: 'F1' }),
      recordWith(BASE.MENO, { firmROEID: '20260302_U1', orderID: 'U1', firmDesignatedID: 'NOSUCH' }),
    ]
    writeSubmission(join(dir, 'orders'), { number: 50, lines: orders })
    const early = await submitFiles(repo, [join(dir, 'orders')], { nowNs: AT, checkFdids: true })
    expect(early.accepted).toBe(2)
    expect(early.fdidChecks).toEqual([])
    // Monday 2026-03-02 + 3 trading days = Thursday 03-05, 08:00 ET.
    const late = await submitFiles(repo, [], { nowNs: isoOrCatToNs('2026-03-05T08:00:01'), checkFdids: true })
    expect(late.fdidChecks).toEqual([
      expect.objectContaining({ eventDate: 20260302, events: 1, byReporter: { ALDR: 1 } }),
    ])
    const errorFile = join(
      repo.paths.root,
      'feedback',
      '104001',
      'errors',
      '104001_ALDR_20260302_OrderEvents.fdid.error.json.bz2',
    )
    const d = bunzip2Buffer(readFileSync(errorFile))
    const lines = d.ok
      ? d.data
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : []
    expect(lines).toEqual([
      {
        errorCode: [C.fdidUnknownAtT3],
        actionType: 'RPR',
        errorROEID: expect.any(Number),
        errorRecord: orders[1],
      },
    ])
    // Checked once: a later run does not report the date again.
    const again = await submitFiles(repo, [], {
      nowNs: isoOrCatToNs('2026-03-06T09:00:00'),
      checkFdids: true,
    })
    expect(again.fdidChecks).toEqual([])
    // The repair names the errorROEID it was given.
    const repair = recordWith(BASE.MENO, {
      firmROEID: '20260302_U1',
      orderID: 'U1',
      firmDesignatedID: 'F1',
      actionType: 'RPR',
      errorROEID: lines[0].errorROEID,
    })
    writeSubmission(join(dir, 'repair'), { number: 51, lines: [repair] })
    const fixed = await submitFiles(repo, [join(dir, 'repair')], {
      nowNs: isoOrCatToNs('2026-03-05T09:00:00'),
    })
    expect(fixed.accepted).toBe(1)
    expect(fixed.errorsByCode).toEqual({})

    // The customer behind F1 now owns both orders; a correction naming another account and a delete
    // take them away again.
    const holder = await repo.db.one<{ ccid: string }>("SELECT ccid FROM fdid_holders WHERE fdid = 'F1'")
    const customerOrders = async () =>
      (await customerActivity(repo, { ccid: holder!.ccid }, 20260302, 20260302)).events
        .map((e) => e.firmROEID)
        .sort()
    expect(await customerOrders()).toEqual(['20260302_K1', '20260302_U1'])
    const moved = recordWith(BASE.MENO, {
      firmROEID: '20260302_K1',
      orderID: 'K1',
      firmDesignatedID: 'OTHER',
      actionType: 'COR',
    })
    writeSubmission(join(dir, 'moves'), {
      number: 52,
      lines: [moved, JSON.stringify({ actionType: 'DEL', firmROEID: '20260302_U1' })],
    })
    const s2 = await submitFiles(repo, [join(dir, 'moves')], { nowNs: isoOrCatToNs('2026-03-05T10:00:00') })
    expect(s2.accepted).toBe(2)
    expect(await customerOrders()).toEqual([])
  })
})
