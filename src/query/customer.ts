/**
 * "Everything this customer did": a customer named by CCID, by a broker's FDID, or by large trader ID,
 * resolved to CCIDs; every account of those CCIDs at every broker; and every order, trade and allocation
 * that names one of those accounts, with its lifecycle ID. PII only with the entitlement (see pii.ts).
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { sqlTemplates } from '../common/sql-templates.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { currentRuns, KEY_NUM_SQL, lifecyclesOfVersions } from '../link/index.ts'
import { literal } from '../store/database.ts'
import { customerScan, freshDayIndex } from '../store/day-index.ts'
import { engine } from '../store/engine.ts'
import { storedEventDates } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import { formatDecimal } from './display-format.ts'

const sql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'query')

/** How a customer is named. */
export type CustomerSelector =
  | { readonly ccid: string }
  | { readonly reporter: string; readonly fdid: string }
  | { readonly ltid: string }

/** One account of a customer. */
export interface CustomerAccount {
  readonly ccid: string
  readonly crd: string
  readonly firm: string
  readonly imids: string[]
  readonly fdid: string
  readonly role: string
  readonly from: number
  readonly to: number | null
  readonly ltids: string[]
}

/** One event of a customer's activity. */
export interface CustomerEvent {
  readonly ccid: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly eventNs: string
  /** The event's time as a CAT timestamp in Eastern Time, as everywhere else. */
  readonly eventTimestamp: string
  readonly eventDate: number
  readonly symbol: string | null
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  readonly fdid: string
  readonly lifecycleIds: string[]
}

/** A customer's accounts and activity over a date range. */
export interface CustomerActivity {
  readonly ccids: string[]
  readonly accounts: CustomerAccount[]
  readonly events: CustomerEvent[]
}

/** The CCIDs a selector names (as of any time in [from, to]). */
export async function resolveCcids(
  repo: Repository,
  sel: CustomerSelector,
  from: number,
  to: number,
): Promise<string[]> {
  let rows: { ccid: string }[]
  if ('ccid' in sel)
    rows = await repo.db.all('SELECT DISTINCT ccid FROM cais_customers WHERE ccid = $1', [sel.ccid])
  else if ('fdid' in sel) {
    rows = await repo.db.all(
      `SELECT DISTINCT h.ccid FROM fdid_holders h JOIN ref_imids i ON i.crd = h.crd
       WHERE i.imid = $1 AND h.fdid = $2 AND h.from_date <= $4 AND (h.to_date IS NULL OR h.to_date >= $3)`,
      [sel.reporter, sel.fdid, from, to],
    )
  } else {
    rows = await repo.db.all(
      `SELECT DISTINCT h.ccid FROM fdid_ltids l JOIN fdid_holders h ON h.crd = l.crd AND h.fdid = l.fdid
       WHERE l.ltid = $1 AND l.from_date <= $3 AND (l.to_date IS NULL OR l.to_date >= $2)`,
      [sel.ltid, from, to],
    )
  }
  return rows.map((r) => r.ccid).sort()
}

/** Every account of the given CCIDs at every broker. */
export async function customerAccounts(
  repo: Repository,
  ccids: readonly string[],
): Promise<CustomerAccount[]> {
  if (ccids.length === 0) return []
  // The latest file's word on each account decides its holders; look only at the customer's accounts.
  const rows = await repo.db.all<Record<string, unknown>>(
    `WITH pairs AS (SELECT DISTINCT crd, fdid FROM cais_holders WHERE list_contains($1::VARCHAR[], ccid)),
     latest AS (
       SELECT h.* FROM cais_holders h JOIN pairs USING (crd, fdid)
       QUALIFY dense_rank() OVER (PARTITION BY h.crd, h.fdid ORDER BY h.received_ns DESC, h.file_id DESC) = 1
     )
     SELECT h.ccid, CAST(h.crd AS VARCHAR) AS crd, coalesce(f.name, '') AS firm, h.fdid, h.role, h.from_date, h.to_date,
            (SELECT list(DISTINCT imid ORDER BY imid) FROM ref_imids i WHERE i.crd = h.crd) AS imids,
            (SELECT list(DISTINCT ltid ORDER BY ltid) FROM fdid_ltids l WHERE l.crd = h.crd AND l.fdid = h.fdid) AS ltids
     FROM latest h LEFT JOIN ref_firms f ON f.crd = h.crd
     WHERE list_contains($1::VARCHAR[], h.ccid)
     ORDER BY h.ccid, crd, h.fdid`,
    [engine().listValue([...ccids])],
  )
  return rows.map((r) => ({
    ccid: String(r.ccid),
    crd: String(r.crd),
    firm: String(r.firm),
    imids: (r.imids as string[] | null) ?? [],
    fdid: String(r.fdid),
    role: String(r.role),
    from: Number(r.from_date),
    to: r.to_date === null ? null : Number(r.to_date),
    ltids: ((r.ltids as string[] | null) ?? []).filter(Boolean),
  }))
}

