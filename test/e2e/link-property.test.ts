/**
 * Property: a small random market built from the routing table's building blocks (new orders, routes to
 * firms and to the exchange, accepts, modifications with and without a new key, cancels by either party,
 * executions) links back to exactly the links and lifecycles it was built with, and reports nothing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  expectedLifecycles,
  expectedLinks,
  foundFindings,
  foundLifecycles,
  foundLinks,
  linkMarket,
} from '../support/link-harness.ts'
import { type Ev, LinkMarket } from '../support/link-market.ts'

const DATE = 20260302

interface Plan {
  path: 'stay' | 'firm' | 'exchange' | 'firmThenExchange'
  modifyFirst: 'no' | 'sameKey' | 'newKey'
  after: 'none' | 'customerCancels' | 'receiverCancels' | 'customerModifies'
  side: 'B' | 'SL'
  receiver: 'BRCH'
}

const plan = fc.record<Plan>({
  path: fc.constantFrom('stay', 'firm', 'exchange', 'firmThenExchange'),
  modifyFirst: fc.constantFrom('no', 'sameKey', 'newKey'),
  after: fc.constantFrom('none', 'customerCancels', 'receiverCancels', 'customerModifies'),
  side: fc.constantFrom('B', 'SL'),
  // BRCX is an ATS, whose accepts need the ATS fields; the scenarios route to the broker.
  receiver: fc.constant('BRCH' as const),
})

/** Builds the market a list of plans describes; the builder records the true links as it goes. */
function build(plans: Plan[]): LinkMarket {
  const m = new LinkMarket()
  let ms = 0
  const at = () => {
    ms += 7
    const s = 34_200_000 + ms
    const hh = Math.floor(s / 3_600_000)
    const mm = Math.floor((s % 3_600_000) / 60_000)
    const ss = Math.floor((s % 60_000) / 1000)
    return `${String(hh).padStart(2, '0')}${String(mm).padStart(2, '0')}${String(ss).padStart(2, '0')}.${String(s % 1000).padStart(3, '0')}`
  }
  const resting: { ev: Ev; side: string }[] = []
  plans.forEach((p, i) => {
    let order = m.newOrder('ALDR', { orderID: `P${i}`, at: at(), side: p.side })
    if (p.modifyFirst !== 'no') {
      const mod = m.modify(order, {
        at: at(),
        price: 10.02,
        ...(p.modifyFirst === 'newKey' ? { newOrderID: `P${i}m` } : {}),
      })
      if (p.modifyFirst === 'newKey') order = mod
    }
    if (p.path === 'stay') return
    if (p.path === 'exchange') {
      const r = m.route(order, { to: 'NSDQ', routedOrderID: `PX${i}`, session: 'S1', at: at() })
      resting.push({ ev: m.exchangeAccept(r, { orderID: `N${i}`, at: at() }), side: p.side })
      return
    }
    const r = m.route(order, { to: p.receiver, routedOrderID: `PF${i}`, at: at() })
    let held = m.accept(r, { orderID: `Q${i}`, at: at() })
    if (p.after === 'customerCancels') {
      m.cancel(order, { at: at() })
      m.cancel(held, { at: at() })
      return
    }
    if (p.after === 'receiverCancels') {
      m.cancel(held, { at: at() })
      return
    }
    if (p.after === 'customerModifies') {
      const newer = m.modify(order, { at: at(), newOrderID: `P${i}c`, price: 10.03 })
      const again = m.route(newer, { to: p.receiver, routedOrderID: `PF${i}c`, at: at() })
      held = m.modify(held, { at: at(), newOrderID: `Q${i}c`, price: 10.03, from: again })
    }
    if (p.path === 'firmThenExchange') {
      const r2 = m.route(held, { to: 'NSDQ', routedOrderID: `PY${i}`, session: 'S2', at: at() })
      resting.push({ ev: m.exchangeAccept(r2, { orderID: `M${i}`, at: at() }), side: p.side })
    }
  })
  // Buys meet sells in arrival order; what is left rests or is cancelled by the exchange.
  const buys = resting.filter((r) => r.side === 'B')
  const sells = resting.filter((r) => r.side !== 'B')
  for (let k = 0; k < Math.min(buys.length, sells.length); k++)
    m.execute(buys[k].ev, sells[k].ev, { at: at() })
  for (const r of resting.slice(0, 2)) m.exchangeCancel(r.ev, { at: at() })
  return m
}

describe('random markets from the building blocks', () => {
  it('link back to exactly the truth they were built with', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 7 }), async (plans) => {
        const m = build(plans)
        const linked = await linkMarket(m)
        try {
          expect(linked.summary.events).toBe(m.events.length)
          expect(await foundFindings(linked.repo, DATE)).toEqual([])
          expect(await foundLinks(linked.repo, DATE)).toEqual(expectedLinks(m))
          expect(await foundLifecycles(linked.repo, DATE)).toEqual(expectedLifecycles(m))
        } finally {
          linked.repo.close()
        }
      }),
      { numRuns: 6, seed: 4242, endOnFailure: true },
    )
  }, 300_000)
})
