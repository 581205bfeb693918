/**
 * The catalogue compiled for decoding: per event layout, one converter per field, specialised once for its
 * data type (choice set, length, numeric limits), plus the positions of Required and Boolean fields. The
 * decoders run these plans record after record instead of interpreting the catalogue each time.
 */
import type { Catalogue, DataType, EventField, EventSpec } from '../catalogue/index.ts'
import { STRING_LIMITS } from '../catalogue/index.ts'
import { parseCatDate } from '../common/time/cat-date.ts'
import { parseCatTimestamp } from '../common/time/cat-timestamp.ts'
import { checkDecimalText, type NumericKind, stripLeadingZeros } from './decimal-text.ts'
import { BAD_CHARACTER, Invalid, RESERVED_POPULATED } from './scalar.ts'
import type { Scalar } from './values.ts'

/** Converters for one scalar data type. */
export interface ScalarPlan {
  /** From a JSON string token (also CSV text of string types). */
  readonly fromString: (s: string) => Scalar | Invalid
  /** From a JSON number token's exact text. */
  readonly fromNumber: (raw: string) => Scalar | Invalid
  /** From a JSON boolean. */
  readonly fromBoolean: (b: boolean) => Scalar | Invalid
  /** From CSV text (trimmed, non-empty). */
  readonly fromCsv: (text: string) => Scalar | Invalid
}

/** One field of a layout, ready to decode. */
export interface FieldPlan {
  readonly index: number
  readonly field: EventField
  readonly scalar: ScalarPlan
}

/** One layout, ready to decode. */
export interface EventPlan {
  readonly event: EventSpec
  readonly fields: readonly FieldPlan[]
  readonly byName: ReadonlyMap<string, FieldPlan>
  readonly required: readonly number[]
  readonly booleans: readonly number[]
  readonly hasReserved: boolean
}

// CAT Text: printable ASCII except , | " @
const TEXT = /^[\x20\x21\x23-\x2b\x2d-\x3f\x41-\x7b\x7d\x7e]+$/
const ALNUM = /^[A-Za-z0-9]+$/
const IMID = /^[0-9]{1,9}:[A-Za-z0-9]{1,7}$/
const NUMERIC = new Set(['price', 'realQuantity', 'wholeQuantity', 'integer', 'unsigned'])

function textFailure(s: string, max: number): Invalid {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c > 126 || c === 44 || c === 124 || c === 34 || c === 64) {
      return new Invalid(`character ${JSON.stringify(s[i])} is not allowed`, BAD_CHARACTER)
    }
  }
  return new Invalid(s.length === 0 ? 'empty value' : `longer than ${max} characters`)
}

function text(max: number): (s: string) => Scalar | Invalid {
  return (s) => (s.length <= max && TEXT.test(s) ? s : textFailure(s, max))
}

function alphanumeric(max: number): (s: string) => Scalar | Invalid {
  return (s) => {
    if (s.length <= max && ALNUM.test(s)) return s
    if (s.length > 0 && !TEXT.test(s) && !/^[\x20-\x7e]+$/.test(s)) return textFailure(s, max)
    return new Invalid(
      s.length === 0
        ? 'empty value'
        : s.length > max
          ? `longer than ${max} characters`
          : 'must be letters and digits only',
    )
  }
}

function timestamp(isNumber: boolean): (t: string) => Scalar | Invalid {
  return (t) => {
    const p = parseCatTimestamp(t, isNumber)
    return p.ok ? { ns: p.ns, digits: p.digits, form: p.form } : new Invalid(p.reason)
  }
}

const refuse = (why: string) => () => new Invalid(why)

