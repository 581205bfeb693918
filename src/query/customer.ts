/**
 * "Everything this customer did": a customer named by CCID, by a broker's FDID, or by large trader ID,
 * resolved to CCIDs; every account of those CCIDs at every broker; and every order, trade and allocation
 * that names one of those accounts, with its lifecycle ID. PII only with the entitlement (see pii.ts).
 */
import { listValue } from '@duckdb/node-api'
import { OpenCatError } from '../common/errors.ts'
import type { Repository } from '../store/repository.ts'

/** How a customer is named. */
export type CustomerSelector = { readonly ccid: string } | { readonly reporter: string; readonly fdid: string } | { readonly ltid: string }

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
export async function resolveCcids(repo: Repository, sel: CustomerSelector, from: number, to: number): Promise<string[]> {
  let rows: { ccid: string }[]
  if ('ccid' in sel) rows = await repo.db.all('SELECT DISTINCT ccid FROM cais_customers WHERE ccid = $1', [sel.ccid])
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
export async function customerAccounts(repo: Repository, ccids: readonly string[]): Promise<CustomerAccount[]> {
  if (ccids.length === 0) return []
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT h.ccid, CAST(h.crd AS VARCHAR) AS crd, coalesce(f.name, '') AS firm, h.fdid, h.role, h.from_date, h.to_date,
            (SELECT list(DISTINCT imid ORDER BY imid) FROM ref_imids i WHERE i.crd = h.crd) AS imids,
            (SELECT list(DISTINCT ltid ORDER BY ltid) FROM fdid_ltids l WHERE l.crd = h.crd AND l.fdid = h.fdid) AS ltids
     FROM fdid_holders h LEFT JOIN ref_firms f ON f.crd = h.crd
     WHERE list_contains($1::VARCHAR[], h.ccid)
     ORDER BY h.ccid, crd, h.fdid`,
    [listValue([...ccids])],
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
export async function customerActivity(repo: Repository, sel: CustomerSelector, from: number, to: number): Promise<CustomerActivity> {
  if (from > to) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the start date is after the end date')
  const ccids = await resolveCcids(repo, sel, from, to)
  if (ccids.length === 0) throw new OpenCatError('OCAT_ERR_NOT_FOUND', 'no customer matches; check the CCID, FDID or LTID and the dates')
  const accounts = await customerAccounts(repo, ccids)
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT c.ccid, c._reporter, c._roe_id, c._type, CAST(c._event_ns AS VARCHAR) AS event_ns, c.event_date, c.symbol,
            e.side, CAST(e.price AS VARCHAR) AS price, CAST(e.quantity AS VARCHAR) AS quantity, c.fdid,
            (SELECT list(DISTINCT k.lifecycle_id ORDER BY k.lifecycle_id) FROM linkage_keys k WHERE k._event_id = c._event_id) AS lifecycles
     FROM event_customers c JOIN current_events e ON e._event_id = c._event_id
     WHERE list_contains($1::VARCHAR[], c.ccid) AND c.event_date BETWEEN $2 AND $3
     ORDER BY c._event_ns, c._reporter, c._roe_id`,
    [listValue(ccids), from, to],
  )
  return {
    ccids,
    accounts,
    events: rows.map((r) => ({
      ccid: String(r.ccid),
      reporter: String(r._reporter),
      firmROEID: String(r._roe_id),
      type: String(r._type),
      eventNs: String(r.event_ns),
      eventDate: Number(r.event_date),
      symbol: (r.symbol as string | null) ?? null,
      side: (r.side as string | null) ?? null,
      price: (r.price as string | null) ?? null,
      quantity: (r.quantity as string | null) ?? null,
      fdid: String(r.fdid),
      lifecycleIds: ((r.lifecycles as string[] | null) ?? []).filter(Boolean),
    })),
  }
}
