import { describe, expect, it } from 'vitest'
import { type Priced, thinned } from './market-thin.ts'

const FROM = 1_000_000_000n
const TO = 2_000_000_000n

/** A deterministic pseudo-random walk of quotes over the window, some without a bid or an offer. */
function walk(n: number, seed: number): Priced[] {
  let x = seed
  const next = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    return x / 2_147_483_648
  }
  let mid = 1_000_000n
  const ns = Array.from({ length: n }, () => FROM + BigInt(Math.floor(next() * Number(TO - FROM)))).sort(
    (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  )
  return ns.map((t) => {
    mid += BigInt(Math.floor(next() * 21) - 10)
    const gap = BigInt(1 + Math.floor(next() * 5))
    return {
      ns: t,
      bid: next() < 0.02 ? undefined : mid - gap,
      ask: next() < 0.02 ? undefined : mid + gap,
    }
  })
}

/** Per span: the first and last instant, highest and lowest of each side, and whether a side went missing. */
function shape(items: readonly Priced[], spans: number): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>()
  const max = (v: bigint | undefined, w: unknown) =>
    v === undefined ? w : w === undefined || v > (w as bigint) ? v : w
  const min = (v: bigint | undefined, w: unknown) =>
    v === undefined ? w : w === undefined || v < (w as bigint) ? v : w
  for (const s of items) {
    const k = Number(((s.ns - FROM) * BigInt(spans)) / (TO - FROM + 1n))
    const was = out.get(k) ?? [s.ns, s.ns, undefined, undefined, undefined, undefined, false, false]
    out.set(k, [
      was[0],
      s.ns,
      max(s.bid, was[2]),
      min(s.bid, was[3]),
      max(s.ask, was[4]),
      min(s.ask, was[5]),
      was[6] || s.bid === undefined,
      was[7] || s.ask === undefined,
    ])
  }
  return out
}

describe('thinning a market window for its chart', () => {
  it('keeps every item when there are few', () => {
    const steps = walk(500, 7)
    expect(thinned(steps, (s) => s, FROM, TO, 100)).toEqual(steps)
  })

  it('keeps in each span the first and last item and the extremes of each side, items of the series only', () => {
    for (const seed of [1, 2, 3]) {
      const steps = walk(50_000, seed)
      for (const spans of [1, 37, 800]) {
        const thin = thinned(steps, (s) => s, FROM, TO, spans)
        expect(thin.length).toBeLessThanOrEqual(8 * spans)
        expect(thin.length).toBeLessThan(steps.length)
        // A subsequence of the full series: the same objects, in the same order.
        let i = 0
        for (const s of thin) {
          while (i < steps.length && steps[i] !== s) i++
          expect(i, 'a kept item that is not one of the series').toBeLessThan(steps.length)
        }
        expect(shape(thin, spans)).toEqual(shape(steps, spans))
      }
    }
  })

  it('keeps every change of the market’s state', () => {
    const steps = walk(50_000, 4).map((s, i) => ({ ...s, state: i % 997 < 3 ? 'crossed' : 'normal' }))
    const thin = thinned(steps, (s) => s, FROM, TO, 50)
    const changes = (list: readonly { state: string }[]) =>
      list.filter((s, i) => i > 0 && s.state !== list[i - 1].state)
    expect(changes(thin)).toEqual(changes(steps))
    expect(changes(steps).length).toBeGreaterThan(50)
  })

  it('keeps at most the asked number per span of items with one price (trades)', () => {
    const trades = walk(20_000, 9).map((t) => ({ ns: t.ns, bid: t.bid, ask: t.bid }))
    const thin = thinned(trades, (t) => t, FROM, TO, 300, 4)
    expect(thin.length).toBeLessThanOrEqual(5 * 300)
    expect(shape(thin, 300)).toEqual(shape(trades, 300))
  })
})
