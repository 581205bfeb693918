/**
 * Every CAT code of the code table (docs/errors.md) comes back to a reporter, and nothing else does. One
 * repository takes a trading day's worth of submissions through `opencat submit` at the times a reporter
 * would send them (the morning, after the 30-minute and 2-hour metadata deadlines, the evening, after the
 * T+1 deadline, at T+3) and, last, one file through the portal's upload; the codes are read from the
 * feedback and error files the way a reporter reads them, after each run. Ingestion codes are produced from data: a malformed value of every field of the v4.1 catalogue,
 * and every validation rule's own example; the rest (file-level and structural problems, metadata
 * files, customer files, linkage) come from the explicit tables below, one entry per code or family.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMER_CODE as C, CAT_CODES, CATALOGUE_V41, CATALOGUE_V221 } from '../../src/catalogue/index.ts'
import { bzip2Buffer } from '../../src/common/bzip2.ts'
import { RULES } from '../../src/validate/rules/index.ts'
import { validCsv } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { fieldProducers, firstPerCode, type Producer, ruleProducers } from '../support/code-producers.ts'
import { lineOf, type SentCodes, sentCodes } from '../support/feedback-codes.ts'
import { BASE, DATE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { type Ev, imid, LinkMarket } from '../support/link-market.ts'
import { addMachineToken, servePortal } from '../support/portal.ts'
import { type SubmissionSpec, writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-every-code-'))
const repo = join(root, 'repo')

/** When a producer's files are sent: the repository clock of each `opencat submit`. */
const RUNS = {
  morning: '2026-03-02T12:00:00',
  // Past the 30-minute metadata warning of the morning's lone data files, before their 2-hour deadline.
  noon: '2026-03-02T12:45:00',
  evening: '2026-03-02T18:00:00',
  // After the date's T+1 08:00 linkage deadline (processing date 2026-03-03).
  late: '2026-03-03T09:00:00',
  // Past T+3 08:00, when order events' FDIDs are checked against the customer files.
  t3: '2026-03-05T08:00:01',
} as const
/** `upload`: sent last, one file at a time through the portal's upload (the Reporter Portal). */
type Run = keyof typeof RUNS | 'upload'
const inbox = (run: Run) => join(root, 'in', run)

// ---------------------------------------------------------------------------------------------------
// Ingestion: record-level codes, one line each, in a few data files of ALDR (and of an ATS and an exchange).

/** The data files the record producers go in. */
const INGEST_FILES = {
  // CSV: every value is text, so a malformed one is the field's own error rather than a JSON type error.
  v41: { number: 1, format: 'csv', fileVersion: '4.1.0' },
  v40: { number: 2, fileVersion: '4.0.0' },
  ats: { number: 3, fileVersion: '4.0.0', submitter: '104002', reporter: 'BRCX' },
  exchange: {
    number: 4,
    fileVersion: '4.0.0',
    submitter: '900001',
    reporter: 'NSDQ',
    kind: 'ExchangeEvents',
  },
  v221: { number: 5, format: 'csv', fileVersion: '2.2.1' },
} satisfies Record<string, Omit<SubmissionSpec, 'lines'>>
type IngestFile = keyof typeof INGEST_FILES

/** A record that should come back with `code`. */
interface LineProducer {
  readonly code: number
  readonly how: string
  readonly file: IngestFile
  readonly line: () => string
}

const v41 = (p: Producer, n: number): LineProducer => ({
  code: p.code,
  how: p.how,
  file: 'v41',
  line: () => validCsv(p.event, CATALOGUE_V41, n, p.set),
})

/** A rule's example on the fixture's record of its type, as the rule list documents it. */
function ruleExample(r: (typeof RULES)[number]): LineProducer {
  const how = `rule ${r.id}`
  if (r.example.reporter === 'ATS')
    return {
      code: r.code,
      how,
      file: 'ats',
      line: () => recordWith(BASE.MENO, { CATReporterIMID: undefined, ...r.example.set }),
    }
  const file = r.example.type.startsWith('EX') ? 'exchange' : 'v40'
  if (r.example.type === 'DEL') return { code: r.code, how, file, line: () => JSON.stringify(r.example.set) }
  return { code: r.code, how, file, line: () => recordWith(BASE[r.example.type], r.example.set) }
}

const isIngestion = (code: number) => CAT_CODES.get(code)?.stage === 'ingestion'

