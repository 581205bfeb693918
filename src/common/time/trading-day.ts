/**
 * The CAT Industry Member Trading Day and its deadlines. A Trading Day runs from just after 16:15:00 ET on one
 * trading date to exactly 16:15:00.000000000 ET on the next (15 minutes after an early close instead), and
 * events on weekends and holidays belong to the next one.
 */
import { etDateOf } from './cat-date.ts'
import { etWallToUtcNs } from './eastern.ts'
import { isTradingDay, nextTradingDay, type TradingCalendar } from './trading-calendar.ts'

/** The deadlines of one CAT Trading Day, as UTC nanoseconds. */
export interface CatDeadlines {
  /** T+1 08:00 ET: original submissions received after this are late. */
  submission: bigint
  /** T+3 08:00 ET: repairs of CAT errors and firm-initiated corrections. */
  repair: bigint
  /** T+4 08:00 ET: until then corrections replace the original; after it they are appended. */
  replaceUntil: bigint
}

const CUTOFF_AFTER_CLOSE_MIN = 15
const REGULAR_CUTOFF_MIN = 16 * 60 + 15
const DEADLINE_HOUR = 8

/** The CAT Trading Day (YYYYMMDD) an event at `ns` belongs to. */
export function catTradingDayOf(cal: TradingCalendar, ns: bigint): number {
  const date = etDateOf(ns)
  if (!isTradingDay(cal, date)) return nextTradingDay(cal, date)
  return ns <= cutoffOf(cal, date) ? date : nextTradingDay(cal, date)
}

/** The Trade Date (YYYYMMDD) of an instant: its ET date, or the next trading date on weekends and holidays. */
export function tradeDateOf(cal: TradingCalendar, ns: bigint): number {
  const date = etDateOf(ns)
  return isTradingDay(cal, date) ? date : nextTradingDay(cal, date)
}

/** The instant (UTC ns) a Trading Day ends: 16:15 ET, or 15 minutes after an early close. */
export function tradingDayEnd(cal: TradingCalendar, tradingDay: number): bigint {
  return cutoffOf(cal, tradingDay)
}

/** The deadlines of the records of an event date: those of that date, or of the next trading day when it is not one. */
export function eventDateDeadlines(cal: TradingCalendar, eventDate: number): CatDeadlines {
  return catDeadlines(cal, isTradingDay(cal, eventDate) ? eventDate : nextTradingDay(cal, eventDate))
}

/** Submission, repair and replacement deadlines of a Trading Day: T+1, T+3 and T+4 trading days at 08:00 ET. */
export function catDeadlines(cal: TradingCalendar, tradingDay: number): CatDeadlines {
  return {
    submission: at0800(nextTradingDay(cal, tradingDay, 1)),
    repair: at0800(nextTradingDay(cal, tradingDay, 3)),
    replaceUntil: at0800(nextTradingDay(cal, tradingDay, 4)),
  }
}

/** Whether a file received at `receivedNs` misses its deadline; arriving exactly at 08:00:00 ET is on time. */
export function isLate(
  cal: TradingCalendar,
  tradingDay: number,
  receivedNs: bigint,
  kind: 'submission' | 'repair',
): boolean {
  const d = catDeadlines(cal, tradingDay)
  return receivedNs > (kind === 'submission' ? d.submission : d.repair)
}

function cutoffOf(cal: TradingCalendar, date: number): bigint {
  const close = cal.earlyCloses.get(date)
  const minutes = close === undefined ? REGULAR_CUTOFF_MIN : closeMinutes(close) + CUTOFF_AFTER_CLOSE_MIN
  return wall(date, Math.floor(minutes / 60), minutes % 60)
}

/** Minutes after midnight of an 'HH:MM' close; a malformed one falls back to the regular 16:00. */
function closeMinutes(close: string): number {
  const h = Number(close.slice(0, 2))
  const m = Number(close.slice(3, 5))
  return Number.isInteger(h) && Number.isInteger(m) && close.length === 5 ? h * 60 + m : 16 * 60
}

function at0800(date: number): bigint {
  return wall(date, DEADLINE_HOUR, 0)
}

function wall(date: number, hour: number, minute: number): bigint {
  return etWallToUtcNs(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, hour, minute, 0, 0)
}
