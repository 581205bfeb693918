import { describe, expect, it } from 'vitest'
import { nyseCalendar } from './nyse-calendar.ts'
import type { TradingCalendar } from './trading-calendar.ts'
import { catDeadlines, catTradingDayOf, isLate, tradeDateOf, tradingDayEnd } from './trading-day.ts'

const cal = nyseCalendar(2017, 2027)
const NS = 1_000_000n

/** An Eastern wall time with an explicit UTC offset in hours, through Date.UTC (independent of eastern.ts). */
function et(y: number, mo: number, d: number, h: number, mi: number, s = 0, offsetHours = -4): bigint {
  return BigInt(Date.UTC(y, mo - 1, d, h - offsetHours, mi, s)) * NS
}
const edt = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => et(y, mo, d, h, mi, s, -4)
const est = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => et(y, mo, d, h, mi, s, -5)

describe('CAT Trading Day and deadlines, spec worked examples (Table 76)', () => {
  it('Wed 2018-09-12 16:13 ET: Trading Day 09-12, due 09-13 08:00, corrections due 09-17 08:00', () => {
    const day = catTradingDayOf(cal, edt(2018, 9, 12, 16, 13))
    expect(day).toBe(20180912)
    const d = catDeadlines(cal, day)
    expect(d.submission).toBe(edt(2018, 9, 13, 8, 0))
    expect(d.repair).toBe(edt(2018, 9, 17, 8, 0))
    expect(d.replaceUntil).toBe(edt(2018, 9, 18, 8, 0))
  })

  it('Wed 2018-09-12 16:16 ET: Trading Day 09-13, due 09-14 08:00', () => {
    const day = catTradingDayOf(cal, edt(2018, 9, 12, 16, 16))
    expect(day).toBe(20180913)
    expect(catDeadlines(cal, day).submission).toBe(edt(2018, 9, 14, 8, 0))
  })

  it('Sat 2018-09-15 12:30 ET: Trading Day Mon 09-17, due 09-18 08:00', () => {
    const day = catTradingDayOf(cal, edt(2018, 9, 15, 12, 30))
    expect(day).toBe(20180917)
    expect(catDeadlines(cal, day).submission).toBe(edt(2018, 9, 18, 8, 0))
  })
})

describe('catTradingDayOf boundaries', () => {
  it('includes exactly 16:15:00.000000000 and excludes one nanosecond later', () => {
    const cutoff = edt(2018, 9, 12, 16, 15)
    expect(catTradingDayOf(cal, cutoff)).toBe(20180912)
    expect(catTradingDayOf(cal, cutoff + 1n)).toBe(20180913)
    expect(tradingDayEnd(cal, 20180912)).toBe(cutoff)
  })

  it('puts events after midnight and before the cutoff on that date', () => {
    expect(catTradingDayOf(cal, edt(2018, 9, 13, 0, 0))).toBe(20180913)
    expect(catTradingDayOf(cal, edt(2018, 9, 13, 3, 0))).toBe(20180913)
  })

  it('sends Friday evening and the weekend to Monday', () => {
    expect(catTradingDayOf(cal, edt(2018, 9, 14, 16, 15, 1))).toBe(20180917)
    expect(catTradingDayOf(cal, edt(2018, 9, 16, 23, 59))).toBe(20180917)
  })

  it('ends the day after Thanksgiving (early close 13:00) at 13:15', () => {
    expect(catTradingDayOf(cal, est(2018, 11, 23, 13, 15))).toBe(20181123)
    expect(catTradingDayOf(cal, est(2018, 11, 23, 13, 15) + 1n)).toBe(20181126)
    expect(catTradingDayOf(cal, est(2018, 11, 23, 14, 0))).toBe(20181126)
    expect(tradingDayEnd(cal, 20181123)).toBe(est(2018, 11, 23, 13, 15))
  })

  it('gives holiday events to the next trading day', () => {
    expect(catTradingDayOf(cal, est(2018, 11, 22, 12, 0))).toBe(20181123)
    expect(catTradingDayOf(cal, est(2018, 12, 24, 14, 0))).toBe(20181226)
    expect(catTradingDayOf(cal, est(2018, 12, 4, 17, 0))).toBe(20181206)
  })

  it('follows the calendar it is given', () => {
    const plain: TradingCalendar = { holidays: new Set(), earlyCloses: new Map([[20180912, '12:30']]) }
    expect(catTradingDayOf(plain, edt(2018, 9, 12, 12, 45))).toBe(20180912)
    expect(catTradingDayOf(plain, edt(2018, 9, 12, 12, 46))).toBe(20180913)
    expect(catTradingDayOf(plain, est(2018, 11, 22, 12, 0))).toBe(20181122)
  })
})

describe('tradeDateOf', () => {
  it('runs midnight to midnight ET', () => {
    expect(tradeDateOf(cal, edt(2018, 9, 12, 23, 59, 59))).toBe(20180912)
    expect(tradeDateOf(cal, edt(2018, 9, 12, 16, 16))).toBe(20180912)
    expect(tradeDateOf(cal, edt(2018, 9, 13, 0, 0))).toBe(20180913)
  })

  it('moves weekend and holiday events to the next trading date', () => {
    expect(tradeDateOf(cal, edt(2018, 9, 15, 12, 30))).toBe(20180917)
    expect(tradeDateOf(cal, edt(2018, 9, 3, 10, 0))).toBe(20180904)
  })
})

describe('catDeadlines across holidays and DST', () => {
  it('skips holidays when counting T+n', () => {
    const d = catDeadlines(cal, 20181121)
    expect(d.submission).toBe(est(2018, 11, 23, 8, 0))
    expect(d.repair).toBe(est(2018, 11, 27, 8, 0))
    expect(d.replaceUntil).toBe(est(2018, 11, 28, 8, 0))
  })

  it('uses 08:00 EST after the clocks fall back', () => {
    expect(catDeadlines(cal, 20181102).submission).toBe(est(2018, 11, 5, 8, 0))
  })
})

describe('isLate', () => {
  const day = 20180912

  it('accepts a submission up to exactly T+1 08:00 ET', () => {
    expect(isLate(cal, day, edt(2018, 9, 13, 7, 59, 59), 'submission')).toBe(false)
    expect(isLate(cal, day, edt(2018, 9, 13, 8, 0), 'submission')).toBe(false)
    expect(isLate(cal, day, edt(2018, 9, 13, 8, 0) + 1n, 'submission')).toBe(true)
  })

  it('gives repairs until T+3 08:00 ET', () => {
    expect(isLate(cal, day, edt(2018, 9, 17, 8, 0), 'repair')).toBe(false)
    expect(isLate(cal, day, edt(2018, 9, 17, 8, 0) + 1n, 'repair')).toBe(true)
    expect(isLate(cal, day, edt(2018, 9, 14, 12, 0), 'repair')).toBe(false)
  })
})