/** Compiles the converters of a scalar data type. */
export function compileScalar(type: DataType, cat: Catalogue): ScalarPlan {
  const notString = refuse('must not be a string')
  const notNumber = refuse('must not be a number')
  const notBoolean = refuse('must not be a boolean')
  if (NUMERIC.has(type.kind)) {
    const kind = type.kind as NumericKind
    return {
      fromString: notString,
      fromNumber: (raw) => {
        const bad = checkDecimalText(raw, kind, false)
        return bad ? new Invalid(bad) : raw
      },
      fromBoolean: notBoolean,
      fromCsv: (t) => {
        const bad = checkDecimalText(t, kind, true)
        return bad ? new Invalid(bad) : stripLeadingZeros(t)
      },
    }
  }
  switch (type.kind) {
    case 'boolean':
      return {
        fromString: notString,
        fromNumber: notNumber,
        fromBoolean: (b) => b,
        fromCsv: (t) => (t === 'true' ? true : t === 'false' ? false : new Invalid('must be true or false')),
      }
    case 'date': {
      const date = (t: string) => parseCatDate(t) ?? new Invalid('must be a date YYYYMMDD')
      return { fromString: notString, fromNumber: date, fromBoolean: notBoolean, fromCsv: date }
    }
    case 'timestamp': {
      const str = timestamp(false)
      return { fromString: str, fromNumber: timestamp(true), fromBoolean: notBoolean, fromCsv: str }
    }
    case 'reserved': {
      const bad = () => new Invalid('reserved field must be blank', RESERVED_POPULATED)
      return { fromString: bad, fromNumber: bad, fromBoolean: bad, fromCsv: bad }
    }
    default: {
      const check = stringCheck(type, cat)
      return { fromString: check, fromNumber: notNumber, fromBoolean: notBoolean, fromCsv: check }
    }
  }
}

function stringCheck(type: DataType, cat: Catalogue): (s: string) => Scalar | Invalid {
  const exchanges = cat.choices.get('exchangeID')!
  switch (type.kind) {
    case 'text':
      return text(type.max)
    case 'alphanumeric':
      return alphanumeric(type.max)
    case 'symbol':
      return text(STRING_LIMITS.symbol)
    case 'messageType':
      return alphanumeric(STRING_LIMITS.messageType)
    case 'reporterIMID':
      return alphanumeric(STRING_LIMITS.reporterIMID)
    case 'imid': {
      const t = text(STRING_LIMITS.imid)
      return (s) => {
        const v = t(s)
        return v instanceof Invalid || IMID.test(s) ? v : new Invalid('must be CRD:IMID, e.g. 123:ABCD')
      }
    }
    case 'exchangeID':
      return (s) => (exchanges.has(s) ? s : new Invalid('not a known Exchange ID'))
    case 'imidOrExchange': {
      const t = text(STRING_LIMITS.imid)
      return (s) => {
        if (exchanges.has(s)) return s
        const v = t(s)
        return v instanceof Invalid || IMID.test(s) ? v : new Invalid('must be CRD:IMID or an Exchange ID')
      }
    }
    case 'choice': {
      const list = cat.choices.get(type.list) ?? new Set<string>()
      const t = text(64)
      return (s) => {
        if (list.has(s)) return s
        const v = t(s)
        return v instanceof Invalid ? v : new Invalid(`not one of the allowed ${type.list} values`)
      }
    }
    default:
      return refuse('must not be a string')
  }
}

const plans = new WeakMap<Catalogue, Map<string, EventPlan>>()

/** The compiled plan of an event layout (built once per catalogue and type). */
export function eventPlan(cat: Catalogue, event: EventSpec): EventPlan {
  let byCat = plans.get(cat)
  if (!byCat) {
    byCat = new Map()
    plans.set(cat, byCat)
  }
  let plan = byCat.get(event.type)
  if (plan) return plan
  const fields = event.fields.map((field, index) => ({
    index,
    field,
    scalar: compileScalar(field.spec.type, cat),
  }))
  plan = {
    event,
    fields,
    byName: new Map(
      fields.filter((f) => f.field.name !== 'reservedForFutureUse').map((f) => [f.field.name, f]),
    ),
    required: fields
      .filter((f) => f.field.include === 'R' && f.field.spec.type.kind !== 'boolean')
      .map((f) => f.index),
    booleans: fields.filter((f) => f.field.spec.type.kind === 'boolean').map((f) => f.index),
    hasReserved: fields.some((f) => f.field.name === 'reservedForFutureUse'),
  }
  byCat.set(event.type, plan)
  return plan
}
