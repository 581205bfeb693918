/**
 * Checks CAT numeric text exactly, on the characters as written: Numeric(p,s) limits, a leading digit,
 * no trailing dot, no exponent, and Real Quantity's "no trailing zeros in the fraction".
 */
import { NUMERIC_LIMITS } from '../catalogue/index.ts'

export type NumericKind = keyof typeof NUMERIC_LIMITS

const SIGNED: ReadonlySet<NumericKind> = new Set(['price', 'integer'])
const UINT64_MAX = '18446744073709551615'
const INT64_MAX = '9223372036854775807'

/**
 * Returns undefined when `text` is a valid value of the numeric type, else the reason. `leadingZeros`
 * admits CSV's zero padding (CAT strips it); JSON numbers may not have them.
 */
export function checkDecimalText(text: string, kind: NumericKind, leadingZeros: boolean): string | undefined {
  const limits = NUMERIC_LIMITS[kind]
  let i = 0
  const n = text.length
  if (n === 0) return 'empty number'
  if (text.charCodeAt(0) === 45) {
    if (!SIGNED.has(kind)) return 'must not be negative'
    i = 1
  }
  const intStart = i
  while (i < n && isDigit(text.charCodeAt(i))) i++
  let intDigits = i - intStart
  if (intDigits === 0) return 'needs a digit before the decimal point'
  if (!leadingZeros && intDigits > 1 && text.charCodeAt(intStart) === 48) return 'has a leading zero'
  // Zero padding carries no digits of the value.
  let firstSignificant = intStart
  while (firstSignificant < i - 1 && text.charCodeAt(firstSignificant) === 48) firstSignificant++
  intDigits = i - firstSignificant
  if (i === n) {
    if (intDigits > limits.int) return `more than ${limits.int} digits`
    return checkRange(text.slice(firstSignificant, i), kind)
  }
  if (text.charCodeAt(i) !== 46)
    return text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69 ? 'exponent not allowed' : 'not a number'
  if (limits.frac === 0) return 'must be a whole number'
  i++
  const fracStart = i
  while (i < n && isDigit(text.charCodeAt(i))) i++
  if (i !== n) return 'not a number'
  const fracDigits = i - fracStart
  if (fracDigits === 0) return 'ends with a decimal point'
  if (intDigits > limits.int) return `more than ${limits.int} digits before the decimal point`
  if (fracDigits > limits.frac) return `more than ${limits.frac} digits after the decimal point`
  if (kind === 'realQuantity' && text.charCodeAt(n - 1) === 48)
    return 'trailing zeros after the decimal point'
  return undefined
}

function checkRange(digits: string, kind: NumericKind): string | undefined {
  if (kind === 'unsigned' && digits.length === 20 && digits > UINT64_MAX)
    return 'above the unsigned 64-bit range'
  if (kind === 'integer' && digits.length === 19 && digits > INT64_MAX)
    return 'outside the 64-bit integer range'
  return undefined
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Strips CSV zero padding so the stored text is canonical (`007` → `7`, `-00.5` → `-0.5`). */
export function stripLeadingZeros(text: string): string {
  const neg = text.charCodeAt(0) === 45
  let i = neg ? 1 : 0
  while (i < text.length - 1 && text.charCodeAt(i) === 48 && isDigit(text.charCodeAt(i + 1))) i++
  if (i === (neg ? 1 : 0)) return text
  return (neg ? '-' : '') + text.slice(i)
}
