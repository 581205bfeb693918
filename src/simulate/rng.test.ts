import { describe, expect, it } from 'vitest'
import { cumulative, Rng } from './rng.ts'

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(7n)
    const b = new Rng(7)
    const c = new Rng(8)
    const xs = Array.from({ length: 5 }, () => a.u32())
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs)
  })

  it('forks independent streams that do not depend on later draws of the parent', () => {
    const a = new Rng(1)
    const fa = a.fork('faults')
    const b = new Rng(1)
    const fb = b.fork('faults')
    b.float()
    expect(fa.u32()).toBe(fb.u32())
    expect(new Rng(1).fork('x').u32()).not.toBe(new Rng(1).fork('y').u32())
  })

  it('draws floats in [0, 1) with a sensible mean, and integers in range', () => {
    const r = new Rng(123)
    let sum = 0
    for (let i = 0; i < 20000; i++) {
      const x = r.float()
      expect(x >= 0 && x < 1).toBe(true)
      sum += x
      const k = r.range(3, 5)
      expect(k >= 3 && k <= 5).toBe(true)
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.02)
  })

  it('picks by weight and draws heavy tails above their minimum', () => {
    const r = new Rng(5)
    const counts = [0, 0, 0]
    const cum = cumulative([1, 0, 3])
    for (let i = 0; i < 4000; i++) counts[r.weighted(cum)]++
    expect(counts[1]).toBe(0)
    expect(counts[2] / counts[0]).toBeGreaterThan(2.5)
    for (let i = 0; i < 1000; i++) expect(r.pareto(100, 1.2)).toBeGreaterThanOrEqual(100)
  })
})
