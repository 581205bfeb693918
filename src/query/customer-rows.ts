/**
 * The current versions naming a customer's accounts over a date range, as one relation the engine reads
 * (`customer-page.sql` pages through it and describes it whole): each date with a fresh day index from its
 * customer index, the other dates from the store's versions, resolved here.
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DuckDBValue } from '@duckdb/node-api'
import { sqlTemplates } from '../common/sql-templates.ts'
import { KEY_NUM_SQL } from '../link/lifecycle-keys.ts'
import { currentRuns } from '../link/linkage-layout.ts'
import { literal } from '../store/database.ts'
import { customerScan, freshDayIndex } from '../store/day-index.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** An account as the rows are matched against it: a version is the account's while it is open. */
export interface RowAccount {
  readonly crd: string
  readonly fdid: string
  readonly from: number
  readonly to: number | null
}

/**
 * The relation's columns, as `customer-index.sql` gives them (`lifecycle_ids` NULL where they are to be
 * looked up in the date's current linkage run).
 */
const COLUMNS: Readonly<Record<string, string>> = {
  _event_id: 'UBIGINT',
  _reporter: 'VARCHAR',
  _roe_id: 'VARCHAR',
  _type: 'VARCHAR',
  event_ns: 'VARCHAR',
  event_date: 'INTEGER',
  symbol: 'VARCHAR',
  side: 'VARCHAR',
  price: 'VARCHAR',
  quantity: 'VARCHAR',
  crd: 'VARCHAR',
  key_num: 'VARCHAR',
  fdid: 'VARCHAR',
  source: 'UTINYINT',
  lifecycle_ids: 'VARCHAR[]',
}

/** A relation (SQL text) and the parameters it reads. */
export interface CustomerRows {
  readonly sql: string
  readonly params: DuckDBValue[]
}

/** The range's rows, and the same relation kept to some of its versions. */
export interface RangeRows extends CustomerRows {
  /** The rows of the versions `ids` (`_event_id`s) only. */
  only(ids: readonly bigint[]): CustomerRows
}

/**
 * The range's current versions naming one of `accounts` (as `customer-index.sql` finds them: an order by its
 * own FDID, a trade or an allocation by its buy then sell side's), one relation for the whole range.
 */
export async function customerRows(
  repo: Repository,
  accounts: readonly RowAccount[],
  from: number,
  to: number,
): Promise<RangeRows> {
  const fdids = [...new Set(accounts.map((a) => a.fdid))]
  const list = (xs: readonly string[]) => xs.map(literal).join(', ')
  // A date with a fresh day index has its current versions naming each FDID in the customer index's bucket
  // of that FDID, with their lifecycle ids when the build holds the date's current linkage run's.
  const parts: ((only: string) => string)[] = []
  const unindexed: number[] = []
  const runs = currentRuns(repo.paths)
  for (const d of storedEventDates(repo.paths).filter((d) => d >= from && d <= to)) {
    const index = await freshDayIndex(repo, d)
    const scan = index && (await customerScan(repo, index, fdids))
    const withLifecycles =
      index?.manifest.lifecycleRun !== undefined && index.manifest.lifecycleRun === runs.get(d)
    if (!index) unindexed.push(d)
    else if (scan)
      parts.push((only) =>
        sql('customer-index', {
          SCAN: scan,
          FDIDS: list(fdids),
          KEY_NUM: KEY_NUM_SQL,
          LIFECYCLES: withLifecycles ? 'coalesce(c.lifecycle_ids, []::VARCHAR[])' : 'NULL::VARCHAR[]',
          ONLY: only,
        }),
      )
  }
  const resolved = await unindexedRows(repo, accounts, unindexed)
  const empty = `SELECT ${Object.entries(COLUMNS)
    .map(([c, t]) => `NULL::${t} AS ${c}`)
    .join(', ')} WHERE false`
  const relation = (only: string, rows: readonly Record<string, unknown>[]): CustomerRows => {
    const params: DuckDBValue[] = []
    const texts = [empty, ...parts.map((p) => p(only))]
    if (rows.length > 0) {
      // Rows resolved here reach the engine as one JSON parameter, typed as the index's rows are.
      params.push(JSON.stringify(rows))
      texts.push(
        `SELECT unnest(from_json($1::JSON, ${literal(JSON.stringify([COLUMNS]))}), recursive := true)`,
      )
    }
    return { sql: texts.join('\nUNION ALL BY NAME\n'), params }
  }
  return {
    ...relation('', resolved),
    only(ids) {
      const wanted = new Set(ids.map(String))
      return relation(
        ids.length === 0 ? 'AND false' : `AND _event_id IN (${[...wanted].join(', ')})`,
        resolved.filter((r) => wanted.has(String(r._event_id))),
      )
    },
  }
}

