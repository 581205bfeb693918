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

/** Encodes a record as one JSON line (no trailing newline). */
export function encodeJsonRecord(cat: Catalogue, event: EventSpec, values: Values): string {
  const parts: string[] = []
  for (const field of event.fields) {
    if (field.name === 'reservedForFutureUse') continue
    const v = values[field.name]
    if (omit(field, v)) continue
    parts.push(`"${field.name}":${jsonValue(cat, field, v!)}`)
  }
  return `{${parts.join(',')}}`
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
      .map((el) => field.elements!.map((sub) => (el[sub.name] === undefined ? '' : scalarText(el[sub.name]))).join('@'))
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
