/**
 * A customer's day through `opencat customer` on a simulated day with customers, read from the day index's
 * customer index (the buckets of the customer's FDIDs): the same answer as the store's path gives with the
 * index hidden, by account, by CCID and by large trader ID; its pages, joined, are that answer, each with the
 * totals and the chart of the whole range (checked against its events), the same through GET /api/customer;
 * and the events the submitted files name each
 * account in (the simulator's files are the oracle: an order's own FDID, a trade's or an allocation's
 * buy or sell side); the lifecycle ids the customer rows carry are the current linkage run's, and a build
 * whose rows carry another run's is answered by lookups.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { CATALOGUES } from '../../src/catalogue/index.ts'
import { customerRoute } from '../../src/server/routes/customer.ts'
import { startPortal } from '../../src/server/server.ts'
import { freshDayIndex } from '../../src/store/day-index.ts'
import { openRepository } from '../../src/store/repository.ts'
import { submittedRecords } from '../support/blue-sheet-truth.ts'
import { runCli } from '../support/cli.ts'
import { tokenClient } from '../support/portal.ts'
import { simulatedRepository, truth } from '../support/simulated-day.ts'

const DATE = 20260302

interface Person {
  accounts: { crd: number; imid: string; fdid: string; ltid?: string }[]
}

interface Answer {
  ccids: string[]
  accounts: { fdid: string; imids: string[] }[]
  total: number
  brokers: { reporter: string; events: number }[]
  products: { product: string; events: number }[]
  chart: {
    from: string | null
    to: string | null
    positionSymbols: number
    positions: { symbol: string; points: { eventNs: string; position: number }[] }[]
    orders: { reporter: string; points: { eventNs: string; price: string; orders: number }[] }[]
  }
  offset: number
  events: {
    reporter: string
    firmROEID: string
    type: string
    eventNs: string
    symbol: string | null
    side: string | null
    price: string | null
    quantity: string | null
    fdid: string
    lifecycleIds: string[]
  }[]
  next: string | null
}

let day: string
let repoDir: string
/** Selectors asked: the busiest accounts, an account named only on trade sides, CCIDs, a large trader. */
let selectors: string[][]
/** The store's path's answers to `selectors` (the index hidden). */
const exact: Answer[] = []

/** A customer's answer: every event of the range (`--all`), or the page `page` names. */
async function customer(sel: string[], page: string[] = ['--all']): Promise<Answer> {
  const r = await runCli([
    'customer',
    '--repo',
    repoDir,
    ...sel,
    '--from',
    '2026-03-02',
    '--to',
    '2026-03-02',
    ...page,
    '--json',
  ])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Answer
}

/** Every page of a customer's answer, `limit` events each, following the cursors. */
async function pages(sel: string[], limit: number): Promise<Answer[]> {
  const out: Answer[] = []
  let next: string | null = null
  do {
    const page = await customer(sel, ['--limit', String(limit), ...(next ? ['--after', next] : [])])
    out.push(page)
    next = page.next
  } while (next !== null && out.length < 1000)
  return out
}

/** What describes the whole range, the same on every page. */
const whole = ({ events: _e, offset: _o, next: _n, ...rest }: Answer) => rest

/** The FDID of the first entry of a trade's side details. */
function sideFdid(details: unknown): string | undefined {
  return Array.isArray(details)
    ? (details[0] as { firmDesignatedID?: string } | undefined)?.firmDesignatedID
    : undefined
}

/**
 * Records of the submitted files naming an account (IMIDs of its firm, FDID) as a customer's day does: of
 * the customer's FDIDs at that firm (`fdids`), an order names its own, a trade or an allocation the first
 * of its own, its buy side's and its sell side's.
 */
function namedInFiles(
  day: string,
  imids: readonly string[],
  fdids: ReadonlySet<string>,
  fdid: string,
): string[] {
  const out: string[] = []
  for (const [key, r] of submittedRecords(day)) {
    if (!imids.includes(key.split(' ')[0])) continue
    const trade = r.type === 'MEOT' || r.type === 'MEPA'
    const named = [
      r.firmDesignatedID,
      ...(trade ? [sideFdid(r.buyDetails), sideFdid(r.sellDetails)] : []),
    ].find((f) => typeof f === 'string' && fdids.has(f))
    if (named === fdid) out.push(key)
  }
  return out.sort()
}

