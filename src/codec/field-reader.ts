/**
 * Turns the raw values of one record (JSON tokens or CSV texts) into typed values, field by field, as the
 * compiled catalogue plan describes them: types, lengths, allowed values, name/value pairs, arrays and
 * their elements, and the presence of Required fields. Everything it finds is a FieldFinding with the
 * field's CAT code. Values land in slots by layout position.
 */
import type { Catalogue, EventField, NameValueSpec } from '../catalogue/index.ts'
import { compileScalar, type EventPlan, type FieldPlan, type ScalarPlan } from './field-plan.ts'
import { type JsonValue, RawNumber, TOKEN } from './json-scan.ts'
import { Invalid } from './scalar.ts'
import type { Element, FieldFinding, NameValues, Scalar, Value, Values } from './values.ts'

/** CAT code for fields a layout does not define. */
export const UNKNOWN_FIELD = 2133
/** CAT code for a record that is not valid JSON or CSV. */
export const BAD_FORMAT = 2134

const elementPlans = new WeakMap<EventField, ScalarPlan[]>()
const pairPlans = new WeakMap<NameValueSpec, Map<string, ScalarPlan>>()

/**
 * What a name/value list's CSV text decodes to, by text: a file repeats a few of them on most of its
 * records (`DAY=` the trading date, a handful of handling instructions), so each is read once. The values
 * are frozen, being shared by every record that wrote the same text.
 */
const nameValueTexts = new WeakMap<NameValueSpec, Map<string, NameValues | Invalid>>()
const NAME_VALUE_TEXTS = 4096

function elementPlan(field: EventField, cat: Catalogue): ScalarPlan[] {
  let p = elementPlans.get(field)
  if (!p) {
    p = field.elements!.map((e) => compileScalar(e.spec.type, cat))
    elementPlans.set(field, p)
  }
  return p
}

function pairPlan(spec: NameValueSpec, cat: Catalogue): Map<string, ScalarPlan> {
  let p = pairPlans.get(spec)
  if (!p) {
    p = new Map([...spec.entries].map(([name, type]) => [name, compileScalar(type, cat)]))
    pairPlans.set(spec, p)
  }
  return p
}

const ARRAY_ITEM = { kind: 'text', max: 64 } as const
const arrayItemPlans = new WeakMap<Catalogue, ScalarPlan>()

function arrayItemPlan(cat: Catalogue): ScalarPlan {
  let p = arrayItemPlans.get(cat)
  if (!p) {
    p = compileScalar(ARRAY_ITEM, cat)
    arrayItemPlans.set(cat, p)
  }
  return p
}

function jsonScalar(token: JsonValue, plan: ScalarPlan): Scalar | Invalid {
  if (typeof token === 'string') return plan.fromString(token)
  if (token instanceof RawNumber) return plan.fromNumber(token.text)
  if (typeof token === 'boolean') return plan.fromBoolean(token)
  return new Invalid(token === null ? 'null is not a value' : 'must be a single value')
}

/** Collects one record's typed values (by layout position) and findings. */
export class FieldReader {
  readonly slots: (Value | undefined)[]
  readonly findings: FieldFinding[] = []

  constructor(
    readonly cat: Catalogue,
    readonly plan: EventPlan,
  ) {
    this.slots = new Array(plan.fields.length)
  }

  /** Records a problem with one field. */
  refuse(field: EventField | string, reason: string, code?: number): void {
    const name = typeof field === 'string' ? field : field.name
    const fieldCode = typeof field === 'string' ? BAD_FORMAT : field.spec.code
    this.findings.push({ code: code ?? fieldCode, field: name, message: `${name}: ${reason}` })
  }

  private take(fp: FieldPlan, v: Value | Invalid): void {
    if (v instanceof Invalid) this.refuse(fp.field, v.reason, v.code)
    else this.slots[fp.index] = v
  }

