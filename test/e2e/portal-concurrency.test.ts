/**
 * The portal answering many requests at once: concurrent requests of two regulator accounts (lifecycles,
 * books, NBBO, customers' days, the summary) get exactly the answers the same requests get one by one, and
 * one account flooding the portal is held to its own connections and queue while the other is served.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { type PortalClient, tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

let repoDir: string
/** Request paths of the day, a few per route. */
let paths: string[]
let lifecycles: string[]
const portals: Portal[] = []

beforeAll(async () => {
  const day = await simulatedDay({ orders: 400, customers: 80 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  const at = isoOrCatToNs('2026-03-02T20:00:00')
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: at })
  await linkDate(repo, 20260302, { nowNs: at })
  const orders = await repo.db.all<{ r: string; id: string }>(
    `SELECT _reporter AS r, firmROEID AS id FROM current_events WHERE _type = 'MENO' ORDER BY _event_ns LIMIT 10`,
  )
  const market = await repo.db.all<{ venue: string; symbol: string; ns: string }>(
    `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
     WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 4`,
  )
  const accounts = await repo.db.all<{ r: string; fdid: string }>(
    `SELECT DISTINCT _reporter AS r, firmDesignatedID AS fdid FROM current_events
     WHERE firmDesignatedID IS NOT NULL ORDER BY ALL LIMIT 4`,
  )
  repo.close()
  const q = encodeURIComponent
  lifecycles = orders.map((o) => `/api/lifecycle?reporter=${q(o.r)}&firmROEID=${q(o.id)}`)
  paths = [
    ...lifecycles,
    ...market.map((m) => `/api/book?venue=${q(m.venue)}&symbol=${q(m.symbol)}&at=${m.ns}`),
    ...market.map((m) => `/api/nbbo?symbol=${q(m.symbol)}&at=${m.ns}`),
    ...accounts.map(
      (a) => `/api/customer?reporter=${q(a.r)}&fdid=${q(a.fdid)}&from=2026-03-02&to=2026-03-02`,
    ),
    '/api/summary',
  ]
}, 180_000)

afterAll(async () => {
  for (const p of portals) await p.close()
})

async function portalWith(options: Partial<Parameters<typeof startPortal>[0]> = {}): Promise<Portal> {
  const p = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100, ...options })
  portals.push(p)
  return p
}

describe('portal under concurrent requests', () => {
  it('answers 50 concurrent requests of two accounts as it answers them one by one', async () => {
    const portal = await portalWith()
    const a = await tokenClient(portal, repoDir, 'load-a')
    const b = await tokenClient(portal, repoDir, 'load-b')
    const jobs = Array.from({ length: 50 }, (_, i) => ({
      client: i % 2 ? b : a,
      path: paths[i % paths.length],
    }))
    const together = await Promise.all(jobs.map((j) => j.client.get(j.path)))
    const alone = []
    for (const j of jobs) alone.push(await j.client.get(j.path))
    for (const [i, r] of together.entries()) {
      expect(alone[i].status, `${jobs[i].path}: ${alone[i].text}`).toBe(200)
      expect(r.status, `${jobs[i].path}: ${r.text}`).toBe(200)
      expect(r.json(), jobs[i].path).toEqual(alone[i].json())
    }
    // The answers are the day's: lifecycles name the orders asked for.
    const lc = together[0].json<{ events: { firmROEID?: string }[] }>()
    expect(lc.events.length).toBeGreaterThan(0)
  }, 240_000)

  it("holds one account to its connections and queue without starving the other's requests", async () => {
    const portal = await portalWith({
      connections: 2,
      connectionsPerAccount: 1,
      queuePerAccount: 12,
      // One lane: the accounts' turns alone decide, however slow the machine makes a lifecycle.
      slowMs: 600_000,
    })
    const flood = await tokenClient(portal, repoDir, 'flood')
    const other = await tokenClient(portal, repoDir, 'other')
    const finished: string[] = []
    const send = async (who: string, c: PortalClient, path: string) => {
      const r = await c.get(path)
      finished.push(`${who}:${r.status}`)
      return r
    }
    // Both ask the same kind of question, so only the pool's turns decide who is answered first.
    const [floods, others] = await Promise.all([
      Promise.all(
        Array.from({ length: 40 }, (_, i) => send('flood', flood, lifecycles[i % lifecycles.length])),
      ),
      Promise.all(lifecycles.slice(0, 3).map((p) => send('other', other, p))),
    ])
    for (const r of others) expect(r.status, r.text).toBe(200)
    const refused = floods.filter((r) => r.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    for (const r of refused) {
      expect(r.json<{ code: string }>().code).toBe('OCAT_ERR_RATE_LIMITED')
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    }
    expect(floods.filter((r) => r.status === 200).length).toBeGreaterThan(3)
    expect(floods.every((r) => r.status === 200 || r.status === 429)).toBe(true)
    // The other account's three are answered while the flood's admitted dozen still wait their turns.
    expect(finished.lastIndexOf('other:200')).toBeLessThan(finished.lastIndexOf('flood:200'))
    expect(
      finished.filter((f, i) => f === 'flood:200' && i > finished.lastIndexOf('other:200')).length,
    ).toBeGreaterThan(3)
  }, 240_000)
})
