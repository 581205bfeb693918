/**
 * The day index's NBBO part (docs/formats/day-index.md): each symbol's NBBO series, built once from every
 * venue's book events when the date's day index is written, so that a window of a busy symbol starts from
 * the NBBO in force at its start instead of rebuilding every venue's book from the open. The series is the
 * one `buildNbbo` gives over the symbol's day (a change is never revised by later events, so a window's
 * changes are those of a series built up to its end).
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DuckDBAppender } from '@duckdb/node-api'
import { sqlTemplates } from '../common/sql-templates.ts'
import { freshPartScan } from '../store/day-index.ts'
import type { DayIndexPart } from '../store/day-index-write.ts'
import type { Repository } from '../store/repository.ts'
import { BOOK_CHECKPOINTS_PART } from './checkpoints-day-index.ts'
import { buildNbbo, mergeBookEvents, type Nbbo, type VenueTopChange } from './nbbo.ts'
import { formatPrice, parsePrice, parseQuantity } from './price.ts'
import { checkpointsOfEvents } from './stored-books.ts'
import { readScanBookRows, scanBookEvents } from './stored-events.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'book')

/** The part's name: its folder in a build and its key in the manifest's `parts`. */
export const NBBO_PART = 'nbbo'

/** The NBBO part's companion: every venue's own best bid and offer as it changed, per symbol. */
export const VENUE_QUOTES_PART = 'venue-quotes'

interface BuiltSeries {
  readonly bucket: number
  readonly symbol: string
  readonly changes: readonly Nbbo[]
  readonly tops: readonly VenueTopChange[]
  /** Each venue's book events of the day and its checkpoints as JSON. */
  readonly books: readonly { venue: string; events: number; checkpoints: string }[]
}

/**
 * Writes every symbol's NBBO series of the build, each venue's top of book changes the series is built from,
 * and each venue's book checkpoints, bucket by bucket of its current versions.
 */