  /** Reads a top-level JSON token (kind from TOKEN, text, or the nested value) into the field. */
  readJsonToken(fp: FieldPlan, kind: number, text: string, nested: JsonValue): void {
    const type = fp.field.spec.type
    if (kind === TOKEN.NULL) return this.refuse(fp.field, 'null is not a value; leave the field out instead')
    switch (type.kind) {
      case 'nameValue':
        return kind === TOKEN.OBJECT
          ? this.take(
              fp,
              this.jsonNameValues(nested as Map<string, JsonValue>, this.cat.nameValues.get(type.pairs)!),
            )
          : this.refuse(fp.field, 'must be an object of names and values')
      case 'array':
        return kind === TOKEN.ARRAY
          ? this.take(fp, this.stringList(nested as JsonValue[]))
          : this.refuse(fp.field, 'must be an array')
      case 'records':
        return kind === TOKEN.ARRAY
          ? this.take(fp, this.jsonElements(fp.field, nested as JsonValue[]))
          : this.refuse(fp.field, 'must be an array of objects')
    }
    const s = fp.scalar
    if (kind === TOKEN.STRING) this.take(fp, s.fromString(text))
    else if (kind === TOKEN.NUMBER) this.take(fp, s.fromNumber(text))
    else if (kind === TOKEN.TRUE || kind === TOKEN.FALSE) this.take(fp, s.fromBoolean(kind === TOKEN.TRUE))
    else this.refuse(fp.field, 'must be a single value')
  }

  /** Reads a CSV text (already trimmed, non-empty) into the field. */
  readCsv(fp: FieldPlan, text: string): void {
    const type = fp.field.spec.type
    switch (type.kind) {
      case 'nameValue':
        return this.take(fp, this.csvNameValues(text, this.cat.nameValues.get(type.pairs)!))
      case 'array':
        return this.take(fp, this.stringList(text.split('|')))
      case 'records':
        return this.take(fp, this.csvElements(fp.field, text))
      default:
        return this.take(fp, fp.scalar.fromCsv(text))
    }
  }

  /** Fills absent booleans with false (CAT: an absent Boolean is false) and reports missing Required fields. */
  finish(): void {
    const slots = this.slots
    for (const i of this.plan.booleans) if (slots[i] === undefined) slots[i] = false
    for (const i of this.plan.required) {
      if (slots[i] !== undefined) continue
      const field = this.plan.fields[i].field
      if (!this.findings.some((f) => f.field === field.name)) this.refuse(field, 'required but missing')
    }
  }

  /** The values as an object by field name. */
  values(): Values {
    const out: Values = {}
    const fields = this.plan.fields
    for (let i = 0; i < fields.length; i++) {
      const v = this.slots[i]
      if (v !== undefined) out[fields[i].field.name] = v
    }
    return out
  }

  private stringList(items: readonly JsonValue[]): string[] | Invalid {
    const check = arrayItemPlan(this.cat).fromString
    for (const item of items) {
      if (typeof item !== 'string') return new Invalid('array items must be strings')
      const v = check(item)
      if (v instanceof Invalid) return v
    }
    if (items.length === 0) return new Invalid('empty array; leave the field out instead')
    return items as string[]
  }

  private jsonNameValues(token: Map<string, JsonValue>, spec: NameValueSpec): NameValues | Invalid {
    const plans = pairPlan(spec, this.cat)
    const out: NameValues = Object.create(null)
    let n = 0
    for (const [name, raw] of token) {
      const plan = plans.get(name)
      if (!plan) return new Invalid(`${name} is not an allowed name`)
      let v: Scalar | Invalid
      if (spec.entries.get(name)!.kind === 'boolean')
        v = raw === true ? true : new Invalid(`${name} takes no value other than true`)
      else v = jsonScalar(raw, plan)
      if (v instanceof Invalid) return new Invalid(`${name}: ${v.reason}`)
      out[name] = v
      n++
    }
    return checkCount(out, n, spec)
  }

