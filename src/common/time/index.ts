/** Public API of CAT time handling: ET timestamps as UTC nanoseconds, dates, calendars and the Trading Day. */

export { type CalendarParse, parseCalendarFile, serializeCalendar } from './calendar-file.ts'
export {
  addDays,
  dateToIso,
  daysBetween,
  etDateOf,
  isoToDate,
  parseCatDate,
  validDate,
  weekday,
} from './cat-date.ts'
export {
  formatCatTimestamp,
  meetsPrecision,
  parseCatTimestamp,
  type TimestampParse,
} from './cat-timestamp.ts'
export { type DstTransitions, dstTransitions } from './dst-transitions.ts'
export { easterSunday } from './easter-sunday.ts'
export { type EtParts, etOffsetMinutes, etWallToUtcNs, utcNsToEtParts } from './eastern.ts'
export { nyseCalendar } from './nyse-calendar.ts'
export { isTradingDay, nextTradingDay, previousTradingDay, type TradingCalendar } from './trading-calendar.ts'
export {
  type CatDeadlines,
  catDeadlines,
  catTradingDayOf,
  eventDateDeadlines,
  isLate,
  tradeDateOf,
  tradingDayEnd,
} from './trading-day.ts'
