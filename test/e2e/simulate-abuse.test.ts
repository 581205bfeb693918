import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TruthLifecycle } from '../../src/simulate/index.ts'
import { ABUSE_KINDS, simulateDay, verifyDay } from '../../src/simulate/index.ts'

interface Manipulation {
  kind: string
  symbol: string
  from: string
  to: string
  participants: { reporter: string; fdid: string; tid: string }[]
  events: { reporter: string; firmROEID: string }[]
  detail: string
}

let dir: string
let manipulations: Manipulation[]
let lifecycles: TruthLifecycle[]

async function ndjson<T>(name: string): Promise<T[]> {
  const text = await readFile(join(dir, 'truth', name), 'utf8')
  return text.trim() === ''
    ? []
    : text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opencat-sim-abuse-'))
  await simulateDay({ out: dir, date: '2026-03-06', seed: 2024, orders: 2500, abuse: [...ABUSE_KINDS] })
  manipulations = await ndjson('manipulations.ndjson')
  lifecycles = await ndjson('lifecycles.ndjson')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function typesOf(m: Manipulation): string[] {
  const types = new Map<string, string>()
  for (const lc of lifecycles) for (const e of lc.events) types.set(`${e.reporter}|${e.firmROEID}`, e.type)
  return m.events.map((e) => types.get(`${e.reporter}|${e.firmROEID}`) ?? '?')
}

describe('injected market abuse', () => {
  it('keeps the day consistent', async () => {
    expect((await verifyDay(dir)).problems).toEqual([])
  })

  it('labels every requested kind with its symbol, span, participants and events', () => {
    expect(new Set(manipulations.map((m) => m.kind))).toEqual(new Set(ABUSE_KINDS))
    for (const m of manipulations) {
      expect(BigInt(m.from) <= BigInt(m.to), m.kind).toBe(true)
      expect(m.participants.length, m.kind).toBeGreaterThan(0)
      for (const p of m.participants) expect(p.tid).toMatch(/^[0-9a-f]{64}$/)
      expect(m.events.length, m.kind).toBeGreaterThan(0)
    }
  })

  it('spoofs and layers with large orders that are cancelled while a small one on the other side executes', () => {
    for (const kind of ['spoofing', 'layering']) {
      const m = manipulations.find((x) => x.kind === kind)!
      const types = typesOf(m)
      expect(types.filter((t) => t === 'MEOC').length, kind).toBeGreaterThanOrEqual(
        kind === 'layering' ? 4 : 1,
      )
      expect(types, kind).toContain('EXOT')
      expect(BigInt(m.to) - BigInt(m.from), kind).toBeLessThan(30_000_000_000n)
    }
  })

  it('washes one customer (one TID) through two brokers against itself', () => {
    const m = manipulations.find((x) => x.kind === 'wash')!
    expect(m.participants).toHaveLength(2)
    expect(m.participants[0].tid).toBe(m.participants[1].tid)
    expect(m.participants[0].reporter).not.toBe(m.participants[1].reporter)
    const mine = new Set(m.events.map((e) => `${e.reporter}|${e.firmROEID}`))
    // The execution sits in both sides' lifecycles, both of which belong to the scenario.
    const exec = lifecycles.filter((lc) =>
      lc.events.some((e) => e.type === 'EXOT' && mine.has(`${e.reporter}|${e.firmROEID}`)),
    )
    const crossed = lifecycles
      .flatMap((lc) => lc.events.filter((e) => e.type === 'EXOT').map((e) => `${e.reporter}|${e.firmROEID}`))
      .filter((k) => mine.has(k))
    expect(exec.length).toBeGreaterThanOrEqual(2)
    expect(crossed.some((k) => crossed.indexOf(k) !== crossed.lastIndexOf(k))).toBe(true)
  })

  it('marks the close with buys in the last minutes before 16:00 ET', () => {
    const m = manipulations.find((x) => x.kind === 'marking-close')!
    const close = BigInt(Date.UTC(2026, 2, 6, 21, 0, 0)) * 1_000_000n
    expect(BigInt(m.to)).toBeLessThanOrEqual(close)
    expect(close - BigInt(m.from)).toBeLessThan(12n * 60n * 1_000_000_000n)
    expect(typesOf(m).filter((t) => t === 'MENO').length).toBeGreaterThanOrEqual(6)
  })

  it("front-runs a customer order with the firm's proprietary account", () => {
    const m = manipulations.find((x) => x.kind === 'front-running')!
    expect(m.participants[0].fdid.startsWith('PROP')).toBe(true)
    expect(m.participants[0].reporter).toBe(m.participants[1].reporter)
  })

  it('writes the news input file, with the buy before the news time', async () => {
    const news = await ndjson<{ symbol: string; time: string; headline: string }>('news.ndjson')
    const m = manipulations.find((x) => x.kind === 'news')!
    const item = news.find((n) => n.symbol === m.symbol)!
    expect(item.headline.length).toBeGreaterThan(10)
    expect(BigInt(m.from)).toBeLessThan(BigInt(item.time))
  })
})
