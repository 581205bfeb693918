import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../store/database.ts'
import { computeLifecycles, KIND_CODES } from './lifecycle-components.ts'
import { attachWorkDatabase } from './work-database.ts'

interface Node {
  readonly symbol: string | null
  readonly fam: number
  readonly rejected?: boolean
  readonly ns: number
  /** Record key hash; equal for two nodes to make a tie. */
  readonly vk?: bigint
  readonly prior?: { date: number; num: bigint }
}
interface Link {
  readonly src: number
  readonly dst: number
  readonly kind: (typeof KIND_CODES)[number]
}

let db: Database
let restore: () => Promise<void>
beforeEach(async () => {
  db = await Database.open(':memory:')
  restore = await attachWorkDatabase(db, undefined)
})
afterEach(async () => {
  await restore()
  db.close()
})

async function load(nodes: readonly Node[], links: readonly Link[]): Promise<void> {
  const sql = (v: string | null) => (v === null ? 'NULL' : `'${v}'`)
  await db.run(`CREATE OR REPLACE TABLE lk_nodes (_event_id UBIGINT, symbol VARCHAR, fam TINYINT, rejected BOOLEAN,
    _event_ns BIGINT, vk UBIGINT, event_date INTEGER, prior BOOLEAN, prior_date INTEGER, prior_num BIGINT)`)
  await db.run(
    `INSERT INTO lk_nodes VALUES ${nodes
      .map(
        (n, i) =>
          `(${1000 + i}, ${sql(n.symbol)}, ${n.fam}, ${n.rejected ?? false}, ${n.ns}, ${n.vk ?? `hash(${i})`}, ${n.prior ? 20260227 : 20260302}, ${n.prior !== undefined}, ${n.prior?.date ?? 'NULL'}, ${n.prior?.num ?? 'NULL'})`,
      )
      .join(', ')}`,
  )
  await db.run(
    'CREATE OR REPLACE TABLE lk_all_links (src BIGINT, dst BIGINT, kind VARCHAR, from_event_id UBIGINT, to_event_id UBIGINT)',
  )
  if (links.length > 0)
    await db.run(
      `INSERT INTO lk_all_links VALUES ${links.map((l) => `(${l.src}, ${l.dst}, '${l.kind}', ${1000 + l.src}, ${1000 + l.dst})`).join(', ')}`,
    )
}

/** Every output of the pass, in a fixed order, with the buckets and groups its trace reported. */
async function lifecycles(perBucket: number) {
  const lines: string[] = []
  const count = await computeLifecycles(db, 0n, (l) => lines.push(l), perBucket)
  const life = await db.all(
    'SELECT idx::INTEGER AS idx, member, first, lc_date, lc_num::VARCHAR AS lc_num FROM lk_life ORDER BY idx',
  )
  const extra = await db.all(
    'SELECT eid::VARCHAR AS eid, lc_date, lc_num::VARCHAR AS lc_num FROM lk_extra ORDER BY ALL',
  )
  const links = await db.all(
    'SELECT from_event_id::VARCHAR AS f, to_event_id::VARCHAR AS t, kind, lc_num::VARCHAR AS lc FROM lk_links_out ORDER BY ALL',
  )
  const shape = /lifecycles .* (\d+) symbol bucket\(s\), (\d+) group\(s\)/.exec(lines.join('\n'))
  return { count, life, extra, links, buckets: Number(shape?.[1]), groups: Number(shape?.[2]) }
}

