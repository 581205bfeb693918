import { describe, expect, it } from 'vitest'
import { parseAbuseList, resolveOptions } from './options.ts'

const base = { out: '/tmp/x', date: '2026-03-02', seed: 1, orders: 1000 }

describe('simulation options', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions(base)
    expect([o.firms, o.exchanges, o.format, o.fileVersion, o.faults, o.recordsPerFile]).toEqual([
      8,
      3,
      'json',
      '4.0.0',
      0,
      1_000_000,
    ])
    expect(o.symbols).toBe(50)
    expect(resolveOptions({ ...base, orders: 100_000 }).symbols).toBe(200)
  })

  it('refuses a weekend or holiday, a bad seed and out-of-range counts with OCAT_ERR_SIM_OPTIONS', () => {
    for (const bad of [
      { date: '2026-03-07' },
      { date: '2026-12-25' },
      { date: '2026-13-01' },
      { seed: -1 },
      { seed: 'abc' },
      { orders: 0 },
      { firms: 4 },
      { exchanges: 15 },
      { format: 'xml' },
      { fileVersion: '3.0.0' },
      { faults: 0.9 },
    ]) {
      expect(() => resolveOptions({ ...base, ...bad } as never), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'OCAT_ERR_SIM_OPTIONS' }),
      )
    }
  })

  it('reads abuse lists, all included', () => {
    expect(parseAbuseList('wash, spoofing')).toEqual(['spoofing', 'wash'])
    expect(parseAbuseList('all')).toHaveLength(6)
    expect(() => parseAbuseList('pump')).toThrow(/unknown abuse kind/)
  })
})
