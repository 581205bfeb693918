import { describe, expect, it } from 'vitest'
import { etWallToUtcNs } from '../common/time/eastern.ts'
import {
  formatCatDate,
  formatDecimal,
  formatEtClock,
  formatEtInstant,
  formatEtIso,
  formatPriceText,
  formatQuantityText,
} from './display-format.ts'

describe('display formatters', () => {
  it('drop trailing zeros and keep every digit of the spec ranges', () => {
    expect(formatDecimal('100.000000')).toBe('100')
    expect(formatDecimal('22.50000000')).toBe('22.5')
    expect(formatDecimal('-0.00000000')).toBe('0')
    expect(formatPriceText('9999999999.99999999')).toBe('9,999,999,999.99999999')
    expect(formatPriceText(1n)).toBe('0.00000001')
    expect(formatPriceText(-150_000_000n)).toBe('-1.5')
    expect(formatPriceText(null)).toBe('—')
    expect(formatQuantityText('999999999999.999999')).toBe('999,999,999,999.999999')
    expect(formatQuantityText('1200.000000')).toBe('1,200')
    expect(formatQuantityText(500_000n)).toBe('0.5')
  })

  it('write CAT dates as ISO dates', () => {
    expect(formatCatDate(20261203)).toBe('2026-12-03')
    expect(formatCatDate('20260302')).toBe('2026-03-02')
  })

  it('show instants in Eastern Time with the zone in force, standard and daylight', () => {
    const winter = etWallToUtcNs(2026, 3, 2, 9, 30, 0, 123_456_789)
    expect(formatEtInstant(winter)).toBe('2026-03-02 09:30:00.123456789 EST')
    expect(formatEtInstant(winter.toString(), 3)).toBe('2026-03-02 09:30:00.123 EST')
    expect(formatEtIso(winter, 0)).toBe('2026-03-02T09:30:00-05:00')
    const summer = etWallToUtcNs(2026, 7, 1, 16, 0, 0)
    expect(formatEtInstant(summer, 0)).toBe('2026-07-01 16:00:00 EDT')
    expect(formatEtClock(summer, 0)).toBe('16:00:00')
    // 2026-03-08 02:30 does not exist: the clocks jump from 02:00 EST to 03:00 EDT.
    expect(formatEtInstant(etWallToUtcNs(2026, 3, 8, 3, 0, 0), 0)).toBe('2026-03-08 03:00:00 EDT')
  })
})
