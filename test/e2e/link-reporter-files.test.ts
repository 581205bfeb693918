/**
 * Hand-written reporter files through `opencat submit`, `opencat link` and `opencat lifecycle`, checked
 * against the IM spec: a customer's modification of a routed order links across firms on the Route
 * Linkage Key; every named code goes to the member the unlinked record names (the party the official
 * code list says: "Named on an Order Route event", "… an exchange order", …); and a file that arrives
 * after the T+1 08:00 deadline gets the late and early warnings instead of repairable errors.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import { readFeedback } from '../../src/intake/feedback.ts'
import { runCli } from '../support/cli.ts'
import { fixtureRepository } from '../support/ingest.ts'
import { type ErrorLine, readErrorLines } from '../support/link-harness.ts'
import { type Ev, imid, LinkMarket, tag } from '../support/link-market.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

const ON_TIME = '2026-03-02T18:00:00'
// After the date's T+1 08:00 deadline (Tuesday 2026-03-03 08:00 ET).
const LATE = '2026-03-03T09:00:00'
const EXCHANGES = new Set(['NSDQ', 'NYSE', 'FINRA'])

/** One error file line with the reporter whose file it is and the run it came from. */
type Line = ErrorLine & { file: string; to: string }

/** Every linkage error line and every linkage metadata record of the repository. */
function linkageFeedback(root: string): { lines: Line[]; metadata: Record<string, unknown>[] } {
  const lines: Line[] = []
  const metadata: Record<string, unknown>[] = []
  const base = join(root, 'feedback')
  for (const sub of readdirSync(base)) {
    const errors = join(base, sub, 'errors')
    if (existsSync(errors))
      for (const f of readdirSync(errors).filter((n) => n.includes('.linkage.error')))
        for (const l of readErrorLines(join(errors, f))) lines.push({ ...l, file: f, to: f.split('_')[1] })
    const fb = join(base, sub, 'feedback')
    if (existsSync(fb))
      for (const f of readdirSync(fb).filter((n) => /\.linkage(_\d+)?\.json$/.test(n))) {
        const parsed = readFeedback(readFileSync(join(fb, f), 'utf8'))
        if (!parsed.ok) throw new Error(`${f}: ${parsed.error}`)
        metadata.push({ ...parsed.fields, file: f })
      }
  }
  return { lines, metadata }
}