/** A customer's accounts and every event naming them between two event dates (YYYYMMDD, inclusive). */
export async function customerActivity(
  repo: Repository,
  sel: CustomerSelector,
  from: number,
  to: number,
): Promise<CustomerActivity> {
  if (from > to) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the start date is after the end date')
  const ccids = await resolveCcids(repo, sel, from, to)
  if (ccids.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      'no customer matches; check the CCID, FDID or LTID and the dates',
    )
  const accounts = await customerAccounts(repo, ccids)
  // Narrow first, with literal lists the engine can push into the Parquet scan: the customer's accounts,
  // then the records naming them, then only those still current (no newer version or DEL of the record).
  const fdids = [...new Set(accounts.map((a) => a.fdid))]
  const byAccount = new Map(accounts.map((a) => [`${a.crd}|${a.fdid}`, a]))
  const list = (xs: readonly string[]) => xs.map(literal).join(', ')
  const inFdids = `IN (${list(fdids)})`
  const detail = (side: 'buy' | 'sell') => `json_extract_string(e.${side}Details, '$[0].firmDesignatedID')`
  // The versions of some dates (`source`, with the `events` view's columns) naming the accounts. Two scans,
  // each with a filter on one column that the engine pushes into the Parquet reader (one OR across columns
  // would make it read every column of every record). Trades name accounts inside their side details: a
  // plain substring test goes before parsing their JSON.
  const naming = (source: string, dates: string) => {
    const select = `SELECT e._event_id, e._reporter, e._roe_id, e._type, e._action, e._repairs, CAST(e._event_ns AS VARCHAR) AS event_ns,
            e.event_date, coalesce(e.symbol, e.optionID) AS symbol, e.side, CAST(e.price AS VARCHAR) AS price, CAST(e.quantity AS VARCHAR) AS quantity,
            e._received_ns, CAST(i.crd AS VARCHAR) AS crd, ${KEY_NUM_SQL}::VARCHAR AS key_num,
            coalesce(CASE WHEN e.firmDesignatedID ${inFdids} THEN e.firmDesignatedID END,
                     CASE WHEN ${detail('buy')} ${inFdids} THEN ${detail('buy')} END, ${detail('sell')}) AS fdid
     FROM ${source} e
     JOIN ref_imids i ON i.imid = e._reporter AND e.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
     WHERE ${dates}`
    return `${select} AND e.firmDesignatedID ${inFdids}
     UNION ALL
     ${select} AND e._type IN ('MEOT', 'MEPA') AND coalesce(e.firmDesignatedID NOT ${inFdids}, true)
       AND (${fdids.map((f) => `contains(coalesce(e.buyDetails, '') || coalesce(e.sellDetails, ''), ${literal(JSON.stringify(f))})`).join(' OR ')})
       AND (${detail('buy')} ${inFdids} OR ${detail('sell')} ${inFdids})`
  }
  const inAccount = (c: Record<string, unknown>) => {
    const a = byAccount.get(`${c.crd}|${c.fdid}`)
    const date = Number(c.event_date)
    return a !== undefined && date >= a.from && (a.to === null || date <= a.to)
  }
  // A date with a fresh day index has its current versions naming each FDID in the customer index's bucket
  // of that FDID: those naming the accounts are the answer for that date, with their lifecycle ids when the
  // build holds the date's current linkage run's. The other dates' versions are narrowed first, then
  // resolved below.
  const indexed: Record<string, unknown>[] = []
  const unindexed: number[] = []
  const runs = currentRuns(repo.paths)
  for (const d of storedEventDates(repo.paths).filter((d) => d >= from && d <= to)) {
    const index = await freshDayIndex(repo, d)
    const scan = index && (await customerScan(repo, index, fdids))
    const withLifecycles =
      index?.manifest.lifecycleRun !== undefined && index.manifest.lifecycleRun === runs.get(d)
    if (!index) unindexed.push(d)
    else if (scan)
      indexed.push(
        ...(await repo.db.all<Record<string, unknown>>(
          sql('customer-index', {
            SCAN: scan,
            FDIDS: list(fdids),
            KEY_NUM: KEY_NUM_SQL,
            LIFECYCLES: withLifecycles ? 'coalesce(c.lifecycle_ids, []::VARCHAR[])' : 'NULL::VARCHAR[]',
          }),
        )),
      )
  }
  const candidates =
    unindexed.length === 0
      ? []
      : await repo.db.all<Record<string, unknown>>(
          naming('events', `e.event_date IN (${unindexed.map(Number).join(', ')})`),
        )
  const named = candidates.filter(inAccount)
  // Which of those versions are current (the rule of events_as_of): besides the versions found above, only
  // corrections, repairs and deletes of the same records, and repairs and deletes naming one of those
  // versions by errorROEID (a DEL by errorROEID has no event date), can change the answer.
  const others =
    named.length === 0
      ? []
      : await repo.db.all<Record<string, unknown>>(
          `SELECT _reporter, event_date, _roe_id, _action, _repairs, _received_ns, _event_id
           FROM events WHERE event_date IN (${unindexed.map(Number).join(', ')}) AND _action <> 'NEW'
             AND _roe_id IN (${list([...new Set(named.map((c) => String(c._roe_id)))])})
           UNION ALL
           SELECT _reporter, event_date, _roe_id, _action, _repairs, _received_ns, _event_id
           FROM events WHERE _action IN ('RPR', 'DEL')
             AND _repairs IN (${named.map((c) => String(c._event_id)).join(', ')})`,
        )
  const current = [
    ...currentOf([...named, ...others]).filter((v) => byAccount.has(`${v.crd}|${v.fdid}`)),
    // Already current: only one row per version (a firm may have several IMIDs' rows joined).
    ...[...new Map(indexed.filter(inAccount).map((c) => [String(c._event_id), c])).values()],
  ]
  // Each date's lifecycles from the key buckets of its records in that date's linkage run.
  const lifecycles = new Map<string, string[]>()
  const byDate = new Map<number, Record<string, unknown>[]>()
  for (const c of current) {
    if (Array.isArray(c.lifecycle_ids)) lifecycles.set(String(c._event_id), c.lifecycle_ids as string[])
    else byDate.set(Number(c.event_date), [...(byDate.get(Number(c.event_date)) ?? []), c])
  }
  for (const [date, rows] of byDate) {
    const found = await lifecyclesOfVersions(
      repo,
      date,
      rows.map((c) => ({ key: BigInt(String(c.key_num)), eventId: String(c._event_id) })),
    )
    for (const [id, ids] of found) lifecycles.set(id, ids)
  }
  // In time order, ties by version id (the order the rows were found in differs between the two paths).
  const order = (c: Record<string, unknown>) => [BigInt(String(c.event_ns)), BigInt(String(c._event_id))]
  current.sort((a, b) => {
    const [na, ia] = order(a)
    const [nb, ib] = order(b)
    return na < nb ? -1 : na > nb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0
  })
  const rows: Record<string, unknown>[] = current.map((c) => ({
    ...c,
    ccid: byAccount.get(`${c.crd}|${c.fdid}`)!.ccid,
    lifecycles: lifecycles.get(String(c._event_id)) ?? [],
  }))
  return {
    ccids,
    accounts,
    events: rows.map((r) => ({
      ccid: String(r.ccid),
      reporter: String(r._reporter),
      firmROEID: String(r._roe_id),
      type: String(r._type),
      eventNs: String(r.event_ns),
      eventTimestamp: formatCatTimestamp(BigInt(String(r.event_ns))),
      eventDate: Number(r.event_date),
      symbol: (r.symbol as string | null) ?? null,
      side: (r.side as string | null) ?? null,
      price: r.price == null ? null : formatDecimal(String(r.price)),
      quantity: r.quantity == null ? null : formatDecimal(String(r.quantity)),
      fdid: String(r.fdid),
      lifecycleIds: ((r.lifecycles as string[] | null) ?? []).filter(Boolean),
    })),
  }
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
    for (const [v, k] of list) out.set(k, [...(out.get(k) ?? []), v])
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