beforeAll(async () => {
  ;({ day, repoDir } = await simulatedRepository({ orders: 600, customers: 100, faults: 0, seed: 23 }))
  const repo = await openRepository(repoDir)
  try {
    const busy = await repo.db.all<{ reporter: string; fdid: string }>(
      `SELECT _reporter AS reporter, fdid FROM event_customers WHERE event_date = ${DATE}
       GROUP BY ALL ORDER BY count(*) DESC, reporter, fdid LIMIT 3`,
    )
    // An account some trade names on a side detail and not as its own FDID.
    const sides = await repo.db.all<{ reporter: string; fdid: string }>(
      `SELECT _reporter AS reporter, json_extract_string(buyDetails, '$[0].firmDesignatedID') AS fdid
       FROM current_events WHERE event_date = ${DATE} AND _type IN ('MEOT', 'MEPA') AND fdid IS NOT NULL
         AND firmDesignatedID IS DISTINCT FROM fdid
       ORDER BY _event_id LIMIT 1`,
    )
    const multi = await repo.db.all<{ ccid: string }>(
      `SELECT ccid FROM fdid_holders GROUP BY ccid ORDER BY count(DISTINCT crd) DESC, ccid LIMIT 2`,
    )
    const ltid = await repo.db.all<{ ltid: string }>('SELECT ltid FROM fdid_ltids ORDER BY ltid LIMIT 1')
    selectors = [
      ...[...busy, ...sides].map((a) => ['--reporter', a.reporter, '--fdid', a.fdid]),
      ...multi.map((c) => ['--ccid', c.ccid]),
      ...ltid.map((l) => ['--ltid', l.ltid]),
    ]
    expect(sides, 'no trade names an account on a side only').toHaveLength(1)
    const index = await freshDayIndex(repo, DATE)
    expect(index, 'no fresh day index after the submission that linked the date').toBeDefined()
    expect(index!.manifest.rows.customers).toBeGreaterThan(0)
  } finally {
    repo.close()
  }
}, 300_000)

