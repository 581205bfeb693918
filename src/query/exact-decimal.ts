/**
 * Exact decimal arithmetic for amounts read from the store as scaled integers: the store's prices are
 * DECIMAL(18,8) and quantities DECIMAL(18,6), so a price × quantity needs 36 digits and a sum of them
 * more than the engine's widest decimal (38 digits). Sums are read as limbs of 10^18 units and joined here.
 */

/** 10^18: the limb size sums are split at (each limb fits a 64-bit integer, a sum of limbs a 128-bit one). */
export const LIMB = 1_000_000_000_000_000_000n

/** SQL giving the limbs `hi` and `lo` (base 10^18) of a non-negative or negative HUGEINT expression. */
export function limbsSql(expr: string, name: string): string {
  return `sum((${expr}) // ${LIMB}) AS ${name}_hi, sum((${expr}) % ${LIMB}) AS ${name}_lo`
}

/** Joins two limb sums (as the engine prints them) into one integer. */
export function joinLimbs(hi: unknown, lo: unknown): bigint {
  return BigInt(String(hi ?? 0)) * LIMB + BigInt(String(lo ?? 0))
}

/** `a / b` rounded to the nearest integer, halves away from zero. */
export function roundDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero')
  const neg = a < 0n !== b < 0n
  const x = a < 0n ? -a : a
  const y = b < 0n ? -b : b
  const q = (2n * x + y) / (2n * y)
  return neg ? -q : q
}

/** Writes `units` × 10^-scale as decimal text without trailing zeros ('12.5', '-0.00000001', '300'). */
export function formatScaled(units: bigint, scale: number): string {
  const neg = units < 0n
  const abs = neg ? -units : units
  const factor = 10n ** BigInt(scale)
  const whole = abs / factor
  const frac = (abs % factor).toString().padStart(scale, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`
}