  private csvNameValues(text: string, spec: NameValueSpec): NameValues | Invalid {
    let known = nameValueTexts.get(spec)
    if (!known) nameValueTexts.set(spec, (known = new Map()))
    let v = known.get(text)
    if (v === undefined) {
      v = this.readCsvNameValues(text, spec)
      if (!(v instanceof Invalid)) Object.freeze(v)
      if (known.size >= NAME_VALUE_TEXTS) known.clear()
      known.set(text, v)
    }
    return v
  }

  private readCsvNameValues(text: string, spec: NameValueSpec): NameValues | Invalid {
    const plans = pairPlan(spec, this.cat)
    const out: NameValues = Object.create(null)
    let n = 0
    for (const part of text.split('|')) {
      const eq = part.indexOf('=')
      const name = eq < 0 ? part : part.slice(0, eq)
      const plan = plans.get(name)
      if (!plan) return new Invalid(`${name} is not an allowed name`)
      if (name in out) return new Invalid(`${name} appears twice`)
      n++
      if (spec.entries.get(name)!.kind === 'boolean') {
        if (eq >= 0 && part.slice(eq + 1) !== 'true') return new Invalid(`${name} takes no value`)
        out[name] = true
        continue
      }
      if (eq < 0 || eq === part.length - 1) return new Invalid(`${name} needs a value`)
      const v = plan.fromCsv(part.slice(eq + 1))
      if (v instanceof Invalid) return new Invalid(`${name}: ${v.reason}`)
      out[name] = v
    }
    return checkCount(out, n, spec)
  }

  private jsonElements(field: EventField, items: readonly JsonValue[]): Element[] | Invalid {
    const layout = field.elements!
    const plans = elementPlan(field, this.cat)
    const out: Element[] = []
    for (const item of items) {
      if (!(item instanceof Map)) return new Invalid('elements must be objects')
      const element: Element = Object.create(null)
      for (const [key, raw] of item) {
        const i = layout.findIndex((e) => e.name === key)
        if (i < 0) return new Invalid(`${key} is not a field of ${field.name}`)
        const v = jsonScalar(raw, plans[i])
        if (v instanceof Invalid) return elementInvalid(field, layout[i], v)
        element[key] = v
      }
      out.push(element)
    }
    return checkElements(field, out)
  }

  private csvElements(field: EventField, text: string): Element[] | Invalid {
    const layout = field.elements!
    const plans = elementPlan(field, this.cat)
    const out: Element[] = []
    for (const part of text.split('|')) {
      const cells = part.split('@')
      if (cells.length !== layout.length) {
        return new Invalid(`each element needs ${layout.length} @-separated positions, got ${cells.length}`)
      }
      const element: Element = Object.create(null)
      for (let i = 0; i < layout.length; i++) {
        const cell = cells[i].trim()
        if (cell === '') continue
        const v = plans[i].fromCsv(cell)
        if (v instanceof Invalid) return elementInvalid(field, layout[i], v)
        element[layout[i].name] = v
      }
      out.push(element)
    }
    return checkElements(field, out)
  }
}

function elementInvalid(field: EventField, sub: EventField, v: Invalid): Invalid {
  return new Invalid(`${sub.name}: ${v.reason}`, v.code ?? field.spec.elementCodes?.[sub.name])
}

function checkElements(field: EventField, elements: Element[]): Element[] | Invalid {
  if (elements.length === 0) return new Invalid('empty array; leave the field out instead')
  if (field.maxElements !== undefined && elements.length > field.maxElements) {
    return new Invalid(`at most ${field.maxElements} element(s) allowed`, field.limitCode)
  }
  for (const element of elements) {
    for (const sub of field.elements!) {
      if (sub.include === 'R' && !(sub.name in element)) {
        return new Invalid(`${sub.name} is required in each element`, field.spec.elementCodes?.[sub.name])
      }
    }
  }
  return elements
}

function checkCount(out: NameValues, n: number, spec: NameValueSpec): NameValues | Invalid {
  if (n === 0) return new Invalid('no names given; leave the field out instead')
  if (spec.exactlyOne && n !== 1) return new Invalid('must hold exactly one entry')
  return out
}
