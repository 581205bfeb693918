/**
 * Generated calendar of the US equity exchanges (NYSE/Nasdaq rules): full holidays with weekend observance,
 * the regular 13:00 early closes, and the known unscheduled full closures since 2001. The rules are the current
 * ones (MLK Day from 1998, Juneteenth from 2022); earlier years are approximate.
 */
import { addDays, weekday } from './cat-date.ts'
import { easterSunday } from './easter-sunday.ts'
import type { TradingCalendar } from './trading-calendar.ts'

// Closures announced at short notice (attacks, storms, national days of mourning); no rule predicts them.
const UNSCHEDULED_CLOSURES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['September 11 attacks', [20010911, 20010912, 20010913, 20010914]],
  ['President Reagan mourning', [20040611]],
  ['President Ford mourning', [20070102]],
  ['Hurricane Sandy', [20121029, 20121030]],
  ['President George H. W. Bush mourning', [20181205]],
  ['President Carter mourning', [20250109]],
]

const EARLY_CLOSE = '13:00'

/** US equity exchange holidays and early closes for the years fromYear..toYear inclusive. */
export function nyseCalendar(fromYear: number, toYear: number): TradingCalendar {
  const holidays = new Set<number>()
  const earlyCloses = new Map<number, string>()
  for (let year = fromYear; year <= toYear; year++) {
    for (const h of holidaysOf(year)) holidays.add(h)
    for (const [, dates] of UNSCHEDULED_CLOSURES) {
      for (const d of dates) if (Math.floor(d / 10000) === year) holidays.add(d)
    }
  }
  for (let year = fromYear; year <= toYear; year++) {
    const thanksgiving = nthWeekday(year, 11, 4, 4)
    const candidates = [year * 10000 + 703, addDays(thanksgiving, 1), year * 10000 + 1224]
    for (const d of candidates) {
      const w = weekday(d)
      if (w !== 0 && w !== 6 && !holidays.has(d)) earlyCloses.set(d, EARLY_CLOSE)
    }
  }
  return { holidays, earlyCloses }
}

function holidaysOf(year: number): number[] {
  const out: number[] = []
  const newYear = year * 10000 + 101
  // NYSE rule 7.2: a Saturday New Year's Day is not made up on Friday, which ends the accounting year.
  if (weekday(newYear) !== 6) out.push(observed(newYear))
  if (year >= 1998) out.push(nthWeekday(year, 1, 1, 3))
  out.push(nthWeekday(year, 2, 1, 3))
  out.push(addDays(easterSunday(year), -2))
  out.push(lastWeekday(year, 5, 1))
  if (year >= 2022) out.push(observed(year * 10000 + 619))
  out.push(observed(year * 10000 + 704))
  out.push(nthWeekday(year, 9, 1, 1))
  out.push(nthWeekday(year, 11, 4, 4))
  out.push(observed(year * 10000 + 1225))
  return out
}

/** Saturday holidays are observed on Friday, Sunday ones on Monday. */
function observed(date: number): number {
  const w = weekday(date)
  return w === 6 ? addDays(date, -1) : w === 0 ? addDays(date, 1) : date
}

/** The n-th given weekday (0 Sunday) of a month. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = year * 10000 + month * 100 + 1
  return addDays(first, ((wd - weekday(first) + 7) % 7) + 7 * (n - 1))
}

/** The last given weekday (0 Sunday) of a month. */
function lastWeekday(year: number, month: number, wd: number): number {
  const last = addDays(month === 12 ? (year + 1) * 10000 + 101 : year * 10000 + (month + 1) * 100 + 1, -1)
  return addDays(last, -((weekday(last) - wd + 7) % 7))
}