export const nbboDayIndexPart: DayIndexPart = {
  name: NBBO_PART,
  companions: [VENUE_QUOTES_PART, BOOK_CHECKPOINTS_PART],
  // Most of its work is JavaScript (each book record converted, each series built): written on its own
  // connection, it leaves the engine a core for the store's parts meanwhile.
  beside: true,
  async write(build) {
    const db = build.repo.db
    await db.run(
      `CREATE OR REPLACE TEMP TABLE di_nbbo (bucket INTEGER, symbol VARCHAR, ns BIGINT, venue VARCHAR, seq INTEGER,
        bid_price VARCHAR, bid_size HUGEINT, bid_venues VARCHAR, ask_price VARCHAR, ask_size HUGEINT, ask_venues VARCHAR);
       CREATE OR REPLACE TEMP TABLE di_venue_quotes (bucket INTEGER, symbol VARCHAR, venue VARCHAR, n INTEGER,
        ns BIGINT, bid_price VARCHAR, bid_size HUGEINT, ask_price VARCHAR, ask_size HUGEINT);
       CREATE OR REPLACE TEMP TABLE di_book_checkpoints (bucket INTEGER, symbol VARCHAR, venue VARCHAR,
        events INTEGER, checkpoints VARCHAR)`,
    )
    let rows = 0
    let quotes = 0
    let books = 0
    try {
      const appender = await db.connection.createAppender('di_nbbo', 'main', 'temp')
      const quoteAppender = await db.connection.createAppender('di_venue_quotes', 'main', 'temp')
      const bookAppender = await db.connection.createAppender('di_book_checkpoints', 'main', 'temp')
      const price = (a: DuckDBAppender, p: bigint | undefined) =>
        p === undefined ? a.appendNull() : a.appendVarchar(formatPrice(p))
      // Sizes go in as their units (1e-6 shares) and the COPY scales them: the engine's cast of decimal
      // text to DECIMAL(38,6) cost several seconds a day, more than building every series.
      const append = (series: readonly BuiltSeries[]) => {
        for (const { bucket, symbol, changes, tops, books: venueBooks } of series) {
          for (const c of changes) {
            appender.appendInteger(bucket)
            appender.appendVarchar(symbol)
            appender.appendBigInt(c.ns)
            appender.appendVarchar(c.venue)
            appender.appendInteger(c.seq)
            price(appender, c.bidPrice)
            appender.appendHugeInt(c.bidSize)
            appender.appendVarchar(c.bidVenues.join(','))
            price(appender, c.askPrice)
            appender.appendHugeInt(c.askSize)
            appender.appendVarchar(c.askVenues.join(','))
            appender.endRow()
            rows++
          }
          for (let n = 0; n < tops.length; n++) {
            const t = tops[n]
            quoteAppender.appendInteger(bucket)
            quoteAppender.appendVarchar(symbol)
            quoteAppender.appendVarchar(t.venue)
            quoteAppender.appendInteger(n)
            quoteAppender.appendBigInt(t.ns)
            price(quoteAppender, t.bidPrice)
            quoteAppender.appendHugeInt(t.bidSize)
            price(quoteAppender, t.askPrice)
            quoteAppender.appendHugeInt(t.askSize)
            quoteAppender.endRow()
            quotes++
          }
          for (const b of venueBooks) {
            bookAppender.appendInteger(bucket)
            bookAppender.appendVarchar(symbol)
            bookAppender.appendVarchar(b.venue)
            bookAppender.appendInteger(b.events)
            bookAppender.appendVarchar(b.checkpoints)
            bookAppender.endRow()
            books++
          }
        }
      }
      try {
        // One bucket's book records at a time (a bucket holds about 100,000 current versions), the engine
        // reading the next bucket's while JavaScript converts this one's and builds its series; a bucket's
        // series is appended once that read is over, as the connection runs one statement at a time.
        const read = (b: number) => readScanBookRows(build.repo, build.current(b))
        let next = build.buckets > 0 ? read(0) : undefined
        let built: BuiltSeries[] = []
        try {
          for (let b = 0; next !== undefined; b++) {
            const records = await next
            append(built)
            next = b + 1 < build.buckets ? read(b + 1) : undefined
            built = []
            for (const [symbol, venues] of scanBookEvents(records)) {
              const tops: VenueTopChange[] = []
              const events = mergeBookEvents([...venues.values()].map((v) => v.events))
              const { changes } = buildNbbo(events, (t) => tops.push(t))
              const venueBooks = [...venues].map(([venue, v]) => ({
                venue,
                events: v.events.length,
                checkpoints: JSON.stringify(checkpointsOfEvents(venue, symbol, v)),
              }))
              built.push({ bucket: b, symbol, changes, tops, books: venueBooks })
            }
          }
        } catch (e) {
          // The next bucket's read may still be running: the connection is left idle before anything else.
          await next?.catch(() => undefined)
          throw e
        }
        append(built)
      } finally {
        appender.closeSync()
        quoteAppender.closeSync()
        bookAppender.closeSync()
      }
      const encryption = build.encryption
      if (rows > 0) await db.run(sql('day-nbbo-write', { DIR: sqlPath(build.dir), ENCRYPTION: encryption }))
      if (quotes > 0) {
        const dir = sqlPath(build.companion(VENUE_QUOTES_PART))
        await db.run(sql('day-venue-quotes-write', { DIR: dir, ENCRYPTION: encryption }))
      }
      if (books > 0) {
        const dir = sqlPath(build.companion(BOOK_CHECKPOINTS_PART))
        await db.run(sql('day-book-checkpoints-write', { DIR: dir, ENCRYPTION: encryption }))
      }
      return { [NBBO_PART]: rows, [VENUE_QUOTES_PART]: quotes, [BOOK_CHECKPOINTS_PART]: books }
    } finally {
      await db.run(
        'DROP TABLE IF EXISTS di_nbbo; DROP TABLE IF EXISTS di_venue_quotes; DROP TABLE IF EXISTS di_book_checkpoints',
      )
    }
  },
}

function sqlPath(p: string): string {
  return p.replaceAll("'", "''")
}

/**
 * Narrows a window's rows before they are read (a chart's thinning): a query over the relation `picked`
 * keeping its columns and adding `_total`, the rows of the row's series before narrowing (`series`: the
 * column naming it, none for a single series), given the columns of a row's prices and of its order.
 */
export type WindowRowsFilter = (columns: {
  readonly series: string | undefined
  readonly bid: string
  readonly ask: string
  readonly order: string
  /** The market state (`normal`, `locked`, `crossed`) a row puts in force, for the NBBO. */
  readonly state?: string
}) => string

/** The state of the market a row of the NBBO part puts in force, as `marketStateOf` gives it. */
const NBBO_STATE =
  "CASE WHEN bid_price > ask_price THEN 'crossed' WHEN bid_price = ask_price THEN 'locked' ELSE 'normal' END"

/** A window's every row, with no total: the `KEEP` of a window query not narrowed. */
export const ALL_ROWS = 'SELECT *, NULL::BIGINT AS _total FROM picked'

/** A change of the NBBO part as a query reads it (instants, amounts as text). */
export interface NbboRow {
  readonly ns: string
  readonly venue: string
  readonly seq: number
  readonly bid_price: string | null
  readonly bid_size: string
  readonly bid_venues: string[]
  readonly ask_price: string | null
  readonly ask_size: string
  readonly ask_venues: string[]
}

