/**
 * fast-check arbitraries for valid records of any event type, built from the catalogue alone, so the
 * round-trip tests cover every field of every layout.
 */
import fc from 'fast-check'
import type { Catalogue, DataType, EventField, EventSpec } from '../../src/catalogue/index.ts'
import type { Element, Scalar, Timestamp, Value, Values } from '../../src/codec/index.ts'
import { formatCatTimestamp, parseCatTimestamp } from '../../src/common/time/cat-timestamp.ts'

const TEXT_CHARS = [...Array(95).keys()]
  .map((i) => String.fromCharCode(32 + i))
  .filter((c) => !',|"@'.includes(c))
const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789']
const DIGITS = [...'0123456789']

function textOf(chars: string[], max: number): fc.Arbitrary<string> {
  // CSV trims blanks, so a value never starts or ends with one.
  return fc
    .array(fc.constantFrom(...chars), { minLength: 1, maxLength: Math.min(max, 24) })
    .map((a) => a.join(''))
    .filter((s) => s.trim() === s)
}

function digits(min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...DIGITS), { minLength: min, maxLength: max }).map((a) => a.join(''))
}

function decimal(
  intMax: number,
  fracMax: number,
  noTrailingZero: boolean,
  signed: boolean,
): fc.Arbitrary<string> {
  const int = fc.oneof(
    fc.constant('0'),
    fc.tuple(fc.constantFrom(...'123456789'), digits(0, intMax - 1)).map(([a, b]) => a + b),
  )
  const frac =
    fracMax === 0
      ? fc.constant('')
      : digits(0, fracMax)
          .map((f) => (noTrailingZero ? f.replace(/0+$/, '') : f))
          .map((f) => (f ? `.${f}` : ''))
  const sign = signed ? fc.constantFrom('', '-') : fc.constant('')
  return fc.tuple(sign, int, frac).map(([s, i, f]) => (s && i === '0' && !/[1-9]/.test(f) ? '' : s) + i + f)
}

const timestamp: fc.Arbitrary<Timestamp> = fc
  .tuple(
    fc.bigInt(946_684_800_000_000_000n, 4_102_444_800_000_000_000n),
    fc.integer({ min: 0, max: 9 }),
    fc.boolean(),
  )
  .map(([ns, d, number]) => {
    if (number) return { ns, digits: 9, form: 'number' as const }
    const unit = 10n ** BigInt(9 - d)
    const t = ns - (ns % unit)
    // The ET string form cannot name the second pass through the repeated autumn hour; only the number form can.
    const back = parseCatTimestamp(formatCatTimestamp(t, d), false)
    if (!back.ok || back.ns !== t) return { ns, digits: 9, form: 'number' as const }
    return { ns: t, digits: d, form: 'string' as const }
  })

const date = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => Number(d.toISOString().slice(0, 10).replaceAll('-', '')))

const imid = fc.tuple(fc.integer({ min: 1, max: 999999 }), textOf(ALNUM, 4)).map(([c, m]) => `${c}:${m}`)

/** A valid scalar of a data type. */
export function scalarOf(type: DataType, cat: Catalogue): fc.Arbitrary<Scalar> {
  switch (type.kind) {
    case 'text':
      return textOf(TEXT_CHARS, type.max)
    case 'alphanumeric':
      return textOf(ALNUM, type.max)
    case 'choice':
      return fc.constantFrom(...cat.choices.get(type.list)!)
    case 'price':
      return decimal(10, 8, false, true)
    case 'realQuantity':
      return decimal(12, 6, true, false)
    case 'wholeQuantity':
      return decimal(12, 0, false, false)
    case 'integer':
      return decimal(18, 0, false, true)
    case 'unsigned':
      return decimal(19, 0, false, false)
    case 'boolean':
      return fc.boolean()
    case 'date':
      return date
    case 'timestamp':
      return timestamp
    case 'symbol':
      return textOf(TEXT_CHARS, 22)
    case 'messageType':
      return textOf(ALNUM, 5)
    case 'reporterIMID':
      return textOf(ALNUM, 7)
    case 'imid':
      return imid
    case 'exchangeID':
      return fc.constantFrom(...cat.choices.get('exchangeID')!)
    case 'imidOrExchange':
      return fc.oneof(imid, fc.constantFrom(...cat.choices.get('exchangeID')!))
    default:
      throw new Error(`no scalar arbitrary for ${type.kind}`)
  }
}

function arbitraryValue(field: EventField, cat: Catalogue): fc.Arbitrary<Value> {
  const type = field.spec.type
  if (type.kind === 'nameValue') {
    const spec = cat.nameValues.get(type.pairs)!
    const entries = [...spec.entries]
    const pick = spec.exactlyOne
      ? fc.constantFrom(...entries).map((e) => [e])
      : fc.subarray(entries, { minLength: 1, maxLength: 4 })
    return pick.chain((chosen) =>
      fc
        .tuple(...chosen.map(([, t]) => (t.kind === 'boolean' ? fc.constant(true) : scalarOf(t, cat))))
        .map((vals) => {
          const out: Record<string, Scalar> = Object.create(null)
          chosen.forEach(([name], i) => {
            out[name] = vals[i]
          })
          return out
        }),
    )
  }
  if (type.kind === 'array') return fc.array(textOf(TEXT_CHARS, 16), { minLength: 1, maxLength: 3 })
  if (type.kind === 'records') {
    return fc.array(elementOf(field, cat), { minLength: 1, maxLength: field.maxElements ?? 3 })
  }
  return scalarOf(type, cat)
}

function elementOf(field: EventField, cat: Catalogue): fc.Arbitrary<Element> {
  // A retired position inside an element stays blank.
  const subs = field.elements!.filter((s) => s.spec.type.kind !== 'reserved')
  const arbs = subs.map((s) => {
    const v = scalarOf(s.spec.type, cat)
    return s.include === 'R' ? v : fc.option(v, { nil: undefined })
  })
  return fc.tuple(...arbs).map((vals) => {
    const el: Element = Object.create(null)
    subs.forEach((s, i) => {
      if (vals[i] !== undefined) el[s.name] = vals[i]!
    })
    return el
  })
}

/** A valid NEW/COR/RPR record of the event type, every Required field present, others at random. */
export function recordOf(event: EventSpec, cat: Catalogue): fc.Arbitrary<Values> {
  const fields = event.fields.filter((f) => f.name !== 'reservedForFutureUse')
  const arbs = fields.map((f) => {
    if (f.name === 'type') return fc.constant(event.type)
    if (f.name === 'actionType') return fc.constantFrom('NEW', 'COR', 'RPR')
    const v = arbitraryValue(f, cat)
    return f.include === 'R' ? v : fc.option(v, { nil: undefined })
  })
  return fc.tuple(...arbs).map((vals) => {
    const out: Values = {}
    fields.forEach((f, i) => {
      const v = vals[i]
      if (v !== undefined) out[f.name] = v
      else if (f.spec.type.kind === 'boolean') out[f.name] = false
    })
    return out
  })
}
