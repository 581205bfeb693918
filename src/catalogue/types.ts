/**
 * The shapes of the event catalogue: data types, fields, events and catalogue versions.
 * Everything downstream (codecs, validation, the store's columns, docs, the simulator) reads these.
 */

/** How a field must be present: Required, Conditional, Optional, or ATS (required of ATSs on NMS symbols). */
export type Include = 'R' | 'C' | 'O' | 'A'

/** A CAT data type, in OpenCAT's own terms; `catName` in data-types.ts gives the spec's name. */
export type DataType =
  | { readonly kind: 'text'; readonly max: number }
  | { readonly kind: 'alphanumeric'; readonly max: number }
  | { readonly kind: 'choice'; readonly list: string }
  | { readonly kind: 'price' }
  | { readonly kind: 'realQuantity' }
  | { readonly kind: 'wholeQuantity' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'symbol' }
  | { readonly kind: 'messageType' }
  | { readonly kind: 'reporterIMID' }
  | { readonly kind: 'imid' }
  | { readonly kind: 'exchangeID' }
  | { readonly kind: 'imidOrExchange' }
  | { readonly kind: 'nameValue'; readonly pairs: string }
  | { readonly kind: 'array' }
  | { readonly kind: 'records'; readonly composite: string }
  | { readonly kind: 'reserved' }

/** A field of the dictionary: one name, one type, one error code, wherever the field appears. */
export interface FieldSpec {
  readonly name: string
  readonly type: DataType
  /** CAT ingestion code for "missing or invalid <field>"; 2134 where the spec has none. */
  readonly code: number
  readonly doc: string
  /** For multi-dimensional arrays: codes of the sub-fields of this particular array (e.g. 2109 for buyDetails.orderID). */
  readonly elementCodes?: Readonly<Record<string, number>>
}

/** A field as it sits in one event layout (CSV position is `position`, 1-based). */
export interface EventField {
  readonly name: string
  readonly position: number
  readonly include: Include
  readonly spec: FieldSpec
  /** For multi-dimensional arrays: the element layout (positions inside one `@`-separated element). */
  readonly elements?: readonly EventField[]
  /** For multi-dimensional arrays: how many elements are allowed (side details hold one). */
  readonly maxElements?: number
  /** For multi-dimensional arrays: the code for more elements than allowed, when it is not the field's. */
  readonly limitCode?: number
}

/** Which key an event carries (Table 5 of the IM spec). */
export type KeyKind =
  | 'order'
  | 'trade'
  | 'fulfillment'
  | 'quote'
  | 'allocation'
  | 'exchangeOrder'
  | 'exchangeTrade'
  | 'tradeReport'

/** Primary events assign a key; secondary ones reuse one or may assign a new one (spec glossary). */
export type EventClass = 'primary' | 'secondary' | 'secondaryNewKey'

/** Who reports the event family. */
export type Family = 'equity' | 'option' | 'multiLeg' | 'exchange'

/** One event type of one catalogue version. */
export interface EventSpec {
  readonly type: string
  readonly title: string
  readonly family: Family
  readonly key: KeyKind
  readonly eventClass: EventClass
  readonly doc: string
  /** Where this layout comes from: the official schema, a v4 source, or OpenCAT's own design. */
  readonly source: string
  readonly fields: readonly EventField[]
  /** Field by name (reserved positions are left out). */
  readonly byName: ReadonlyMap<string, EventField>
}

/** A name/value pair set such as timeInForce or handlingInstructions. */
export interface NameValueSpec {
  readonly name: string
  readonly entries: ReadonlyMap<string, DataType>
  /** timeInForce holds exactly one entry. */
  readonly exactlyOne: boolean
}

/** A complete, frozen catalogue for one file version. */
export interface Catalogue {
  readonly version: string
  readonly events: ReadonlyMap<string, EventSpec>
  readonly choices: ReadonlyMap<string, ReadonlySet<string>>
  readonly nameValues: ReadonlyMap<string, NameValueSpec>
}
