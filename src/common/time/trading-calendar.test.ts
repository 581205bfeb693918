import { describe, expect, it } from 'vitest'
import { isTradingDay, nextTradingDay, previousTradingDay, type TradingCalendar } from './trading-calendar.ts'

const cal: TradingCalendar = { holidays: new Set([20180903, 20181122, 20181225]), earlyCloses: new Map() }
const empty: TradingCalendar = { holidays: new Set(), earlyCloses: new Map() }

describe('isTradingDay', () => {
  it('counts weekdays that are not holidays', () => {
    expect(isTradingDay(cal, 20180912)).toBe(true)
    expect(isTradingDay(cal, 20180915)).toBe(false)
    expect(isTradingDay(cal, 20180916)).toBe(false)
    expect(isTradingDay(cal, 20180903)).toBe(false)
    expect(isTradingDay(empty, 20180903)).toBe(true)
  })
})

describe('nextTradingDay', () => {
  it('returns the next weekday strictly after the date', () => {
    expect(nextTradingDay(cal, 20180912)).toBe(20180913)
    expect(nextTradingDay(cal, 20180914)).toBe(20180917)
    expect(nextTradingDay(cal, 20180915)).toBe(20180917)
  })

  it('skips holidays', () => {
    expect(nextTradingDay(cal, 20180831)).toBe(20180904)
    expect(nextTradingDay(cal, 20181121)).toBe(20181123)
    expect(nextTradingDay(cal, 20181224)).toBe(20181226)
  })

  it('counts n trading days', () => {
    expect(nextTradingDay(cal, 20180912, 3)).toBe(20180917)
    expect(nextTradingDay(cal, 20180912, 4)).toBe(20180918)
    expect(nextTradingDay(cal, 20181231, 1)).toBe(20190101)
  })

  it('refuses a count below 1', () => {
    expect(() => nextTradingDay(cal, 20180912, 0)).toThrow(RangeError)
    expect(() => nextTradingDay(cal, 20180912, -1)).toThrow(RangeError)
    expect(() => nextTradingDay(cal, 20180912, 1.5)).toThrow(RangeError)
  })
})

describe('previousTradingDay', () => {
  it('returns the trading day strictly before the date', () => {
    expect(previousTradingDay(cal, 20180917)).toBe(20180914)
    expect(previousTradingDay(cal, 20180904)).toBe(20180831)
    expect(previousTradingDay(cal, 20180918, 3)).toBe(20180913)
  })

  it('undoes nextTradingDay on trading days', () => {
    for (let d = 20180801; d <= 20181231; d = nextTradingDay(cal, d)) {
      if (isTradingDay(cal, d)) expect(previousTradingDay(cal, nextTradingDay(cal, d, 5), 5)).toBe(d)
    }
  })
})
