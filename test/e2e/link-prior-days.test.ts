/**
 * Keys across days: a GTC order cancelled on a later event date links to its order of the earlier date
 * and joins that date's lifecycle; a key an earlier date established, established again, gets the
 * prior-day code (3007); records repeating a firmROEID or a route linkage key on a later processing date
 * get 3003 and 3009 and leave the first holder linked.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { type LinkSummary, linkDate, lookupLifecycle } from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import type { Repository } from '../../src/store/repository.ts'
import { fixtureRepository } from '../support/ingest.ts'
import { finding, foundFindings, foundLinks } from '../support/link-harness.ts'
import { type Ev, LinkMarket, tag } from '../support/link-market.ts'

const FRIDAY = 20260227
const MONDAY = 20260302

let repo: Repository
let friday: LinkMarket
let monday: LinkMarket
let gtc: Ev
let accepted: Ev
let cancel: Ev
let again: Ev
let route: Ev
let reused: Ev
let reroute: Ev
let late: LinkSummary

beforeAll(async () => {
  repo = await fixtureRepository()
  const dir = mkdtempSync(join(tmpdir(), 'opencat-prior-'))
  friday = new LinkMarket(String(FRIDAY))
  gtc = friday.newOrder('ALDR', { orderID: 'G1', at: '150000.000', record: { timeInForce: { GTC: true } } })
  const r = friday.route(gtc, {
    to: 'BRCH',
    routedOrderID: 'RG1',
    at: '150000.010',
    record: { timeInForce: { GTC: true } },
  })
  accepted = friday.accept(r, { orderID: 'BG1', at: '150000.012', record: { timeInForce: { GTC: true } } })
  await submitFiles(repo, friday.write(join(dir, 'fri')), { nowNs: isoOrCatToNs('2026-02-27T17:00:00') })
  await linkDate(repo, FRIDAY, { nowNs: isoOrCatToNs('2026-02-27T17:30:00') })

  monday = new LinkMarket(String(MONDAY))
  cancel = monday.cancel(gtc, { at: '093000.000' })
  monday.cancel(accepted, { at: '093000.002' })
  // The same order key as Friday's GTC order, established again.
  again = monday.add('ALDR', 'MENO', {
    ...gtc.record,
    firmROEID: undefined,
    eventTimestamp: monday.at('093100.000'),
  })
  const o = monday.newOrder('ALDR', { orderID: 'M1', at: '094000.000' })
  route = monday.route(o, { to: 'BRCH', routedOrderID: 'RM1', at: '094000.010' })
  monday.accept(route, { orderID: 'BM1', at: '094000.012' })
  await submitFiles(repo, monday.write(join(dir, 'mon')), { nowNs: isoOrCatToNs('2026-03-02T18:00:00') })
  await linkDate(repo, MONDAY, { nowNs: isoOrCatToNs('2026-03-02T18:30:00') })

  // Tuesday morning (processing date 2026-03-03) ALDR sends a NEW reusing a firmROEID and a second route
  // with Monday's route linkage key.
  const tuesday = new LinkMarket(String(MONDAY))
  reused = tuesday.add('ALDR', 'MEOC', {
    ...cancel.record,
    firmROEID: route.firmROEID,
    cancelQty: 100,
    leavesQty: 400,
  })
  reroute = tuesday.add('ALDR', 'MEOR', {
    ...route.record,
    firmROEID: `${MONDAY}_ALDR9999`,
    eventTimestamp: monday.at('094500.000'),
  })
  await submitFiles(repo, tuesday.write(join(dir, 'tue'), { number: 2 }), {
    nowNs: isoOrCatToNs('2026-03-03T07:00:00'),
  })
  late = await linkDate(repo, MONDAY, { nowNs: isoOrCatToNs('2026-03-03T07:30:00') })
}, 120_000)
afterAll(() => repo?.close())

describe('keys of earlier event dates', () => {
  it("links Monday's cancels to Friday's order and accept", async () => {
    const links = await foundLinks(repo, MONDAY)
    expect(links).toContain(`${tag(gtc)} → ${tag(cancel)} cancel`)
    expect(links.filter((l) => l.startsWith(tag(accepted)))).toHaveLength(1)
  })

  it("puts Monday's cancel in the lifecycle Friday's linkage gave the order", async () => {
    const fri = await lookupLifecycle(repo.db, repo.paths, { reporter: 'ALDR', firmROEID: gtc.firmROEID })
    const mon = await lookupLifecycle(repo.db, repo.paths, { reporter: 'ALDR', firmROEID: cancel.firmROEID })
    expect(mon.lifecycleId).toBe(fri.lifecycleId)
    expect(mon.lifecycleId).toMatch(/^L20260227-/)
    expect(mon.events.map((e) => e.eventDate)).toEqual([FRIDAY, FRIDAY, FRIDAY, MONDAY, MONDAY])
    expect(mon.links).toContainEqual({
      from: { reporter: 'ALDR', firmROEID: gtc.firmROEID },
      to: { reporter: 'ALDR', firmROEID: cancel.firmROEID },
      kind: 'cancel',
    })
  })

  it('gives an order key established again on a later date the prior-day code 3007', async () => {
    expect(await foundFindings(repo, MONDAY)).toContain(finding('ALDR', 3007, again))
  })
})

describe('records repeated on a later processing date', () => {
  it('gives a reused firmROEID 3003 and a reused route linkage key 3009, and keeps the first holders', async () => {
    expect(late.mode).toBe('incremental')
    const found = await foundFindings(repo, MONDAY)
    expect(found.filter((f) => f.includes(' 3003 ') || f.includes(' 3009 '))).toEqual(
      [finding('ALDR', 3003, reused), finding('ALDR', 3009, reroute)].sort(),
    )
    expect(await foundLinks(repo, MONDAY)).toContain(
      `${tag(route)} → BRCH ${monday.events[monday.events.length - 1].firmROEID} accept`,
    )
  })
})
