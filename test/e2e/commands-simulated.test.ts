/**
 * The commands a user runs on a repository, on one simulated day built through the CLI itself
 * (simulate → init → submit): each answer is checked against the simulator's truth or against another
 * command, and the portal started with `opencat serve` answers every API route as the CLI does.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import type { TruthFault, TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { runCli } from '../support/cli.ts'
import {
  addMachineToken,
  addPerson,
  type PersonCredentials,
  type PortalClient,
  type ServedPortal,
  servePortal,
  signedInPage,
} from '../support/portal.ts'
import { truth } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
const CHROMIUM = '/usr/bin/chromium'
const EVENING = '2026-03-02T20:00:00'
const root = mkdtempSync(join(tmpdir(), 'opencat-commands-'))
const day = join(root, 'day')
const repo = join(root, 'repo')

interface Outcome {
  name: string
  role: string
  kind: string | null
  status: string
  codes: number[]
  records?: number
  rejected?: number
}
interface Submitted {
  files: Outcome[]
  records: number
  accepted: number
  rejected: number
  errorsByCode: Record<string, number>
  linkage: { eventDate: number; lifecycles: number; errorsByCode: Record<string, number> }[]
}
interface LifecycleJson {
  lifecycleId: string
  events: { reporter: string; firmROEID: string; type: string }[]
  links: unknown[]
}
interface Person {
  personId: string
  kind: string
  name: string
  accounts: { crd: number; imid: string; fdid: string; ltid?: string }[]
}

/** Runs `opencat ARGS --json`, expecting success; the parsed answer. */
async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json'])
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0)
  return JSON.parse(r.stdout) as T
}

const ref = (e: { reporter: string; firmROEID: string }) => `${e.reporter} ${e.firmROEID}`

let simulated: Record<string, unknown> & { eventsByType: Record<string, number>; run: unknown }
let initialised: { repo: string; reference: Record<string, string> }
let submitted: Submitted
let faults: TruthFault[]
/** A true lifecycle across three or more reporters that no fault touches. */
let sample: TruthLifecycle
/** The busiest book of the day, and the events' instants on it. */
let busy: { venue: string; symbol: string; times: bigint[] }

beforeAll(async () => {
  simulated = await json([
    'simulate',
    '--out',
    day,
    '--date',
    DATE,
    '--seed',
    '5',
    '--orders',
    '500',
    '--customers',
    '60',
    '--faults',
    '0.01',
  ])
  initialised = await json(['init', '--repo', repo, '--reference', join(day, 'reference'), '--pii-vault'])
  submitted = await json(['submit', '--repo', repo, '--at', EVENING, join(day, 'submissions')])
  faults = truth<TruthFault>(day, 'faults.ndjson')
  const touched = new Set(
    faults.flatMap((f) => [
      ...(f.firmROEID ? [`${f.reporter} ${f.firmROEID}`] : []),
      ...(f.counterparty?.firmROEID ? [`${f.counterparty.reporter} ${f.counterparty.firmROEID}`] : []),
    ]),
  )
  const faultyReporters = new Set(faults.filter((f) => f.stage === 'integrity').map((f) => f.reporter))
  sample = truth<TruthLifecycle>(day, 'lifecycles.ndjson')
    .filter(
      (l) =>
        l.events.length <= 12 &&
        l.events.every((e) => !touched.has(ref(e)) && !faultyReporters.has(e.reporter)),
    )
    .sort(
      (a, b) =>
        new Set(b.events.map((e) => e.reporter)).size - new Set(a.events.map((e) => e.reporter)).size ||
        a.id.localeCompare(b.id),
    )[0]
  // The exchange adds of the truth give the busiest venue and symbol.
  const adds = new Map<string, bigint[]>()
  for (const l of truth<TruthLifecycle>(day, 'lifecycles.ndjson'))
    for (const e of l.events.filter((x) => x.type === 'EXOA')) {
      const k = `${e.reporter} ${l.symbol}`
      adds.set(k, [...(adds.get(k) ?? []), BigInt(e.eventTimestamp)])
    }
  const [key, times] = [...adds].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0]
  const [venue, symbol] = key.split(' ')
  busy = { venue, symbol, times: times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) }
}, 300_000)

