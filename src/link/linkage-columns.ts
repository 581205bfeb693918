/**
 * The files a linkage run writes, with their columns: the one description the writer, the views (empty
 * tables before a first run) and docs/formats/linkage.md share.
 */
import type { Column } from '../store/event-columns.ts'

/** The Parquet files of one run of one event date. */
export const LINKAGE_FILES = {
  members: [
    { name: 'lc_date', sqlType: 'INTEGER', doc: 'Lifecycle id, part 1: event date of its first event' },
    {
      name: 'lc_num',
      sqlType: 'BIGINT',
      doc: 'Lifecycle id, part 2: record key hash of its first event (the id is L<lc_date>-<lc_num in base 32>)',
    },
    {
      name: 'first',
      sqlType: 'BOOLEAN',
      doc: 'The earliest event of the lifecycle (its id derives from it)',
    },
    { name: '_event_id', sqlType: 'UBIGINT', doc: "The event's record version in the event store" },
  ],
  keys: [
    {
      name: 'key_num',
      sqlType: 'BIGINT',
      doc: 'Hash of reporter and record id (firmROEID or recordID), as hash(_reporter, _roe_id) >> 1',
    },
    { name: '_event_id', sqlType: 'UBIGINT', doc: 'Record version' },
    {
      name: 'lc_date',
      sqlType: 'INTEGER',
      doc: 'A lifecycle of the event (executions and fills have one per side)',
    },
    { name: 'lc_num', sqlType: 'BIGINT', doc: 'Its number' },
  ],
  links: [
    { name: 'lc_date', sqlType: 'INTEGER', doc: 'Lifecycle of the link source' },
    { name: 'lc_num', sqlType: 'BIGINT', doc: 'Its number' },
    {
      name: 'from_event_id',
      sqlType: 'UBIGINT',
      doc: 'Source: the event that established the key (or the route)',
    },
    { name: 'to_event_id', sqlType: 'UBIGINT', doc: 'Target: the secondary event (or the accept)' },
    {
      name: 'kind',
      sqlType: 'VARCHAR',
      doc: 'route, accept, cancel, modify, internalRoute, child, supplement, execution, fill, report, request',
    },
    {
      name: 'from_date',
      sqlType: 'INTEGER',
      doc: 'Event date of the source (earlier than the run date for keys of earlier days)',
    },
  ],
  findings: [
    {
      name: '_event_id',
      sqlType: 'UBIGINT',
      doc: 'The event the finding is about (its errorROEID in feedback)',
    },
    { name: 'subject_reporter', sqlType: 'VARCHAR', doc: 'Reporter of that event' },
    { name: 'subject_roe_id', sqlType: 'VARCHAR', doc: 'firmROEID or recordID of that event' },
    { name: 'subject_type', sqlType: 'VARCHAR', doc: 'Event type' },
    { name: 'recipient', sqlType: 'VARCHAR', doc: 'Reporter the finding is sent to' },
    { name: 'code', sqlType: 'INTEGER', doc: 'CAT linkage code' },
    { name: 'severity', sqlType: 'VARCHAR', doc: 'Error or Warning' },
    { name: 'linkage_type', sqlType: 'VARCHAR', doc: 'Intrafirm, Interfirm, Exchange or Trade' },
    {
      name: 'named',
      sqlType: 'BOOLEAN',
      doc: "A named error: about another reporter's record that names the recipient",
    },
    { name: 'counterparty', sqlType: 'VARCHAR', doc: 'The other reporter involved, when there is one' },
    { name: 'explanation', sqlType: 'VARCHAR', doc: 'Why, in words' },
    {
      name: 'candidates',
      sqlType: 'VARCHAR',
      doc: 'JSON: best candidate counterparts, ranked by matching key fields',
    },
  ],
  pairs: [
    { name: 'route_event_id', sqlType: 'UBIGINT', doc: 'The route (MEOR, EXOR)' },
    {
      name: 'accept_event_id',
      sqlType: 'UBIGINT',
      doc: 'The record that received it (MEOA, EXOA, or a modification MEOM/EXOM)',
    },
    { name: 'fam', sqlType: 'VARCHAR', doc: 'F firm to firm, E firm to exchange, X exchange to firm' },
    {
      name: 'edge',
      sqlType: 'BOOLEAN',
      doc: 'The receiver is an accept (false for a received modification, MEOM or EXOM)',
    },
    { name: 'route_reporter', sqlType: 'VARCHAR', doc: 'Sender' },
    { name: 'accept_reporter', sqlType: 'VARCHAR', doc: 'Receiver' },
    { name: 'route_ns', sqlType: 'BIGINT', doc: 'Route eventTimestamp' },
    { name: 'accept_ns', sqlType: 'BIGINT', doc: 'Accept eventTimestamp' },
  ],
  drift: [
    { name: 'reporter', sqlType: 'VARCHAR', doc: 'Reporter IMID or Exchange ID' },
    { name: 'kind', sqlType: 'VARCHAR', doc: 'firm or exchange' },
    {
      name: 'offset_ns',
      sqlType: 'BIGINT',
      doc: 'Estimated clock offset against the exchanges (positive: ahead)',
    },
    { name: 'pairs', sqlType: 'BIGINT', doc: 'Linked routes the estimate rests on' },
    { name: 'counterparties', sqlType: 'INTEGER', doc: 'Reporters it exchanged routes with' },
    {
      name: 'early_accepts',
      sqlType: 'BIGINT',
      doc: 'Its routes accepted before they were sent, plus its accepts stamped before the route',
    },
    { name: 'tolerance_ns', sqlType: 'BIGINT', doc: 'Allowed offset: 50 ms for firms, 100 µs for exchanges' },
    { name: 'flagged', sqlType: 'BOOLEAN', doc: 'Likely outside the tolerance' },
  ],
  nodes: [
    { name: '_event_id', sqlType: 'UBIGINT', doc: 'Every record version the run considered' },
    {
      name: 'open',
      sqlType: 'BOOLEAN',
      doc: 'Left for the next incremental run to look at again (unlinked, or with a finding)',
    },
  ],
} as const satisfies Record<string, readonly Column[]>

/** The tables split into hash buckets (a `bucket=K/` folder each). */
export const BUCKETED: ReadonlySet<string> = new Set(['members', 'keys', 'links'])

/** A linkage table name. */
export type LinkageTable = keyof typeof LINKAGE_FILES
