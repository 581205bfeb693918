/** The form in which event layouts are written before the catalogue resolves them. */
import type { EventClass, KeyKind } from '../types.ts'

/** An event layout as written in the tables: the fields after the common header, in CSV order. */
export interface EventDraft {
  readonly type: string
  readonly title: string
  readonly key: KeyKind
  readonly eventClass: EventClass
  readonly doc: string
  readonly layout: string
  /** The header, when it is not the IM header (exchange events use their own). */
  readonly header?: string
  readonly source?: string
}

/** A change v4 makes to a v2.2.1 layout: positions it overwrites and fields it appends. */
export interface LayoutChange {
  readonly type: string
  readonly set?: Readonly<Record<number, string>>
  readonly append?: string
  readonly source: string
}