describe('simulate, init and submit', () => {
  it('simulate --json reports the day it wrote, as its truth summary does', () => {
    const written = JSON.parse(readFileSync(join(day, 'truth', 'summary.json'), 'utf8'))
    const { run: _r1, ...printed } = simulated
    const { run: _r2, ...stored } = written
    expect(printed).toEqual(stored)
    expect(Object.values(simulated.eventsByType).reduce((a, b) => a + b, 0)).toBe(simulated.events)
  })

  it('simulate takes every option from the command line, and a 2.2.1 day holds only types of that catalogue', async () => {
    const out = join(root, 'options')
    const r = await runCli([
      'simulate',
      '--out',
      out,
      '--date',
      '2026-03-03',
      '--seed',
      '9',
      '--orders',
      '300',
      '--firms',
      '5',
      '--exchanges',
      '2',
      '--symbols',
      '8',
      '--customers',
      '25',
      '--format',
      'csv',
      '--file-version',
      '2.2.1',
      '--faults',
      '0.02',
      '--abuse',
      'all',
      '--clock-drift',
      '40',
      '--records-per-file',
      '200',
    ])
    expect(r.code, r.stderr).toBe(0)
    const s = JSON.parse(readFileSync(join(out, 'truth', 'summary.json'), 'utf8'))
    expect(s.options).toMatchObject({
      date: '2026-03-03',
      orders: 300,
      firms: 5,
      exchanges: 2,
      symbols: 8,
      customers: 25,
      format: 'csv',
      fileVersion: '2.2.1',
      faults: 0.02,
      clockDriftMs: 40,
      recordsPerFile: 200,
    })
    expect(s.options.abuse.length).toBeGreaterThan(0)
    expect(truth(out, 'manipulations.ndjson').length).toBe(s.manipulations.total)
    expect(r.stdout).toContain(
      `${s.events.toLocaleString('en-US')} events in ${s.lifecycles.toLocaleString('en-US')} lifecycles`,
    )
    const data = readdirSync(join(out, 'submissions'), { recursive: true })
      .map(String)
      .filter((p) => /_(OrderEvents|ExchangeEvents)_\d+\.\w+\.bz2$/.test(p))
    expect(data.length).toBeGreaterThan(0)
    expect(data.filter((p) => !p.endsWith('.csv.bz2'))).toEqual([])
    const perReporter = new Map<string, number>()
    for (const p of data) perReporter.set(p.split('_')[1], (perReporter.get(p.split('_')[1]) ?? 0) + 1)
    expect(Math.max(...perReporter.values())).toBeGreaterThan(1)
    const v2 = await json<{ version: string; events: { type: string }[] }>([
      'catalogue',
      '--file-version',
      '2.2.1',
    ])
    expect(v2.version).toBe('2.2.1')
    for (const t of Object.keys(s.eventsByType)) expect(v2.events.map((e) => e.type)).toContain(t)
    const bad = await runCli([
      'simulate',
      '--out',
      join(root, 'bad'),
      '--date',
      DATE,
      '--seed',
      '1',
      '--orders',
      'many',
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--orders must be a number')
  })

  it('init --json counts the reference data it loaded', () => {
    const reporters = JSON.parse(readFileSync(join(day, 'reference', 'reporters.json'), 'utf8'))
    const symbols = JSON.parse(readFileSync(join(day, 'reference', 'symbols.json'), 'utf8'))
    expect(Number(initialised.reference.firms)).toBe(reporters.firms.length)
    expect(Number(initialised.reference.exchanges)).toBe(reporters.exchanges.length)
    expect(Number(initialised.reference.submitters)).toBe(reporters.submitters.length)
    expect(Number(initialised.reference.symbols)).toBe(symbols.symbols.length)
    expect(Number(initialised.reference.imids)).toBe(
      reporters.firms.reduce((n: number, f: { imids: unknown[] }) => n + f.imids.length, 0),
    )
  })

  it('submit --json gives every file it was handed an outcome, and every record fault its code', () => {
    const sent = readdirSync(join(day, 'submissions'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort()
    expect(submitted.files.map((f) => f.name).sort()).toEqual(sent)
    expect(submitted.accepted + submitted.rejected).toBe(submitted.records)
    const rejectedFiles = new Set(submitted.files.filter((f) => f.status === 'rejected').map((f) => f.name))
    for (const f of faults.filter((x) => x.stage === 'integrity' && x.kind !== 'missingMetadata'))
      if (sent.includes(f.file!)) expect(rejectedFiles, f.kind).toContain(f.file)
    const recordFaults = faults.filter((f) => f.stage === 'ingestion' && !rejectedFiles.has(f.file!))
    expect(recordFaults.length).toBeGreaterThan(0)
    for (const f of recordFaults)
      expect(
        f.codes.some((c) => submitted.errorsByCode[c] !== undefined),
        `${f.kind} ${f.codes}`,
      ).toBe(true)
    // Every doneForDay metadata file made the date due, so the run linked it.
    expect(submitted.linkage.map((l) => l.eventDate)).toEqual([20260302])
  })
})

describe('link, lifecycle, report-card, verify-receipt, customer', () => {
  it('link --full relinks the day to the same lifecycles and linkage errors, each labelled in the truth', async () => {
    const first = submitted.linkage[0]
    const again = await json<{ run: number; lifecycles: number; errorsByCode: Record<string, number> }>([
      'link',
      '--repo',
      repo,
      '--date',
      DATE,
      '--full',
      '--at',
      EVENING,
    ])
    expect(again.run).toBe(2)
    expect(again.lifecycles).toBe(first.lifecycles)
    expect(again.errorsByCode).toEqual(first.errorsByCode)
    const linkageFaults = faults.filter((f) => f.stage === 'linkage')
    expect(linkageFaults.length).toBeGreaterThan(0)
    for (const f of linkageFaults)
      expect(Object.keys(again.errorsByCode), f.kind).toContain(String(f.codes[0]))
    // The text form says the same; a third run, told to write no feedback, leaves the feedback as it was.
    const feedback = () =>
      readdirSync(join(repo, 'feedback'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `${e.name} ${readFileSync(join(e.parentPath, e.name)).length}`)
        .sort()
    const before = feedback()
    const text = await runCli(['link', '--repo', repo, '--date', DATE, '--at', EVENING, '--no-feedback'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`lifecycles: ${first.lifecycles.toLocaleString('en-US')}`)
    for (const [code, n] of Object.entries(first.errorsByCode))
      expect(text.stdout).toContain(`${code}×${n.toLocaleString('en-US')}`)
    expect(feedback()).toEqual(before)
  })

  it('lifecycle gives a true lifecycle across firms, by event and by id, as JSON and as a tree', async () => {
    expect(new Set(sample.events.map((e) => e.reporter)).size).toBeGreaterThanOrEqual(3)
    const first = sample.events[0]
    const byKey = await json<LifecycleJson>([
      'lifecycle',
      '--repo',
      repo,
      '--reporter',
      first.reporter,
      '--firm-roe-id',
      first.firmROEID,
    ])
    expect(byKey.events.map(ref).sort()).toEqual(sample.events.map(ref).sort())
    expect(byKey.links.length).toBe(sample.links.length)
    const byId = await json<LifecycleJson>(['lifecycle', '--repo', repo, '--lifecycle', byKey.lifecycleId])
    expect(byId).toEqual(byKey)
    const tree = await runCli(['lifecycle', '--repo', repo, '--lifecycle', byKey.lifecycleId])
    expect(tree.code, tree.stderr).toBe(0)
    for (const e of sample.events) expect(tree.stdout).toContain(e.firmROEID)
    const none = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--lifecycle',
      'L20260302-0000000000000',
      '--json',
    ])
    expect(none.code).toBe(1)
    expect(JSON.parse(none.stdout).code).toBe('OCAT_ERR_NOT_FOUND')
  })

  it("report-card counts a reporter's rejected records as submit reported them", async () => {
    const dataFiles = submitted.files.filter(
      (f) => f.role === 'data' && (f.kind === 'OrderEvents' || f.kind === 'ExchangeEvents'),
    )
    const rejects = new Map<string, number>()
    for (const f of dataFiles) {
      const reporter = f.name.split('_')[1]
      rejects.set(reporter, (rejects.get(reporter) ?? 0) + (f.rejected ?? 0))
    }
    const [reporter, rejected] = [...rejects].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    expect(rejected).toBeGreaterThan(0)
    const card = await json<{
      records: number
      errors: number
      byCode: { code: number; count: number; title: string }[]
      stages: { stage: string; errors: number }[]
      withinLimit: boolean
      errorRate: number
    }>(['report-card', '--repo', repo, '--reporter', reporter, '--date', DATE])
    const records = dataFiles
      .filter((f) => f.name.split('_')[1] === reporter)
      .reduce((n, f) => n + (f.records ?? 0), 0)
    expect(card.records).toBe(records)
    expect(card.stages.find((s) => s.stage === 'ingestion')?.errors).toBe(rejected)
    expect(card.errors).toBeGreaterThanOrEqual(rejected)
    for (const c of card.byCode) expect(c.title).toBe(CAT_CODES.get(c.code)?.title)
    const text = await runCli(['report-card', '--repo', repo, '--reporter', reporter, '--date', DATE])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(new RegExp(`overall\\s+errors\\s+${card.errors}\\b`))
    expect(text.stdout).toContain(card.withinLimit ? 'within limit' : 'ABOVE LIMIT')
    // The maximum decides the verdict: just under the reporter's rate it is above, at twice it within.
    const rate = card.errorRate
    const under = ['report-card', '--repo', repo, '--reporter', reporter, '--date', DATE]
    const strict = await json<{ withinLimit: boolean }>([...under, '--max-error-rate', String(rate / 2)])
    expect(strict.withinLimit).toBe(false)
    const lenient = await json<{ withinLimit: boolean }>([
      ...under,
      '--max-error-rate',
      String(Math.min(1, rate * 2)),
    ])
    expect(lenient.withinLimit).toBe(true)
    expect((await runCli([...under, '--max-error-rate', '5'])).code).toBe(2)
  })

  it('verify-receipt verifies the acknowledgements of data, metadata and customer files, and the log', async () => {
    const acks = readdirSync(join(repo, 'feedback'), { recursive: true })
      .map(String)
      .filter((p) => p.endsWith('.ack.json'))
    const pick = (re: RegExp) => acks.find((p) => re.test(p))!
    for (const ack of [
      pick(/_OrderEvents_\d+\.ack/),
      pick(/ExchangeEvents_\d+\.meta\.ack/),
      pick(/_CAISData_/),
    ]) {
      expect(ack).toBeDefined()
      const r = await json<{ subject: string; ok: boolean }>([
        'verify-receipt',
        '--repo',
        repo,
        join(repo, 'feedback', ack),
      ])
      expect(r.ok, ack).toBe(true)
    }
    const log = await json<{ ok: boolean; checks: unknown[] }>(['verify-receipt', '--repo', repo, '--log'])
    expect(log.ok).toBe(true)
    expect(log.checks.length).toBeGreaterThan(0)
    // A receipt whose file hash was altered does not verify.
    const forged = join(root, 'forged.ack.json')
    const doc = JSON.parse(readFileSync(join(repo, 'feedback', acks[0]), 'utf8'))
    const receipt = doc.receipt ?? doc
    receipt.sha256 = (receipt.sha256 ?? '').replace(/^./, (c: string) => (c === '0' ? '1' : '0'))
    receipt.leafIndex = receipt.leafIndex + 1
    writeFileSync(forged, JSON.stringify(doc))
    const bad = await runCli(['verify-receipt', '--repo', repo, forged, '--json'])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout).ok).toBe(false)
  })

  it("customer finds a customer's accounts at every broker by FDID, LTID and CCID, and reveals the true name", async () => {
    const people = truth<Person>(day, 'customers.ndjson')
    // A person with accounts at more than one broker, and one with a large trader ID.
    const brokers = (x: Person) => new Set(x.accounts.map((a) => a.imid)).size
    const p = people.filter((x) => x.kind === 'natural').sort((x, y) => brokers(y) - brokers(x))[0]
    expect(brokers(p)).toBeGreaterThan(1)
    const trader = people.find((x) => x.accounts.some((a) => a.ltid))!
    const span = ['--from', DATE, '--to', DATE]
    const a = p.accounts[0]
    const byFdid = await json<{
      ccids: string[]
      accounts: { imids: string[]; fdid: string }[]
      events: { reporter: string }[]
    }>(['customer', '--repo', repo, '--reporter', a.imid, '--fdid', a.fdid, ...span])
    expect(byFdid.ccids).toHaveLength(1)
    expect(byFdid.accounts.map((x) => x.fdid).sort()).toEqual(p.accounts.map((x) => x.fdid).sort())
    const t = trader.accounts.find((x) => x.ltid)!
    const traderByFdid = await json([
      'customer',
      '--repo',
      repo,
      '--reporter',
      t.imid,
      '--fdid',
      t.fdid,
      ...span,
    ])
    const byLtid = await json(['customer', '--repo', repo, '--ltid', t.ltid!, ...span])
    expect(byLtid.ccids).toEqual(traderByFdid.ccids)
    const byCcid = await json(['customer', '--repo', repo, '--ccid', byFdid.ccids[0], ...span])
    expect(byCcid).toEqual(byFdid)
    // PII only for a regulator holding the pii entitlement, with a reason; the vault gives the truth's name.
    const reveal = ['customer', '--repo', repo, '--ccid', byFdid.ccids[0], ...span, '--reveal-pii']
    const eve = await addMachineToken(repo, 'eve', ['regulator'])
    const refused = await runCli([...reveal, '--token', eve, '--reason', 'curious', '--json'])
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout).code).toBe('OCAT_ERR_PII_NOT_ENTITLED')
    const ana = await addMachineToken(repo, 'ana', ['regulator', 'pii'])
    const reasonless = await runCli([...reveal, '--token', ana, '--json'])
    expect(JSON.parse(reasonless.stdout).code).toBe('OCAT_ERR_PII_NOT_ENTITLED')
    const shown = await json<{ pii: { fields: { firstName: string; lastName: string } }[] }>([
      ...reveal,
      '--token',
      ana,
      '--reason',
      'case 2026-17',
    ])
    expect(shown.pii.length).toBeGreaterThan(0)
    expect(p.name.startsWith(shown.pii[0].fields.firstName)).toBe(true)
    expect(p.name.endsWith(shown.pii[0].fields.lastName)).toBe(true)
  })
})

