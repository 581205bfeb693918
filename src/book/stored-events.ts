/**
 * Exchange records from the repository's store as book events: the current version of every EXOA, EXOM,
 * EXOC, EXOT, EXQT, EXTS and EXOR of one venue, symbol and event date, in event-time order (ties in the order the
 * records were stored), converted with `fromExchangeRecord`. The current versions come from the date's
 * day index when it is fresh (a symbol's rows are in its symbol's bucket), else from the
 * store's `current_events` view.
 */
import { currentEventsOf } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import type { BookEvent } from './book-event.ts'
import { indexedVenues } from './checkpoints-day-index.ts'
import { fromExchangeRecord } from './from-exchange-record.ts'

/** Where a book event came from in the store: its record's time, file and line. */
export interface RecordKey {
  readonly ns: bigint
  readonly file: number
  readonly line: number
}

/** Book events with the store key of each one's record. */
export interface StoredBookEvents {
  readonly events: BookEvent[]
  readonly keys: RecordKey[]
  /** Records that could not be read as book events, with why. */
  readonly problems: { recordID: string; problem: string }[]
}

const BOOK_TYPES = "('EXOA', 'EXOM', 'EXOC', 'EXOT', 'EXQT', 'EXTS', 'EXOR')"
const FIELDS = [
  'recordID',
  'orderID',
  'priorOrderID',
  'side',
  'price',
  'quantity',
  'displayQty',
  'leavesQty',
  'cancelQty',
  'tradeID',
  'buyOrderID',
  'sellOrderID',
  'buyLeavesQty',
  'sellLeavesQty',
  'aggressorSide',
  'hiddenFlag',
  'tradingStatus',
  'routingParty',
  'quoteID',
  'bidPrice',
  'bidQty',
  'askPrice',
  'askQty',
]

/** The venue's book events of one symbol and date, after `after` (a record key) and up to `untilNs`. */
export async function readBookEvents(
  repo: Repository,
  venue: string,
  symbol: string,
  date: number,
  range: { after?: RecordKey; untilNs?: bigint } = {},
): Promise<StoredBookEvents> {
  const read = await readVenuesBookEvents(repo, symbol, date, [{ venue, after: range.after }], range.untilNs)
  return read.get(venue) ?? toBookEvents(venue, [])
}

/**
 * Several venues' book events of one symbol and date in one read: each venue's after its own record key
 * (none: from the day's first), all up to `untilNs`; venue → events in `readBookEvents`'s order.
 */
export async function readVenuesBookEvents(
  repo: Repository,
  symbol: string,
  date: number,
  venues: readonly { venue: string; after?: RecordKey | undefined }[],
  untilNs?: bigint,
): Promise<Map<string, StoredBookEvents>> {
  const out = new Map<string, StoredBookEvents>()
  if (venues.length === 0) return out
  const params: (string | number)[] = [symbol, date]
  const each = venues.map(({ venue, after }) => {
    params.push(venue)
    const v = `_reporter = $${params.length}`
    if (!after) return `(${v})`
    return `(${v} AND (_event_ns > ${after.ns} OR (_event_ns = ${after.ns} AND (_file_id > ${after.file} OR (_file_id = ${after.file} AND _line > ${after.line})))))`
  })
  const conditions = ['symbol = $1', 'event_date = $2', `_type IN ${BOOK_TYPES}`, `(${each.join(' OR ')})`]
  if (untilNs !== undefined) conditions.push(`_event_ns <= ${untilNs}`)
  const rows = await bookRows(
    repo,
    `FROM ${await currentEventsOf(repo, date, [symbol])} WHERE ${conditions.join(' AND ')}
     ORDER BY _reporter, _event_ns, _file_id, _line`,
    params,
  )
  for (const { venue, run } of symbolVenueRuns(rows)) out.set(venue, toBookEvents(venue, run.map(recordOf)))
  return out
}

/**
 * Every venue's book events of every symbol on a date, in one pass over the store: symbol → venue → events
 * in the same order `readBookEvents` gives (for day-wide measures over all books).
 */
export async function readDayBookEvents(
  repo: Repository,
  date: number,
): Promise<Map<string, Map<string, BookEvent[]>>> {
  const rows = await bookRows(
    repo,
    `FROM ${await currentEventsOf(repo, date)} WHERE event_date = $1 AND _type IN ${BOOK_TYPES}
     ORDER BY symbol, _reporter, _event_ns, _file_id, _line`,
    [date],
  )
  const out = new Map<string, Map<string, BookEvent[]>>()
  for (const { symbol, venue, run } of symbolVenueRuns(rows))
    symbolVenues(out, symbol).set(venue, toBookEvents(venue, run.map(recordOf)).events)
  return out
}

/**
 * Every venue's book events of one symbol and date, in one pass over the store: venue (in `venuesOf`'s order)
 * → events in the order `readBookEvents` gives, with their store keys.
 */
export async function readSymbolBookEvents(
  repo: Repository,
  symbol: string,
  date: number,
): Promise<Map<string, StoredBookEvents>> {
  const rows = await bookRows(
    repo,
    `FROM ${await currentEventsOf(repo, date, [symbol])} WHERE symbol = $1 AND event_date = $2 AND _type IN ${BOOK_TYPES}
     ORDER BY _reporter, _event_ns, _file_id, _line`,
    [symbol, date],
  )
  const out = new Map<string, StoredBookEvents>()
  for (const { venue, run } of symbolVenueRuns(rows)) out.set(venue, toBookEvents(venue, run.map(recordOf)))
  return out
}