/** Producers found from the catalogue and the rule list, first per code. */
const derived: LineProducer[] = (() => {
  const fromV41 = [
    ...fieldProducers(CATALOGUE_V41),
    ...ruleProducers(
      RULES.filter((r) => r.example.fileVersion === '4.1.0'),
      CATALOGUE_V41,
    ),
  ].map((p, i) => v41(p, i + 1))
  const fromRules = RULES.filter((r) => r.example.fileVersion !== '4.1.0').map(ruleExample)
  // Fields 4.1 no longer has (the 2.2.1 options layouts' priorUnlinked and nextUnlinked).
  const fromV221 = fieldProducers(CATALOGUE_V221).map(
    (p, i): LineProducer => ({
      code: p.code,
      how: `2.2.1 ${p.how}`,
      file: 'v221',
      line: () => validCsv(p.event, CATALOGUE_V221, i + 1, p.set),
    }),
  )
  return firstPerCode([...fromV41, ...fromRules, ...fromV221], isIngestion)
})()

const meoc41 = CATALOGUE_V41.events.get('MEOC')!

/** Record-level codes no single malformed field or rule example gives: the shape of the record itself. */
const STRUCTURAL: LineProducer[] = [
  {
    code: 2132,
    how: 'a record longer than 8,190 bytes (JSON whitespace)',
    file: 'v40',
    line: () => `{${' '.repeat(8200)}${JSON.stringify(BASE.MEOC).slice(1)}`,
  },
  {
    code: 2133,
    how: 'a field the event type does not define',
    file: 'v40',
    line: () => recordWith(BASE.MEOC, { nosuchField: 'x' }),
  },
  {
    code: 2136,
    how: 'a control character in a text value',
    file: 'v40',
    line: () => recordWith(BASE.MEOC, { orderID: 'O\u0001X' }),
  },
  {
    code: 2156,
    how: 'a populated reserved position of a 2.2.1 layout',
    file: 'v221',
    line: () => {
      const event = CATALOGUE_V221.events.get('MENO')!
      const cells = validCsv(event, CATALOGUE_V221, 1).split(',')
      cells[event.fields.findIndex((f) => f.spec.type.kind === 'reserved')] = 'x'
      return cells.join(',')
    },
  },
  {
    code: 2999,
    how: 'nine malformed fields in one record',
    file: 'v41',
    line: () =>
      validCsv(
        meoc41,
        CATALOGUE_V41,
        9999,
        Object.assign(
          {},
          ...fieldProducers(CATALOGUE_V41, [meoc41])
            .filter((p) => !['actionType', 'type', 'firmROEID'].some((f) => p.how.includes(`.${f} `)))
            .slice(0, 9)
            .map((p) => p.set),
        ),
      ),
  },
]

const derivedCodes = new Set(derived.map((p) => p.code))
const lineProducers = [...derived, ...STRUCTURAL.filter((p) => !derivedCodes.has(p.code))]

/** Where each record producer's line is: the error file that answers its data file, and its line number. */
const placed = new Map<LineProducer, { errorFile: string; line: number }>()
function writeIngestFiles(): void {
  for (const [key, spec] of Object.entries(INGEST_FILES) as [IngestFile, SubmissionSpec][]) {
    const mine = lineProducers.filter((p) => p.file === key)
    if (mine.length === 0) continue
    const { dataName } = writeSubmission(inbox('morning'), {
      ...spec,
      doneForDay: false,
      lines: mine.map((p) => p.line()),
    })
    const errorFile = `${dataName.replace(/\.(json|csv)\.bz2$/, '')}.ingestion.error`
    mine.forEach((p, i) => placed.set(p, { errorFile, line: i + 1 }))
  }
}

// ---------------------------------------------------------------------------------------------------
// Files: integrity (metadata) codes and file-level ingestion codes, one submission each.

/** A producer of codes about whole files: writes its files, returns the base names its feedback bears. */
interface FileProducer {
  readonly code: number
  readonly how: string
  readonly run?: Run
  readonly write: (dir: string, n: number) => string[]
}

const ONE_LINE = [recordWith(BASE.MEOC, {})]
const base = (n: number, submitter = '104001', reporter = 'ALDR') =>
  `${submitter}_${reporter}_${DATE}_OrderEvents_${String(n).padStart(6, '0')}`