describe('catalogue, book, nbbo, replay, export', () => {
  it('catalogue lists every event type the day holds, and each one with its fields', async () => {
    const list = await json<{ events: { type: string; fields: number }[] }>(['catalogue'])
    const types = new Map(list.events.map((e) => [e.type, e.fields]))
    for (const t of Object.keys(simulated.eventsByType)) expect([...types.keys()]).toContain(t)
    for (const t of ['MENO', 'EXOA']) {
      const one = await json<{ type: string; fields: unknown[] }>(['catalogue', '--event', t])
      expect(one.fields.length).toBe(types.get(t))
    }
    const text = await runCli(['catalogue'])
    expect(text.stdout.trim().split('\n')).toHaveLength(list.events.length)
    const unknown = await runCli(['catalogue', '--event', 'NOPE', '--json'])
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.stdout).code).toBe('OCAT_ERR_NOT_FOUND')
  })

  it("book --orders lists each level's queue, and book --order gives an order's place in it", async () => {
    const at = String(busy.times[Math.floor(busy.times.length / 2)])
    const base = ['book', '--repo', repo, '--venue', busy.venue, '--symbol', busy.symbol, '--at', at]
    type Level = {
      price: string
      size: string
      orders: number
      queue: { orderId: string; displayQty: string; leavesQty: string }[]
    }
    const book = await json<{ bids: Level[]; asks: Level[] }>([...base, '--depth', '3', '--orders'])
    // An order shows its display size, capped by what it has left (whole shares in a simulated day).
    const shown = (o: Level['queue'][number]) =>
      Number(o.displayQty) <= 0 ? 0 : Math.min(Number(o.displayQty), Number(o.leavesQty))
    const levels = [...book.bids, ...book.asks]
    expect(levels.length).toBeGreaterThan(0)
    for (const l of levels) {
      expect(l.queue).toHaveLength(l.orders)
      expect(String(l.queue.reduce((n, o) => n + shown(o), 0))).toBe(l.size)
    }
    const level = levels.find((l) => l.queue.filter((o) => shown(o) > 0).length > 1) ?? levels[0]
    const i = level.queue.findLastIndex((o) => shown(o) > 0)
    const ahead = level.queue.slice(0, i).filter((o) => shown(o) > 0)
    const pos = await json<{ queuePosition: { ordersAhead: number; sharesAhead: string; price: string } }>([
      ...base,
      '--order',
      level.queue[i].orderId,
    ])
    expect(pos.queuePosition.price).toBe(level.price)
    expect(pos.queuePosition.ordersAhead).toBe(ahead.length)
    expect(pos.queuePosition.sharesAhead).toBe(String(ahead.reduce((n, o) => n + shown(o), 0)))
  })

  it('nbbo for an order gives the NBBO just before it, and whether it was marketable against it', async () => {
    const add = sample.events.find((e) => e.type === 'MENO') ?? sample.events[0]
    const order = await json<{
      order: { symbol: string; side: string; price: string | null }
      nbbo: { bid: string; ask: string } | null
      marketable: boolean
    }>(['nbbo', '--repo', repo, '--reporter', add.reporter, '--firm-roe-id', add.firmROEID])
    expect(order.order.symbol).toBe(sample.symbol)
    const before = String(BigInt(add.eventTimestamp) - 1n)
    const nbbo = await json<{ bid: string | null; ask: string | null }>([
      'nbbo',
      '--repo',
      repo,
      '--symbol',
      sample.symbol,
      '--at',
      before,
    ])
    const dash = (p: string | null) => p ?? '—'
    // An order entered before any venue quoted the symbol (pre-market) has no NBBO to stand against.
    if (order.nbbo === null) expect([nbbo.bid, nbbo.ask]).toEqual([null, null])
    else {
      expect(order.nbbo.bid).toBe(dash(nbbo.bid))
      expect(order.nbbo.ask).toBe(dash(nbbo.ask))
    }
    if (order.order.price !== null && nbbo.bid !== null && nbbo.ask !== null) {
      const price = Number(order.order.price)
      const crosses = order.order.side === 'B' ? price >= Number(nbbo.ask) : price <= Number(nbbo.bid)
      expect(order.marketable).toBe(crosses)
    }
  })

  it('replay prints as many items as text as it does as JSON', async () => {
    const from = String(busy.times[0])
    const to = String(busy.times[Math.min(busy.times.length - 1, 40)])
    const args = ['replay', '--repo', repo, '--symbols', busy.symbol, '--from', from, '--to', to]
    const j = await runCli([...args, '--json'])
    expect(j.code, j.stderr).toBe(0)
    const items = j.stdout.trim().split('\n')
    expect(items.length).toBeGreaterThan(0)
    const t = await runCli(args)
    expect(t.code, t.stderr).toBe(0)
    expect(t.stdout.trim().split('\n').at(-1)).toBe(`${items.length} items`)
  })

  it("export lobster writes a venue's day whose last orderbook row is the book at the close", async () => {
    const out = mkdtempSync(join(root, 'lobster-'))
    const levels = 3
    const r = await json<{ files: string[]; messages: number }>([
      'export',
      'lobster',
      '--repo',
      repo,
      '--venue',
      busy.venue,
      '--symbol',
      busy.symbol,
      '--date',
      DATE,
      '--out',
      out,
      '--levels',
      String(levels),
    ])
    expect(r.files).toHaveLength(2)
    const [messages, orderbook] = r.files.map((f) => readFileSync(f, 'utf8').trim().split('\n'))
    expect(messages).toHaveLength(r.messages)
    expect(orderbook).toHaveLength(r.messages)
    expect(r.messages).toBeGreaterThanOrEqual(busy.times.length)
    const book = await json<{
      bids: { price: string; size: string }[]
      asks: { price: string; size: string }[]
    }>([
      'book',
      '--repo',
      repo,
      '--venue',
      busy.venue,
      '--symbol',
      busy.symbol,
      '--at',
      EVENING,
      '--depth',
      String(levels),
    ])
    const last = orderbook.at(-1)!.split(',').map(Number)
    const ticks = (p: string) => Math.round(Number(p) * 10_000)
    for (let i = 0; i < levels; i++) {
      const ask = book.asks[i]
      const bid = book.bids[i]
      expect(last.slice(4 * i, 4 * i + 4), `level ${i + 1}`).toEqual([
        ask ? ticks(ask.price) : 9999999999,
        Number(ask?.size ?? 0),
        bid ? ticks(bid.price) : -9999999999,
        Number(bid?.size ?? 0),
      ])
    }
    const notLobster = await runCli([
      'export',
      'csv',
      '--repo',
      repo,
      '--venue',
      'X',
      '--symbol',
      'Y',
      '--date',
      DATE,
      '--out',
      out,
    ])
    expect(notLobster.code).toBe(2)
  })
})

