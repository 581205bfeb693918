/**
 * Records that should come back with a given ingestion code, derived from data alone: a field's (or an
 * element field's) code by a malformed value of it, an array limit by one element too many, a rule's code
 * by the rule's own example. A code the catalogue or the rule list names but nothing here can produce is a
 * code no reporter's record can get.
 */
import type { Catalogue, DataType, EventField, EventSpec } from '../../src/catalogue/index.ts'
import type { Value, Values } from '../../src/codec/index.ts'
import type { Rule } from '../../src/validate/rule.ts'
import { elementFor, firmEvents, validValues } from './catalogue-records.ts'

/** A change to a valid record of `event` that should give `code`. */
export interface Producer {
  readonly code: number
  readonly how: string
  readonly event: EventSpec
  readonly set: Values
}

/**
 * A value of the wrong form for a data type, in JSON terms (undefined where no value is wrong). Written as
 * CSV, every one of them is the field's own error; as JSON, a text where a number belongs is a format error.
 */
export function invalidValue(type: DataType): Value | undefined {
  switch (type.kind) {
    case 'text':
    case 'alphanumeric':
      return 'x'.repeat(type.max + 1)
    case 'symbol':
      return 'x'.repeat(23)
    case 'reporterIMID':
      return 'x'.repeat(8)
    case 'imid':
    case 'imidOrExchange':
    case 'exchangeID':
      return '!!'
    case 'messageType':
      return 'MEXX'
    case 'nameValue':
      return { NOPE: true }
    case 'boolean':
    case 'choice':
    case 'price':
    case 'realQuantity':
    case 'wholeQuantity':
    case 'integer':
    case 'unsigned':
    case 'date':
    case 'timestamp':
      return 'NOPE'
    default:
      return undefined
  }
}

/** A record breaking one field (or one field of an element) of each event type given, per field. */
export function fieldProducers(cat: Catalogue, events: readonly EventSpec[] = firmEvents(cat)): Producer[] {
  const out: Producer[] = []
  for (const event of events) {
    for (const field of event.fields) {
      if (field.spec.type.kind === 'reserved') continue
      if (field.elements) {
        const base = validValues(event, cat)[field.name] as Values[] | undefined
        const element = base?.[0] ?? elementFor(field, cat)
        for (const sub of field.elements as EventField[]) {
          const code = field.spec.elementCodes?.[sub.name]
          const bad = invalidValue(sub.spec.type)
          if (code === undefined || bad === undefined) continue
          out.push({
            code,
            how: `${event.type}.${field.name}.${sub.name} invalid`,
            event,
            set: { [field.name]: [{ ...element, [sub.name]: bad }] as Value },
          })
        }
        // An element with a position too many (a value holding the CSV element separator).
        const first = field.elements.find((e) => e.spec.type.kind !== 'reserved')!
        out.push({
          code: field.spec.code,
          how: `${event.type}.${field.name} with a malformed element`,
          event,
          set: { [field.name]: [{ ...element, [first.name]: 'x@x' }] as Value },
        })
        if (field.limitCode !== undefined)
          out.push({
            code: field.limitCode,
            how: `${event.type}.${field.name} with two elements`,
            event,
            set: { [field.name]: [element, element] as Value },
          })
        continue
      }
      const bad = invalidValue(field.spec.type)
      if (bad === undefined) continue
      out.push({
        code: field.spec.code,
        how: `${event.type}.${field.name} invalid`,
        event,
        set: { [field.name]: bad },
      })
    }
  }
  return out
}

/**
 * The rules' own examples that apply to records of `cat` (its version, an event type it has) sent by an
 * ordinary firm (`ats`: by an ATS), as producers.
 */
export function ruleProducers(rules: readonly Rule[], cat: Catalogue, ats = false): Producer[] {
  const out: Producer[] = []
  for (const r of rules) {
    if (r.versions && !r.versions.includes(cat.version)) continue
    if ((r.example.reporter === 'ATS') !== ats) continue
    const event = cat.events.get(r.example.type)
    if (event) out.push({ code: r.code, how: `rule ${r.id}`, event, set: r.example.set as Values })
  }
  return out
}

/** One of the runs of a day of submissions, in order; `upload` is a file sent through the portal's upload. */
export type Run = 'morning' | 'noon' | 'evening' | 'late' | 't3' | 'upload'

/** A producer of codes about whole files: writes its files, returns the base names its feedback bears. */
export interface FileProducer {
  readonly code: number
  readonly how: string
  /** When its files are sent (default: the morning). */
  readonly run?: Run
  readonly write: (dir: string, n: number) => string[]
}

/** The first producer of each code wanted, by code. */
export function firstPerCode<P extends { readonly code: number }>(
  producers: readonly P[],
  wanted: (code: number) => boolean,
): P[] {
  const by = new Map<number, P>()
  for (const p of producers) if (wanted(p.code) && !by.has(p.code)) by.set(p.code, p)
  return [...by.values()].sort((a, b) => a.code - b.code)
}
