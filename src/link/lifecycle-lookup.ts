/**
 * Lifecycle lookups on the current linkage results: by an event's key (reporter and firmROEID or
 * recordID) or by lifecycle id. The date comes from the firmROEID's prefix or the id, the bucket from a
 * hash; the bucket's file of the run's lookup index says which record versions belong, with their text
 * (runs written before the index: the members bucket file, and the text from the few store files those
 * versions were written to).
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { type Database, ident, literal } from '../store/database.ts'
import { RepoPaths } from '../store/paths.ts'
import { parquetRead } from '../store/store-cipher.ts'
import {
  bucketFiles,
  bucketsOf,
  currentRuns,
  hasLookupIndex,
  lookupIndexFile,
  runDir,
} from './linkage-layout.ts'

/** How to find a lifecycle. */
export type LifecycleKey =
  | { readonly reporter: string; readonly firmROEID: string }
  | { readonly lifecycleId: string }

/** An event of a lifecycle. */
export interface LifecycleEvent {
  /** The record version linked (its `_event_id` in the store). */
  readonly eventId: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly eventTimestamp: string
  readonly eventDate: number
  readonly symbol?: string
  readonly side?: string
  readonly price?: string
  readonly quantity?: string
  /**
   * A multi-leg event's legs as reported (legDetails: legRefID, the leg's symbol or optionID, side,
   * legRatioQuantity, openCloseIndicator), every value as text; `symbol` is then the package's underlying.
   */
  readonly legs?: readonly Readonly<Record<string, string>>[]
}

/** A link of a lifecycle, its ends named by reporter and record id. */
export interface LifecycleLink {
  readonly from: { reporter: string; firmROEID: string }
  readonly to: { reporter: string; firmROEID: string }
  readonly kind: string
}

/** A whole lifecycle. */
export interface Lifecycle {
  readonly lifecycleId: string
  /** For an execution or fill looked up by key: the other lifecycles it also belongs to. */
  readonly alsoIn?: string[]
  readonly events: LifecycleEvent[]
  readonly links: LifecycleLink[]
}

