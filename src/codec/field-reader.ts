/**
 * Turns the raw values of one record (JSON tokens or CSV texts) into typed values, field by field, as the
 * catalogue describes them: types, lengths, allowed values, name/value pairs, arrays and their elements,
 * and the presence of Required fields. Everything it finds is a FieldFinding with the field's CAT code.
 */
import type { Catalogue, EventField, EventSpec, NameValueSpec } from '../catalogue/index.ts'
import { RawNumber, type JsonValue } from './json-scan.ts'
import {
  Invalid,
  convertCsvScalar,
  convertJsonBoolean,
  convertJsonNumber,
  convertJsonString,
  convertString,
} from './scalar.ts'
import type { Element, FieldFinding, NameValues, Scalar, Value, Values } from './values.ts'

/** CAT code for fields a layout does not define. */
export const UNKNOWN_FIELD = 2133
/** CAT code for a record that is not valid JSON or CSV. */
export const BAD_FORMAT = 2134

/** Collects a record's typed values and findings. */
export class FieldReader {
  readonly values: Values = {}
  readonly findings: FieldFinding[] = []

  constructor(
    readonly cat: Catalogue,
    readonly event: EventSpec,
  ) {}

  /** Records a problem with one field. */
  refuse(field: EventField | string, reason: string, code?: number): void {
    const name = typeof field === 'string' ? field : field.name
    const fieldCode = typeof field === 'string' ? BAD_FORMAT : field.spec.code
    this.findings.push({ code: code ?? fieldCode, field: name, message: `${name}: ${reason}` })
  }

  private take(field: EventField, v: Value | Invalid): void {
    if (v instanceof Invalid) this.refuse(field, v.reason, v.code)
    else this.values[field.name] = v
  }

  /** Reads a JSON token into the field. */
  readJson(field: EventField, token: JsonValue): void {
    if (token === null) return this.refuse(field, 'null is not a value; leave the field out instead')
    const type = field.spec.type
    switch (type.kind) {
      case 'nameValue':
        return this.take(field, this.jsonNameValues(field, token, this.cat.nameValues.get(type.pairs)!))
      case 'array':
        if (!Array.isArray(token)) return this.refuse(field, 'must be an array')
        return this.take(field, this.stringList(field, token))
      case 'records':
        if (!Array.isArray(token)) return this.refuse(field, 'must be an array of objects')
        return this.take(field, this.jsonElements(field, token))
      default:
        return this.take(field, jsonScalar(token, field, this.cat))
    }
  }

  /** Reads a CSV text (already trimmed, non-empty) into the field. */
  readCsv(field: EventField, text: string): void {
    const type = field.spec.type
    switch (type.kind) {
      case 'nameValue':
        return this.take(field, this.csvNameValues(field, text, this.cat.nameValues.get(type.pairs)!))
      case 'array':
        return this.take(field, this.stringList(field, text.split('|')))
      case 'records':
        return this.take(field, this.csvElements(field, text))
      default:
        return this.take(field, convertCsvScalar(text, type, this.cat))
    }
  }

  /** Fills absent booleans with false (CAT: an absent Boolean is false) and reports missing Required fields. */
  finish(): void {
    for (const field of this.event.fields) {
      if (field.name in this.values || field.name === 'reservedForFutureUse') continue
      if (field.spec.type.kind === 'boolean') {
        this.values[field.name] = false
        continue
      }
      if (field.include === 'R' && !this.findings.some((f) => f.field === field.name)) {
        this.refuse(field, 'required but missing')
      }
    }
  }

  private stringList(field: EventField, items: readonly JsonValue[]): string[] | Invalid {
    const out: string[] = []
    for (const item of items) {
      if (typeof item !== 'string') return new Invalid('array items must be strings')
      const v = convertString(item, { kind: 'text', max: 64 }, this.cat)
      if (v instanceof Invalid) return v
      out.push(item)
    }
    if (out.length === 0) return new Invalid('empty array; leave the field out instead')
    return out
  }

