/**
 * Incremental linkage: a late file for a date already linked is linked against the earlier results (only
 * new and still-unlinked events are examined) and gives exactly what linking everything at once gives,
 * lifecycle ids included; every run is kept. A correction of a linked event falls back to a full relink.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { datesDue, type LinkSummary, linkDate, linkPending, runDir } from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import type { Repository } from '../../src/store/repository.ts'
import { fixtureRepository } from '../support/ingest.ts'
import { EVENING, finding, foundFindings, foundLinks } from '../support/link-harness.ts'
import { type Ev, LinkMarket } from '../support/link-market.ts'

const DATE = 20260302
const LATER = EVENING + 3_600_000_000_000n

function market(): { m: LinkMarket; late: Set<Ev> } {
  const m = new LinkMarket()
  const late = new Set<Ev>()
  for (let i = 0; i < 6; i++) {
    const at = `1${i}0000`
    const o = m.newOrder('ALDR', { orderID: `I${i}`, at: `${at}.000` })
    const r = m.route(o, { to: 'BRCH', routedOrderID: `RI${i}`, at: `${at}.010` })
    const a = m.accept(r, { orderID: `BI${i}`, at: `${at}.012` })
    const x = m.route(a, { to: 'NSDQ', routedOrderID: `RX${i}`, session: 'S1', at: `${at}.020` })
    const e = m.exchangeAccept(x, { orderID: `N${i}`, at: `${at}.021` })
    const c = m.cancel(o, { at: `${at}.500` })
    // Late: the accept of one route, the exchange's record of another, the order a cancel refers to, and
    // the cancel itself.
    if (i === 1) late.add(a)
    if (i === 2) late.add(e)
    if (i === 3) late.add(o)
    if (i === 4) late.add(c)
  }
  // Trades of ALDR reported to a TRF: FINRA's report of one comes late, the firm's MEOT of the other.
  for (const [id, at, lateSide] of [
    ['T1', '153000', 'report'],
    ['T2', '154500', 'trade'],
  ] as const) {
    const b = m.newOrder('ALDR', { orderID: `${id}b`, at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: `${id}s`, at: `${at}.000`, side: 'SL' })
    const trade = m.trade(b, s, { at: `${at}.100` })
    late.add(lateSide === 'trade' ? trade : m.events[m.events.length - 1])
  }
  // A route whose accept never comes stays unlinked after both files.
  const o = m.newOrder('ALDR', { orderID: 'I9', at: '160000.000' })
  m.route(o, { to: 'BRCH', routedOrderID: 'RI9', at: '160000.010' })
  return { m, late }
}

async function lifecycles(repo: Repository): Promise<string[]> {
  const rows = await repo.db.all<{ lifecycle_id: string; t: string }>(
    `SELECT lifecycle_id, _reporter || ' ' || _roe_id AS t FROM linkage_members WHERE event_date = ${DATE} ORDER BY 1, 2`,
  )
  return rows.map((r) => `${r.lifecycle_id} ${r.t}`)
}

describe('a late file for a date already linked', () => {
  const { m, late } = market()
  let stepwise: Repository
  let atOnce: Repository
  let first: LinkSummary
  let second: LinkSummary
  let firstFindings: string[]

  beforeAll(async () => {
    stepwise = await fixtureRepository()
    atOnce = await fixtureRepository()
    const dir = mkdtempSync(join(tmpdir(), 'opencat-incr-'))
    const early = m.write(join(dir, 'early'), { only: (e) => !late.has(e) })
    const lateFiles = m.write(join(dir, 'late'), { only: (e) => late.has(e), number: 2 })
    await submitFiles(stepwise, early, { nowNs: EVENING })
    first = await linkDate(stepwise, DATE, { nowNs: EVENING })
    firstFindings = await foundFindings(stepwise, DATE)
    await submitFiles(stepwise, lateFiles, { nowNs: LATER })
    second = await linkDate(stepwise, DATE, { nowNs: LATER })
    await submitFiles(atOnce, [...early, ...lateFiles], { nowNs: LATER })
    await linkDate(atOnce, DATE, { nowNs: LATER })
  }, 120_000)
  afterAll(() => {
    stepwise?.close()
    atOnce?.close()
  })

  it('links incrementally, examining only the new and the still-unlinked events', () => {
    expect(first.mode).toBe('full')
    expect(second.mode).toBe('incremental')
    expect(second.run).toBe(2)
    expect(second.events).toBe(m.events.length)
    expect(second.examined).toBeLessThan(second.events / 2)
  })

  it('reported the gaps after the first file and clears the ones the late file fills', async () => {
    expect(firstFindings.length).toBeGreaterThan(4)
    // The MEOT without its report, and the report without its MEOT (named to the firm).
    expect(firstFindings.filter((f) => / (4003|5004) /.test(f))).toHaveLength(2)
    const unanswered = m.events[m.events.length - 1]
    expect(await foundFindings(stepwise, DATE)).toEqual([
      finding('ALDR', 8003, unanswered),
      finding('BRCH', 8004, unanswered, true),
    ])
  })

  it('ends with the same links, findings and lifecycle ids as linking everything at once', async () => {
    expect(await foundLinks(stepwise, DATE)).toEqual(await foundLinks(atOnce, DATE))
    expect(await foundFindings(stepwise, DATE)).toEqual(await foundFindings(atOnce, DATE))
    expect(await lifecycles(stepwise)).toEqual(await lifecycles(atOnce))
  })

  it('keeps every run', () => {
    expect(existsSync(runDir(stepwise.paths, DATE, 1))).toBe(true)
    expect(existsSync(runDir(stepwise.paths, DATE, 2))).toBe(true)
  })
})

describe('a correction of an event that was already linked', () => {
  it('relinks the whole date and matches linking the corrected records at once', async () => {
    const { m } = market()
    const repo = await fixtureRepository()
    const other = await fixtureRepository()
    try {
      const dir = mkdtempSync(join(tmpdir(), 'opencat-incr-cor-'))
      const files = m.write(join(dir, 'all'))
      await submitFiles(repo, files, { nowNs: EVENING })
      await linkDate(repo, DATE, { nowNs: EVENING })
      // ALDR corrects one route to a wrong destination: its old version was linked.
      const route = m.events.find((e) => e.type === 'MEOR')!
      const corrected = { ...route.record, actionType: 'COR', routedOrderID: 'RI0Z' }
      const cor = new LinkMarket()
      cor.add('ALDR', 'MEOR', corrected)
      const corFiles = cor.write(join(dir, 'cor'), { number: 3 })
      await submitFiles(repo, corFiles, { nowNs: LATER })
      const s = await linkDate(repo, DATE, { nowNs: LATER })
      expect(s.mode).toBe('full')
      await submitFiles(other, [...files, ...corFiles], { nowNs: LATER })
      await linkDate(other, DATE, { nowNs: LATER })
      expect(await foundFindings(repo, DATE)).toEqual(await foundFindings(other, DATE))
      expect(await foundFindings(repo, DATE)).toContain('ALDR 8003 ALDR 20260302_ALDR0002')
      expect(await lifecycles(repo)).toEqual(await lifecycles(other))
    } finally {
      repo.close()
      other.close()
    }
  }, 120_000)
})

describe('when linkage is due', () => {
  it('waits for doneForDay or the T+1 08:00 deadline, and links only what arrived since', async () => {
    const { m } = market()
    const repo = await fixtureRepository()
    try {
      const dir = mkdtempSync(join(tmpdir(), 'opencat-due-'))
      const aldr = (e: Ev) => e.reporter === 'ALDR'
      await submitFiles(repo, m.write(join(dir, 'a'), { only: aldr, doneForDay: false }), { nowNs: EVENING })
      expect(await datesDue(repo, EVENING)).toEqual([])
      const deadline = isoOrCatToNs('2026-03-03T08:00:00')
      expect(await datesDue(repo, deadline)).toEqual([{ eventDate: DATE, trigger: 'deadline', newFiles: 1 }])
      await submitFiles(
        repo,
        m.write(join(dir, 'b'), { only: (e) => !aldr(e), number: 2, doneForDay: true }),
        { nowNs: LATER },
      )
      const due = await datesDue(repo, LATER)
      // ALDR's file, then BRCH's, the exchange's and FINRA's.
      expect(due).toEqual([{ eventDate: DATE, trigger: 'doneForDay', newFiles: 4 }])
      const runs = await linkPending(repo, { nowNs: LATER })
      expect(runs.map((r) => [r.run, r.trigger, r.events])).toEqual([[1, 'doneForDay', m.events.length]])
      expect(await datesDue(repo, deadline)).toEqual([])
    } finally {
      repo.close()
    }
  }, 120_000)
})
