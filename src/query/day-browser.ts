/**
 * A day's events page by page: the current version of every record of one event date, optionally of one
 * symbol, one reporter and a window of Eastern Time, in time order (ties by event id). A page ends with a
 * cursor naming its last event; the next page starts right after it, so pages never overlap or skip, and
 * together they hold every event of the selection exactly once.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { clockOn } from '../common/time/clock-on.ts'
import { lifecyclesOfKeys, lifecyclesOfVersions } from '../link/lifecycle-keys.ts'
import { currentRuns } from '../link/linkage-layout.ts'
import { literal } from '../store/database.ts'
import {
  countsScan,
  currentScan,
  type DayIndex,
  dayIndexWithLifecycles,
  freshDayIndex,
} from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { formatDecimal } from './display-format.ts'
import { timelineScan } from './timeline-day-index.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** What to browse. */
export interface BrowseQuery {
  /** Event date, YYYYMMDD. */
  readonly eventDate: number
  readonly symbol?: string
  /** Reporter: IMID or Exchange ID. */
  readonly reporter?: string
  /** Start of the window, `HH:MM:SS[.fffffffff]` Eastern Time on the date (inclusive). */
  readonly from?: string
  /** End of the window, `HH:MM:SS[.fffffffff]` Eastern Time on the date (inclusive). */
  readonly to?: string
  /** Events per page. @default 100 */
  readonly limit?: number
  /** The `next` cursor of the previous page. */
  readonly after?: string
}

/** One event of a page. */
export interface BrowseEvent {
  readonly eventId: string
  readonly eventNs: string
  /** CAT timestamp in Eastern Time, with the digits the reporter wrote. */
  readonly eventTimestamp: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly action: string
  readonly symbol: string | null
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  readonly orderID: string | null
  readonly routedOrderID: string | null
  readonly lifecycleIds: string[]
}

/** One page. */
export interface BrowsePage {
  readonly eventDate: number
  readonly symbol: string | null
  readonly reporter: string | null
  /** The window as instants (UTC ns, inclusive); null for a side not asked for. */
  readonly fromNs: string | null
  readonly toNs: string | null
  readonly events: BrowseEvent[]
  /** The cursor of the next page; null on the last page. */
  readonly next: string | null
  /** Events of the whole selection: given on the first page only. */
  readonly total?: number
}

/** Events per page unless asked otherwise, and the most a page may hold. */
export const BROWSE_LIMIT = 100
export const BROWSE_MAX_LIMIT = 10_000

