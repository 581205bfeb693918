import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  dateToIso,
  daysBetween,
  etDateOf,
  isoToDate,
  parseCatDate,
  validDate,
  weekday,
} from './cat-date.ts'

const utc = (y: number, mo: number, d: number, h: number, mi: number) =>
  BigInt(Date.UTC(y, mo - 1, d, h, mi)) * 1_000_000n

/** Date.UTC-based oracle: the YYYYMMDD of a day count. */
function oracleDate(days: number): number {
  const iso = new Date(days * 86_400_000).toISOString()
  return Number(iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10))
}

describe('parseCatDate', () => {
  it('accepts 8 digits naming a real date', () => {
    expect(parseCatDate('20180912')).toBe(20180912)
    expect(parseCatDate('20200229')).toBe(20200229)
    expect(parseCatDate('20001231')).toBe(20001231)
  })

  it.each([
    '20190229',
    '21000229',
    '20181301',
    '20180900',
    '20180931',
    '00000101',
    '2018091',
    '201809120',
    '2018-9-12',
    '2018091a',
    '',
    ' 20180912',
  ])('rejects %j', (text) => {
    expect(parseCatDate(text)).toBeNull()
  })
})

describe('addDays and weekday', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays(20180930, 1)).toBe(20181001)
    expect(addDays(20181231, 1)).toBe(20190101)
    expect(addDays(20200228, 1)).toBe(20200229)
    expect(addDays(20190228, 1)).toBe(20190301)
    expect(addDays(20190101, -1)).toBe(20181231)
    expect(addDays(20180912, 0)).toBe(20180912)
  })

  it('agrees with Date for any day from 1900 to 2400', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -25567, max: 157_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        (days, n) => {
          const date = oracleDate(days)
          return addDays(date, n) === oracleDate(days + n) && daysBetween(date, addDays(date, n)) === n
        },
      ),
    )
  })

  it('numbers weekdays from Sunday = 0', () => {
    expect(weekday(20180909)).toBe(0)
    expect(weekday(20180912)).toBe(3)
    expect(weekday(20180915)).toBe(6)
    expect(weekday(19700101)).toBe(4)
    expect(weekday(19691231)).toBe(3)
  })
})

describe('etDateOf', () => {
  it('uses the Eastern date, not the UTC date', () => {
    expect(etDateOf(utc(2018, 9, 13, 3, 59))).toBe(20180912)
    expect(etDateOf(utc(2018, 9, 13, 4, 0))).toBe(20180913)
    expect(etDateOf(utc(2019, 1, 2, 4, 59))).toBe(20190101)
    expect(etDateOf(utc(2019, 1, 2, 5, 0))).toBe(20190102)
  })
})

describe('ISO conversion', () => {
  it('writes and reads YYYY-MM-DD', () => {
    expect(dateToIso(20180912)).toBe('2018-09-12')
    expect(isoToDate('2018-09-12')).toBe(20180912)
    expect(dateToIso(isoToDate('0999-01-05')!)).toBe('0999-01-05')
  })

  it.each(['2018-9-12', '2018/09/12', '20180912', '2018-02-30', '2018-09-12T00:00', 'abcd-ef-gh'])(
    'rejects %j',
    (iso) => {
      expect(isoToDate(iso)).toBeNull()
    },
  )

  it('round-trips through validDate', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 157_000 }), (days) => {
        const date = oracleDate(days)
        return validDate(date) && isoToDate(dateToIso(date)) === date
      }),
    )
    expect(validDate(20180931)).toBe(false)
    expect(validDate(2018091.5)).toBe(false)
  })
})