/** One ALDR submission with a change to its metadata (or its block); the base name is the file's. */
const meta =
  (change: Partial<SubmissionSpec>) =>
  (dir: string, n: number): string[] => {
    writeSubmission(dir, { number: n, doneForDay: false, lines: ONE_LINE, ...change })
    return [base(n, change.submitter, change.reporter)]
  }

const FILES: FileProducer[] = [
  {
    code: 1101,
    how: 'a data file without metadata after 30 minutes',
    write: (dir, n) => {
      const s = writeSubmission(dir, { number: n, lines: ONE_LINE })
      rmSync(s.meta)
      return [base(n)]
    },
  },
  {
    code: 1103,
    how: "a file sent again under an earlier file's base name, with other bytes",
    run: 'evening',
    write: (dir) => {
      writeSubmission(dir, { ...INGEST_FILES.v40, lines: ONE_LINE })
      return [base(INGEST_FILES.v40.number)]
    },
  },
  { code: 1104, how: 'submitter not a number', write: meta({ meta: { submitter: 'abc' } }) },
  { code: 1105, how: 'reporter not an IMID', write: meta({ meta: { reporter: 'no!' } }) },
  { code: 1106, how: 'fileGenerationDate not a date', write: meta({ meta: { fileGenerationDate: 'x' } }) },
  {
    code: 1107,
    how: 'a metadata file that is not JSON',
    write: (dir, n) => {
      const s = writeSubmission(dir, { number: n, lines: ONE_LINE })
      writeFileSync(s.meta, '{not json')
      return [base(n)]
    },
  },
  {
    code: 1108,
    how: 'a metadata file listing 101 data files',
    write: (dir, n) => {
      const files = Array.from({ length: 101 }, (_, i) => ({
        fileName: `${base(n + 1 + i)}.json.bz2`,
        recordCount: 1,
        compressedHash: 'A'.repeat(64),
      }))
      return meta({ meta: { files } })(dir, n)
    },
  },
  {
    code: 1109,
    how: 'a submitter not authorised for the reporter',
    write: meta({ submitter: '104002', reporter: 'ALDR' }),
  },
  { code: 1110, how: 'no file blocks', write: meta({ meta: { files: [] } }) },
  { code: 1111, how: 'a block without recordCount', write: meta({ block: { recordCount: undefined } }) },
  {
    code: 1112,
    how: 'JSON metadata for a CSV data file',
    write: meta({ format: 'csv', metaFormat: 'json' }),
  },
  { code: 1115, how: 'a wrong compressedHash', write: meta({ block: { compressedHash: 'A'.repeat(64) } }) },
  { code: 1116, how: 'an unknown fileVersion', write: meta({ fileVersion: '9.9.9' }) },
  {
    code: 1120,
    how: 'a file delete naming a file never received',
    write: (dir, n) => {
      writeSubmission(dir, { number: n, lines: [], isDelete: true })
      return [`${base(n)}.DEL`]
    },
  },
  {
    code: 1121,
    how: 'a data file without metadata after 2 hours',
    write: (dir, n) => {
      const s = writeSubmission(dir, { number: n, lines: ONE_LINE })
      rmSync(s.meta)
      return [base(n)]
    },
  },
  {
    code: 1122,
    how: 'a metadata file naming a data file not received',
    write: (dir, n) => {
      const s = writeSubmission(dir, { number: n, lines: ONE_LINE })
      rmSync(s.data)
      return [base(n)]
    },
  },
  { code: 1123, how: 'thirdParty not a number', write: meta({ meta: { thirdParty: 'x' } }) },
  { code: 1124, how: 'a thirdParty not authorised', write: meta({ meta: { thirdParty: 900001 } }) },
  { code: 1126, how: 'doneForDay not a boolean', write: meta({ meta: { doneForDay: 'maybe' } }) },
  { code: 1127, how: 'type not META', write: meta({ meta: { type: 'NOPE' } }) },
  {
    code: 1128,
    how: 'a data file of 100,001 records uploaded through the portal',
    run: 'upload',
    write: meta({ lines: Array.from({ length: 100_001 }, () => '{}') }),
  },
  {
    code: 2151,
    how: 'a record count the data file does not have',
    write: meta({ block: { recordCount: 2 } }),
  },
  {
    code: 2153,
    how: 'a data file that is not bzip2',
    write: meta({ body: Buffer.from('BZh9 not a bzip2 stream') }),
  },
]

// ---------------------------------------------------------------------------------------------------
// Customer files (CAIS): a pair is a data file and a TID file of one number.

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