/**
 * The current versions of `dates` naming the accounts, from the store's versions: narrowed first, with
 * literal lists the engine can push into the Parquet scan (the accounts' records, then only those still
 * current: no newer version or DEL of the record).
 */
async function unindexedRows(
  repo: Repository,
  accounts: readonly RowAccount[],
  dates: readonly number[],
): Promise<Record<string, unknown>[]> {
  if (dates.length === 0 || accounts.length === 0) return []
  const fdids = [...new Set(accounts.map((a) => a.fdid))]
  const byAccount = new Map(accounts.map((a) => [`${a.crd}|${a.fdid}`, a]))
  const list = (xs: readonly string[]) => xs.map(literal).join(', ')
  const inFdids = `IN (${list(fdids)})`
  const inDates = `e.event_date IN (${dates.map(Number).join(', ')})`
  const detail = (side: 'buy' | 'sell') => `json_extract_string(e.${side}Details, '$[0].firmDesignatedID')`
  // Two scans, each with a filter on one column that the engine pushes into the Parquet reader (one OR
  // across columns would make it read every column of every record). Trades name accounts inside their
  // side details: a plain substring test goes before parsing their JSON.
  const select = `SELECT e._event_id, e._reporter, e._roe_id, e._type, e._action, e._repairs, CAST(e._event_ns AS VARCHAR) AS event_ns,
            e.event_date, coalesce(e.symbol, e.optionID) AS symbol, e.side, CAST(e.price AS VARCHAR) AS price, CAST(e.quantity AS VARCHAR) AS quantity,
            e._received_ns, CAST(i.crd AS VARCHAR) AS crd, ${KEY_NUM_SQL}::VARCHAR AS key_num,
            coalesce(CASE WHEN e.firmDesignatedID ${inFdids} THEN e.firmDesignatedID END,
                     CASE WHEN ${detail('buy')} ${inFdids} THEN ${detail('buy')} END, ${detail('sell')}) AS fdid,
            CASE WHEN e.firmDesignatedID ${inFdids} THEN 0 WHEN ${detail('buy')} ${inFdids} THEN 1 ELSE 2 END AS source
     FROM events e
     JOIN ref_imids i ON i.imid = e._reporter AND e.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
     WHERE ${inDates}`
  const candidates = await repo.db.all<Record<string, unknown>>(
    `${select} AND e.firmDesignatedID ${inFdids}
     UNION ALL
     ${select} AND e._type IN ('MEOT', 'MEPA') AND coalesce(e.firmDesignatedID NOT ${inFdids}, true)
       AND (${fdids.map((f) => `contains(coalesce(e.buyDetails, '') || coalesce(e.sellDetails, ''), ${literal(JSON.stringify(f))})`).join(' OR ')})
       AND (${detail('buy')} ${inFdids} OR ${detail('sell')} ${inFdids})`,
  )
  const named = candidates.filter((c) => {
    const a = byAccount.get(`${c.crd}|${c.fdid}`)
    const date = Number(c.event_date)
    return a !== undefined && date >= a.from && (a.to === null || date <= a.to)
  })
  if (named.length === 0) return []
  // Which of those versions are current (the rule of events_as_of): besides the versions found above, only
  // corrections, repairs and deletes of the same records, and repairs and deletes naming one of those
  // versions by errorROEID (a DEL by errorROEID has no event date), can change the answer.
  const others = await repo.db.all<Record<string, unknown>>(
    `SELECT _reporter, event_date, _roe_id, _action, _repairs, _received_ns, _event_id
     FROM events e WHERE ${inDates} AND _action <> 'NEW'
       AND _roe_id IN (${list([...new Set(named.map((c) => String(c._roe_id)))])})
     UNION ALL
     SELECT _reporter, event_date, _roe_id, _action, _repairs, _received_ns, _event_id
     FROM events WHERE _action IN ('RPR', 'DEL')
       AND _repairs IN (${named.map((c) => String(c._event_id)).join(', ')})`,
  )
  return currentOf([...named, ...others])
    .filter((v) => byAccount.has(`${v.crd}|${v.fdid}`))
    .map((v) => Object.fromEntries(Object.keys(COLUMNS).map((c) => [c, v[c] ?? null])))
}

