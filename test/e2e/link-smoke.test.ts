import { afterAll, describe, expect, it } from 'vitest'
import {
  expectedLifecycles,
  expectedLinks,
  foundFindings,
  foundLifecycles,
  foundLinks,
  type Linked,
  linkMarket,
} from '../support/link-harness.ts'
import { LinkMarket } from '../support/link-market.ts'

let linked: Linked | undefined
afterAll(() => linked?.repo.close())

describe('smoke', () => {
  it('links A → B → exchange', async () => {
    const m = new LinkMarket()
    const o = m.newOrder('ALDR', { orderID: 'O1', at: '093000.000' })
    const r = m.route(o, { to: 'BRCH', routedOrderID: 'R1', at: '093000.100' })
    const a = m.accept(r, { orderID: 'B1', at: '093000.102' })
    const r2 = m.route(a, { to: 'NSDQ', routedOrderID: 'R2', at: '093000.200' })
    const x = m.exchangeAccept(r2, { orderID: 'X1', at: '093000.201' })
    m.exchangeCancel(x, { at: '093100.000' })
    linked = await linkMarket(m)
    expect(linked.summary.events).toBe(m.events.length)
    expect(await foundFindings(linked.repo, 20260302)).toEqual([])
    expect(await foundLinks(linked.repo, 20260302)).toEqual(expectedLinks(m))
    expect(await foundLifecycles(linked.repo, 20260302)).toEqual(expectedLifecycles(m))
  })
})
