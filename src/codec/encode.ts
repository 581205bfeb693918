/**
 * Encodes typed values as a JSON record line or a positional CSV line, in catalogue order. Conditional and
 * optional fields without a value are left out (JSON) or blank (CSV); false Booleans are written only for
 * Required fields, since an absent Boolean means false.
 */
import type { Catalogue, EventField, EventSpec } from '../catalogue/index.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import type { Element, NameValues, Scalar, Value, Values } from './values.ts'

function scalarText(v: Scalar): string {
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return String(v)
  return v.form === 'number' ? v.ns.toString() : formatCatTimestamp(v.ns, v.digits)
}

function jsonScalar(v: Scalar, numeric: boolean): string {
  if (typeof v === 'string') return numeric ? v : JSON.stringify(v)
  if (typeof v === 'boolean' || typeof v === 'number') return String(v)
  return v.form === 'number' ? v.ns.toString() : `"${formatCatTimestamp(v.ns, v.digits)}"`
}

const NUMERIC_KINDS = new Set(['price', 'realQuantity', 'wholeQuantity', 'integer', 'unsigned'])

function isNumericField(field: EventField): boolean {
  return NUMERIC_KINDS.has(field.spec.type.kind)
}

function omit(field: EventField, v: Value | undefined): boolean {
  return v === undefined || (v === false && field.include !== 'R')
}

function jsonValue(cat: Catalogue, field: EventField, v: Value): string {
  const type = field.spec.type
  if (type.kind === 'nameValue') {
    const entries = cat.nameValues.get(type.pairs)!.entries
    const parts: string[] = []
    for (const [name, x] of Object.entries(v as NameValues)) {
      parts.push(`${JSON.stringify(name)}:${jsonScalar(x, NUMERIC_KINDS.has(entries.get(name)?.kind ?? ''))}`)
    }
    return `{${parts.join(',')}}`
  }
  const kind = type.kind
  if (kind === 'array') return JSON.stringify(v)
  if (kind === 'records') {
    return `[${(v as Element[])
      .map((el) => {
        const parts: string[] = []
        for (const sub of field.elements!) {
          const x = el[sub.name]
          if (x !== undefined) parts.push(`"${sub.name}":${jsonScalar(x, isNumericField(sub))}`)
        }
        return `{${parts.join(',')}}`
      })
      .join(',')}]`
  }
  return jsonScalar(v as Scalar, isNumericField(field))
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/

// Valid CAT text never needs escaping; anything else goes through JSON.stringify.
function jsonString(v: string): string {
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`
}

/** One field of a compiled JSON encoder. */
interface JsonFieldEncoder {
  readonly name: string
  readonly key: string
  readonly keepFalse: boolean
  readonly encode: (v: Value) => string
}

const jsonEncoders = new WeakMap<Catalogue, Map<string, JsonFieldEncoder[]>>()

function compileJson(cat: Catalogue, event: EventSpec): JsonFieldEncoder[] {
  let byCat = jsonEncoders.get(cat)
  if (!byCat) {
    byCat = new Map()
    jsonEncoders.set(cat, byCat)
  }
  let enc = byCat.get(event.type)
  if (enc) return enc
  enc = event.fields
    .filter((f) => f.name !== 'reservedForFutureUse')
    .map((field) => {
      const kind = field.spec.type.kind
      let encode: (v: Value) => string
      if (NUMERIC_KINDS.has(kind)) encode = (v) => v as string
      else if (kind === 'boolean' || kind === 'date') encode = (v) => String(v)
      else if (kind === 'timestamp') encode = (v) => jsonScalar(v as Scalar, false)
      else if (kind === 'nameValue' || kind === 'array' || kind === 'records')
        encode = (v) => jsonValue(cat, field, v)
      else encode = (v) => jsonString(v as string)
      return { name: field.name, key: `"${field.name}":`, keepFalse: field.include === 'R', encode }
    })
  byCat.set(event.type, enc)
  return enc
}

/** Encodes a record as one JSON line (no trailing newline). */
export function encodeJsonRecord(cat: Catalogue, event: EventSpec, values: Values): string {
  let out = ''
  for (const f of compileJson(cat, event)) {
    const v = values[f.name]
    if (v === undefined || (v === false && !f.keepFalse)) continue
    out += out === '' ? `{${f.key}${f.encode(v)}` : `,${f.key}${f.encode(v)}`
  }
  return out === '' ? '{}' : `${out}}`
}

function csvValue(field: EventField, v: Value): string {
  const kind = field.spec.type.kind
  if (kind === 'nameValue') {
    return Object.entries(v as NameValues)
      .map(([name, x]) => (x === true ? name : `${name}=${scalarText(x)}`))
      .join('|')
  }
  if (kind === 'array') return (v as string[]).join('|')
  if (kind === 'records') {
    return (v as Element[])
      .map((el) =>
        field.elements!.map((sub) => (el[sub.name] === undefined ? '' : scalarText(el[sub.name]))).join('@'),
      )
      .join('|')
  }
  return scalarText(v as Scalar)
}

/** Encodes a record as one positional CSV line (no trailing newline); every position is written. */
export function encodeCsvRecord(event: EventSpec, values: Values): string {
  const cells: string[] = new Array(event.fields.length)
  for (let i = 0; i < event.fields.length; i++) {
    const field = event.fields[i]
    const v = field.name === 'reservedForFutureUse' ? undefined : values[field.name]
    cells[i] = omit(field, v) ? '' : csvValue(field, v!)
  }
  return cells.join(',')
}

/** Encodes a record delete (by errorROEID or by the record's own id) in either format. */
export function encodeDeleteRecord(
  format: 'json' | 'csv',
  target: { errorROEID?: string; firmROEID?: string },
): string {
  if (format === 'csv') return `DEL,${target.errorROEID ?? ''},${target.firmROEID ?? ''}`
  return target.errorROEID !== undefined
    ? `{"actionType":"DEL","errorROEID":${target.errorROEID}}`
    : `{"actionType":"DEL","firmROEID":${JSON.stringify(target.firmROEID)}}`
}