interface CaisPair {
  data?: unknown
  tids?: unknown
  /** Raw bytes instead of the bzip2 of the document. */
  dataBody?: Buffer
}

function writeCais(dir: string, n: number, pair: CaisPair): string[] {
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

const CUSTOMERS: FileProducer[] = [
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
/** The customer behind tidChanged's first TID, sent in the morning. */
const FIRST_CUSTOMER: CaisPair = {
  data: caisData([account('G1', 'CG1')], [person('CG1')]),
  tids: tidsOf([tidFor('CG1', '666-05-0001')]),
}

// ---------------------------------------------------------------------------------------------------
// Linkage: one market of ALDR, BRCH, NSDQ and FINRA, sent in the evening with doneForDay; the events in
// `late` are sent after the T+1 deadline (processing date 2026-03-03).

/** A scenario giving linkage codes: the codes it names, and the events it adds to the market. */
interface LinkProducer {
  readonly codes: number[]
  readonly how: string
  readonly build: (m: LinkMarket, late: Set<Ev>, at: string) => void
}

const cancelOf = (
  m: LinkMarket,
  key: Record<string, unknown>,
  at: string,
  extra: Record<string, unknown> = {},
) => m.add('ALDR', 'MEOC', { ...key, eventTimestamp: m.at(at), cancelQty: 100, leavesQty: 0, ...extra })

/** A route to BRCH and an accept that differs from it as `accept` says (null: no accept). */
const firmRoute =
  (id: string, accept: Record<string, unknown> | null) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const o = m.newOrder('ALDR', { orderID: `F${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'BRCH', routedOrderID: `RF${id}`, at: `${at}.010` })
    if (accept) m.accept(r, { orderID: `BF${id}`, at: `${at}.012`, record: accept, noLink: true })
  }

/** A route to NSDQ and the exchange's order that differs from it as `accept` says (null: none). */
const exchangeRoute =
  (id: string, accept: Record<string, unknown> | null) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const o = m.newOrder('ALDR', { orderID: `X${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'NSDQ', routedOrderID: `RX${id}`, session: 'S1', at: `${at}.010` })
    if (accept) m.exchangeAccept(r, { orderID: `NX${id}`, at: `${at}.011`, record: accept, noLink: true })
  }

/** A trade of ALDR and FINRA's report of it, differing as `report` says. */
const tradeReported =
  (id: string, report: Record<string, unknown>) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const b = m.newOrder('ALDR', { orderID: `T${id}b`, at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: `T${id}s`, at: `${at}.000`, side: 'SL' })
    const tr = m.trade(b, s, { at: `${at}.100`, reported: false })
    m.tradeReport(tr, { record: report, link: false })
  }

/** A fulfillment of a client order by a representative order, with its key. */
function fulfillment(m: LinkMarket, id: string, at: string) {
  const client = m.newOrder('ALDR', { orderID: `${id}c`, at: `${at}.000` })
  const rep = m.newOrder('ALDR', { orderID: `${id}r`, at: `${at}.000` })
  return {
    fillKeyDate: m.at(`${at}.100`),
    fulfillmentID: `FF${id}`,
    eventTimestamp: m.at(`${at}.100`),
    clientDetails: [{ orderKeyDate: client.key!.orderKeyDate, orderID: `${id}c`, side: 'B' }],
    firmDetails: [{ orderKeyDate: rep.key!.orderKeyDate, orderID: `${id}r`, side: 'B' }],
  }
}

/** An exchange's quote, with its key. */
const quote = (m: LinkMarket, id: string, at: string) => ({
  quoteID: `Q${id}`,
  symbol: 'XYZ',
  eventTimestamp: m.at(`${at}.000`),
  routingParty: imid('ALDR'),
  bidPrice: 10,
  bidQty: 100,
  askPrice: 10.02,
  askQty: 100,
})

/** A manual order and an electronic duplicate of it. */
function electronicDuplicate(m: LinkMarket, id: string, at: string): Ev {
  const manual = { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: `M${id}`, electronicDupFlag: true }
  m.newOrder('ALDR', { orderID: `M${id}`, at: `${at}.000` })
  return m.newOrder('ALDR', { orderID: `E${id}a`, at: `${at}.100`, record: manual })
}

const LINKAGE: LinkProducer[] = [
  {
    codes: [399],
    how: 'an identical cancel sent twice',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D1', at: `${at}.000` })
      const c = m.cancel(o, { at: `${at}.500` })
      m.add('ALDR', 'MEOC', { ...c.record, firmROEID: undefined })
    },
  },
  {
    codes: [3002],
    how: 'a firmROEID used by two records the same day',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D2', at: `${at}.000` })
      cancelOf(m, o.key!, `${at}.400`, { firmROEID: o.firmROEID })
    },
  },
  {
    codes: [3003],
    how: 'a firmROEID of the evening used again after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'P2', at: `${at}.000` })
      late.add(cancelOf(m, o.key!, `${at}.400`, { firmROEID: o.firmROEID }))
    },
  },
  {
    codes: [3004, 3501],
    how: 'an order key established twice (its cancel then finds no order)',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000` })
      m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000`, quantity: 700 })
      m.cancel(o, { at: `${at}.500` })
    },
  },
  {
    codes: [3007],
    how: 'an order key of the evening established again after the deadline',
    build: (m, late, at) => {
      m.newOrder('ALDR', { orderID: 'P3', at: `${at}.000` })
      late.add(m.newOrder('ALDR', { orderID: 'P3', at: `${at}.000`, quantity: 700 }))
    },
  },
  {
    codes: [3008, 9003, 9004],
    how: 'a route linkage key used twice (the accept then finds no route)',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D4', at: `${at}.000` })
      const r1 = m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.010` })
      m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.020` })
      m.accept(r1, { orderID: 'BD4', at: `${at}.030`, noLink: true })
    },
  },
  {
    codes: [3009],
    how: 'a route linkage key of the evening used again after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'P4', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RP4', at: `${at}.010` })
      m.accept(r, { orderID: 'BP4', at: `${at}.012` })
      late.add(
        m.add('ALDR', 'MEOR', { ...r.record, firmROEID: undefined, eventTimestamp: m.at(`${at}.500`) }),
      )
    },
  },
  {
    codes: [3010],
    how: 'a trade key twice',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D5b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'D5s', at: `${at}.000`, side: 'SL' })
      const t = m.trade(b, s, { at: `${at}.100`, reported: false })
      m.add('ALDR', 'MEOT', { ...t.record, firmROEID: undefined, quantity: 200 })
    },
  },
  {
    codes: [3011],
    how: 'a trade key of the evening used again after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'P5b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'P5s', at: `${at}.000`, side: 'SL' })
      const t = m.trade(b, s, { at: `${at}.100` })
      late.add(m.add('ALDR', 'MEOT', { ...t.record, firmROEID: undefined, quantity: 200 }))
    },
  },
  {
    codes: [3012],
    how: 'a fulfillment key twice',
    build: (m, _late, at) => {
      const fill = fulfillment(m, 'D6', at)
      m.add('ALDR', 'MEOF', fill)
      m.add('ALDR', 'MEOF', { ...fill, quantity: 300 })
    },
  },
  {
    codes: [3015],
    how: 'a fulfillment key of the evening used again after the deadline',
    build: (m, late, at) => {
      const fill = fulfillment(m, 'P6', at)
      m.add('ALDR', 'MEOF', fill)
      late.add(m.add('ALDR', 'MEOF', { ...fill, quantity: 300 }))
    },
  },
  {
    codes: [3016],
    how: "an exchange's quote key twice",
    build: (m, _late, at) => {
      const q = quote(m, 'D7', at)
      m.add('NSDQ', 'EXQT', q)
      m.add('NSDQ', 'EXQT', { ...q, eventTimestamp: m.at(`${at}.100`) })
    },
  },
  {
    codes: [3017],
    how: "an exchange's quote key of the evening used again after the deadline",
    build: (m, late, at) => {
      const q = quote(m, 'P7', at)
      m.add('NSDQ', 'EXQT', q)
      late.add(m.add('NSDQ', 'EXQT', { ...q, eventTimestamp: m.at(`${at}.100`) }))
    },
  },
  {
    codes: [3018],
    how: 'two electronic duplicates of one manual order',
    build: (m, _late, at) => {
      const e = electronicDuplicate(m, 'D8', at)
      m.add('ALDR', 'MENO', {
        ...e.record,
        firmROEID: undefined,
        orderID: 'ED8b',
        eventTimestamp: m.at(`${at}.200`),
      })
    },
  },
  {
    codes: [3019],
    how: 'an electronic duplicate of a manual order the evening had one of, sent after the deadline',
    build: (m, late, at) => {
      const e = electronicDuplicate(m, 'P8', at)
      late.add(
        m.add('ALDR', 'MENO', {
          ...e.record,
          firmROEID: undefined,
          orderID: 'EP8b',
          eventTimestamp: m.at(`${at}.200`),
        }),
      )
    },
  },
  {
    codes: [3502],
    how: 'a trade naming an order that was never reported',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D10', at: `${at}.000` })
      const ghost = { ...b, key: { ...b.key!, orderID: 'GHOST10' } } as Ev
      m.trade(b, ghost, { at: `${at}.100` })
    },
  },
  {
    codes: [3503],
    how: 'a fulfillment naming a client order that was never reported',
    build: (m, _late, at) => {
      const fill = fulfillment(m, 'D11', at)
      m.add('ALDR', 'MEOF', { ...fill, clientDetails: [{ ...fill.clientDetails[0], orderID: 'GHOST11' }] })
    },
  },
  {
    codes: [3504],
    how: 'a representative order aggregating a client order that was never reported',
    build: (m, _late, at) => {
      const client = m.newOrder('ALDR', { orderID: 'D12c', at: `${at}.000` })
      m.newOrder('ALDR', {
        orderID: 'D12r',
        at: `${at}.100`,
        record: {
          representativeInd: 'Y',
          aggregatedOrders: [
            { orderID: 'D12c', orderKeyDate: client.key!.orderKeyDate },
            { orderID: 'GHOST12', orderKeyDate: client.key!.orderKeyDate },
          ],
        },
      })
    },
  },
  {
    codes: [3505],
    how: 'an electronic duplicate of a manual order that was never reported',
    build: (m, _late, at) => {
      m.newOrder('ALDR', {
        orderID: 'D13',
        at: `${at}.100`,
        record: { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: 'GHOST13', electronicDupFlag: true },
      })
    },
  },
  {
    codes: [3601],
    how: 'a cancel 100 ms before its order',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D14', at: `${at}.500` })
      m.cancel(o, { at: `${at}.400` })
    },
  },
  {
    codes: [3602],
    how: 'a trade supplement whose eventTimestamp differs from its trade',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D15b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'D15s', at: `${at}.000`, side: 'SL' })
      const tr = m.trade(b, s, { at: `${at}.100` })
      const s2 = m.newOrder('ALDR', { orderID: 'D15s2', at: `${at}.000`, side: 'SL' })
      m.add('ALDR', 'MEOTS', {
        manualFlag: undefined,
        tradeKeyDate: tr.record.tradeKeyDate,
        tradeID: tr.record.tradeID,
        symbol: 'XYZ',
        eventTimestamp: m.at(`${at}.300`),
        sellDetails: [{ orderKeyDate: s2.key!.orderKeyDate, orderID: 'D15s2', side: 'SL', quantity: 100 }],
      })
    },
  },
  {
    codes: [4003, 5004],
    how: 'a trade report with another tapeTradeID',
    build: tradeReported('1', { tapeTradeID: 'NOSUCH' }),
  },
  {
    codes: [4005, 5006],
    how: 'a trade report at another time',
    build: tradeReported('2', { eventTimestamp: `${DATE}T150000.000` }),
  },
  {
    codes: [4007, 5008],
    how: 'a trade report in another symbol',
    build: tradeReported('3', { symbol: 'ABC' }),
  },
  {
    codes: [4009, 5010],
    how: 'a trade report of another firm',
    build: tradeReported('4', { rptngExctgMPID: 'BRCH' }),
  },
  { codes: [6003], how: 'a route to an exchange that has no order for it', build: exchangeRoute('1', null) },
  {
    codes: [6005, 7006],
    how: 'an exchange order naming another routingParty',
    build: exchangeRoute('2', { routingParty: imid('BRCH') }),
  },
  {
    codes: [6007, 7008],
    how: 'an exchange order in another symbol',
    build: exchangeRoute('3', { symbol: 'ABC' }),
  },
  {
    codes: [6009, 7010],
    how: 'an exchange order in another session',
    build: exchangeRoute('4', { session: 'S9' }),
  },
  {
    codes: [6011, 7012],
    how: 'an exchange order differing in several fields',
    build: exchangeRoute('5', { session: 'S9', symbol: 'ABC' }),
  },
  {
    codes: [7004],
    how: 'an exchange order naming a member that reported no route',
    build: (m, _late, at) => {
      m.add('NSDQ', 'EXOA', {
        orderID: 'NX-ORPHAN',
        symbol: 'XYZ',
        eventTimestamp: m.at(`${at}.000`),
        routingParty: imid('ALDR'),
        routedOrderID: 'RX-ORPHAN',
        session: 'S1',
      })
    },
  },
  { codes: [8003, 8004], how: 'a route to a firm that reported no accept', build: firmRoute('1', null) },
  {
    codes: [8005, 8006, 9005, 9006],
    how: 'an accept with another senderIMID',
    build: firmRoute('2', { senderIMID: imid('BRCX') }),
  },
  {
    codes: [8007, 8008, 9007, 9008],
    how: 'an accept with another receiverIMID',
    build: firmRoute('3', { receiverIMID: imid('BRCX') }),
  },
  {
    codes: [8009, 8010, 9009, 9010],
    how: 'an accept in another symbol',
    build: firmRoute('4', { symbol: 'ABC' }),
  },
  {
    codes: [8011, 8012, 9011, 9012],
    how: 'an accept differing in several fields',
    build: firmRoute('5', { symbol: 'ABC', senderIMID: imid('BRCX') }),
  },
  {
    codes: [893, 892, 899, 898],
    how: 'an accept on time whose route, in another symbol, came after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'W1', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RW1', at: `${at}.010` })
      m.accept(r, { orderID: 'BW1', at: `${at}.012`, record: { symbol: 'ABC' }, noLink: true })
      late.add(r)
    },
  },
  {
    codes: [895, 894, 897, 896],
    how: 'a route on time whose accept, in another symbol, came after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'E1', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RE1', at: `${at}.010` })
      late.add(m.accept(r, { orderID: 'BE1', at: `${at}.012`, record: { symbol: 'ABC' }, noLink: true }))
    },
  },
  {
    codes: [397],
    how: 'a cancel of an order nobody reported, after the deadline',
    build: (m, late, at) => {
      late.add(cancelOf(m, { orderKeyDate: m.at(`${at}.000`), orderID: 'NEVER', symbol: 'XYZ' }, `${at}.300`))
    },
  },
  {
    codes: [499],
    how: 'a trade without report, after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'LTb', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'LTs', at: `${at}.000`, side: 'SL' })
      late.add(m.trade(b, s, { at: `${at}.100`, reported: false }))
    },
  },
  {
    codes: [498],
    how: 'a trade report without trade, after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'LRb', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'LRs', at: `${at}.000`, side: 'SL' })
      const tr = m.trade(b, s, { at: `${at}.100`, reported: false })
      m.events.splice(m.events.indexOf(tr), 1)
      late.add(m.tradeReport(tr, { link: false }))
    },
  },
  {
    codes: [799, 798],
    how: 'a route to an exchange without its order, and an exchange order without route, after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'LX1', at: `${at}.000` })
      late.add(m.route(o, { to: 'NSDQ', routedOrderID: 'RLX1', session: 'S1', at: `${at}.010` }))
      late.add(
        m.add('NSDQ', 'EXOA', {
          orderID: 'NLX2',
          symbol: 'XYZ',
          eventTimestamp: m.at(`${at}.500`),
          routingParty: imid('ALDR'),
          routedOrderID: 'RLX2',
          session: 'S1',
        }),
      )
    },
  },
]

