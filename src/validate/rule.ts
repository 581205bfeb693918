/**
 * A validation rule is data: a CAT code, the fields it reads, a message, and an SQL predicate that is true
 * for a record breaking the rule. The engine evaluates every rule over a whole batch of records at once.
 */

/** One record-level rule. */
export interface Rule {
  /** Stable name, used in docs and tests. */
  readonly id: string
  readonly code: number
  /** Fields the predicate reads. The rule applies to every event type whose layout has them all. */
  readonly fields: readonly string[]
  /** Narrows the event types (default: every type that has all `fields`). */
  readonly events?: readonly string[]
  /** File versions whose records it applies to (default: every version). */
  readonly versions?: readonly string[]
  /** Which actions it applies to (default: NEW, COR, RPR). */
  readonly actions?: readonly ('NEW' | 'COR' | 'RPR' | 'DEL')[]
  readonly message: string
  /**
   * SQL over one batch table: true when the record breaks the rule. Columns are the CAT field names and the
   * meta columns (_reporter, _submitter, _event_ns, _ts_digits, event_date, _received_ns, _now_ns,
   * _generation_date); for event types with a symbol, the reference facts looked up once at staging:
   * _symbol_known, _symbol_effective (on the event date), _symbol_nms, _reporter_ats (the file's reporter is an
   * ATS on the event date). Reference tables (ref_symbols, ref_imids, ref_exchanges) and the store views
   * (events, rejects) may be used in subqueries.
   */
  readonly when: string
  /** A change to a valid record that breaks the rule: the test of the rule, and an example in the docs. */
  readonly example: {
    readonly type: string
    readonly set: Readonly<Record<string, unknown>>
    readonly reporter?: 'ATS'
    /** The file version the example record is written in, when its event type is new in that version. */
    readonly fileVersion?: '4.1.0'
  }
}
