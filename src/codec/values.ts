/**
 * The typed values a decoded record holds. Numbers stay exact: decimals keep the text they were given,
 * timestamps are nanoseconds since the epoch, never a JS `number`.
 */

/** A CAT Timestamp: UTC nanoseconds, plus how it was written (fraction digits, string or number form). */
export interface Timestamp {
  readonly ns: bigint
  /** Fraction digits given: 0-9 for the string form, 9 for the number form. */
  readonly digits: number
  readonly form: 'string' | 'number'
}

/** A single value: text, boolean, exact decimal text, date (YYYYMMDD number) or timestamp. */
export type Scalar = string | boolean | number | Timestamp

/** Name/value pairs (timeInForce, handlingInstructions); a bare name has the value `true`. */
export type NameValues = { [name: string]: Scalar }

/** One element of a multi-dimensional array (aggregated orders, side details). */
export type Element = { [field: string]: Scalar }

/** Any field value. */
export type Value = Scalar | NameValues | string[] | Element[]

/** A record's values by field name; fields that were absent (or invalid) are not present. */
export type Values = { [field: string]: Value }

/** A problem with one field (or the whole record when `field` is undefined), with its CAT code. */
export interface FieldFinding {
  readonly code: number
  readonly field?: string
  readonly message: string
}

/** What decoding one line gives. */
export interface DecodedRecord {
  /** The event type when recognised. */
  readonly type?: string
  /** The actionType when valid. */
  readonly action?: 'NEW' | 'COR' | 'RPR' | 'DEL'
  readonly values: Values
  readonly findings: FieldFinding[]
}

/** True for a Timestamp value. */
export function isTimestamp(v: unknown): v is Timestamp {
  return typeof v === 'object' && v !== null && typeof (v as Timestamp).ns === 'bigint'
}