/** The NBBO a row of the part holds. */
export function nbboOfRow(r: NbboRow): Nbbo {
  return {
    ns: BigInt(r.ns),
    venue: r.venue,
    seq: r.seq,
    bidPrice: r.bid_price === null ? undefined : parsePrice(r.bid_price),
    bidSize: parseQuantity(r.bid_size) ?? 0n,
    bidVenues: r.bid_venues,
    askPrice: r.ask_price === null ? undefined : parsePrice(r.ask_price),
    askSize: parseQuantity(r.ask_size) ?? 0n,
    askVenues: r.ask_venues,
  }
}

/** A symbol's NBBO over a window: the state in force at its start and every change after it. */
export interface NbboWindow {
  readonly opening: Nbbo | undefined
  readonly changes: readonly Nbbo[]
  /** With a filter: the changes (the opening included) the window holds before it narrowed them. */
  readonly total?: number
}

/**
 * The NBBO of `symbol` over (fromNs, toNs] of its date, with the state at `fromNs`, from the date's fresh day
 * index when it has the NBBO part; undefined otherwise (the caller builds the series from the book events).
 */
export async function indexedNbboWindow(
  repo: Repository,
  symbol: string,
  date: number,
  fromNs: bigint,
  toNs: bigint,
  filter?: WindowRowsFilter,
): Promise<NbboWindow | undefined> {
  const part = await freshPartScan(repo, date, NBBO_PART, symbol)
  if (part === undefined) return undefined
  const scan = part.scan
  if (scan === undefined) return { opening: undefined, changes: [], ...(filter ? { total: 0 } : {}) }
  const keep = filter
    ? filter({ series: undefined, bid: 'bid_price', ask: 'ask_price', order: 'seq', state: NBBO_STATE })
    : ALL_ROWS
  const rows = await repo.db.allValues<NbboRow & { _total: bigint | null }>(
    sql('day-nbbo-window', { NBBO: scan, KEEP: keep }),
    [symbol, fromNs, toNs],
  )
  const all = rows.map(nbboOfRow)
  const opening = all[0] !== undefined && all[0].ns <= fromNs ? all[0] : undefined
  return {
    opening,
    changes: opening ? all.slice(1) : all,
    ...(filter ? { total: Number(rows[0]?._total ?? 0) } : {}),
  }
}

/** Each venue's top of book changes over a window (see `indexedVenueQuotes`). */
export interface VenueQuotesWindow {
  /** Venues in name order, each's changes in the order they happened. */
  readonly quotes: Map<string, VenueTopChange[]>
  /** With a filter: each venue's changes the window holds before it narrowed them. */
  readonly totals?: Map<string, number>
}

/**
 * Each venue's top of book changes of `symbol` over (fromNs, toNs] of its date, the last of each nanosecond,
 * with the venue's state at `fromNs` first when it had one, from the date's fresh day index when it has the
 * venues' quotes; undefined otherwise (the caller rebuilds the books).
 */
export async function indexedVenueQuotes(
  repo: Repository,
  symbol: string,
  date: number,
  fromNs: bigint,
  toNs: bigint,
  filter?: WindowRowsFilter,
): Promise<VenueQuotesWindow | undefined> {
  const part = await freshPartScan(repo, date, VENUE_QUOTES_PART, symbol)
  if (part === undefined) return undefined
  const quotes = new Map<string, VenueTopChange[]>()
  const totals = new Map<string, number>()
  const found = filter ? { quotes, totals } : { quotes }
  const scan = part.scan
  if (scan === undefined) return found
  const keep = filter ? filter({ series: 'venue', bid: 'bid_price', ask: 'ask_price', order: 'n' }) : ALL_ROWS
  const rows = await repo.db.allValues<{
    venue: string
    n: number
    ns: string
    bid_price: string | null
    bid_size: string
    ask_price: string | null
    ask_size: string
    _total: bigint | null
  }>(sql('day-venue-quotes-window', { QUOTES: scan, KEEP: keep }), [symbol, fromNs, toNs])
  for (const r of rows) {
    let changes = quotes.get(r.venue)
    if (changes === undefined) quotes.set(r.venue, (changes = []))
    if (r._total !== null) totals.set(r.venue, Number(r._total))
    changes.push({
      venue: r.venue,
      ns: BigInt(r.ns),
      seq: r.n,
      bidPrice: r.bid_price === null ? undefined : parsePrice(r.bid_price),
      bidSize: parseQuantity(r.bid_size) ?? 0n,
      askPrice: r.ask_price === null ? undefined : parsePrice(r.ask_price),
      askSize: parseQuantity(r.ask_size) ?? 0n,
    })
  }
  return found
}
