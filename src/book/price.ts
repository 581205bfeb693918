/**
 * Prices as exact integers of 1e-8 dollars (CAT Price has at most 8 decimals), to and from CAT decimal text.
 * The book keys its levels by the same integer as a double, exact up to 2^53 (about $90 million a share).
 */

/** 1e-8 dollars per unit: `PRICE_SCALE` units make one dollar. */
export const PRICE_SCALE = 100_000_000n

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,8}))?$/

/** Parses CAT decimal text (`'223.82'`, `'-0.5'`) into 1e-8 dollars; undefined when it is not one. */
export function parsePrice(text: string): bigint | undefined {
  const m = DECIMAL.exec(text)
  if (m === null) return undefined
  const units = BigInt(m[2]) * PRICE_SCALE + BigInt(((m[3] ?? '') + '00000000').slice(0, 8))
  return m[1] === '-' ? -units : units
}

/** Writes 1e-8 dollars as canonical CAT decimal text: no trailing zeros, no dot for whole dollars. */
export function formatPrice(price: bigint): string {
  const neg = price < 0n
  const abs = neg ? -price : price
  const whole = abs / PRICE_SCALE
  const frac = abs % PRICE_SCALE
  const sign = neg ? '-' : ''
  if (frac === 0n) return `${sign}${whole}`
  return `${sign}${whole}.${frac.toString().padStart(8, '0').replace(/0+$/, '')}`
}

/** Parses CAT quantity text into shares (a double: exact for whole shares, approximate for fractions). */
export function parseQuantity(text: string): number | undefined {
  if (!/^\d+(?:\.\d+)?$/.test(text)) return undefined
  return Number(text)
}

/** Writes shares as CAT quantity text (no exponent, no trailing zeros). */
export function formatQuantity(shares: number): string {
  if (Number.isInteger(shares)) return shares.toFixed(0)
  return shares.toFixed(6).replace(/0+$/, '')
}
