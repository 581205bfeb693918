/**
 * Customer files (CAIS) that should come back with each of OpenCAT's customer-file codes: a pair is a data
 * file and a TID file of one number, each entry a pair (or a lone file) with one problem.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CUSTOMER_CODE as C } from '../../src/catalogue/index.ts'
import { bzip2Buffer } from '../../src/common/bzip2.ts'
import type { FileProducer } from './code-producers.ts'
import { BASE, DATE } from './fixtures.ts'
import { recordWith } from './ingest.ts'
import { writeSubmission } from './submission.ts'

const tid = (ssn: string) => createHash('sha256').update(`cat-tid-v1:${ssn}`).digest('hex')
const person = (id: string) => ({
  customerRecordID: id,
  firstName: 'Test',
  lastName: `Person${id}`,
  yearOfBirth: 1980,
  addressList: [],
})
const account = (fdid: string, holder: string, extra: Record<string, unknown> = {}) => ({
  firmDesignatedID: fdid,
  fdidType: 'ACCOUNT',
  accountType: ['INDIVIDUAL'],
  fdidDate: 20250101,
  fdidCustomerList: [{ customerRecordID: holder, role: 'HOLDER', roleStartDate: 20250101 }],
  ...extra,
})
const caisBase = (kind: 'CAISData' | 'CAISTID', n: number) =>
  `104001_104001_${DATE}_${kind}_${String(n).padStart(6, '0')}`

export interface CaisPair {
  data?: unknown
  tids?: unknown
  /** Raw bytes instead of the bzip2 of the document. */
  dataBody?: Buffer
}

export function writeCais(dir: string, n: number, pair: CaisPair): string[] {
  mkdirSync(dir, { recursive: true })
  const doc = (v: unknown) => bzip2Buffer(JSON.stringify(v))
  if (pair.dataBody || pair.data !== undefined)
    writeFileSync(join(dir, `${caisBase('CAISData', n)}.json.bz2`), pair.dataBody ?? doc(pair.data))
  if (pair.tids !== undefined) writeFileSync(join(dir, `${caisBase('CAISTID', n)}.json.bz2`), doc(pair.tids))
  return [caisBase('CAISData', n), caisBase('CAISTID', n)]
}

/** A customer data file of these accounts and customers (count fields from the lists unless given). */
function caisData(
  accounts: unknown[],
  people: unknown[],
  entities: unknown[] = [],
  extra: Record<string, unknown> = {},
) {
  return {
    version: '2.0.0',
    catReporterCRD: 104001,
    catSubmitterID: 104001,
    fdidRecordCount: accounts.length,
    fdidRecordList: accounts,
    naturalPersonCustomerRecordCount: people.length,
    naturalPersonCustomerList: people,
    legalEntityCustomerRecordCount: entities.length,
    legalEntityCustomerList: entities,
    ...extra,
  }
}
const tidsOf = (list: unknown[]) => ({ version: '2.0.0', tidRecordCount: list.length, tidRecordList: list })
const tidFor = (id: string, ssn: string) => ({ customerRecordID: id, tidType: 'SSN', tid: tid(ssn) })

const cais =
  (pair: CaisPair) =>
  (dir: string, n: number): string[] =>
    writeCais(dir, n, pair)

/** One customer pair whose records each break one check (the file itself is read). */
const oneBadEach = (code: number, accounts: unknown[], people: unknown[], entities: unknown[] = []) =>
  cais({
    data: caisData(accounts, people, entities),
    tids: tidsOf(
      [...people, ...entities].map((c, i) =>
        tidFor((c as { customerRecordID: string }).customerRecordID, `666-01-${code}${i}`),
      ),
    ),
  })

