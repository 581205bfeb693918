import { describe, expect, it } from 'vitest'
import { estimateClockOffsets, type RoutePairStat } from './clock-drift.ts'

const EXCHANGES = new Set(['NSDQ', 'NYSE'])
const TOL = { firmNs: 50_000_000, exchangeNs: 100_000 }

// Median differences a market with these true offsets and latencies would show.
function market(
  offsets: Record<string, number>,
  routes: [string, string, 'F' | 'E' | 'X'][],
): RoutePairStat[] {
  const lat = { F: 1_200_000, E: 400_000, X: 900_000 }
  return routes.map(([sender, receiver, fam]) => {
    const medianNs = lat[fam] + offsets[receiver] - offsets[sender]
    return { sender, receiver, fam, pairs: 100, medianNs, early: medianNs < 0 ? 60 : 0 }
  })
}

describe('estimateClockOffsets', () => {
  it('finds a firm whose clock runs 80 ms behind and flags only it', () => {
    const offsets = { ALDR: -80_000_000, BRCH: 0, CEDR: 2_000_000, NSDQ: 0, NYSE: 0 }
    const stats = market(offsets, [
      ['ALDR', 'BRCH', 'F'],
      ['ALDR', 'NSDQ', 'E'],
      ['BRCH', 'NSDQ', 'E'],
      ['BRCH', 'NYSE', 'E'],
      ['CEDR', 'NYSE', 'E'],
      ['NSDQ', 'CEDR', 'X'],
      ['CEDR', 'ALDR', 'F'],
    ])
    const est = new Map(estimateClockOffsets(stats, (r) => EXCHANGES.has(r), TOL).map((e) => [e.reporter, e]))
    expect(Math.abs(est.get('ALDR')!.offsetNs + 80_000_000)).toBeLessThan(2_000_000)
    expect(est.get('ALDR')!.flagged).toBe(true)
    expect(est.get('BRCH')!.flagged).toBe(false)
    expect(est.get('CEDR')!.flagged).toBe(false)
    expect(est.get('NSDQ')!.kind).toBe('exchange')
  })

  it('flags an exchange 300 µs off the others and counts the accepts that precede their routes', () => {
    const offsets = { ALDR: 0, BRCH: 0, NSDQ: 300_000, NYSE: 0, ARCA: 0 }
    const stats = market(offsets, [
      ['ALDR', 'NSDQ', 'E'],
      ['ALDR', 'NYSE', 'E'],
      ['ALDR', 'ARCA', 'E'],
      ['BRCH', 'NSDQ', 'E'],
      ['BRCH', 'NYSE', 'E'],
      ['BRCH', 'ARCA', 'E'],
    ])
    const ex = new Set(['NSDQ', 'NYSE', 'ARCA'])
    const est = new Map(estimateClockOffsets(stats, (r) => ex.has(r), TOL).map((e) => [e.reporter, e]))
    expect(est.get('NSDQ')!.flagged).toBe(true)
    expect(est.get('NYSE')!.flagged).toBe(false)
    expect(est.get('ALDR')!.flagged).toBe(false)
  })
})