/** One page of `q`. */
export async function browseDay(repo: Repository, q: BrowseQuery): Promise<BrowsePage> {
  const limit = q.limit ?? BROWSE_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > BROWSE_MAX_LIMIT)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `the limit must be a whole number from 1 to ${BROWSE_MAX_LIMIT}`,
    )
  // Without a window, every event of the date (a record's date is its eventTimestamp's, in ET).
  const fromNs = q.from === undefined ? -MAX_NS : clockOn(q.eventDate, q.from)
  const toNs = q.to === undefined ? MAX_NS : clockOn(q.eventDate, q.to)
  if (toNs < fromNs) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the window ends before it starts')
  const cursor = q.after === undefined ? { ns: fromNs - 1n, id: 0n } : parseCursor(q.after)
  const filters = [
    ...(q.symbol ? [`AND symbol = ${literal(q.symbol)}`] : []),
    ...(q.reporter ? [`AND _reporter = ${literal(q.reporter)}`] : []),
  ].join(' ')
  const first = q.after === undefined
  // A reporter's events without a symbol are quicker from the store's view of the date (the reporter is
  // one of the columns its current versions are resolved by, so the engine filters before resolving) than
  // from the day index, whose files are bucketed by symbol.
  const index = q.reporter && !q.symbol ? undefined : await freshDayIndex(repo, q.eventDate)
  // Every symbol's events in time order: from the index's timeline when the build has one, with their
  // lifecycle ids when the build's are the date's current run's.
  const timeline = index && !q.symbol ? timelineScan(repo, index) : undefined
  const timelineIds =
    timeline !== undefined &&
    (await dayIndexWithLifecycles(repo, q.eventDate, currentRuns(repo.paths).get(q.eventDate))) !== undefined
  const rows = await repo.db.all<Record<string, string | number | null>>(
    sql('browse-events', {
      DAY:
        timeline ??
        (index
          ? await currentScan(repo, index, q.symbol ? [q.symbol] : undefined)
          : `current_events_of(${Number(q.eventDate)})`),
      FILTERS: filters,
      TOTAL: first && !index ? 'count(*) OVER ()::VARCHAR' : 'NULL',
      LIFECYCLES: timelineIds ? 'lifecycle_ids' : 'NULL::VARCHAR[]',
    }),
    [q.eventDate, cursor.ns, cursor.id.toString(), fromNs, toNs, limit + 1],
  )
  const page = rows.slice(0, limit)
  // A symbol's page names each version's lifecycles from the index's rows of that symbol's one bucket;
  // looked up by their records' keys, a busy symbol's page would read every key bucket of the run.
  const bySymbol = index !== undefined && q.symbol !== undefined
  const lifecycles = timelineIds
    ? new Map<string, string[]>()
    : bySymbol
      ? await lifecyclesOfVersions(
          repo,
          q.eventDate,
          page.map((r) => ({ key: BigInt(String(r.key_num)), eventId: String(r.event_id) })),
          [q.symbol as string],
        )
      : await lifecyclesOfKeys(
          repo,
          q.eventDate,
          page.map((r) => BigInt(String(r.key_num))),
        )
  const total = !first
    ? undefined
    : index
      ? await indexedTotal(
          repo,
          index,
          q.symbol,
          filters,
          q.from === undefined && q.to === undefined,
          fromNs,
          toNs,
          timeline,
        )
      : Number(rows[0]?.total ?? 0)
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v))
  const last = page[page.length - 1]
  return {
    eventDate: q.eventDate,
    symbol: q.symbol ?? null,
    reporter: q.reporter ?? null,
    fromNs: q.from === undefined ? null : fromNs.toString(),
    toNs: q.to === undefined ? null : toNs.toString(),
    events: page.map((r) => ({
      eventId: String(r.event_id),
      eventNs: String(r.event_ns),
      eventTimestamp: formatCatTimestamp(BigInt(String(r.event_ns)), Number(r._ts_digits ?? 9)),
      reporter: String(r._reporter),
      firmROEID: String(r._roe_id),
      type: String(r._type),
      action: String(r._action),
      symbol: text(r.symbol),
      side: text(r.side),
      price: r.price === null ? null : formatDecimal(String(r.price)),
      quantity: r.quantity === null ? null : formatDecimal(String(r.quantity)),
      orderID: text(r.orderID),
      routedOrderID: text(r.routedOrderID),
      lifecycleIds: timelineIds
        ? ((r.lifecycle_ids as unknown as string[] | null) ?? [])
        : (lifecycles.get(String(bySymbol ? r.event_id : r.key_num)) ?? []),
    })),
    next: rows.length > limit && last ? `${last.event_ns}.${last.event_id}` : null,
    ...(total === undefined ? {} : { total }),
  }
}

/**
 * The size of a selection from the day index: the counts per symbol and reporter for a whole day, else a
 * count of the window's rows of the current versions (reading only the columns the filters name).
 */
async function indexedTotal(
  repo: Repository,
  index: DayIndex,
  symbol: string | undefined,
  filters: string,
  wholeDay: boolean,
  fromNs: bigint,
  toNs: bigint,
  timeline: string | undefined,
): Promise<number> {
  const row = wholeDay
    ? await repo.db.one<{ n: string }>(
        `SELECT coalesce(sum(current), 0)::VARCHAR AS n FROM ${countsScan(repo, index)} WHERE true ${filters}`,
      )
    : await repo.db.one<{ n: string }>(
        `SELECT count(*)::VARCHAR AS n FROM ${timeline ?? (await currentScan(repo, index, symbol ? [symbol] : undefined))} WHERE _event_ns BETWEEN $1 AND $2 ${filters}`,
        [fromNs, toNs],
      )
  return Number(row?.n ?? 0)
}

const MAX_NS = 9_223_372_036_854_775_807n

function parseCursor(text: string): { ns: bigint; id: bigint } {
  const m = /^(-?\d{1,20})\.(\d{1,20})$/.exec(text)
  if (!m) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `"${text}" is not a cursor a page gave (next)`)
  return { ns: BigInt(m[1]), id: BigInt(m[2]) }
}
