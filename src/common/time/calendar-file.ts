/**
 * The trading calendar file, version 1:
 *   {"version":1,"holidays":["2026-01-01",...],"earlyCloses":{"2026-11-27":"13:00",...}}
 * `holidays` lists full-closure weekdays; `earlyCloses` (optional) maps a weekday to its ET close 'HH:MM',
 * which must be before the regular 16:00 close. Dates are ISO 'YYYY-MM-DD'.
 */
import { dateToIso, isoToDate, weekday } from './cat-date.ts'
import type { TradingCalendar } from './trading-calendar.ts'

/** Outcome of reading a calendar file: the calendar, or every problem found (never an exception). */
export type CalendarParse = { ok: true; calendar: TradingCalendar } | { ok: false; errors: string[] }

const KEYS = new Set(['version', 'holidays', 'earlyCloses'])
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Validate a parsed calendar file (the result of JSON.parse) and build the calendar; reports all errors. */
export function parseCalendarFile(json: unknown): CalendarParse {
  try {
    return parseChecked(json)
  } catch (e) {
    // Only exotic inputs (throwing getters, proxies) get here; JSON.parse output never does.
    return {
      ok: false,
      errors: [`calendar file could not be read: ${e instanceof Error ? e.message : String(e)}`],
    }
  }
}

function parseChecked(json: unknown): CalendarParse {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: ['calendar file must be a JSON object {"version":1,"holidays":[...]}'] }
  }
  const file = json as Record<string, unknown>
  const errors: string[] = []
  for (const key of Object.keys(file)) {
    if (!KEYS.has(key)) errors.push(`unknown key "${key}" (expected version, holidays, earlyCloses)`)
  }
  if (file.version !== 1) errors.push(`version must be 1, got ${describe(file.version)}`)

  const holidays = new Set<number>()
  if (!Array.isArray(file.holidays)) {
    errors.push(`holidays must be an array of "YYYY-MM-DD" strings, got ${describe(file.holidays)}`)
  } else {
    for (let i = 0; i < file.holidays.length; i++) {
      const entry: unknown = file.holidays[i]
      const where = `holidays[${i}]`
      const date = typeof entry === 'string' ? isoToDate(entry) : null
      const weekend = date === null ? null : weekendProblem(date)
      if (date === null) errors.push(`${where}: ${describe(entry)} is not a valid "YYYY-MM-DD" date`)
      else if (weekend) errors.push(`${where}: ${weekend}; list the weekday on which the exchanges close`)
      else if (holidays.has(date)) errors.push(`${where}: ${entry} is listed more than once`)
      else holidays.add(date)
    }
  }

  const earlyCloses = new Map<number, string>()
  const early = file.earlyCloses
  if (early !== undefined && (typeof early !== 'object' || early === null || Array.isArray(early))) {
    errors.push(`earlyCloses must be an object mapping "YYYY-MM-DD" to "HH:MM", got ${describe(early)}`)
  } else if (early !== undefined) {
    for (const [key, value] of Object.entries(early as Record<string, unknown>)) {
      const where = `earlyCloses["${key}"]`
      const date = isoToDate(key)
      if (date === null) {
        errors.push(`${where}: key is not a valid "YYYY-MM-DD" date`)
        continue
      }
      const weekend = weekendProblem(date)
      if (weekend) errors.push(`${where}: ${weekend}, when the exchanges are closed anyway`)
      else if (holidays.has(date)) errors.push(`${where}: ${key} is also listed as a holiday`)
      if (typeof value !== 'string' || !validEarlyClose(value)) {
        errors.push(`${where}: ${describe(value)} is not a close time "HH:MM" before 16:00`)
        continue
      }
      earlyCloses.set(date, value)
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, calendar: { holidays, earlyCloses } }
}

/** Write a calendar in the version-1 file layout (sorted, pretty-printed, trailing newline). */
export function serializeCalendar(cal: TradingCalendar): string {
  const holidays = [...cal.holidays].sort((a, b) => a - b).map(dateToIso)
  const earlyCloses: Record<string, string> = {}
  for (const date of [...cal.earlyCloses.keys()].sort((a, b) => a - b)) {
    earlyCloses[dateToIso(date)] = cal.earlyCloses.get(date)!
  }
  return JSON.stringify({ version: 1, holidays, earlyCloses }, null, 2) + '\n'
}

function weekendProblem(date: number): string | null {
  const w = weekday(date)
  return w === 0 || w === 6 ? `${dateToIso(date)} is a ${DAY_NAMES[w]}` : null
}

/** 'HH:MM' with a real time of day before the regular 16:00 close. */
function validEarlyClose(text: string): boolean {
  if (text.length !== 5 || text.charCodeAt(2) !== 58) return false
  const h = twoDigits(text, 0)
  const m = twoDigits(text, 3)
  return h >= 0 && h < 16 && m >= 0 && m < 60
}

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48
  const b = text.charCodeAt(at + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    // BigInts and cycles cannot be shown as JSON; the type is enough to point at the mistake.
  }
  if (text === undefined) return typeof value === 'object' ? 'an object' : `a ${typeof value}`
  return text.length > 40 ? text.slice(0, 37) + '...' : text
}
