/**
 * Converts one field's raw text (CSV) or JSON token into its typed value, checking the CAT data type:
 * lengths, character sets, choice lists, exact numbers, dates and timestamps. Returns an `Invalid` with a
 * reason instead of throwing; the caller turns it into a finding with the field's code.
 */
import type { Catalogue, DataType } from '../catalogue/index.ts'
import { STRING_LIMITS } from '../catalogue/index.ts'
import { parseCatDate } from '../common/time/cat-date.ts'
import { parseCatTimestamp } from '../common/time/cat-timestamp.ts'
import { checkDecimalText, type NumericKind, stripLeadingZeros } from './decimal-text.ts'
import type { Scalar } from './values.ts'

/** Why a value was refused; `code` overrides the field's own code (2136 for bad characters, 2156 reserved). */
export class Invalid {
  constructor(
    readonly reason: string,
    readonly code?: number,
  ) {}
}

/** CAT's code for a delimiter or non-printable character inside a value. */
export const BAD_CHARACTER = 2136
/** CAT's code for a populated reserved field. */
export const RESERVED_POPULATED = 2156

const IMID = /^[0-9]{1,9}:[A-Za-z0-9]{1,7}$/

/** True for characters CAT Text allows: printable ASCII except `,` `|` `"` `@`. */
function textCharOk(c: number): boolean {
  return c >= 32 && c <= 126 && c !== 44 && c !== 124 && c !== 34 && c !== 64
}

function checkText(s: string, max: number): Invalid | undefined {
  for (let i = 0; i < s.length; i++) {
    if (!textCharOk(s.charCodeAt(i)))
      return new Invalid(`character ${JSON.stringify(s[i])} is not allowed`, BAD_CHARACTER)
  }
  if (s.length > max) return new Invalid(`longer than ${max} characters`)
  return undefined
}

function checkAlphanumeric(s: string, max: number): Invalid | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    if (!ok) {
      return textCharOk(c) || c === 32
        ? new Invalid(`must be letters and digits only`)
        : new Invalid(`character ${JSON.stringify(s[i])} is not allowed`, BAD_CHARACTER)
    }
  }
  if (s.length > max) return new Invalid(`longer than ${max} characters`)
  return undefined
}

/**
 * Checks a string-typed value (text, choices, identifiers). Returns the value itself when valid.
 * Empty strings are refused here: an absent value is not an empty one.
 */
export function convertString(s: string, type: DataType, cat: Catalogue): Scalar | Invalid {
  if (s.length === 0) return new Invalid('empty value')
  let bad: Invalid | undefined
  switch (type.kind) {
    case 'text':
      bad = checkText(s, type.max)
      break
    case 'alphanumeric':
      bad = checkAlphanumeric(s, type.max)
      break
    case 'symbol':
      bad = checkText(s, STRING_LIMITS.symbol)
      break
    case 'messageType':
      bad = checkAlphanumeric(s, STRING_LIMITS.messageType)
      break
    case 'reporterIMID':
      bad = checkAlphanumeric(s, STRING_LIMITS.reporterIMID)
      break
    case 'imid':
      bad =
        checkText(s, STRING_LIMITS.imid) ??
        (IMID.test(s) ? undefined : new Invalid('must be CRD:IMID, e.g. 123:ABCD'))
      break
    case 'exchangeID':
      bad = cat.choices.get('exchangeID')!.has(s) ? undefined : new Invalid('not a known Exchange ID')
      break
    case 'imidOrExchange':
      bad = cat.choices.get('exchangeID')!.has(s)
        ? undefined
        : (checkText(s, STRING_LIMITS.imid) ??
          (IMID.test(s) ? undefined : new Invalid('must be CRD:IMID or an Exchange ID')))
      break
    case 'choice': {
      const list = cat.choices.get(type.list)
      bad = list?.has(s)
        ? undefined
        : (checkText(s, 64) ?? new Invalid(`not one of the allowed ${type.list} values`))
      break
    }
    case 'reserved':
      return new Invalid('reserved field must be blank', RESERVED_POPULATED)
    default:
      return new Invalid('must not be a string')
  }
  return bad ?? s
}

/** Converts CSV text of any scalar type (the text is already trimmed and non-empty). */
export function convertCsvScalar(text: string, type: DataType, cat: Catalogue): Scalar | Invalid {
  switch (type.kind) {
    case 'price':
    case 'realQuantity':
    case 'wholeQuantity':
    case 'integer':
    case 'unsigned': {
      const bad = checkDecimalText(text, type.kind as NumericKind, true)
      return bad ? new Invalid(bad) : stripLeadingZeros(text)
    }
    case 'boolean':
      if (text === 'true') return true
      if (text === 'false') return false
      return new Invalid('must be true or false')
    case 'date': {
      const d = parseCatDate(text)
      return d === null ? new Invalid('must be a date YYYYMMDD') : d
    }
    case 'timestamp':
      return convertTimestamp(text, false)
    default:
      return convertString(text, type, cat)
  }
}

/** Converts a JSON number token (raw text) for a field of the given type. */
export function convertJsonNumber(raw: string, type: DataType): Scalar | Invalid {
  switch (type.kind) {
    case 'price':
    case 'realQuantity':
    case 'wholeQuantity':
    case 'integer':
    case 'unsigned': {
      const bad = checkDecimalText(raw, type.kind as NumericKind, false)
      return bad ? new Invalid(bad) : raw
    }
    case 'date': {
      const d = parseCatDate(raw)
      return d === null ? new Invalid('must be a date YYYYMMDD') : d
    }
    case 'timestamp':
      return convertTimestamp(raw, true)
    default:
      return new Invalid('must not be a number')
  }
}

/** Converts a JSON string token for a field of the given type. */
export function convertJsonString(s: string, type: DataType, cat: Catalogue): Scalar | Invalid {
  if (type.kind === 'timestamp') return convertTimestamp(s, false)
  return convertString(s, type, cat)
}

/** Converts a JSON boolean for a field of the given type. */
export function convertJsonBoolean(b: boolean, type: DataType): Scalar | Invalid {
  return type.kind === 'boolean' ? b : new Invalid('must not be a boolean')
}

function convertTimestamp(text: string, isJsonNumber: boolean): Scalar | Invalid {
  const t = parseCatTimestamp(text, isJsonNumber)
  return t.ok ? { ns: t.ns, digits: t.digits, form: t.form } : new Invalid(t.reason)
}
