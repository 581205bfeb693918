/**
 * Every CAT code of the code table (docs/errors.md) comes back to a reporter, and nothing else does. One
 * repository takes a trading day's worth of submissions through `opencat submit` at the times a reporter
 * would send them (the morning, after the 30-minute and 2-hour metadata deadlines, the evening, after the
 * T+1 deadline, at T+3) and, last, one file through the portal's upload; the codes are read from the
 * feedback and error files the way a reporter reads them, after each run. Ingestion codes are produced
 * from data: a malformed value of every field of the v4.1 catalogue (and of 2.2.1 fields 4.1 dropped), and
 * every validation rule's own example; the rest come from explicit tables, one entry per code or family:
 * record shapes and file and metadata problems below, customer files in support/cais-code-producers.ts,
 * linkage in support/linkage-code-producers.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES, CATALOGUE_V41, CATALOGUE_V221 } from '../../src/catalogue/index.ts'
import { RULES } from '../../src/validate/rules/index.ts'
import { CUSTOMERS, FIRST_CUSTOMER, writeCais } from '../support/cais-code-producers.ts'
import { validCsv } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import {
  type FileProducer,
  fieldProducers,
  firstPerCode,
  type Producer,
  type Run,
  ruleProducers,
} from '../support/code-producers.ts'
import { lineOf, type SentCodes, sentCodes } from '../support/feedback-codes.ts'
import { BASE, DATE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { type Ev, LinkMarket } from '../support/link-market.ts'
import { LINKAGE } from '../support/linkage-code-producers.ts'
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
} as const satisfies Record<Exclude<Run, 'upload'>, string>
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
    // Read after every run, as a reporter polling its feedback would.
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

  it("keeps a data file's 1101 warning beside its later 1121 rejection, each in a feedback file", () => {
    const [name] = bases.get(FILES.find((f) => f.code === 1101)!)!
    const now = sentCodes(repo)
    const codesOf = (file: string) => now.filter((s) => s.file === file).flatMap((s) => s.codes)
    expect(codesOf(`${name}.integrity.json`)).toEqual([1101])
    expect(codesOf(`${name}.integrity_000001.json`)).toEqual([1121])
  })

  describe('linkage codes, in the linkage feedback', () => {
    it.each(LINKAGE.map((p) => [p.codes.join(', '), p.how, p] as const))('%s: %s', (_codes, _how, p) => {
      const codes = new Set(sent.filter((s) => s.file.includes('.linkage.error')).flatMap((s) => s.codes))
      for (const c of p.codes) expect(codes.has(c), String(c)).toBe(true)
    })
  })
})