describe('a customer’s day from the customer index', { timeout: 300_000 }, () => {
  it('answers as the store’s path does with the index hidden, by account, CCID and large trader ID', async () => {
    const indexed = []
    for (const sel of selectors) indexed.push(await customer(sel))
    const days = join(repoDir, 'store', 'days')
    renameSync(days, `${days}.hidden`)
    try {
      const repo = await openRepository(repoDir)
      expect(await freshDayIndex(repo, DATE)).toBeUndefined()
      repo.close()
      for (const [k, sel] of selectors.entries()) {
        exact.push(await customer(sel))
        expect(exact[k].events.length, sel.join(' ')).toBeGreaterThan(0)
        expect(indexed[k], sel.join(' ')).toEqual(exact[k])
      }
      // The store's path pages the same way: the busiest account's pages, joined, are its whole answer.
      const limit = Math.ceil(exact[0].total / 3)
      const paged = await pages(selectors[0], limit)
      expect(paged.length).toBe(Math.ceil(exact[0].total / limit))
      expect(paged.length).toBeGreaterThan(1)
      expect(paged.flatMap((p) => p.events)).toEqual(exact[0].events)
    } finally {
      renameSync(`${days}.hidden`, days)
    }
    expect(existsSync(days)).toBe(true)
  })

  it('gives pages that, joined, are the whole answer, each with the totals and chart of the whole range', async () => {
    const family = new Map<string, string>()
    for (const c of CATALOGUES)
      for (const e of c.events.values()) if (!family.has(e.type)) family.set(e.type, e.family)
    const records = submittedRecords(day)
    let drawn = 0
    for (const [k, sel] of selectors.entries()) {
      const all = exact[k]
      drawn += all.chart.positions.length
      const limit = Math.max(1, Math.ceil(all.total / 4))
      const paged = await pages(sel, limit)
      expect(paged.length, sel.join(' ')).toBe(Math.ceil(all.events.length / limit))
      expect(
        paged.flatMap((p) => p.events),
        sel.join(' '),
      ).toEqual(all.events)
      expect(paged.map((p) => p.offset)).toEqual(paged.map((_, i) => i * limit))
      expect(paged.at(-1)!.next).toBeNull()
      for (const p of paged) expect(whole(p), sel.join(' ')).toEqual(whole(all))
      // Totals from the events themselves.
      expect(all.total).toBe(all.events.length)
      const tally = (keys: string[]) =>
        [...new Set(keys)].sort().map((key) => [key, keys.filter((x) => x === key).length])
      expect(all.brokers.map((b) => [b.reporter, b.events])).toEqual(tally(all.events.map((e) => e.reporter)))
      expect(all.products.map((p) => [p.product, p.events])).toEqual(
        tally(all.events.map((e) => family.get(e.type) ?? 'other')),
      )
      expect(all.chart.from).toBe(all.events[0].eventNs)
      expect(all.chart.to).toBe(all.events.at(-1)!.eventNs)
      // Each position point is the position after that execution; each symbol's last, its final position.
      // The customer's side of an execution, from the submitted record: its own side when its own FDID
      // names the account, else the side whose details name it.
      const held = new Map<string, number>()
      // Positions after the executions at each time (several executions may share a time).
      const after = new Map<string, number[]>()
      for (const e of all.events) {
        if (!['MEOF', 'MEOT', 'MOOF', 'MOOT', 'MEPA', 'MOPA'].includes(e.type) || !e.quantity) continue
        const r = records.get(`${e.reporter} ${e.firmROEID}`)!
        const side =
          r.firmDesignatedID === e.fdid
            ? e.side
            : sideFdid(r.buyDetails) === e.fdid
              ? 'B'
              : sideFdid(r.sellDetails) === e.fdid
                ? 'S'
                : e.side
        if (!side) continue
        const sym = e.symbol ?? '?'
        held.set(sym, (held.get(sym) ?? 0) + Number(e.quantity) * (side === 'B' ? 1 : -1))
        const at = `${sym} ${e.eventNs}`
        after.set(at, [...(after.get(at) ?? []), held.get(sym)!])
      }
      expect(all.chart.positionSymbols).toBe(held.size)
      expect(all.chart.positions.length).toBe(Math.min(10, held.size))
      for (const line of all.chart.positions) {
        for (const pt of line.points)
          expect(
            after.get(`${line.symbol} ${pt.eventNs}`)?.some((x) => Math.abs(x - pt.position) < 1e-6),
            `${line.symbol} ${pt.eventNs} ${pt.position}`,
          ).toBe(true)
        expect(line.points.at(-1)!.position).toBeCloseTo(held.get(line.symbol)!, 6)
      }
      // Each order point is an order of its broker; its lowest and highest price of the range are drawn.
      for (const line of all.chart.orders) {
        const orders = all.events.filter(
          (e) => ['MENO', 'MONO', 'MEOA', 'MOOA'].includes(e.type) && e.reporter === line.reporter && e.price,
        )
        const at = new Set(orders.map((o) => `${o.eventNs} ${o.price}`))
        for (const pt of line.points) expect(at.has(`${pt.eventNs} ${pt.price}`), sel.join(' ')).toBe(true)
        const prices = orders.map((o) => Number(o.price))
        const shown = line.points.map((p) => Number(p.price))
        expect(Math.min(...shown)).toBe(Math.min(...prices))
        expect(Math.max(...shown)).toBe(Math.max(...prices))
      }
      const ordering = all.events.filter((e) => ['MENO', 'MONO', 'MEOA', 'MOOA'].includes(e.type) && e.price)
      expect(
        all.chart.orders.map((o) => o.reporter),
        sel.join(' '),
      ).toEqual([...new Set(ordering.map((o) => o.reporter))].sort())
    }
    expect(drawn, 'no customer asked has a position to draw').toBeGreaterThan(0)
  })

  it('pages GET /api/customer as the CLI does, each page its own question for the portal’s lanes', async () => {
    const portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100 })
    try {
      const client = await tokenClient(portal, repoDir, 'customer-pages')
      const [sel, all] = [selectors[0], exact[0]]
      const who = `reporter=${encodeURIComponent(sel[1])}&fdid=${encodeURIComponent(sel[3])}&from=2026-03-02&to=2026-03-02`
      const limit = Math.ceil(all.total / 3)
      const got: Answer[] = []
      let next: string | null = null
      do {
        const r = await client.get(`/api/customer?${who}&limit=${limit}${next ? `&after=${next}` : ''}`)
        expect(r.status, r.text).toBe(200)
        got.push(r.json() as Answer)
        next = got.at(-1)!.next
      } while (next !== null && got.length < 100)
      expect(got.flatMap((p) => p.events)).toEqual(all.events)
      for (const [i, p] of got.entries())
        expect(p, `page ${i}`).toEqual(
          await customer(sel, ['--limit', String(limit), ...(i > 0 ? ['--after', got[i - 1].next!] : [])]),
        )
      // Pages after the first read only their own versions, placed by the range the first page described:
      // any cursor and size asked later gives what the CLI (its own process, nothing kept) gives.
      const wider = await client.get(`/api/customer?${who}&limit=${limit + 1}&after=${got[0].next}`)
      expect(wider.status, wider.text).toBe(200)
      expect(wider.json()).toEqual(
        await customer(sel, ['--limit', String(limit + 1), '--after', got[0].next!]),
      )
      expect((wider.json() as Answer).offset).toBe(limit)
      for (const bad of ['limit=0', 'limit=10001', 'after=12x', 'after=1.2.3']) {
        const r = await client.get(`/api/customer?${who}&${bad}`)
        expect(r.status, bad).toBe(400)
      }
      // A page is part of the question: the pool's lanes keep each page's times apart.
      const question = (q: string) => customerRoute.question!(new URLSearchParams(`${who}&${q}`))
      expect(question(`limit=${limit}`)).not.toBe(question(`limit=${limit}&after=${got[0].next}`))
      expect(question(`limit=${limit}`)).not.toBe(question(''))
      expect(question(`limit=${limit}&after=${got[0].next}`)).toBe(
        question(`limit=${limit}&after=${got[0].next}`),
      )
    } finally {
      await portal.close()
    }
  })

  it('carries the lifecycle ids of the current linkage run, and looks them up when its build holds another run’s', async () => {
    const l = await runCli(['link', '--repo', repoDir, '--date', '2026-03-02', '--full'])
    expect(l.code, l.stderr).toBe(0)
    const repo = await openRepository(repoDir)
    const index = await freshDayIndex(repo, DATE)
    const run = await repo.db.one<{ run: number }>(
      `SELECT max(run) AS run FROM linkage_key_ids WHERE event_date = ${DATE}`,
    )
    repo.close()
    expect(index!.manifest.lifecycleRun).toBe(Number(run!.run))
    expect(Number(run!.run)).toBeGreaterThan(1)
    for (const [k, sel] of selectors.entries()) expect(await customer(sel), sel.join(' ')).toEqual(exact[k])
    // A build whose lifecycle ids are of an earlier run (its source still the store's): looked up instead.
    const manifestFile = join(index!.dir, 'manifest.json')
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, lifecycleRun: manifest.lifecycleRun - 1 }))
    try {
      for (const [k, sel] of selectors.entries()) expect(await customer(sel), sel.join(' ')).toEqual(exact[k])
    } finally {
      writeFileSync(manifestFile, JSON.stringify(manifest))
    }
  })

  it('gives every event the submitted files name an account in, and an account’s CCID its person’s', async () => {
    const people = truth<Person>(day, 'customers.ndjson')
    for (const sel of selectors.filter((s) => s[0] === '--reporter')) {
      const answer = await customer(sel)
      const account = answer.accounts.find((a) => a.fdid === sel[3] && a.imids.includes(sel[1]))
      expect(account, sel.join(' ')).toBeDefined()
      const got = answer.events
        .filter((e) => e.fdid === sel[3] && account!.imids.includes(e.reporter))
        .map((e) => `${e.reporter} ${e.firmROEID}`)
        .sort()
      const atFirm = new Set(answer.accounts.filter((a) => a.imids.includes(sel[1])).map((a) => a.fdid))
      expect(got, sel.join(' ')).toEqual(namedInFiles(day, account!.imids, atFirm, sel[3]))
      expect(answer.events.some((e) => e.lifecycleIds.length > 0)).toBe(true)
      // One person holds the account: the answer's other accounts are that person's.
      const person = people.find((p) => p.accounts.some((a) => a.imid === sel[1] && a.fdid === sel[3]))
      if (person && answer.ccids.length === 1)
        expect(new Set(answer.accounts.map((a) => a.fdid))).toEqual(
          new Set(person.accounts.map((a) => a.fdid)),
        )
    }
  })
})
