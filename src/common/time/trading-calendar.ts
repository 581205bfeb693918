/**
 * Exchange trading calendars: which dates are trading days and which close early. A CAT Trading Day is defined
 * on top of this (trading-day.ts); the calendar itself knows nothing of CAT.
 */
import { dateFromDays, daysFromDate } from './days-from-civil.ts'

export { type CalendarParse, parseCalendarFile, serializeCalendar } from './calendar-file.ts'
export { nyseCalendar } from './nyse-calendar.ts'

/** Full-closure dates (YYYYMMDD) and early closes (YYYYMMDD → 'HH:MM' ET close) of the equity exchanges. */
export interface TradingCalendar {
  holidays: Set<number>
  earlyCloses: Map<number, string>
}

/** Whether a date is a trading day: a weekday that is not a holiday. */
export function isTradingDay(cal: TradingCalendar, date: number): boolean {
  return isTradingDayAt(cal, daysFromDate(date), date)
}

/** The n-th trading day strictly after `date` (n ≥ 1); `date` itself need not be a trading day. */
export function nextTradingDay(cal: TradingCalendar, date: number, n = 1): number {
  return stepTradingDays(cal, date, n, 1)
}

/** The n-th trading day strictly before `date` (n ≥ 1); `date` itself need not be a trading day. */
export function previousTradingDay(cal: TradingCalendar, date: number, n = 1): number {
  return stepTradingDays(cal, date, n, -1)
}

function stepTradingDays(cal: TradingCalendar, date: number, n: number, step: 1 | -1): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`)
  let days = daysFromDate(date)
  let d = date
  // Terminates: a finite holiday set cannot cover every weekday.
  while (n > 0) {
    days += step
    d = dateFromDays(days)
    if (isTradingDayAt(cal, days, d)) n--
  }
  return d
}

function isTradingDayAt(cal: TradingCalendar, days: number, date: number): boolean {
  const w = (((days + 4) % 7) + 7) % 7
  return w !== 0 && w !== 6 && !cal.holidays.has(date)
}