describe('lifecycles worked a group of symbol buckets at a time', () => {
  it('names lifecycles that cross symbols as one pass over the day does', async () => {
    const nodes: Node[] = [
      // A lifecycle in AAA whose order is routed on as a child in BBB (a link across buckets).
      { symbol: 'AAA', fam: 1, ns: 100 },
      { symbol: 'AAA', fam: 1, ns: 110 },
      { symbol: 'BBB', fam: 1, ns: 90 },
      // An execution in CCC from orders of two lifecycles, DDD's and AAA's, and its supplement in EEE.
      { symbol: 'DDD', fam: 1, ns: 50 },
      { symbol: 'CCC', fam: 3, ns: 200 },
      { symbol: 'EEE', fam: 3, ns: 210 },
      // A multi-leg order (no symbol) joined to an order of FFF, and an order of an earlier date in FFF.
      { symbol: null, fam: 1, ns: 20 },
      { symbol: 'FFF', fam: 1, ns: 30 },
      { symbol: 'FFF', fam: 1, ns: -5_000, prior: { date: 20260227, num: 77n } },
      // Alone: an order, a rejected order, a quote.
      { symbol: 'GGG', fam: 1, ns: 10 },
      { symbol: 'GGG', fam: 1, ns: 5, rejected: true },
      { symbol: 'HHH', fam: 4, ns: 5 },
    ]
    const links: Link[] = [
      { src: 0, dst: 1, kind: 'route' },
      { src: 1, dst: 2, kind: 'child' },
      { src: 3, dst: 4, kind: 'execution' },
      { src: 0, dst: 4, kind: 'execution' },
      { src: 4, dst: 5, kind: 'supplement' },
      { src: 6, dst: 7, kind: 'modify' },
      { src: 8, dst: 7, kind: 'cancel' },
      { src: 10, dst: 9, kind: 'cancel' },
    ]
    await load(nodes, links)
    const whole = await lifecycles(1_000_000)
    expect(whole.buckets).toBe(1)
    const split = await lifecycles(1)
    expect(split.buckets).toBe(nodes.length)
    expect(split.groups).toBeLessThan(split.buckets)
    expect(split).toEqual({ ...whole, buckets: split.buckets, groups: split.groups })
    // The BBB order joins AAA's lifecycle, named by its own earlier event; the earlier date's order names FFF's.
    const num = (i: number) => (whole.life as { lc_num: string }[])[i].lc_num
    expect(num(0)).toBe(num(2))
    expect((whole.life as { first: number }[])[2].first).toBe(1)
    expect(num(6)).toBe('77')
    expect(num(4)).toBe(num(5))
    expect(whole.extra).toHaveLength(2)
    expect(whole.count).toBe(4)
  })

  it('gives the single pass answer on random days, whatever the bucket size', async () => {
    let seed = 17
    const rand = (m: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % m
    }
    for (let day = 0; day < 6; day++) {
      const symbols = [null, ...Array.from({ length: 15 }, (_, s) => `S${s}`)]
      const nodes: Node[] = Array.from({ length: 400 }, () => ({
        symbol: symbols[rand(symbols.length)],
        fam: [0, 1, 1, 1, 2, 3, 3, 4][rand(8)],
        rejected: rand(20) === 0,
        // Few distinct times and some shared record hashes: ties to break in node order.
        ns: rand(60),
        ...(rand(10) === 0 ? { vk: 12345n } : {}),
        ...(rand(25) === 0 ? { prior: { date: 20260227, num: BigInt(rand(1000)) } } : {}),
      }))
      const bySymbol = new Map<string | null, number[]>()
      nodes.forEach((n, i) => bySymbol.set(n.symbol, [...(bySymbol.get(n.symbol) ?? []), i]))
      const links: Link[] = Array.from({ length: 500 }, () => {
        const src = rand(nodes.length)
        const same = bySymbol.get(nodes[src].symbol)!
        // Mostly within a symbol, as keys make them; a few across.
        const dst = rand(40) === 0 ? rand(nodes.length) : same[rand(same.length)]
        return { src, dst, kind: KIND_CODES[rand(KIND_CODES.length)] }
      })
      await load(nodes, links)
      const whole = await lifecycles(1_000_000)
      for (const perBucket of [1, 25, 120]) {
        const split = await lifecycles(perBucket)
        expect(split.buckets).toBeGreaterThan(1)
        expect(split).toEqual({ ...whole, buckets: split.buckets, groups: split.groups })
      }
    }
  })
})
