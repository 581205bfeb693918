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

// Arrays, repeating records and scalars (name/value fields have their own encoder, nameValueJson).
function jsonValue(field: EventField, v: Value): string {
  const kind = field.spec.type.kind
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

/** The JSON encoder of a name/value field, which keeps each name's key text and kind once made. */
function nameValueJson(cat: Catalogue, field: EventField): (v: Value) => string {
  const type = field.spec.type as { kind: 'nameValue'; pairs: string }
  const entries = cat.nameValues.get(type.pairs)!.entries
  const keys = new Map<string, { key: string; numeric: boolean }>()
  return (v) => {
    let out = ''
    for (const [name, x] of Object.entries(v as NameValues)) {
      let k = keys.get(name)
      if (!k) {
        k = { key: `${JSON.stringify(name)}:`, numeric: NUMERIC_KINDS.has(entries.get(name)?.kind ?? '') }
        keys.set(name, k)
      }
      out += `${out === '' ? '' : ','}${k.key}${jsonScalar(x, k.numeric)}`
    }
    return `{${out}}`
  }
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
      else if (kind === 'nameValue') encode = nameValueJson(cat, field)
      else if (kind === 'array' || kind === 'records') encode = (v) => jsonValue(field, v)
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

/** One position of a compiled CSV encoder; a reserved position has no name and stays blank. */
interface CsvFieldEncoder {
  readonly name: string | undefined
  readonly keepFalse: boolean
  readonly encode: (v: Value) => string
}

const csvEncoders = new WeakMap<EventSpec, CsvFieldEncoder[]>()

// What each position needs is decided once per layout, not again for every record.
function compileCsv(event: EventSpec): CsvFieldEncoder[] {
  let enc = csvEncoders.get(event)
  if (enc) return enc
  enc = event.fields.map((field) => {
    const kind = field.spec.type.kind
    const encode =
      kind === 'nameValue' || kind === 'array' || kind === 'records'
        ? (v: Value) => csvValue(field, v)
        : (v: Value) => scalarText(v as Scalar)
    const name = field.name === 'reservedForFutureUse' ? undefined : field.name
    return { name, keepFalse: field.include === 'R', encode }
  })
  csvEncoders.set(event, enc)
  return enc
}

/** Encodes a record as one positional CSV line (no trailing newline); every position is written. */
export function encodeCsvRecord(event: EventSpec, values: Values): string {
  const enc = compileCsv(event)
  const cells: string[] = new Array(enc.length)
  for (let i = 0; i < enc.length; i++) {
    const f = enc[i]
    const v = f.name === undefined ? undefined : values[f.name]
    cells[i] = v === undefined || (v === false && !f.keepFalse) ? '' : f.encode(v)
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