  private jsonNameValues(field: EventField, token: JsonValue, spec: NameValueSpec): NameValues | Invalid {
    if (!(token instanceof Map)) return new Invalid('must be an object of names and values')
    const out: NameValues = Object.create(null)
    for (const [name, raw] of token) {
      const type = spec.entries.get(name)
      if (!type) return new Invalid(`${name} is not an allowed name`)
      let v: Scalar | Invalid
      if (type.kind === 'boolean') v = raw === true ? true : new Invalid(`${name} takes no value other than true`)
      else v = jsonScalarOfType(raw, type, this.cat)
      if (v instanceof Invalid) return new Invalid(`${name}: ${v.reason}`)
      out[name] = v
    }
    return checkCount(out, spec)
  }

  private csvNameValues(field: EventField, text: string, spec: NameValueSpec): NameValues | Invalid {
    const out: NameValues = Object.create(null)
    for (const part of text.split('|')) {
      const eq = part.indexOf('=')
      const name = eq < 0 ? part : part.slice(0, eq)
      const type = spec.entries.get(name)
      if (!type) return new Invalid(`${name} is not an allowed name`)
      if (name in out) return new Invalid(`${name} appears twice`)
      if (type.kind === 'boolean') {
        if (eq >= 0 && part.slice(eq + 1) !== 'true') return new Invalid(`${name} takes no value`)
        out[name] = true
        continue
      }
      if (eq < 0 || eq === part.length - 1) return new Invalid(`${name} needs a value`)
      const v = convertCsvScalar(part.slice(eq + 1), type, this.cat)
      if (v instanceof Invalid) return new Invalid(`${name}: ${v.reason}`)
      out[name] = v
    }
    return checkCount(out, spec)
  }

  private jsonElements(field: EventField, items: readonly JsonValue[]): Element[] | Invalid {
    const layout = field.elements!
    const out: Element[] = []
    for (const item of items) {
      if (!(item instanceof Map)) return new Invalid('elements must be objects')
      const element: Element = Object.create(null)
      for (const [key, raw] of item) {
        const sub = layout.find((e) => e.name === key)
        if (!sub) return new Invalid(`${key} is not a field of ${field.name}`)
        const v = raw === null ? new Invalid('null is not a value') : jsonScalar(raw, sub, this.cat)
        if (v instanceof Invalid) return this.elementInvalid(field, sub, v)
        element[key] = v
      }
      out.push(element)
    }
    return this.checkElements(field, out)
  }

  private csvElements(field: EventField, text: string): Element[] | Invalid {
    const layout = field.elements!
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
        const v = convertCsvScalar(cell, layout[i].spec.type, this.cat)
        if (v instanceof Invalid) return this.elementInvalid(field, layout[i], v)
        element[layout[i].name] = v
      }
      out.push(element)
    }
    return this.checkElements(field, out)
  }

  private elementInvalid(field: EventField, sub: EventField, v: Invalid): Invalid {
    return new Invalid(`${sub.name}: ${v.reason}`, v.code ?? field.spec.elementCodes?.[sub.name])
  }

  private checkElements(field: EventField, elements: Element[]): Element[] | Invalid {
    if (elements.length === 0) return new Invalid('empty array; leave the field out instead')
    if (field.maxElements !== undefined && elements.length > field.maxElements) {
      return new Invalid(`at most ${field.maxElements} element(s) allowed`)
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
}

function checkCount(out: NameValues, spec: NameValueSpec): NameValues | Invalid {
  const n = Object.keys(out).length
  if (n === 0) return new Invalid('no names given; leave the field out instead')
  if (spec.exactlyOne && n !== 1) return new Invalid('must hold exactly one entry')
  return out
}

function jsonScalar(token: JsonValue, field: EventField, cat: Catalogue): Scalar | Invalid {
  return jsonScalarOfType(token, field.spec.type, cat)
}

function jsonScalarOfType(token: JsonValue, type: EventField['spec']['type'], cat: Catalogue): Scalar | Invalid {
  if (typeof token === 'string') return convertJsonString(token, type, cat)
  if (token instanceof RawNumber) return convertJsonNumber(token.text, type)
  if (typeof token === 'boolean') return convertJsonBoolean(token, type)
  return new Invalid('must be a single value')
}