/**
 * Every venue's book events of every symbol in `scan` (rows with the columns of `current_events`, of one
 * date: a bucket of a day index build being written), symbol → venue → events, as `readSymbolBookEvents`
 * gives them for each symbol.
 */
export async function readScanBookEvents(
  repo: Repository,
  scan: string,
): Promise<Map<string, Map<string, StoredBookEvents>>> {
  return scanBookEvents(await readScanBookRows(repo, scan))
}

/** The book records of a scan as the engine hands them over, for `scanBookEvents`. */
export type ScanBookRows = readonly BookRow[]

/**
 * The book records `readScanBookEvents` converts, as the engine hands them over: a caller converting one
 * scan's records while the engine reads the next one's keeps both busy.
 */
export function readScanBookRows(repo: Repository, scan: string): Promise<ScanBookRows> {
  return bookRows(
    repo,
    `FROM ${scan} WHERE symbol IS NOT NULL AND _type IN ${BOOK_TYPES}
     ORDER BY symbol, _reporter, _event_ns, _file_id, _line`,
  )
}

/** The book events of `readScanBookRows`' records, symbol → venue → events, as `readScanBookEvents` gives. */
export function scanBookEvents(rows: ScanBookRows): Map<string, Map<string, StoredBookEvents>> {
  const out = new Map<string, Map<string, StoredBookEvents>>()
  for (const { symbol, venue, run } of symbolVenueRuns(rows))
    symbolVenues(out, symbol).set(venue, toBookEvents(venue, run.map(recordOf)))
  return out
}

/** A book record as the engine hands it over: its venue and symbol, and the rest as one JSON text. */
interface BookRow {
  readonly _reporter: string
  readonly symbol: string
  readonly j: string
}

/**
 * The book records `from` (a FROM clause with its filter and order) selects. Each record comes as one
 * JSON text: handing the engine's values to JavaScript column by column costs about twice as much.
 */
async function bookRows(repo: Repository, from: string, params?: (string | number)[]): Promise<BookRow[]> {
  return repo.db.allValues<BookRow>(`SELECT _reporter, symbol, ${JSON_RECORD} AS j ${from}`, params)
}

function recordOf(row: BookRow): Record<string, unknown> {
  return JSON.parse(row.j) as Record<string, unknown>
}

/** Rows sorted by symbol then venue, cut into each symbol's and venue's run. */
function* symbolVenueRuns<R extends { readonly symbol: string; readonly _reporter: string }>(
  rows: readonly R[],
): Generator<{ symbol: string; venue: string; run: R[] }> {
  let start = 0
  for (let i = 1; i <= rows.length; i++) {
    const a = rows[start]
    const b = rows[i]
    if (b !== undefined && b.symbol === a.symbol && b._reporter === a._reporter) continue
    yield { symbol: String(a.symbol), venue: String(a._reporter), run: rows.slice(start, i) }
    start = i
  }
}

function symbolVenues<V>(out: Map<string, Map<string, V>>, symbol: string): Map<string, V> {
  let venues = out.get(symbol)
  if (!venues) out.set(symbol, (venues = new Map()))
  return venues
}

/** A record's columns `toBookEvents` reads, as one JSON object of text (and its file and line numbers). */
const JSON_RECORD = `to_json(struct_pack(_type, ns := CAST(_event_ns AS VARCHAR), _file_id, _line, symbol, ${FIELDS.map((f) => (f === 'hiddenFlag' ? `"${f}"` : `"${f}" := CAST("${f}" AS VARCHAR)`)).join(', ')}))::VARCHAR`

/** Book events of a venue's records (read back as JSON: absent fields are null), in the records' order. */
function toBookEvents(venue: string, rows: Record<string, unknown>[]): StoredBookEvents {
  const events: BookEvent[] = []
  const keys: RecordKey[] = []
  const problems: StoredBookEvents['problems'] = []
  for (let seq = 0; seq < rows.length; seq++) {
    const r = rows[seq]
    const ns = BigInt(r.ns as string)
    r.exchange = venue
    r.eventTimestamp = { ns, digits: 9, form: 'number' }
    const out = fromExchangeRecord(r._type as string, r, seq)
    if (out.problem) problems.push({ recordID: String(r.recordID), problem: out.problem })
    const key = { ns, file: r._file_id as number, line: r._line as number }
    for (const ev of out.events) {
      events.push(ev)
      keys.push(key)
    }
  }
  return { events, keys, problems }
}

/** Venues with exchange records of a symbol on a date. */
export async function venuesOf(repo: Repository, symbol: string, date: number): Promise<string[]> {
  const indexed = await indexedVenues(repo, symbol, date)
  if (indexed) return indexed
  const rows = await repo.db.all<{ v: string }>(
    `SELECT DISTINCT _reporter AS v FROM ${await currentEventsOf(repo, date, [symbol])} WHERE symbol = $1 AND event_date = $2 AND _type IN ${BOOK_TYPES} ORDER BY v`,
    [symbol, date],
  )
  return rows.map((r) => r.v)
}