/** Trims an exact decimal's trailing zeros (CAT writes `100`, not `100.000000`). */
export function trimDecimal(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined
  const s = String(v)
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** The two stored parts of a lifecycle id `L<date>-<13 base-32 digits>`, or undefined if it is not one. */
export function parseLifecycleId(id: string): { date: number; num: bigint } | undefined {
  const m = /^L([0-9]{8})-([0-9A-Va-v]{13})$/.exec(id)
  if (!m) return undefined
  let num = 0n
  for (const ch of m[2].toUpperCase()) num = num * 32n + BigInt(Number.parseInt(ch, 32))
  return { date: Number(m[1]), num }
}

// What a lifecycle shows of each event, as the lookup index stores it beside each member (the event
// time as text: it is a nanosecond count beyond a JavaScript number).
const TEXT_COLUMNS = [
  '_reporter',
  '_roe_id',
  '_type',
  'ns',
  '_ts_digits',
  'symbol',
  'side',
  'price',
  'quantity',
]
const INDEX_TEXT = TEXT_COLUMNS.map((c) => (c === 'ns' ? '_event_ns::VARCHAR AS ns' : c)).join(', ')
const NO_TEXT = TEXT_COLUMNS.map((c) => `NULL AS ${c}`).join(', ')

/** A column of a group of store files, typed, or NULL when those files do not have it. */
type StoreColumn = (name: string, type: string) => string

/** Event text by record version, read from the store files of the source files those versions came in. */
function eventText(
  db: Database,
  events: string,
  refs: { eventDate: number; eventId: bigint }[],
): Promise<Map<string, Record<string, unknown>>> {
  return storeRows(
    db,
    events,
    refs,
    (col) => `_event_id::VARCHAR AS id, _reporter, _roe_id, _type, _event_ns::VARCHAR AS ns, _ts_digits,
      coalesce(${col('symbol', 'VARCHAR')}, ${col('optionID', 'VARCHAR')}) AS symbol, ${col('side', 'VARCHAR')} AS side,
      ${col('price', 'VARCHAR')} AS price, ${col('quantity', 'VARCHAR')} AS quantity`,
  )
}

/**
 * Multi-leg events' underlying and legs, from the store: the lookup index keeps what every event shows,
 * and only a package's events have legs, so a lifecycle with one opens the few store files they are in.
 */
async function packageLegs(
  db: Database,
  events: string,
  refs: { eventDate: number; eventId: bigint }[],
): Promise<Map<string, { underlying?: string; legs: Record<string, string>[] }>> {
  const out = new Map<string, { underlying?: string; legs: Record<string, string>[] }>()
  if (refs.length === 0) return out
  const rows = await storeRows(
    db,
    events,
    refs,
    (col) =>
      `_event_id::VARCHAR AS id, ${col('underlying', 'VARCHAR')} AS underlying, ${col('legDetails', 'VARCHAR')} AS legs`,
  )
  for (const [id, r] of rows) {
    const parsed = r.legs == null ? [] : (JSON.parse(String(r.legs)) as Record<string, unknown>[])
    out.set(id, {
      ...(r.underlying != null ? { underlying: String(r.underlying) } : {}),
      legs: parsed.map((leg) =>
        Object.fromEntries(
          Object.entries(leg)
            .filter(([, v]) => v !== null && v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      ),
    })
  }
  return out
}

/** Rows of the given record versions, read from the store files of the source files they came in. */
async function storeRows(
  db: Database,
  events: string,
  refs: { eventDate: number; eventId: bigint }[],
  selectOf: (col: StoreColumn) => string,
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>()
  // Store files are named after the data file they came from (f<file id>_...), and _event_id carries the
  // file id in its high half: a lookup opens only those files, and within them the id range skips the
  // row groups that cannot hold the events (ids grow with the line).
  const groups = new Map<string, { files: string[]; ids: bigint[] }>()
  const listing = new Map<number, string[]>()
  for (const r of refs) {
    const dir = join(events, `event_date=${r.eventDate}`)
    if (!listing.has(r.eventDate))
      listing.set(r.eventDate, existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')) : [])
    const key = `${r.eventDate}/${r.eventId >> 32n}`
    let g = groups.get(key)
    if (!g) {
      const prefix = `f${r.eventId >> 32n}_`
      g = {
        files: listing
          .get(r.eventDate)!
          .filter((f) => f.startsWith(prefix))
          .map((f) => join(dir, f)),
        ids: [],
      }
      groups.set(key, g)
    }
    g.ids.push(r.eventId)
  }
  const live = [...groups.values()].filter((g) => g.files.length > 0)
  if (live.length === 0) return out
  // Store files hold only their event type's columns (a trade report has no side): each group selects
  // what its own files have. An encrypted store's files hold every column (store-cipher.ts).
  const columnsOf = new Map<string, Set<string>>()
  for (const r of db.cipher
    ? []
    : await db.all<{ file_name: string; name: string }>(
        `SELECT DISTINCT file_name, name FROM parquet_schema([${live
          .flatMap((g) => g.files)
          .map(literal)
          .join(', ')}])`,
      )) {
    const set = columnsOf.get(r.file_name) ?? new Set<string>()
    set.add(r.name)
    columnsOf.set(r.file_name, set)
  }
  const parts = live.map((g) => {
    const present = new Set(g.files.flatMap((f) => [...(columnsOf.get(f) ?? [])]))
    const col: StoreColumn = (c, type) =>
      db.cipher || present.has(c) ? `${ident(c)}::${type}` : `NULL::${type}`
    const select = selectOf(col)
    const sorted = [...g.ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const lo = sorted[0]
    const hi = sorted[sorted.length - 1]
    return `SELECT ${select} FROM ${parquetRead(db, `[${g.files.map(literal).join(', ')}]`, ['union_by_name = true'])}
      WHERE _event_id BETWEEN ${lo} AND ${hi} AND _event_id IN (${g.ids.map((i) => `${i}::UBIGINT`).join(', ')})`
  })
  for (const r of await db.all<Record<string, unknown>>(parts.join(' UNION ALL '))) out.set(String(r.id), r)
  return out
}

/**
 * Looks a lifecycle up; throws OCAT_ERR_NOT_FOUND when the key is unknown or not linked. The repository's
 * paths may be left out: they are found from the connection's catalogue.
 * @example
 * const lc = await lookupLifecycle(repo.db, repo.paths, { reporter: 'ALDR', firmROEID: '20260302_N1' })
 */
export async function lookupLifecycle(
  db: Database,
  pathsOrKey: RepoPaths | LifecycleKey,
  maybeKey?: LifecycleKey,
): Promise<Lifecycle> {
  const paths = pathsOrKey instanceof RepoPaths ? pathsOrKey : await repoPathsOf(db)
  const key = pathsOrKey instanceof RepoPaths ? maybeKey! : pathsOrKey
  const runs = currentRuns(paths)
  // One number's rows in the dates it can be in, from each date's current run: the number's bucket file,
  // or for members the run's lookup index (sorted by lifecycle, so one row group is read, and with the
  // events' text).
  const from = (
    table: 'members' | 'keys' | 'links',
    filter: { column: string; num: bigint; date?: number },
    dates: number[],
    columns: string,
  ) => {
    const where = `${filter.column} = ${filter.num}${filter.date === undefined ? '' : ` AND lc_date = ${filter.date}`}`
    const parts = dates.flatMap((d) => {
      const run = runs.get(d)
      if (run === undefined) return []
      const dir = runDir(paths, d, run)
      const bucket = filter.num % BigInt(bucketsOf(paths, d, run))
      if (table === 'members' && hasLookupIndex(dir)) {
        const file = lookupIndexFile(dir, bucket)
        return [
          `SELECT ${columns}, ${INDEX_TEXT}, ${d} AS event_date FROM ${parquetRead(db, literal(file))} WHERE ${where}`,
        ]
      }
      const files = bucketFiles(dir, table, bucket)
      const none = table === 'members' ? `, ${NO_TEXT}` : ''
      return files.length === 0
        ? []
        : [
            `SELECT ${columns}${none}, ${d} AS event_date FROM ${parquetRead(db, `[${files.map(literal).join(', ')}]`)} WHERE ${where}`,
          ]
    })
    return parts.length === 0 ? undefined : parts.join(' UNION ALL ')
  }
  let lc: { date: number; num: bigint } | undefined
  let wanted:
    | { reporter: string; firmROEID: string; candidates: { id: string; lc_date: number; lc_num: string }[] }
    | undefined
  if ('lifecycleId' in key) {
    lc = parseLifecycleId(key.lifecycleId)
    if (!lc)
      throw new OpenCatError(
        'OCAT_ERR_NOT_FOUND',
        `${key.lifecycleId} is not a lifecycle id (L<date>-<13 characters>)`,
        { lifecycleId: key.lifecycleId },
      )
  } else {
    const m = /^([0-9]{8})_/.exec(key.firmROEID)
    const hashed = await db.one<{ k: string }>(
      'SELECT (hash($1::VARCHAR, $2::VARCHAR) >> 1)::BIGINT::VARCHAR AS k',
      [key.reporter, key.firmROEID],
    )
    const k = BigInt(hashed!.k)
    const source = from(
      'keys',
      { column: 'key_num', num: k },
      m ? [Number(m[1])] : [...runs.keys()],
      '_event_id, lc_date, lc_num',
    )
    const candidates = source
      ? await db.all<{ id: string; lc_date: number; lc_num: string }>(
          `SELECT _event_id::VARCHAR AS id, lc_date, lc_num::VARCHAR AS lc_num FROM (${source}) ORDER BY lc_num`,
        )
      : []
    if (candidates.length === 0) throw notFound(key)
    // The hash narrows the search; the event's own text (read with its lifecycle) confirms the key.
    wanted = { ...key, candidates }
    lc = { date: Number(candidates[0].lc_date), num: BigInt(candidates[0].lc_num) }
  }
  const idOf = (c: { lc_date: number; lc_num: string }) => lifecycleIdOf(Number(c.lc_date), BigInt(c.lc_num))
  for (;;) {
    const at: { date: number; num: bigint } = lc
    // A lifecycle never starts after its first event's date.
    const dates = [...runs.keys()].filter((d) => d >= at.date)
    const found = await read(
      db,
      paths,
      at,
      from('members', { column: 'lc_num', num: at.num, date: at.date }, dates, '_event_id'),
      from(
        'links',
        { column: 'lc_num', num: at.num, date: at.date },
        dates,
        'from_event_id, to_event_id, kind',
      ),
    )
    if (!wanted) return found
    const me = found.events.find((e) => e.reporter === wanted!.reporter && e.firmROEID === wanted!.firmROEID)
    const others = wanted.candidates.filter(
      (c) => !(Number(c.lc_date) === at.date && BigInt(c.lc_num) === at.num),
    )
    if (me) {
      const alsoIn = [...new Set(others.map(idOf))]
      return { ...found, ...(alsoIn.length > 0 ? { alsoIn } : {}) }
    }
    // Another record with the same hash: try its next lifecycle.
    if (others.length === 0) throw notFound(wanted)
    wanted = { ...wanted, candidates: others }
    lc = { date: Number(others[0].lc_date), num: BigInt(others[0].lc_num) }
  }
}

/** Each connection's repository, asked of it once (a portal's connections answer many lookups). */
const PATHS = new WeakMap<Database, Promise<RepoPaths>>()

// A repository's catalogue is <root>/catalog.duckdb: the connection knows where it is.
function repoPathsOf(db: Database): Promise<RepoPaths> {
  let paths = PATHS.get(db)
  if (!paths) {
    paths = askRepoPaths(db)
    PATHS.set(db, paths)
    paths.catch(() => PATHS.delete(db))
  }
  return paths
}

async function askRepoPaths(db: Database): Promise<RepoPaths> {
  const row = await db.one<{ path: string }>(
    "SELECT path FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL AND path LIKE '%catalog.duckdb' LIMIT 1",
  )
  if (!row)
    throw new OpenCatError('OCAT_ERR_REPO_NOT_FOUND', 'the connection has no repository catalogue attached')
  return new RepoPaths(dirname(row.path))
}

/** The readable id of a lifecycle: `L<date>-<number in base 32, 13 digits>`. */
export function lifecycleIdOf(date: number, num: bigint): string {
  return `L${date}-${num.toString(32).toUpperCase().padStart(13, '0')}`
}

function notFound(key: { reporter: string; firmROEID: string }): OpenCatError {
  return new OpenCatError(
    'OCAT_ERR_NOT_FOUND',
    `no linked event ${key.firmROEID} of ${key.reporter} (is its date linked?)`,
    {
      reporter: key.reporter,
      firmROEID: key.firmROEID,
    },
  )
}

function packageFields(
  p: { underlying?: string; legs: Record<string, string>[] } | undefined,
): Pick<LifecycleEvent, 'symbol' | 'legs'> {
  if (!p) return {}
  return {
    ...(p.underlying !== undefined ? { symbol: p.underlying } : {}),
    ...(p.legs.length > 0 ? { legs: p.legs } : {}),
  }
}

async function read(
  db: Database,
  paths: RepoPaths,
  lc: { date: number; num: bigint },
  memberSource: string | undefined,
  linkSource: string | undefined,
): Promise<Lifecycle> {
  const id = lifecycleIdOf(lc.date, lc.num)
  // Members and links in one round trip; members from an indexed run bring their text.
  const rows = memberSource
    ? await db.all<
        { what: string; id: string; t: string | null; kind: string | null; event_date: number } & Record<
          string,
          unknown
        >
      >(
        `SELECT 'm' AS what, _event_id::VARCHAR AS id, NULL AS t, NULL AS kind, event_date, ${TEXT_COLUMNS.join(', ')} FROM (${memberSource})
         ${linkSource ? `UNION ALL SELECT DISTINCT 'l', from_event_id::VARCHAR, to_event_id::VARCHAR, kind, event_date, ${NO_TEXT} FROM (${linkSource})` : ''}`,
      )
    : []
  const members = rows.filter((r) => r.what === 'm')
  if (members.length === 0)
    throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no lifecycle ${id}`, { lifecycleId: id })
  const links = rows
    .filter((r) => r.what === 'l')
    .map((r) => ({ f: r.id, t: String(r.t), kind: String(r.kind) }))
  const text = await eventText(
    db,
    paths.events,
    members
      .filter((r) => r._reporter == null)
      .map((r) => ({ eventDate: r.event_date, eventId: BigInt(r.id) })),
  )
  for (const r of members) if (r._reporter != null) text.set(r.id, r)
  const ref = (id: string) => {
    const r = text.get(id)
    return { reporter: String(r?._reporter ?? '?'), firmROEID: String(r?._roe_id ?? '?') }
  }
  const events = members
    .map((m) => ({ m, r: text.get(m.id) }))
    .filter((x) => x.r !== undefined)
    .sort((a, b) => {
      const d = BigInt(String(a.r!.ns)) - BigInt(String(b.r!.ns))
      return d < 0n ? -1 : d > 0n ? 1 : a.m.id < b.m.id ? -1 : 1
    })
  const legs = await packageLegs(
    db,
    paths.events,
    events
      .filter(({ r }) => String(r!._type).startsWith('ML'))
      .map(({ m }) => ({ eventDate: Number(m.event_date), eventId: BigInt(m.id) })),
  )
  return {
    lifecycleId: id,
    events: events.map(({ m, r }) => ({
      eventId: String(m.id),
      reporter: String(r!._reporter),
      firmROEID: String(r!._roe_id),
      type: String(r!._type),
      eventTimestamp: formatCatTimestamp(BigInt(String(r!.ns)), Number(r!._ts_digits ?? 9)),
      eventDate: Number(m.event_date),
      ...(r!.symbol != null ? { symbol: String(r!.symbol) } : {}),
      ...(r!.side != null ? { side: String(r!.side) } : {}),
      ...(r!.price != null ? { price: trimDecimal(r!.price) } : {}),
      ...(r!.quantity != null ? { quantity: trimDecimal(r!.quantity) } : {}),
      ...packageFields(legs.get(String(m.id))),
    })),
    links: links
      .map((l) => ({ from: ref(l.f), to: ref(l.t), kind: l.kind }))
      // Reporters count too: firms and venues reuse one another's firmROEIDs, so ties must not be left to
      // the order the engine happened to return the links in.
      .sort((a, b) => {
        const key = (l: typeof a) =>
          [l.from.firmROEID, l.to.firmROEID, l.kind, l.from.reporter, l.to.reporter].join('\u0000')
        const x = key(a)
        const y = key(b)
        return x < y ? -1 : x > y ? 1 : 0
      }),
  }
}