// ---------------------------------------------------------------------------------------------------
// The day: every producer's files sent at its time, and the codes read back.

const fileProducers = [...FILES, ...CUSTOMERS]
/** The base names of each file producer's files. */
const bases = new Map<FileProducer, string[]>()
const sent: SentCodes[] = []

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args)
  if (r.code !== 0) throw new Error(`opencat ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** Sends every file of `dir` through the portal's upload, as a reporter's machine account. */
async function uploadThroughPortal(dir: string): Promise<void> {
  const token = await addMachineToken(repo, 'alder-robot', ['reporter'], [], ['104001'])
  const portal = await servePortal(repo)
  try {
    const client = portal.client.withToken(token)
    for (const name of readdirSync(dir)) {
      const res = await client.request(`/api/files?submitter=104001&name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: readFileSync(join(dir, name)),
      })
      expect(res.status, res.text).toBe(200)
    }
  } finally {
    await portal.stop()
  }
}

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  await cli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
  writeIngestFiles()
  // File producers take numbers from 100 on (the 101-file metadata names 101 more after its own).
  let n = 100
  for (const p of fileProducers) {
    const dir = join(inbox(p.run ?? 'morning'), CUSTOMERS.includes(p) ? 'cais' : 'files')
    bases.set(p, p.write(dir, n))
    n += p.code === 1108 ? 102 : 1
  }
  writeCais(join(inbox('morning'), 'cais'), n, FIRST_CUSTOMER)
  const m = new LinkMarket()
  const late = new Set<Ev>()
  // One minute of the morning each, from 10:00.
  expect(LINKAGE.length).toBeLessThanOrEqual(60)
  LINKAGE.forEach((p, i) => p.build(m, late, `10${String(i).padStart(2, '0')}00`))
  m.write(join(inbox('evening'), 'market'), { number: 900, only: (e) => !late.has(e) })
  m.write(join(inbox('late'), 'market'), { number: 901, only: (e) => late.has(e) })
  for (const run of Object.keys(RUNS) as (keyof typeof RUNS)[]) {
    mkdirSync(inbox(run), { recursive: true })
    await cli(['submit', '--repo', repo, '--at', RUNS[run], '--json', inbox(run)])
    // Read after every run, as a reporter polling its feedback would: a later stage may replace a file's
    // feedback (a 1101 warning by the 1121 rejection).
    sent.push(...sentCodes(repo))
  }
  await uploadThroughPortal(join(inbox('upload'), 'files'))
  sent.push(...sentCodes(repo))
}, 180_000)

