/**
 * Values as people read them, one way for the portal and the command line: prices and quantities exact
 * without trailing zeros, CAT dates as ISO dates, instants in Eastern Time with the zone (EST or EDT) shown.
 * Pure functions on text and integers (no Node API), so a browser bundle can import them as they are.
 */
import { formatPrice, formatQuantity } from '../book/price.ts'
import { etOffsetMinutes, utcNsToEtParts } from '../common/time/eastern.ts'

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * Exact decimal text without trailing zeros and without a dot for whole numbers ('100.000000' → '100',
 * '22.50000000' → '22.5'); anything that is not a plain decimal is returned as it is.
 * @example formatDecimal('0.00010000') // '0.0001'
 */
export function formatDecimal(text: string): string {
  const m = DECIMAL.exec(text.trim())
  if (!m) return text
  const whole = m[2].replace(/^0+(?=\d)/, '')
  const frac = (m[3] ?? '').replace(/0+$/, '')
  const zero = /^0+$/.test(whole) && frac === ''
  return `${m[1] === '-' && !zero ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`
}

/** Groups the whole part of exact decimal text in thousands ('1234567.5' → '1,234,567.5'). */
export function groupThousands(text: string): string {
  const m = DECIMAL.exec(text)
  if (!m) return text
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${m[1]}${whole}${m[3] === undefined ? '' : `.${m[3]}`}`
}

/**
 * A price for people: exact, no trailing zeros, thousands grouped ('22.50000000' → '22.5',
 * '1250.00000000' → '1,250', '0.0001' stays); null or undefined gives '—'. A bigint is read as 1e-8 dollars.
 */
export function formatPriceText(value: string | bigint | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return groupThousands(formatDecimal(typeof value === 'bigint' ? formatPrice(value) : value))
}

/**
 * A quantity for people: exact, no trailing zeros, thousands grouped ('1200.000000' → '1,200',
 * '0.500000' → '0.5'); null or undefined gives '—'. A bigint is read as 1e-6 shares.
 */
export function formatQuantityText(value: string | bigint | number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return groupThousands(formatDecimal(String(value)))
  return groupThousands(formatDecimal(typeof value === 'bigint' ? formatQuantity(value) : value))
}

/** A CAT date (YYYYMMDD, as a number or text) as an ISO date: 20261203 → '2026-12-03'. */
export function formatCatDate(date: number | string): string {
  const s = String(date)
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s
}

/** The Eastern Time zone in force at an instant: 'EDT' or 'EST'. */
export function easternZone(ns: bigint): 'EDT' | 'EST' {
  return etOffsetMinutes(ns) === -240 ? 'EDT' : 'EST'
}

/**
 * An instant (UTC nanoseconds, as a bigint or decimal text) in Eastern Time with its zone:
 * '2026-03-02 09:30:00.123456789 EST'; `digits` fraction digits are kept (truncated, never rounded).
 */
export function formatEtInstant(ns: bigint | string, digits = 9): string {
  const t = typeof ns === 'bigint' ? ns : BigInt(ns)
  return `${formatCatDate(etDateNumber(t))} ${formatEtClock(t, digits)} ${easternZone(t)}`
}

/** The Eastern wall-clock time of day of an instant: '09:30:00.123456789' (`digits` fraction digits). */
export function formatEtClock(ns: bigint | string, digits = 9): string {
  const p = utcNsToEtParts(typeof ns === 'bigint' ? ns : BigInt(ns))
  const two = (n: number) => String(n).padStart(2, '0')
  const frac = digits > 0 ? `.${String(p.nanos).padStart(9, '0').slice(0, digits)}` : ''
  return `${two(p.hour)}:${two(p.minute)}:${two(p.second)}${frac}`
}

/**
 * An instant as ISO 8601 with the Eastern offset, for machines that want the zone in the value:
 * '2026-03-02T09:30:00.123456789-05:00'.
 */
export function formatEtIso(ns: bigint | string, digits = 9): string {
  const t = typeof ns === 'bigint' ? ns : BigInt(ns)
  const offset = etOffsetMinutes(t)
  const hours = String(Math.abs(offset) / 60).padStart(2, '0')
  return `${formatCatDate(etDateNumber(t))}T${formatEtClock(t, digits)}${offset < 0 ? '-' : '+'}${hours}:00`
}

function etDateNumber(ns: bigint): number {
  const p = utcNsToEtParts(ns)
  return p.year * 10000 + p.month * 100 + p.day
}
