import { describe, expect, it } from 'vitest'
import { formatCatTimestamp } from './cat-timestamp.ts'
import { dstTransitions } from './dst-transitions.ts'
import { etOffsetMinutes, etWallToUtcNs, utcNsToEtParts } from './eastern.ts'

const MS = 1_000_000n

function utc(y: number, mo: number, d: number, h: number, mi: number, s = 0, frac = 0n): bigint {
  return BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * MS + frac
}

// The machine's tz database is only an oracle here; the code under test never reads it.
const intl = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  weekday: 'short',
})
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function intlParts(ms: number) {
  const p: Record<string, string> = {}
  for (const { type, value } of intl.formatToParts(new Date(ms))) p[type] = value
  const fields = {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS.indexOf(p.weekday),
  }
  const wallMs = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  )
  return { fields, offset: (wallMs - Math.floor(ms / 1000) * 1000) / 60000 }
}

function expectSameAsIntl(ms: number) {
  const ns = BigInt(ms) * MS
  const oracle = intlParts(ms)
  const ours = utcNsToEtParts(ns)
  const { nanos, ...fields } = ours
  expect({ at: new Date(ms).toISOString(), offset: etOffsetMinutes(ns), ...fields }).toEqual({
    at: new Date(ms).toISOString(),
    offset: oracle.offset,
    ...oracle.fields,
  })
}

describe('etOffsetMinutes against Intl (America/New_York)', () => {
  it('agrees on a sweep of instants from 2000 to 2030', () => {
    const from = Date.UTC(2000, 0, 1)
    const to = Date.UTC(2031, 0, 1)
    // An odd step (6h 7m 13s) walks through every hour of the day over the years.
    for (let ms = from; ms < to; ms += 22_033_000) expectSameAsIntl(ms)
  })

  it('agrees one second either side of every transition from 1970 to 2199', () => {
    for (let year = 1970; year <= 2199; year++) {
      const t = dstTransitions(year)
      for (const sec of [t.startUtcSec, t.endUtcSec]) {
        for (const d of [-3600, -1, 0, 1, 3599, 3600]) expectSameAsIntl((sec + d) * 1000)
      }
    }
  })

  it('agrees daily at several hours from 1970 to 1999, across the older rules', () => {
    for (let ms = Date.UTC(1970, 0, 1, 3); ms < Date.UTC(2000, 0, 1); ms += 86_400_000 + 3_600_000) {
      expectSameAsIntl(ms)
    }
  })
})

describe('spring forward, 2018-03-11', () => {
  it('is EST up to 06:59:59.999999999 UTC and EDT from 07:00 UTC', () => {
    expect(etOffsetMinutes(utc(2018, 3, 11, 7, 0) - 1n)).toBe(-300)
    expect(etOffsetMinutes(utc(2018, 3, 11, 7, 0))).toBe(-240)
  })

  it('jumps from 01:59:59.999999999 to 03:00 on the wall clock', () => {
    expect(formatCatTimestamp(utc(2018, 3, 11, 7, 0) - 1n)).toBe('20180311T015959.999999999')
    expect(formatCatTimestamp(utc(2018, 3, 11, 7, 0))).toBe('20180311T030000.000000000')
  })

  it('converts wall times on both sides of the jump', () => {
    expect(etWallToUtcNs(2018, 3, 11, 1, 59, 59, 999_999_999)).toBe(utc(2018, 3, 11, 7, 0) - 1n)
    expect(etWallToUtcNs(2018, 3, 11, 3, 0, 0)).toBe(utc(2018, 3, 11, 7, 0))
  })

  it('reads a skipped 02:30 as EST, landing at 03:30 EDT after the jump', () => {
    const ns = etWallToUtcNs(2018, 3, 11, 2, 30, 0)
    expect(ns).toBe(utc(2018, 3, 11, 7, 30))
    expect(formatCatTimestamp(ns, 0)).toBe('20180311T033000')
  })
})

describe('fall back, 2018-11-04', () => {
  it('is EDT up to 05:59:59.999999999 UTC and EST from 06:00 UTC', () => {
    expect(etOffsetMinutes(utc(2018, 11, 4, 6, 0) - 1n)).toBe(-240)
    expect(etOffsetMinutes(utc(2018, 11, 4, 6, 0))).toBe(-300)
  })

  it('shows the 01:00-01:59 hour twice on the wall clock', () => {
    expect(formatCatTimestamp(utc(2018, 11, 4, 5, 30), 0)).toBe('20181104T013000')
    expect(formatCatTimestamp(utc(2018, 11, 4, 6, 30), 0)).toBe('20181104T013000')
    expect(formatCatTimestamp(utc(2018, 11, 4, 6, 0) - 1n)).toBe('20181104T015959.999999999')
    expect(formatCatTimestamp(utc(2018, 11, 4, 6, 0))).toBe('20181104T010000.000000000')
  })

  it('reads the repeated hour as its first occurrence (EDT)', () => {
    expect(etWallToUtcNs(2018, 11, 4, 1, 0, 0)).toBe(utc(2018, 11, 4, 5, 0))
    expect(etWallToUtcNs(2018, 11, 4, 1, 59, 59, 999_999_999n)).toBe(utc(2018, 11, 4, 6, 0) - 1n)
  })

  it('reads times outside the repeated hour with their only offset', () => {
    expect(etWallToUtcNs(2018, 11, 4, 0, 59, 59)).toBe(utc(2018, 11, 4, 4, 59, 59))
    expect(etWallToUtcNs(2018, 11, 4, 2, 0, 0)).toBe(utc(2018, 11, 4, 7, 0))
  })
})

describe('older US rules', () => {
  it('used the first Sunday of April and the last Sunday of October from 1987 to 2006', () => {
    const t = dstTransitions(2006)
    expect([t.startDate, t.endDate]).toEqual([20060402, 20061029])
    expect(etOffsetMinutes(utc(2006, 3, 15, 12, 0))).toBe(-300)
    expect(etOffsetMinutes(utc(2006, 10, 31, 12, 0))).toBe(-300)
  })

  it('switched on the second Sunday of March and first Sunday of November from 2007', () => {
    const t = dstTransitions(2007)
    expect([t.startDate, t.endDate]).toEqual([20070311, 20071104])
  })

  it('started early in 1974 and 1975 and on the last Sunday of April in 1986', () => {
    expect(dstTransitions(1974).startDate).toBe(19740106)
    expect(dstTransitions(1975).startDate).toBe(19750223)
    expect(dstTransitions(1986).startDate).toBe(19860427)
  })
})

describe('utcNsToEtParts', () => {
  it('splits an instant into ET fields with nanoseconds and weekday', () => {
    expect(utcNsToEtParts(1483842600123456789n)).toEqual({
      year: 2017,
      month: 1,
      day: 7,
      hour: 21,
      minute: 30,
      second: 0,
      nanos: 123456789,
      weekday: 6,
    })
  })

  it('handles instants before the epoch by flooring', () => {
    expect(utcNsToEtParts(-1n)).toEqual({
      year: 1969,
      month: 12,
      day: 31,
      hour: 18,
      minute: 59,
      second: 59,
      nanos: 999_999_999,
      weekday: 3,
    })
  })
})