/** Every code a producer's entry says it gives. */
const promised = new Set([
  ...lineProducers.map((p) => p.code),
  ...fileProducers.map((p) => p.code),
  ...LINKAGE.flatMap((p) => p.codes),
])

describe('every CAT code of the code table can be produced', () => {
  it('has a producer for every code of the table, and promises no code outside it', () => {
    const table = [...CAT_CODES.keys()].sort((a, b) => a - b)
    expect(
      table.filter((c) => !promised.has(c)),
      'codes without a producer',
    ).toEqual([])
    expect(
      [...promised].filter((c) => !CAT_CODES.has(c)),
      'producers of codes outside the table',
    ).toEqual([])
  })

  it('sends back no code that is not in the table', () => {
    expect(sent.length).toBeGreaterThan(0)
    const unknown = [...new Set(sent.flatMap((s) => s.codes))].filter((c) => !CAT_CODES.has(c))
    expect(unknown).toEqual([])
  })

  it('sends back every code of the table', () => {
    const back = new Set(sent.flatMap((s) => s.codes))
    const missing = [...CAT_CODES.keys()].filter((c) => !back.has(c)).sort((a, b) => a - b)
    expect(missing, 'codes no input produced').toEqual([])
  })

  describe('record codes, on the line that should have them', () => {
    it.each(lineProducers.map((p) => [p.code, p.how, p] as const))('%i: %s', (code, _how, p) => {
      const { errorFile, line } = placed.get(p)!
      const lines = sent.filter((s) => s.file.startsWith(errorFile) && s.errorROEID !== undefined)
      const mine = lines.find((s) => lineOf(s.errorROEID!) === line)
      expect(mine, `line ${line} of ${errorFile} was accepted`).toBeDefined()
      expect(mine!.codes).toContain(code)
    })
  })

  describe('file and customer codes, in the feedback of the files that should have them', () => {
    it.each(fileProducers.map((p) => [p.code, p.how, p] as const))('%i: %s', (code, _how, p) => {
      const names = bases.get(p)!
      const codes = sent.filter((s) => names.some((b) => s.file.startsWith(`${b}.`))).flatMap((s) => s.codes)
      expect(codes).toContain(code)
    })
  })

  it('gives 1128 to the uploaded data file at once, and to the metadata block naming it', () => {
    const p = FILES.find((f) => f.code === 1128)!
    const [name] = bases.get(p)!
    const codesOf = (file: string) => sent.filter((s) => s.file === file).flatMap((s) => s.codes)
    expect(codesOf(`${name}.integrity.json`)).toEqual([1128])
    expect(codesOf(`${name}.meta.integrity.json`)).toEqual([1128])
  })

  describe('linkage codes, in the linkage feedback', () => {
    it.each(LINKAGE.map((p) => [p.codes.join(', '), p.how, p] as const))('%s: %s', (_codes, _how, p) => {
      const codes = new Set(sent.filter((s) => s.file.includes('.linkage.error')).flatMap((s) => s.codes))
      for (const c of p.codes) expect(codes.has(c), String(c)).toBe(true)
    })
  })
})