/**
 * The current version of each record among `versions` (rows with _reporter, event_date, _roe_id, _action,
 * _repairs, _received_ns, _event_id), by the rule of the events_as_of view: in the order received, a NEW
 * while the record is live is a duplicate and does not count, and a DEL ends the record; a repair or
 * delete naming a version by errorROEID retires it (a DEL ends its record unless it was a duplicate; an RPR
 * under another id, or repairing a duplicate, stands under its own id like a NEW).
 */
function currentOf(versions: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const byId = new Map<string, Record<string, unknown>>()
  for (const v of versions) if (!byId.has(String(v._event_id))) byId.set(String(v._event_id), v)
  const recordOf = (v: Record<string, unknown>) => `${v._reporter}|${v.event_date}|${v._roe_id}`
  const order = (v: Record<string, unknown>) => [BigInt(String(v._received_ns)), BigInt(String(v._event_id))]
  const inOrder = (list: Record<string, unknown>[]) =>
    list.sort((a, b) => {
      const [ra, ia] = order(a)
      const [rb, ib] = order(b)
      return ra < rb ? -1 : ra > rb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0
    })
  const group = (list: Iterable<[Record<string, unknown>, string]>) => {
    const out = new Map<string, Record<string, unknown>[]>()
    for (const [v, k] of list) {
      const members = out.get(k)
      if (members) members.push(v)
      else out.set(k, [v])
    }
    return [...out.values()].map(inOrder)
  }
  // NEWs that came while their record was live: duplicates, as first received.
  const duplicates = new Set<string>()
  for (const list of group([...byId.values()].map((v) => [v, recordOf(v)]))) {
    let prev: string | undefined
    for (const v of list) {
      if (v._action === 'NEW' && prev !== undefined && prev !== 'DEL') duplicates.add(String(v._event_id))
      prev = String(v._action)
    }
  }
  const retired = new Set<string>()
  const keyOf = new Map<string, string>()
  const actionOf = new Map<string, string>()
  for (const v of byId.values()) {
    const named = v._repairs == null ? undefined : byId.get(String(v._repairs))
    if (!named || named._reporter !== v._reporter || (v._action !== 'RPR' && v._action !== 'DEL')) continue
    const id = String(v._event_id)
    const dup = duplicates.has(String(named._event_id))
    retired.add(String(named._event_id))
    if (v._action === 'DEL') {
      if (dup) retired.add(id)
      else keyOf.set(id, recordOf(named))
    } else if (dup || recordOf(v) !== recordOf(named)) actionOf.set(id, 'NEW')
  }
  const out: Record<string, unknown>[] = []
  const live = [...byId.values()].filter((v) => !retired.has(String(v._event_id)))
  for (const list of group(live.map((v) => [v, keyOf.get(String(v._event_id)) ?? recordOf(v)]))) {
    let current: Record<string, unknown> | undefined
    let prev: string | undefined
    for (const v of list) {
      const action = actionOf.get(String(v._event_id)) ?? String(v._action)
      if (!(action === 'NEW' && prev !== undefined && prev !== 'DEL'))
        current = action === 'DEL' ? undefined : v
      prev = action
    }
    if (current) out.push(current)
  }
  return out
}
