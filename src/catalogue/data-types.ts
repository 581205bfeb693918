/**
 * CAT data types: the compact notation the catalogue tables use, the limits each type carries, and the
 * spec's own names (used by the conformance test and the generated docs).
 */
import type { DataType } from './types.ts'

const SIMPLE = new Set([
  'price',
  'realQuantity',
  'wholeQuantity',
  'integer',
  'unsigned',
  'boolean',
  'date',
  'timestamp',
  'symbol',
  'messageType',
  'reporterIMID',
  'imid',
  'exchangeID',
  'imidOrExchange',
  'array',
  'records',
  'reserved',
])

const ALIASES: Record<string, string> = { realQty: 'realQuantity', wholeQty: 'wholeQuantity' }

/** Parses the catalogue's type notation (`text:64`, `choice:side`, `price`, ...). */
export function parseTypeNotation(notation: string): DataType {
  const [head, arg] = notation.split(':')
  const kind = ALIASES[head] ?? head
  switch (kind) {
    case 'text':
    case 'alnum':
      if (!arg || !/^\d+$/.test(arg)) throw new Error(`catalogue: ${notation} needs a length`)
      return Object.freeze({ kind: kind === 'alnum' ? 'alphanumeric' : 'text', max: Number(arg) })
    case 'choice':
      if (!arg) throw new Error(`catalogue: ${notation} needs a choice list`)
      return Object.freeze({ kind: 'choice', list: arg })
    case 'nvp':
      if (!arg) throw new Error(`catalogue: ${notation} needs a name/value definition`)
      return Object.freeze({ kind: 'nameValue', pairs: arg })
    case 'records':
      return Object.freeze({ kind: 'records', composite: arg ?? '' })
    default:
      if (!SIMPLE.has(kind)) throw new Error(`catalogue: unknown type ${notation}`)
      return Object.freeze({ kind } as DataType)
  }
}

/** Digits before and after the decimal point of CAT's numeric types: Numeric(p, s). */
export const NUMERIC_LIMITS = Object.freeze({
  price: { int: 10, frac: 8 },
  realQuantity: { int: 12, frac: 6 },
  wholeQuantity: { int: 12, frac: 0 },
  integer: { int: 19, frac: 0 },
  unsigned: { int: 20, frac: 0 },
})

/** Maximum string lengths of CAT's fixed-width identifier types. */
export const STRING_LIMITS = Object.freeze({
  symbol: 22,
  messageType: 5,
  reporterIMID: 7,
  imid: 16,
  exchangeID: 7,
  imidOrExchange: 16,
})

/** The spec's name for a data type, as the official schema writes it (composites need their layout name). */
export function catTypeName(type: DataType, compositeName?: string): string | string[] {
  switch (type.kind) {
    case 'text':
      return `Text (${type.max})`
    case 'alphanumeric':
      return `Alphanumeric (${type.max})`
    case 'choice':
      return 'Choice'
    case 'price':
      return 'Price'
    case 'realQuantity':
      return 'Real Quantity'
    case 'wholeQuantity':
      return 'Whole Quantity'
    case 'integer':
      return 'Integer'
    case 'unsigned':
      return 'Unsigned'
    case 'boolean':
      return 'Boolean'
    case 'date':
      return 'Date'
    case 'timestamp':
      return 'Timestamp'
    case 'symbol':
      return 'Symbol'
    case 'messageType':
      return 'Message Type'
    case 'reporterIMID':
      return 'CAT Reporter IMID'
    case 'imid':
      return 'Industry Member ID'
    case 'exchangeID':
      return 'Exchange ID'
    case 'imidOrExchange':
      return ['Industry Member ID', 'Exchange ID']
    case 'nameValue':
      return 'Name/Value Pairs'
    case 'array':
      return 'Array'
    case 'records':
      return compositeName ?? 'Records'
    case 'reserved':
      return 'Text (0)'
  }
}

/** The JSON type(s) a value of this data type takes in a JSON record. */
export function jsonTypeOf(type: DataType): string | string[] {
  switch (type.kind) {
    case 'price':
    case 'realQuantity':
    case 'wholeQuantity':
    case 'integer':
    case 'unsigned':
    case 'date':
      return 'NUMBER'
    case 'boolean':
      return 'BOOLEAN'
    case 'timestamp':
      return ['STRING', 'NUMBER']
    case 'nameValue':
      return 'OBJECT'
    case 'array':
    case 'records':
      return 'ARRAY'
    default:
      return 'STRING'
  }
}
