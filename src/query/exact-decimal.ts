/**
 * Exact decimal arithmetic for amounts read from the store as scaled integers: the store's prices are
 * DECIMAL(18,8) and quantities DECIMAL(18,6), so a price × quantity needs 36 digits and a sum of them
 * more than the engine's widest decimal (38 digits) or integer (HUGEINT, whose sums wrap around silently).
 * The engine takes each amount as a BIGINT of its smallest units and sums products split in two parts
 * that cannot wrap; the parts are joined here.
 */

/**
 * 10^9: a product sum's second factor is split at it, so that each part's product with a first factor
 * below 10^18 is below 10^27 and 1.7 × 10^11 of them still fit a HUGEINT sum.
 */
export const SPLIT = 1_000_000_000n

/**
 * SQL giving a DECIMAL(18, `scale`) expression (a column) as the BIGINT count of its 10^-scale units,
 * exactly: its whole part and its fraction taken apart, each scaled within 18 digits, because the engine
 * multiplies an 18-digit decimal in 64 bits (it fails past them) and casts a wider one to an integer by
 * dividing in 128 bits, about 30 times as slow.
 */
export function unitsSql(value: string, scale: number): string {
  const unit = 10n ** BigInt(scale)
  return `(trunc(${value})::BIGINT * ${unit} + ((${value} - trunc(${value})) * ${unit})::BIGINT)`
}

/**
 * SQL giving the sum of `a × b` (two BIGINT expressions, |a| < 10^18) as two HUGEINT sums `name_hi` and
 * `name_lo`, of `a` times `b`'s quotient and remainder by `SPLIT` (`joinSplitSums` joins them).
 */
export function productSumSql(a: string, b: string, name: string): string {
  return `sum((${a})::HUGEINT * ((${b}) // ${SPLIT})) AS ${name}_hi, sum((${a})::HUGEINT * ((${b}) % ${SPLIT})) AS ${name}_lo`
}

/** Joins the two sums of `productSumSql` (as the engine gives them) into one integer. */
export function joinSplitSums(hi: unknown, lo: unknown): bigint {
  return BigInt(String(hi ?? 0)) * SPLIT + BigInt(String(lo ?? 0))
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