const mpid = (v: unknown) => (typeof v === 'string' ? (v.split(':')[1] ?? v) : undefined)

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args)
  if (r.code !== 0) throw new Error(`opencat ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

const LIST = ['spec', 'finra-v2.2.1', 'error_codes.csv']
const list = sharedFile(...LIST)

// What the official description of a named code says the recipient is named on, as record types.
const NAMED_ON: [RegExp, string[]][] = [
  [/^Named on a TRF\/ADF\/ORF Trade Report/, ['TRFT']],
  [/^Named on an exchange order/, ['EXOA', 'EXOM', 'EXOR']],
  [/^Named on an Order Route event/, ['MEOR']],
  [/^Named on an Order Accept(ed)? event/i, ['MEOA', 'MEOM']],
]

/** The record types a code's official description names its recipient on (undefined: not a named code). */
function namedOn(descriptions: ReadonlyMap<number, string>, code: number): string[] | undefined {
  // 7012's description says "Order Route event" where the rest of its family says "exchange order".
  if (code === 7012) return namedOn(descriptions, 7004)
  const text = descriptions.get(code) ?? ''
  return NAMED_ON.find(([re]) => re.test(text))?.[1]
}

function officialDescriptions(path: string | undefined): Map<number, string> {
  const out = new Map<number, string>()
  for (const line of path ? readFileSync(path, 'utf8').split('\n').slice(1) : []) {
    const m = /^(\d+),("[^"]*"|[^,]*),("[^"]*"|[^,]*)/.exec(line)
    if (m) out.set(Number(m[1]), m[3].replace(/^"|"$/g, '').trim())
  }
  return out
}

describe('reporter files with routes, modifications, trade reports and a late file', () => {
  const m = new LinkMarket()
  const late = new Set<Ev>()
  let n = 0
  const at = () => {
    const s = 100000 + 100 * n++
    return String(s)
  }

  // 1. The customer modifies an order already routed to BRCH: ALDR reports MEOM and a new MEOR, BRCH an
  // MEOM carrying senderIMID, receiverIMID and routedOrderID as its file showed them (no senderType).
  const t1 = at()
  const mOrder = m.newOrder('ALDR', { orderID: 'M1', at: `${t1}.000` })
  const mRoute = m.route(mOrder, { to: 'BRCH', routedOrderID: 'RM1', at: `${t1}.010` })
  const mAccept = m.accept(mRoute, { orderID: 'BM1', at: `${t1}.012` })
  const aModify = m.modify(mOrder, { newOrderID: 'M1b', at: `${t1}.500`, price: 10.05 })
  const mRoute2 = m.route(aModify, { to: 'BRCH', routedOrderID: 'RM1b', at: `${t1}.510` })
  const bModify = m.modify(mAccept, {
    newOrderID: 'BM1b',
    at: `${t1}.512`,
    price: 10.05,
    from: mRoute2,
    record: { senderType: undefined },
  })
  // The same, but BRCH's MEOM names a routedOrderID ALDR never sent: interfirm codes both ways.
  const t2 = at()
  const xOrder = m.newOrder('ALDR', { orderID: 'M2', at: `${t2}.000` })
  const xRoute = m.route(xOrder, { to: 'BRCH', routedOrderID: 'RM2', at: `${t2}.010` })
  const xAccept = m.accept(xRoute, { orderID: 'BM2', at: `${t2}.012` })
  const xModify = m.modify(xOrder, { newOrderID: 'M2b', at: `${t2}.500` })
  const xRoute2 = m.route(xModify, { to: 'BRCH', routedOrderID: 'RM2b', at: `${t2}.510` })
  const xBad = m.modify(xAccept, {
    newOrderID: 'BM2b',
    at: `${t2}.512`,
    from: xRoute2,
    record: { routedOrderID: 'RM2-typo' },
  })
  m.links.pop()

  // 2. Every family of named codes, on time.
  const firmRoute = (accept: Record<string, unknown> | null) => {
    const t = at()
    const o = m.newOrder('ALDR', { orderID: `F${n}`, at: `${t}.000` })
    const r = m.route(o, { to: 'BRCH', routedOrderID: `RF${n}`, at: `${t}.010` })
    if (accept) m.accept(r, { orderID: `BF${n}`, at: `${t}.012`, record: accept, noLink: true })
  }
  firmRoute(null) // 8003 / named 8004
  firmRoute({ senderIMID: imid('BRCX') }) // 8005 / 8006, 9005 / 9006
  firmRoute({ receiverIMID: imid('BRCX') }) // 8007 / 8008, 9007 / 9008
  firmRoute({ symbol: 'ABC' }) // 8009 / 8010, 9009 / 9010
  firmRoute({ symbol: 'ABC', senderIMID: imid('BRCX') }) // 8011 / 8012, 9011 / 9012
  const exchangeRoute = (accept: Record<string, unknown> | null) => {
    const t = at()
    const o = m.newOrder('ALDR', { orderID: `X${n}`, at: `${t}.000` })
    const r = m.route(o, { to: 'NSDQ', routedOrderID: `RX${n}`, session: 'S1', at: `${t}.010` })
    if (accept) m.exchangeAccept(r, { orderID: `NX${n}`, at: `${t}.011`, record: accept, noLink: true })
  }
  exchangeRoute(null) // 6003, nothing named
  exchangeRoute({ routingParty: imid('BRCH') }) // 6005 / 7006
  exchangeRoute({ symbol: 'ABC' }) // 6007 / 7008
  exchangeRoute({ session: 'S9' }) // 6009 / 7010
  exchangeRoute({ session: 'S9', symbol: 'ABC' }) // 6011 / 7012
  {
    // An exchange order naming a firm that reported no route: the firm gets the named 7004.
    const t = at()
    m.add('NSDQ', 'EXOA', {
      orderID: 'NX-ORPHAN',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${t}.000`),
      routingParty: imid('ALDR'),
      routedOrderID: 'RX-ORPHAN',
      session: 'S1',
    })
  }
  const trade = (record: Record<string, unknown>) => {
    const t = at()
    const b = m.newOrder('ALDR', { orderID: `T${n}b`, at: `${t}.000` })
    const s = m.newOrder('ALDR', { orderID: `T${n}s`, at: `${t}.000`, side: 'SL' })
    const tr = m.trade(b, s, { at: `${t}.100`, reported: false })
    m.tradeReport(tr, { record, link: false })
  }
  trade({ tapeTradeID: 'NOSUCH' }) // 4003 / named 5004 (the MEOT and the report each find nothing)
  trade({ eventTimestamp: m.at('150000.000') }) // 4005 / 5006
  trade({ symbol: 'ABC' }) // 4007 / 5008
  trade({ rptngExctgMPID: 'BRCH' }) // 4009 / 5010

  // 3. A file after the deadline. ALDR's route waits for an accept that comes late with its
  // routedOrderID but another symbol (the late accept 895 / named 894; the on-time route 897 / named 896); a late route
  // without accept (899 / 898); a late cancel of an order nobody reported (397); a late Trade event without
  // report (499) and a late report without Trade event (498); a late route to the exchange without its
  // order (799), and a late exchange order without a route (799 for the exchange, 798 named); and a late
  // accept that matches its on-time route links as if it had come in time.
  const t3 = at()
  const eOrder = m.newOrder('ALDR', { orderID: 'E1', at: `${t3}.000` })
  const eRoute = m.route(eOrder, { to: 'BRCH', routedOrderID: 'RE1', at: `${t3}.010` })
  late.add(
    m.accept(eRoute, {
      orderID: 'BE1',
      at: `${t3}.012`,
      record: { symbol: 'ABC' },
      noLink: true,
    }),
  )
  const lOrder = m.newOrder('ALDR', { orderID: 'L1', at: `${t3}.100` })
  late.add(lOrder)
  late.add(m.route(lOrder, { to: 'BRCH', routedOrderID: 'RL1', at: `${t3}.110` }))
  late.add(
    m.add('ALDR', 'MEOC', {
      orderKeyDate: m.at(`${t3}.200`),
      orderID: 'NEVER',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${t3}.300`),
      cancelQty: 100,
      leavesQty: 0,
    }),
  )
  {
    const t = at()
    const b = m.newOrder('ALDR', { orderID: 'LTb', at: `${t}.000` })
    const s = m.newOrder('ALDR', { orderID: 'LTs', at: `${t}.000`, side: 'SL' })
    late.add(m.trade(b, s, { at: `${t}.100`, reported: false }))
    const b2 = m.newOrder('ALDR', { orderID: 'LRb', at: `${t}.200` })
    const s2 = m.newOrder('ALDR', { orderID: 'LRs', at: `${t}.200`, side: 'SL' })
    const tr2 = m.trade(b2, s2, { at: `${t}.300`, reported: false })
    m.events.splice(m.events.indexOf(tr2), 1)
    for (const l of m.links.filter((x) => x.to === tr2)) m.links.splice(m.links.indexOf(l), 1)
    late.add(m.tradeReport(tr2, { link: false }))
  }
  {
    const t = at()
    const o = m.newOrder('ALDR', { orderID: 'LX1', at: `${t}.000` })
    late.add(m.route(o, { to: 'NSDQ', routedOrderID: 'RLX1', session: 'S1', at: `${t}.010` }))
    late.add(
      m.add('NSDQ', 'EXOA', {
        orderID: 'NLX2',
        symbol: 'XYZ',
        eventTimestamp: m.at(`${t}.500`),
        routingParty: imid('ALDR'),
        routedOrderID: 'RLX2',
        session: 'S1',
      }),
    )
  }
  // BRCH's accept is on time, ALDR's route late and with another symbol: the late route 899 / named 898,
  // the on-time accept 893 / named 892.
  const t5 = at()
  const wOrder = m.newOrder('ALDR', { orderID: 'W1', at: `${t5}.000` })
  const wRoute = m.route(wOrder, { to: 'BRCH', routedOrderID: 'RW1', at: `${t5}.010` })
  const wAccept = m.accept(wRoute, {
    orderID: 'BW1',
    at: `${t5}.012`,
    record: { symbol: 'ABC' },
    noLink: true,
  })
  late.add(wRoute)
  const t4 = at()
  const gOrder = m.newOrder('ALDR', { orderID: 'G1', at: `${t4}.000` })
  const gRoute = m.route(gOrder, { to: 'BRCH', routedOrderID: 'RG1', at: `${t4}.010` })
  const gAccept = m.accept(gRoute, { orderID: 'BG1', at: `${t4}.012` })
  late.add(gAccept)

  let root: string
  let onTime: ReturnType<typeof linkageFeedback>
  let all: ReturnType<typeof linkageFeedback>
  let lateLines: Line[]

  beforeAll(async () => {
    const repo = await fixtureRepository()
    root = repo.paths.root
    repo.close()
    const dir = mkdtempSync(join(tmpdir(), 'opencat-reporter-files-'))
    await cli([
      'submit',
      '--repo',
      root,
      '--at',
      ON_TIME,
      ...m.write(join(dir, 'first'), { only: (e) => !late.has(e) }),
    ])
    onTime = linkageFeedback(root)
    await cli([
      'submit',
      '--repo',
      root,
      '--at',
      LATE,
      ...m.write(join(dir, 'late'), { number: 2, only: (e) => late.has(e) }),
    ])
    all = linkageFeedback(root)
    lateLines = all.lines.filter((l) => l.file.includes('.linkage.error_000002'))
  }, 120_000)

  const codesOf = (lines: Line[], to: string, subject?: Ev) =>
    lines
      .filter((l) => l.to === to)
      .filter(
        (l) =>
          !subject ||
          l.firmROEID === subject.firmROEID ||
          l.recordID === subject.firmROEID ||
          l.errorRecordID === subject.firmROEID ||
          (typeof l.errorRecord === 'string' && l.errorRecord.includes(`"${subject.firmROEID}"`)),
      )
      .flatMap((l) => l.errorCode)
      .sort()

  it("links the receiver's MEOM to the sender's new MEOR and shows the link in the lifecycle", async () => {
    const lc = JSON.parse(
      await cli([
        'lifecycle',
        '--repo',
        root,
        '--reporter',
        'BRCH',
        '--firm-roe-id',
        bModify.firmROEID,
        '--json',
      ]),
    )
    const links = (lc.links as { from: Ev; to: Ev; kind: string }[]).map(
      (l) => `${tag(l.from)} → ${tag(l.to)} ${l.kind}`,
    )
    expect(links).toContain(`${tag(mRoute2)} → ${tag(bModify)} accept`)
    expect(links).toContain(`${tag(mAccept)} → ${tag(bModify)} modify`)
    expect(lc.events.map(tag)).toEqual(
      expect.arrayContaining([mOrder, mRoute, mAccept, aModify, mRoute2, bModify].map(tag)),
    )
    expect(codesOf(onTime.lines, 'ALDR', mRoute2)).toEqual([])
    expect(codesOf(onTime.lines, 'BRCH', bModify)).toEqual([])
    const tree = await cli([
      'lifecycle',
      '--repo',
      root,
      '--reporter',
      'ALDR',
      '--firm-roe-id',
      mOrder.firmROEID,
    ])
    expect(tree).toMatch(/accept ⇒ BRCH\s+MEOM/)
  })

  it("gives a received MEOM that does not match the sender's new route the interfirm codes", () => {
    expect(codesOf(onTime.lines, 'BRCH', xBad)).toEqual([9003])
    expect(codesOf(onTime.lines, 'ALDR', xBad)).toEqual([9004])
    expect(codesOf(onTime.lines, 'ALDR', xRoute2)).toEqual([8003])
    expect(codesOf(onTime.lines, 'BRCH', xRoute2)).toEqual([8004])
  })

  it('emits every family of named codes on time', () => {
    const named = new Set(onTime.lines.filter((l) => l.recordType).flatMap((l) => l.errorCode))
    for (const c of [5004, 5006, 5008, 5010, 7004, 7006, 7008, 7010, 7012])
      expect(named, String(c)).toContain(c)
    for (let c = 8004; c <= 8012; c += 2) expect(named, String(c)).toContain(c)
    for (let c = 9004; c <= 9012; c += 2) expect(named, String(c)).toContain(c)
  })

  it('sends every named code only to a member the record names, never to an exchange', () => {
    const named = all.lines.filter((l) => l.recordType)
    expect(named.length).toBeGreaterThan(20)
    for (const l of named) {
      const who = `${l.errorCode} ${l.recordType} ${l.type ?? ''} to ${l.to}`
      expect(EXCHANGES.has(l.to), who).toBe(false)
      if (l.recordType === 'ERRTRF') expect([l.rptngExctgMPID, l.contraExctgMPID], who).toContain(l.to)
      else if (l.recordType === 'ERREX') expect(mpid(l.routingParty), who).toBe(l.to)
      else if (l.type === 'MEOR') expect(mpid(l.destination), who).toBe(l.to)
      else expect(mpid(l.senderIMID), who).toBe(l.to)
    }
  })

  it.skipIf(!list)(
    'sends each named code the engine emits on the record type its official description names',
    () => {
      const descriptions = officialDescriptions(list)
      const emitted = all.lines.filter((l) => l.recordType)
      for (const l of emitted) {
        const type = l.recordType === 'ERRTRF' ? 'TRFT' : String(l.type)
        for (const c of l.errorCode) expect(namedOn(descriptions, c), `${c} on ${type}`).toContain(type)
      }
      // And no own (repairable or warning) record carries a named code.
      for (const l of all.lines.filter((x) => !x.recordType))
        for (const c of l.errorCode) expect(namedOn(descriptions, c), String(c)).toBeUndefined()
    },
  )

  it('gives each own code to the kind of record the spec says reports it', () => {
    // 80xx: the sender's Order Route; 90xx: the receiver's Order Accepted (or received modification); 40xx:
    // the Trade event; 60xx: a record of firm–exchange linkage; late and early warnings by the same sides.
    const OWN: [(c: number) => boolean, string[]][] = [
      [(c) => c >= 8000 && c < 9000, ['MEOR']],
      [(c) => c >= 9000, ['MEOA', 'MEOM']],
      [(c) => c >= 4000 && c < 5000, ['MEOT']],
      [(c) => c >= 6000 && c < 7000, ['MEOR', 'MEOA', 'EXOA', 'EXOM', 'EXOR']],
      [(c) => c === 899 || c === 897, ['MEOR']],
      [(c) => c === 895 || c === 893, ['MEOA', 'MEOM']],
      [(c) => c === 799, ['MEOR', 'MEOA', 'EXOA', 'EXOM', 'EXOR']],
      [(c) => c === 499, ['MEOT']],
    ]
    const own = all.lines.filter((x) => !x.recordType)
    expect(own.length).toBeGreaterThan(20)
    for (const l of own) {
      const type = String(JSON.parse(String(l.errorRecord)).type)
      for (const c of l.errorCode) {
        const rule = OWN.find(([applies]) => applies(c))
        if (rule) expect(rule[1], `${c} on ${type}`).toContain(type)
      }
    }
  })

  it('keeps named codes to named-error records and own codes to own records', () => {
    const named = (c: number) => CAT_CODES.get(c)?.title.startsWith('named') === true
    for (const l of all.lines)
      for (const c of l.errorCode) expect(named(c), `${c} in ${l.file}`).toBe(l.recordType !== undefined)
  })

  it('counts every linkage feedback file as its error records, per linkage type', () => {
    for (const fb of all.metadata) {
      const errorFile = String(fb.errorFileName)
      const lines = all.lines.filter((l) => l.file === errorFile)
      const details = fb.errorDetails as { errorTypeCount: number }[]
      expect(fb.errorCount, String(fb.file)).toBe(lines.length)
      expect(
        details.reduce((a, d) => a + d.errorTypeCount, 0),
        String(fb.file),
      ).toBe(lines.length)
    }
    for (const l of all.lines)
      for (const c of l.errorCode) expect(CAT_CODES.get(c)?.linkageType, String(c)).toBeDefined()
  })

  it('gives the late file the late warnings and the on-time records it misses the early ones', () => {
    const accept = [...late].find((e) => e.type === 'MEOA' && e.record.routedOrderID === 'RE1')!
    expect(codesOf(lateLines, 'BRCH', accept)).toEqual([895])
    expect(codesOf(lateLines, 'ALDR', accept)).toEqual([894])
    expect(codesOf(lateLines, 'ALDR', eRoute)).toEqual([897])
    expect(codesOf(lateLines, 'BRCH', eRoute)).toEqual([896])
    const lRoute = [...late].find((e) => e.type === 'MEOR' && e.record.routedOrderID === 'RL1')!
    expect(codesOf(lateLines, 'ALDR', lRoute)).toEqual([899])
    expect(codesOf(lateLines, 'BRCH', lRoute)).toEqual([898])
    expect(codesOf(lateLines, 'ALDR', wRoute)).toEqual([899])
    expect(codesOf(lateLines, 'BRCH', wRoute)).toEqual([898])
    expect(codesOf(lateLines, 'BRCH', wAccept)).toEqual([893])
    expect(codesOf(lateLines, 'ALDR', wAccept)).toEqual([892])
    const cancel = [...late].find((e) => e.type === 'MEOC')!
    expect(codesOf(lateLines, 'ALDR', cancel)).toEqual([397])
    const lTrade = [...late].find((e) => e.type === 'MEOT')!
    expect(codesOf(lateLines, 'ALDR', lTrade)).toEqual([499])
    const lReport = [...late].find((e) => e.type === 'TRFT')!
    expect(codesOf(lateLines, 'ALDR', lReport)).toEqual([498])
    const xRouteLate = [...late].find((e) => e.type === 'MEOR' && e.record.routedOrderID === 'RLX1')!
    expect(codesOf(lateLines, 'ALDR', xRouteLate)).toEqual([799])
    const xOrderLate = [...late].find((e) => e.type === 'EXOA')!
    expect(codesOf(lateLines, 'ALDR', xOrderLate)).toEqual([798])
    expect(codesOf(lateLines, 'NSDQ', xOrderLate)).toEqual([799])
    for (const l of lateLines.filter((x) => x.errorCode.some((c) => c < 1000)))
      expect(l.explanation).toMatch(/deadline/)
  })

  it('links a late accept that matches its route as if it had come in time', async () => {
    expect(codesOf(lateLines, 'BRCH', gAccept)).toEqual([])
    expect(codesOf(onTime.lines, 'ALDR', gRoute)).toEqual([8003])
    expect(codesOf(lateLines, 'ALDR', gRoute)).toEqual([])
    const lc = JSON.parse(
      await cli([
        'lifecycle',
        '--repo',
        root,
        '--reporter',
        'BRCH',
        '--firm-roe-id',
        gAccept.firmROEID,
        '--json',
      ]),
    )
    expect(lc.events.map(tag)).toContain(tag(gOrder))
  })

  it('sends late and early warnings as warnings: the late-only feedback says so', () => {
    for (const fb of all.metadata.filter((x) => String(x.file).includes('_000002'))) {
      const lines = all.lines.filter((l) => l.file === fb.errorFileName)
      const errors = lines.some((l) => l.errorCode.some((c) => CAT_CODES.get(c)?.severity === 'Error'))
      expect(fb.severity, String(fb.file)).toBe(errors ? 'Error' : 'Warning')
    }
  })
})

describe.skipIf(list)('named codes against the official code list', () => {
  it.skip(missingShared(...LIST), () => {})
})
