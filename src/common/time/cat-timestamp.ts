/**
 * CAT Timestamp fields: the Eastern-Time string form and the epoch-nanosecond number form, parsed to one
 * `bigint` of UTC nanoseconds. Parsing runs for every timestamp of every record, so it reads char codes by hand.
 */
import { daysInMonth } from './days-from-civil.ts'
import { etWallNs, utcNsToEtParts } from './eastern.ts'

/** Outcome of parsing a CAT Timestamp; `digits` is the fraction digits given (always 9 for the number form). */
export type TimestampParse =
  | { ok: true; ns: bigint; digits: number; form: 'string' | 'number' }
  | { ok: false; reason: string }

const MIN_YEAR = 1970
const MAX_YEAR = 2199
// Unsigned is uint64 in CAT; 20 digits alone would admit values above it.
const UINT64_MAX = '18446744073709551615'
const PAD = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1]

/**
 * Parse a CAT Timestamp. `isJsonNumber` says the lexeme was an unquoted JSON number; in CSV an all-digit text of
 * 10 or more characters is taken as the number form. Never throws and never goes through a JS number.
 */
export function parseCatTimestamp(text: string, isJsonNumber: boolean): TimestampParse {
  if (isJsonNumber) return parseEpochNs(text)
  // A string-form timestamp has its separator at index 8, so only all-digit texts reach the scan.
  if (text.length >= 10 && isDigit(text.charCodeAt(8)) && allDigits(text)) return parseEpochNs(text)
  return parseEtString(text)
}

function parseEpochNs(text: string): TimestampParse {
  const len = text.length
  if (len === 0) return fail('empty timestamp')
  if (!allDigits(text)) {
    const c = text.charCodeAt(0)
    if (c === 43 || c === 45) return fail('epoch nanoseconds must not have a sign')
    if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
      return fail('epoch nanoseconds must be a whole number without a decimal point or exponent')
    }
    return fail('epoch nanoseconds must contain only digits')
  }
  if (len > 1 && text.charCodeAt(0) === 48) return fail('epoch nanoseconds must not have leading zeros')
  if (len > 20 || (len === 20 && text > UINT64_MAX)) return fail('epoch nanoseconds exceed uint64')
  return { ok: true, ns: BigInt(text), digits: 9, form: 'number' }
}

function parseEtString(text: string): TimestampParse {
  const len = text.length
  if (len === 0) return fail('empty timestamp')
  if (len > 25) return fail('timestamp longer than 25 characters')
  const year = digitsAt(text, 0, 4)
  const month = digitsAt(text, 4, 2)
  const day = digitsAt(text, 6, 2)
  if (year < 0 || month < 0 || day < 0) return fail('date must be 8 digits YYYYMMDD')
  const sep = text.charCodeAt(8)
  if (sep !== 32 && sep !== 84) return fail("date and time must be separated by ' ' or 'T'")
  let end = 9
  while (end < len && isDigit(text.charCodeAt(end))) end++
  if (end - 9 !== 6) return fail('time must be exactly 6 digits HHMMSS')
  const hour = digitsAt(text, 9, 2)
  const minute = digitsAt(text, 11, 2)
  const second = digitsAt(text, 13, 2)
  let digits = 0
  let frac = 0
  if (len > 15) {
    if (text.charCodeAt(15) !== 46) return fail("time must be followed by '.' and the fraction, or nothing")
    digits = len - 16
    if (digits === 0) return fail("fraction missing after '.'")
    frac = digitsAt(text, 16, digits)
    if (frac < 0) return fail("fraction after '.' must be 1 to 9 digits")
  }
  if (year < MIN_YEAR || year > MAX_YEAR) return fail('year must be 1970-2199')
  if (month < 1 || month > 12) return fail('month must be 01-12')
  if (day < 1 || day > daysInMonth(year, month)) return fail('day does not exist in that month')
  if (hour > 23) return fail('hour must be 00-23')
  if (minute > 59) return fail('minute must be 00-59')
  if (second > 59) return fail('second must be 00-59')
  const ns = etWallNs(year, month, day, hour * 3600 + minute * 60 + second, frac * PAD[digits])
  return { ok: true, ns, digits, form: 'string' }
}

/**
 * Format UTC nanoseconds as a CAT Eastern-Time string, truncated (never rounded) to `digits` fraction digits.
 * An instant in the second (EST) run of the repeated fall-back hour prints the same wall time as the first.
 */
export function formatCatTimestamp(ns: bigint, digits = 9, sep: 'T' | ' ' = 'T'): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 9) throw new RangeError('digits must be 0-9')
  // Records come in time order, so consecutive calls mostly share their second: reuse its date and time,
  // and find the fraction by one subtraction rather than a division.
  let frac = ns - lastStart
  if (frac < 0n || frac >= NS || sep !== lastSep) {
    const second = ns >= 0n ? ns / NS : (ns - NS + 1n) / NS
    const p = utcNsToEtParts(second * NS)
    lastHead =
      pad(p.year * 10000 + p.month * 100 + p.day, 8) +
      sep +
      pad(p.hour * 10000 + p.minute * 100 + p.second, 6)
    lastStart = second * NS
    lastSep = sep
    frac = ns - lastStart
  }
  // 1e9 + fraction has ten digits: the first is dropped, the next `digits` are the truncated fraction.
  return digits === 0 ? lastHead : `${lastHead}.${String(1e9 + Number(frac)).slice(1, 1 + digits)}`
}

const NS = 1_000_000_000n
let lastStart = -1n << 64n
let lastSep = ''
let lastHead = ''

/**
 * CAT precision rule (error 2027): electronic events need at least milliseconds (3+ fraction digits, or the
 * number form); manual events need whole seconds, which every valid timestamp has.
 */
export function meetsPrecision(p: { digits: number; form: string }, manual: boolean): boolean {
  return manual || p.form === 'number' || p.digits >= 3
}

function fail(reason: string): TimestampParse {
  return { ok: false, reason }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false
  return true
}

/** Value of `count` decimal digits at `start`, or -1 if any is missing or not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1
  let v = 0
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
