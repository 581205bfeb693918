/**
 * CAT Date values: numbers laid out as YYYYMMDD (the JSON form of the spec's Date type), e.g. 20180912.
 * Functions taking a date expect a valid one, as returned by parseCatDate or isoToDate.
 */
import { dateFromDays, daysFromDate, daysInMonth } from './days-from-civil.ts'
import { floorSeconds, offsetSecondsAt } from './eastern.ts'

/** Parse an 8-digit YYYYMMDD text that names a real calendar date (year 0001-9999), or null. */
export function parseCatDate(text: string): number | null {
  if (text.length !== 8) return null
  let v = 0
  for (let i = 0; i < 8; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return null
    v = v * 10 + d
  }
  return validDate(v) ? v : null
}

/** The date `n` calendar days after `date` (before it when `n` is negative). */
export function addDays(date: number, n: number): number {
  return dateFromDays(daysFromDate(date) + n)
}

/** Day of the week of a date: 0 Sunday … 6 Saturday. */
export function weekday(date: number): number {
  // 1970-01-01 was a Thursday.
  return (((daysFromDate(date) + 4) % 7) + 7) % 7
}

/** The Eastern-Time calendar date of an instant given as UTC nanoseconds. */
export function etDateOf(ns: bigint): number {
  const sec = floorSeconds(ns)
  return dateFromDays(Math.floor((sec + offsetSecondsAt(sec)) / 86400))
}

/** ISO 8601 text of a date: 20180912 → '2018-09-12'. */
export function dateToIso(date: number): string {
  const y = String(Math.floor(date / 10000)).padStart(4, '0')
  const m = String(Math.floor(date / 100) % 100).padStart(2, '0')
  const d = String(date % 100).padStart(2, '0')
  return `${y}-${m}-${d}`
}

/** Parse an ISO 'YYYY-MM-DD' date naming a real calendar date, or null. */
export function isoToDate(iso: string): number | null {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null
  return parseCatDate(iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10))
}

/** Whether a YYYYMMDD number names a real calendar date with year 0001-9999. */
export function validDate(date: number): boolean {
  if (!Number.isInteger(date) || date < 10101 || date > 99991231) return false
  const year = Math.floor(date / 10000)
  const month = Math.floor(date / 100) % 100
  const day = date % 100
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Number of calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: number, b: number): number {
  return daysFromDate(b) - daysFromDate(a)
}
