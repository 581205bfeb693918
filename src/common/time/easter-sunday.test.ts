import { describe, expect, it } from 'vitest'
import { easterSunday } from './easter-sunday.ts'

describe('easterSunday', () => {
  it.each([
    [1818, 18180322],
    [1943, 19430425],
    [2000, 20000423],
    [2008, 20080323],
    [2018, 20180401],
    [2019, 20190421],
    [2024, 20240331],
    [2025, 20250420],
    [2026, 20260405],
    [2038, 20380425],
    [2285, 22850322],
  ])('puts Easter %i on %i', (year, date) => {
    expect(easterSunday(year)).toBe(date)
  })
})
