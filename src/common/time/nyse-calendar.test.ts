import { describe, expect, it } from 'vitest'
import { weekday } from './cat-date.ts'
import { nyseCalendar } from './nyse-calendar.ts'
import { isTradingDay } from './trading-calendar.ts'

const cal = nyseCalendar(1990, 2100)

function holidaysIn(year: number): number[] {
  return [...cal.holidays].filter((d) => Math.floor(d / 10000) === year).sort((a, b) => a - b)
}

function earlyClosesIn(year: number): [number, string][] {
  return [...cal.earlyCloses].filter(([d]) => Math.floor(d / 10000) === year).sort((a, b) => a[0] - b[0])
}

describe('nyseCalendar holidays (published NYSE schedules)', () => {
  it('matches 2024', () => {
    expect(holidaysIn(2024)).toEqual([
      20240101, 20240115, 20240219, 20240329, 20240527, 20240619, 20240704, 20240902, 20241128, 20241225,
    ])
  })

  it('matches 2025, including Good Friday 04-18 and the Carter day of mourning', () => {
    expect(holidaysIn(2025)).toEqual([
      20250101, 20250109, 20250120, 20250217, 20250418, 20250526, 20250619, 20250704, 20250901, 20251127,
      20251225,
    ])
  })

  it('matches 2026: Juneteenth on Friday 06-19, Independence Day observed Friday 07-03', () => {
    expect(holidaysIn(2026)).toEqual([
      20260101, 20260119, 20260216, 20260403, 20260525, 20260619, 20260703, 20260907, 20261126, 20261225,
    ])
  })

  it('does not make up a Saturday New Year on the Friday before', () => {
    expect(cal.holidays.has(20211231)).toBe(false)
    expect(holidaysIn(2022)[0]).toBe(20220117)
  })

  it('observes Sunday holidays on Monday and Saturday ones on Friday', () => {
    expect(cal.holidays.has(20230102)).toBe(true)
    expect(cal.holidays.has(20220620)).toBe(true)
    expect(cal.holidays.has(20221226)).toBe(true)
    expect(cal.holidays.has(20211224)).toBe(true)
    expect(cal.holidays.has(20270618)).toBe(true)
    expect(cal.holidays.has(20270705)).toBe(true)
  })

  it('starts Juneteenth in 2022 and MLK Day in 1998', () => {
    expect(cal.holidays.has(20210618)).toBe(false)
    expect(cal.holidays.has(20210621)).toBe(false)
    expect(cal.holidays.has(19970120)).toBe(false)
    expect(cal.holidays.has(19980119)).toBe(true)
  })

  it('includes the unscheduled closures of the CAT era', () => {
    expect(isTradingDay(cal, 20181205)).toBe(false)
    expect(isTradingDay(cal, 20121029)).toBe(false)
    expect(isTradingDay(cal, 20121030)).toBe(false)
  })

  it('only ever closes weekdays', () => {
    expect([...cal.holidays].filter((d) => weekday(d) === 0 || weekday(d) === 6)).toEqual([])
  })

  it('has 9 rule holidays a year before Juneteenth and 10 after, one fewer when New Year is a Saturday', () => {
    const unscheduled = [2001, 2004, 2007, 2012, 2018, 2025]
    for (let year = 1998; year <= 2100; year++) {
      if (unscheduled.includes(year)) continue
      const expected = (year >= 2022 ? 10 : 9) - (weekday(year * 10000 + 101) === 6 ? 1 : 0)
      expect([year, holidaysIn(year).length]).toEqual([year, expected])
    }
  })

  it('covers only the requested years', () => {
    const small = nyseCalendar(2025, 2025)
    expect([...small.holidays].every((d) => Math.floor(d / 10000) === 2025)).toBe(true)
    expect([...small.earlyCloses.keys()].every((d) => Math.floor(d / 10000) === 2025)).toBe(true)
  })
})

describe('nyseCalendar early closes', () => {
  it('closes at 13:00 on the day after Thanksgiving', () => {
    expect(cal.earlyCloses.get(20181123)).toBe('13:00')
  })

  it('matches 2024-2026', () => {
    expect(earlyClosesIn(2024)).toEqual([
      [20240703, '13:00'],
      [20241129, '13:00'],
      [20241224, '13:00'],
    ])
    expect(earlyClosesIn(2025)).toEqual([
      [20250703, '13:00'],
      [20251128, '13:00'],
      [20251224, '13:00'],
    ])
    expect(earlyClosesIn(2026)).toEqual([
      [20261127, '13:00'],
      [20261224, '13:00'],
    ])
  })

  it('skips July 3 and December 24 when they are weekends or holidays', () => {
    expect(cal.earlyCloses.has(20220703)).toBe(false)
    expect(cal.earlyCloses.has(20260703)).toBe(false)
    expect(cal.earlyCloses.has(20211224)).toBe(false)
    expect(cal.earlyCloses.has(20221224)).toBe(false)
  })

  it('never puts an early close on a holiday or weekend', () => {
    for (const d of cal.earlyCloses.keys()) expect(isTradingDay(cal, d)).toBe(true)
  })
})