describe('opencat serve: every API route answers as the CLI does', () => {
  let portal: ServedPortal
  let url: string
  /** A regulator signed in with password and TOTP code, and one who signs in through the page. */
  let regulator: PortalClient
  let viewer: PersonCredentials

  beforeAll(async () => {
    portal = await servePortal(repo, ['--host', '127.0.0.1'])
    url = portal.url
    regulator = await portal.client.signedIn(await addPerson(repo, 'serve-regulator', ['regulator']))
    viewer = await addPerson(repo, 'serve-viewer', ['regulator'])
  }, 60_000)

  afterAll(async () => {
    await portal.stop()
  })

  async function get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const res = await regulator.get(path)
    return { status: res.status, body: res.json<T>() }
  }

  it('lists its routes at /api and serves the portal page and its script', async () => {
    const { body } = await get<{ routes: { path: string }[] }>('/api')
    expect(body.routes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/summary',
        '/api/lifecycle',
        '/api/customer',
        '/api/report-card',
        '/api/book',
        '/api/nbbo',
      ]),
    )
    const anonymous = portal.client
    const page = await anonymous.get('/')
    expect(page.headers['content-type']).toContain('text/html')
    // The built page names its script by a content hash: fetch the one it names.
    const src = /<script[^>]*\ssrc="([^"]+\.js)"/.exec(page.text)?.[1]
    expect(src).toBeDefined()
    const script = await anonymous.get(src!)
    expect(script.headers['content-type']).toContain('javascript')
    expect((await anonymous.get('/%2e%2e/package.json')).status).toBe(404)
    expect((await anonymous.get('/api')).status).toBe(401)
  })

  it('/api/summary counts what submit and link reported, with each linkage code and its meaning', async () => {
    const { body } = await get<{
      dates: { event_date: number; lifecycles: string }[]
      reporters: { reporter: string; rejected: string }[]
      linkage: { code: number; title: string | null }[]
    }>('/api/summary')
    expect(body.dates.map((d) => d.event_date)).toEqual([20260302])
    expect(Number(body.dates[0].lifecycles)).toBe(submitted.linkage[0].lifecycles)
    expect(body.reporters.reduce((n, r) => n + Number(r.rejected), 0)).toBe(submitted.rejected)
    expect(body.linkage.length).toBeGreaterThan(0)
    for (const row of body.linkage) expect(row.title).toBe(CAT_CODES.get(Number(row.code))?.title)
  })

  it.skipIf(!existsSync(CHROMIUM))(
    'the portal overview shows each linkage code with its meaning',
    async () => {
      const { body } = await get<{ linkage: { code: number; title: string; findings: string }[] }>(
        '/api/summary',
      )
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      })
      try {
        const page = await signedInPage(browser, url, viewer, '/legacy/')
        await page.waitForSelector('#overview-linkage table')
        const headers = await page.locator('#overview-linkage th').allTextContents()
        expect(headers).toContain('Meaning')
        const rows = await page
          .locator('#overview-linkage tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
          )
        const at = (name: string) => headers.indexOf(name)
        expect(rows.map((r) => [Number(r[at('Code')]), r[at('Meaning')]])).toEqual(
          body.linkage.map((l) => [Number(l.code), CAT_CODES.get(Number(l.code))?.title]),
        )
      } finally {
        await browser.close()
      }
    },
    60_000,
  )

  it('/api/lifecycle, /api/report-card, /api/customer, /api/book, /api/nbbo and /api/depth equal the CLI answers', async () => {
    const e = sample.events[0]
    expect((await get(`/api/lifecycle?reporter=${e.reporter}&firmROEID=${e.firmROEID}`)).body).toEqual(
      await json(['lifecycle', '--repo', repo, '--reporter', e.reporter, '--firm-roe-id', e.firmROEID]),
    )
    expect((await get(`/api/report-card?reporter=${e.reporter}&date=${DATE}`)).body).toEqual(
      await json(['report-card', '--repo', repo, '--reporter', e.reporter, '--date', DATE]),
    )
    const p = truth<Person>(day, 'customers.ndjson').find((x) => x.accounts.length > 0)!
    const a = p.accounts[0]
    expect(
      (await get(`/api/customer?reporter=${a.imid}&fdid=${a.fdid}&from=${DATE}&to=${DATE}`)).body,
    ).toEqual(
      await json([
        'customer',
        '--repo',
        repo,
        '--reporter',
        a.imid,
        '--fdid',
        a.fdid,
        '--from',
        DATE,
        '--to',
        DATE,
      ]),
    )
    const at = String(busy.times[Math.floor(busy.times.length / 2)])
    expect(
      (await get(`/api/book?venue=${busy.venue}&symbol=${busy.symbol}&at=${at}&depth=4&orders=1`)).body,
    ).toEqual(
      await json([
        'book',
        '--repo',
        repo,
        '--venue',
        busy.venue,
        '--symbol',
        busy.symbol,
        '--at',
        at,
        '--depth',
        '4',
        '--orders',
      ]),
    )
    const nbbo = await json(['nbbo', '--repo', repo, '--symbol', busy.symbol, '--at', at])
    expect((await get(`/api/nbbo?symbol=${busy.symbol}&at=${at}`)).body).toEqual(nbbo)
    // The depth the market view shows: the NBBO and every venue's book in one answer, each as its command gives it.
    const depth = (
      await get<{ nbbo: unknown; books: { venue: string }[] }>(
        `/api/depth?symbol=${busy.symbol}&at=${at}&depth=3`,
      )
    ).body
    expect(depth.nbbo).toEqual(nbbo)
    expect(depth.books.map((b) => b.venue)).toContain(busy.venue)
    for (const b of depth.books)
      expect(b).toEqual(
        await json([
          'book',
          '--repo',
          repo,
          '--venue',
          b.venue,
          '--symbol',
          busy.symbol,
          '--at',
          at,
          '--depth',
          '3',
        ]),
      )
  })

  it('stops on SIGTERM with exit status 0, and refuses a port that is not one', async () => {
    expect((await portal.stop()).code).toBe(0)
    const bad = await runCli(['serve', '--repo', repo, '--port', 'http'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--port')
  })
})