export const CUSTOMERS: FileProducer[] = [
  {
    code: C.notJson,
    how: 'a data file that is not JSON',
    write: cais({ dataBody: bzip2Buffer('{not json'), tids: tidsOf([]) }),
  },
  {
    code: C.unpaired,
    how: 'a data file whose TID file never comes',
    write: cais({ data: caisData([account('U1', 'CU1')], [person('CU1')]) }),
  },
  {
    code: C.countMismatch,
    how: 'fdidRecordCount unlike the list',
    write: cais({
      data: caisData([account('K1', 'CK1')], [person('CK1')], [], { fdidRecordCount: 5 }),
      tids: tidsOf([tidFor('CK1', '666-02-0001')]),
    }),
  },
  {
    code: C.namesDiffer,
    how: 'catReporterCRD unlike the file name',
    write: cais({
      data: caisData([account('N1', 'CN1')], [person('CN1')], [], { catReporterCRD: 104002 }),
      tids: tidsOf([tidFor('CN1', '666-03-0001')]),
    }),
  },
  {
    code: C.notBzip2,
    how: 'a customer file that is not bzip2',
    write: cais({ dataBody: Buffer.from('BZh9 not bzip2'), tids: tidsOf([]) }),
  },
  {
    code: C.tooLarge,
    how: 'a customer file of more than two million JSON values',
    write: cais({ dataBody: bzip2Buffer(`{"x":[${'0,'.repeat(2_000_001)}0]}`), tids: tidsOf([]) }),
  },
  {
    code: C.fdidInvalid,
    how: 'an account without firmDesignatedID',
    write: oneBadEach(C.fdidInvalid, [account('', 'CF1')], [person('CF1')]),
  },
  {
    code: C.fdidTwice,
    how: 'an account twice',
    write: oneBadEach(C.fdidTwice, [account('T2', 'CT2'), account('T2', 'CT2')], [person('CT2')]),
  },
  {
    code: C.datesInvalid,
    how: 'an fdidDate that is no date',
    write: oneBadEach(C.datesInvalid, [account('D2', 'CD2', { fdidDate: 'soon' })], [person('CD2')]),
  },
  {
    code: C.holderUnknown,
    how: 'an account naming a customer not in the file',
    write: oneBadEach(C.holderUnknown, [account('H2', 'NOBODY')], [person('CH2')]),
  },
  {
    code: C.ltidInvalid,
    how: 'a malformed large trader ID',
    write: oneBadEach(
      C.ltidInvalid,
      [
        account('L2', 'CL2', {
          largeTraderList: [{ largeTraderID: '1234-56', ltidEffectiveDate: 20250101 }],
        }),
      ],
      [person('CL2')],
    ),
  },
  {
    code: C.accountTypeInvalid,
    how: 'an account without accountType',
    write: oneBadEach(
      C.accountTypeInvalid,
      [account('A2', 'CA2', { accountType: undefined })],
      [person('CA2')],
    ),
  },
  {
    code: C.naturalPersonInvalid,
    how: 'a natural person without yearOfBirth',
    write: oneBadEach(
      C.naturalPersonInvalid,
      [account('P2', 'CP2')],
      [{ ...person('CP2'), yearOfBirth: undefined }],
    ),
  },
  {
    code: C.legalEntityInvalid,
    how: 'a legal entity with a malformed ein',
    write: oneBadEach(
      C.legalEntityInvalid,
      [account('E2', 'CE2')],
      [],
      [{ customerRecordID: 'CE2', legalName: 'E Inc', ein: '12345' }],
    ),
  },
  {
    code: C.leiInvalid,
    how: 'a legal entity with a malformed lei',
    write: oneBadEach(
      C.leiInvalid,
      [account('E3', 'CE3')],
      [],
      [{ customerRecordID: 'CE3', legalName: 'E3 Inc', lei: 'short' }],
    ),
  },
  {
    code: C.customerTwice,
    how: 'a customer twice',
    write: oneBadEach(C.customerTwice, [account('W2', 'CW2')], [person('CW2'), person('CW2')]),
  },
  {
    code: C.tidInvalid,
    how: 'a TID that is not 64 hexadecimal characters',
    write: cais({
      data: caisData([account('I2', 'CI2')], [person('CI2')]),
      tids: tidsOf([{ customerRecordID: 'CI2', tidType: 'SSN', tid: 'abc' }]),
    }),
  },
  {
    code: C.tidCustomerUnknown,
    how: 'a TID record for a customer not in the data file',
    write: cais({
      data: caisData([account('J2', 'CJ2')], [person('CJ2')]),
      tids: tidsOf([tidFor('CJ2', '666-04-0001'), tidFor('NOBODY', '666-04-0002')]),
    }),
  },
  {
    code: C.tidMissing,
    how: 'a customer without TID record',
    write: cais({ data: caisData([account('M2', 'CM2')], [person('CM2')]), tids: tidsOf([]) }),
  },
  {
    code: C.tidChanged,
    how: 'a customer sent again with another TID',
    run: 'evening',
    write: cais({
      data: caisData([account('G9', 'CG1')], [person('CG1')]),
      tids: tidsOf([tidFor('CG1', '666-05-9999')]),
    }),
  },
  {
    code: C.fdidUnknownAtT3,
    how: 'an order event naming an FDID no customer file reported',
    write: (dir, n) => {
      writeSubmission(dir, {
        number: n,
        doneForDay: false,
        lines: [
          recordWith(BASE.MENO, { firmROEID: `${DATE}_FDID1`, orderID: 'FDID1', firmDesignatedID: 'NOSUCH' }),
        ],
      })
      return ['104001_ALDR_20260302_OrderEvents.fdid']
    },
  },
]
/** The customer behind tidChanged's first TID, to be sent before it. */
export const FIRST_CUSTOMER: CaisPair = {
  data: caisData([account('G1', 'CG1')], [person('CG1')]),
  tids: tidsOf([tidFor('CG1', '666-05-0001')]),
}
