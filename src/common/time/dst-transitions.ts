import { dateFromDays, daysFromCivil } from './days-from-civil.ts'

/** The local dates on which Eastern daylight time starts and ends in a year, and the UTC instants (seconds). */
export interface DstTransitions {
  /** YYYYMMDD on which clocks jump from 02:00 EST to 03:00 EDT. */
  readonly startDate: number
  /** YYYYMMDD on which clocks fall back from 02:00 EDT to 01:00 EST. */
  readonly endDate: number
  /** Unix seconds of the spring jump (02:00 EST = 07:00 UTC). */
  readonly startUtcSec: number
  /** Unix seconds of the fall-back (02:00 EDT = 06:00 UTC). */
  readonly endUtcSec: number
}

const byYear = new Map<number, DstTransitions>()

/** Eastern DST start and end for a year, from the US rules in force that year (computed, never from tzdata). */
export function dstTransitions(year: number): DstTransitions {
  let t = byYear.get(year)
  if (t === undefined) {
    t = compute(year)
    byYear.set(year, t)
  }
  return t
}

function compute(year: number): DstTransitions {
  let start: number
  let end: number
  if (year >= 2007) {
    // Energy Policy Act of 2005.
    start = nthSunday(year, 3, 2)
    end = nthSunday(year, 11, 1)
  } else if (year >= 1987) {
    start = nthSunday(year, 4, 1)
    end = lastSunday(year, 10)
  } else if (year === 1974 || year === 1975) {
    // The 1973 oil-crisis emergency law moved the start to January 6 and February 23.
    start = year === 1974 ? daysFromCivil(1974, 1, 6) : daysFromCivil(1975, 2, 23)
    end = lastSunday(year, 10)
  } else {
    // Uniform Time Act of 1966; years before 1967 are not modelled separately.
    start = lastSunday(year, 4)
    end = lastSunday(year, 10)
  }
  return {
    startDate: dateFromDays(start),
    endDate: dateFromDays(end),
    startUtcSec: start * 86400 + 7 * 3600,
    endUtcSec: end * 86400 + 6 * 3600,
  }
}

/** Days since the epoch of the n-th Sunday of a month. */
function nthSunday(year: number, month: number, n: number): number {
  const first = daysFromCivil(year, month, 1)
  return first + ((7 - dayOfWeek(first)) % 7) + 7 * (n - 1)
}

/** Days since the epoch of the last Sunday of a month. */
function lastSunday(year: number, month: number): number {
  const last = daysFromCivil(year, month + 1, 1) - 1
  return last - dayOfWeek(last)
}

function dayOfWeek(days: number): number {
  // 1970-01-01 was a Thursday.
  return (((days + 4) % 7) + 7) % 7
}
