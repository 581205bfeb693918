/**
 * The `link` and `lifecycle` commands and the linkage feedback files: counts per linkage type, the whole
 * lifecycle across firms and venues as JSON and as a tree, a clear not-found error, and CAT's linkage
 * feedback layouts for the reporter, the counterparty it names, and a reporter with nothing wrong.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ParsedArgs } from '../../src/cli/command.ts'
import { lifecycleCommand } from '../../src/cli/commands/lifecycle.ts'
import { linkCommand } from '../../src/cli/commands/link.ts'
import { OpenCatError } from '../../src/common/errors.ts'
import { readFeedback } from '../../src/intake/feedback.ts'
import { lookupLifecycle } from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { openRepository, type Repository } from '../../src/store/repository.ts'
import { fixtureRepository } from '../support/ingest.ts'
import { EVENING, readErrorLines } from '../support/link-harness.ts'
import { type Ev, LinkMarket, tag } from '../support/link-market.ts'

function io() {
  let out = ''
  let err = ''
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk))
        cb()
      },
    })
  return {
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    out: () => out,
    err: () => err,
  }
}

const args = (options: Record<string, string | boolean>): ParsedArgs => ({ options, positionals: [] })

let repo: Repository
let root: string
const m = new LinkMarket()
let order: Ev
let lost: Ev
let lostOrder: Ev

beforeAll(async () => {
  order = m.newOrder('ALDR', { orderID: 'C1', at: '093000.000' })
  const r = m.route(order, { to: 'BRCH', routedOrderID: 'RC1', at: '093000.010' })
  const a = m.accept(r, { orderID: 'BC1', at: '093000.012' })
  const x = m.route(a, { to: 'NSDQ', routedOrderID: 'RC2', session: 'S1', at: '093000.020' })
  const e = m.exchangeAccept(x, { orderID: 'NC1', at: '093000.021' })
  m.exchangeCancel(e, { at: '093100.000' })
  lostOrder = m.newOrder('ALDR', { orderID: 'C2', at: '094000.000' })
  lost = m.route(lostOrder, { to: 'BRCH', routedOrderID: 'RC9', at: '094000.010' })
  repo = await fixtureRepository()
  root = repo.paths.root
  await submitFiles(repo, m.write(mkdtempSync(join(tmpdir(), 'opencat-link-cli-'))), { nowNs: EVENING })
  repo.close()
}, 60_000)
afterAll(() => undefined)

describe('opencat link', () => {
  it('prints counts per linkage type, errors by code and lifecycles', async () => {
    const c = io()
    expect(
      await linkCommand.run(args({ repo: root, date: '2026-03-02', at: '2026-03-02T18:00:00' }), c.io),
    ).toBe(0)
    expect(c.out()).toMatch(/linked 2026-03-02 \(run 1, full\): 8 events/)
    expect(c.out()).toMatch(/Interfirm\s+linked\s+1\s+unlinked\s+1/)
    expect(c.out()).toMatch(/Exchange\s+linked\s+1\s+unlinked\s+0/)
    expect(c.out()).toMatch(/errors by code: 8003×1/)
    expect(c.out()).toMatch(/named errors to counterparties: 8004×1/)
    expect(c.out()).toMatch(/lifecycles: 2/)
  })

  it('links again incrementally and says so in --json', async () => {
    const c = io()
    expect(await linkCommand.run(args({ repo: root, date: '2026-03-02', json: true }), c.io)).toBe(0)
    const s = JSON.parse(c.out())
    expect(s).toMatchObject({
      run: 2,
      mode: 'incremental',
      errorsByCode: { 8003: 1 },
      namedByCode: { 8004: 1 },
    })
    expect(s.byType.Intrafirm.linked).toBeGreaterThan(0)
  })
})

describe('opencat lifecycle', () => {
  it('gives the whole lifecycle across firms and the exchange as JSON', async () => {
    const c = io()
    expect(
      await lifecycleCommand.run(
        args({ repo: root, reporter: 'BRCH', 'firm-roe-id': m.events[2].firmROEID, json: true }),
        c.io,
      ),
    ).toBe(0)
    const lc = JSON.parse(c.out())
    expect(lc.lifecycleId).toMatch(/^L20260302-[0-9A-V]{13}$/)
    expect(lc.events.map((e: { reporter: string; firmROEID: string }) => tag(e))).toEqual(
      m.events.slice(0, 6).map(tag),
    )
    expect(lc.events[0]).toMatchObject({
      reporter: 'ALDR',
      type: 'MENO',
      eventTimestamp: '20260302T093000.000',
      symbol: 'XYZ',
      side: 'B',
      price: '10.01',
      quantity: '500',
    })
    expect(lc.links).toHaveLength(5)
    expect(lc.links).toContainEqual({
      from: { reporter: 'ALDR', firmROEID: m.events[1].firmROEID },
      to: { reporter: 'BRCH', firmROEID: m.events[2].firmROEID },
      kind: 'accept',
    })
    const byId = io()
    expect(
      await lifecycleCommand.run(args({ repo: root, lifecycle: lc.lifecycleId, json: true }), byId.io),
    ).toBe(0)
    expect(JSON.parse(byId.out())).toEqual(lc)
  })

  it('draws the lifecycle as a tree, marking the hops between reporters', async () => {
    const c = io()
    expect(
      await lifecycleCommand.run(
        args({ repo: root, reporter: 'ALDR', 'firm-roe-id': order.firmROEID }),
        c.io,
      ),
    ).toBe(0)
    const text = c.out()
    expect(text).toMatch(/6 events across 3 reporters \(ALDR, BRCH, NSDQ\)/)
    expect(text).toMatch(/^ALDR\s+MENO\s+09:30:00\.000/m)
    expect(text).toMatch(/└─ accept ⇒ BRCH\s+MEOA/)
    expect(text).toMatch(/cancel → NSDQ\s+EXOC/)
  })

  it('finds the repository from the connection when the caller gives no paths', async () => {
    const r = await openRepository(root)
    try {
      const withPaths = await lookupLifecycle(r.db, r.paths, { reporter: 'ALDR', firmROEID: order.firmROEID })
      expect(await lookupLifecycle(r.db, { lifecycleId: withPaths.lifecycleId })).toEqual(withPaths)
    } finally {
      r.close()
    }
  })

  it('answers an unknown key with OCAT_ERR_NOT_FOUND', async () => {
    await expect(
      lifecycleCommand.run(args({ repo: root, reporter: 'ALDR', 'firm-roe-id': '20260302_NOSUCH' }), io().io),
    ).rejects.toMatchObject({
      code: 'OCAT_ERR_NOT_FOUND',
    })
    await expect(
      lifecycleCommand.run(args({ repo: root, lifecycle: 'L20260302-0000000000000' }), io().io),
    ).rejects.toBeInstanceOf(OpenCatError)
  })
})

describe('linkage feedback', () => {
  const fb = (sub: string, name: string) => join(root, 'feedback', sub, 'feedback', name)
  const errors = (sub: string, name: string) => readErrorLines(join(root, 'feedback', sub, 'errors', name))

  it('gives the reporter metadata with counts per linkage type and its unlinked route to repair', () => {
    const parsed = readFeedback(
      readFileSync(fb('104001', '104001_ALDR_20260302_OrderEvents.linkage.json'), 'utf8'),
    )
    if (!parsed.ok) throw new Error(parsed.error)
    expect(parsed.fields).toMatchObject({
      stage: 'LINKAGE',
      status: 'Failure',
      severity: 'Error',
      errorCount: 1,
      errorFileName: '104001_ALDR_20260302_OrderEvents.linkage.error.json.bz2',
      doneForDay: true,
    })
    expect(parsed.fields.errorDetails).toContainEqual({ linkageType: 'Interfirm', errorTypeCount: 1 })
    const lines = errors('104001', '104001_ALDR_20260302_OrderEvents.linkage.error.json.bz2')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      errorCode: [8003],
      actionType: 'RPR',
      errorRecord: JSON.stringify(lost.record),
    })
    expect(typeof lines[0].errorROEID).toBe('number')
    expect(lines[0].explanation).toMatch(/routedOrderID RC9/)
  })

  it('gives the counterparty the named error with the route as ERRIM', () => {
    const lines = errors('104002', '104002_BRCH_20260302_OrderEvents.linkage.error.json.bz2')
    expect(lines).toEqual([
      expect.objectContaining({
        errorCode: [8004],
        recordType: 'ERRIM',
        firmROEID: lost.firmROEID,
        type: 'MEOR',
        symbol: 'XYZ',
        side: 'B',
        price: 10.01,
        quantity: 500,
        senderIMID: '104001:ALDR',
        destination: '104002:BRCH',
        routedOrderID: 'RC9',
      }),
    ])
  })

  it('accepts a repair that names the errorROEID linkage feedback gave, and refuses one that names nothing', async () => {
    const [line] = errors('104001', '104001_ALDR_20260302_OrderEvents.linkage.error.json.bz2')
    const fixed = new LinkMarket()
    fixed.add('ALDR', 'MEOR', {
      ...lost.record,
      actionType: 'RPR',
      errorROEID: line.errorROEID,
      routedOrderID: 'RC9A',
    })
    fixed.add('ALDR', 'MEOR', {
      ...lost.record,
      firmROEID: `${lost.firmROEID}X`,
      actionType: 'RPR',
      errorROEID: line.errorROEID! + 7,
    })
    const w = await openRepository(root, { write: true })
    try {
      const dir = mkdtempSync(join(tmpdir(), 'opencat-link-rpr-'))
      const s = await submitFiles(w, fixed.write(dir, { number: 9, doneForDay: false }), { nowNs: EVENING })
      expect(s.accepted).toBe(1)
      expect(s.errorsByCode).toEqual({ 2137: 1 })
      const current = await w.db.all<{ routedOrderID: string; _action: string }>(
        `SELECT routedOrderID, _action FROM current_events WHERE _reporter = 'ALDR' AND _roe_id = $1`,
        [lost.firmROEID],
      )
      expect(current).toEqual([{ routedOrderID: 'RC9A', _action: 'RPR' }])
    } finally {
      w.close()
    }
  })

  it('gives an exchange with nothing wrong a .linkage.success, and numbers the files of later runs', () => {
    expect(readFileSync(fb('900001', '900001_NSDQ_20260302_ExchangeEvents.linkage.success'), 'utf8')).toBe('')
    expect(existsSync(fb('900001', '900001_NSDQ_20260302_ExchangeEvents.linkage_000002.success'))).toBe(true)
    expect(
      readdirSync(join(root, 'feedback', '104001', 'feedback')).filter((f) => f.includes('.linkage')),
    ).toEqual([
      '104001_ALDR_20260302_OrderEvents.linkage.json',
      '104001_ALDR_20260302_OrderEvents.linkage_000002.json',
    ])
  })
})
