/**
 * The book's exact amounts, to and from CAT decimal text: prices as integers of 1e-8 dollars (CAT Price is
 * Numeric(18,8)) and quantities as integers of 1e-6 shares (Real Quantity is Numeric(18,6)), both bigint, so
 * every value of the spec's ranges (and any sum of them) is held exactly.
 */

/** 1e-8 dollars per unit: `PRICE_SCALE` units make one dollar. */
export const PRICE_SCALE = 100_000_000n

/** 1e-6 shares per unit: `QUANTITY_SCALE` units make one share. */
export const QUANTITY_SCALE = 1_000_000n

const PRICE_TEXT = /^(-?)(\d+)(?:\.(\d{1,8}))?$/
const QUANTITY_TEXT = /^(\d+)(?:\.(\d{1,6}))?$/

/** Parses CAT decimal text (`'223.82'`, `'-0.5'`) into 1e-8 dollars; undefined when it is not one. */
export function parsePrice(text: string): bigint | undefined {
  const m = PRICE_TEXT.exec(text)
  if (m === null) return undefined
  const units = BigInt(m[2]) * PRICE_SCALE + BigInt(((m[3] ?? '') + '00000000').slice(0, 8))
  return m[1] === '-' ? -units : units
}

/** Writes 1e-8 dollars as canonical CAT decimal text: no trailing zeros, no dot for whole dollars. */
export function formatPrice(price: bigint): string {
  return decimalText(price, PRICE_SCALE, 8)
}

/**
 * Parses CAT quantity text (`'100'`, `'0.5'`, trailing zeros tolerated) into 1e-6 shares; undefined when it is
 * not a non-negative decimal of at most 6 places.
 */
export function parseQuantity(text: string): bigint | undefined {
  const m = QUANTITY_TEXT.exec(text)
  if (m === null) return undefined
  return BigInt(m[1]) * QUANTITY_SCALE + BigInt(((m[2] ?? '') + '000000').slice(0, 6))
}

/** Writes 1e-6 shares as CAT quantity text (no exponent, no trailing zeros, no dot for whole shares). */
export function formatQuantity(units: bigint): string {
  return decimalText(units, QUANTITY_SCALE, 6)
}

/** Whole shares as 1e-6 share units (LOBSTER sizes, counts of shares). */
export function shares(n: number): bigint {
  return BigInt(n) * QUANTITY_SCALE
}

function decimalText(units: bigint, scale: bigint, places: number): string {
  const neg = units < 0n
  const abs = neg ? -units : units
  const whole = abs / scale
  const frac = abs % scale
  const sign = neg ? '-' : ''
  if (frac === 0n) return `${sign}${whole}`
  return `${sign}${whole}.${frac.toString().padStart(places, '0').replace(/0+$/, '')}`
}
