/**
 * The `unlinked` pass: finds the ranked candidates of every route and reference left without a
 * counterpart, reads back the text of the few events involved, and stores the findings the explainer
 * gives for them.
 */
import type { Database } from '../store/database.ts'
import { linkSql } from './link-sql.ts'
import {
  explainTradeReport,
  type TradeReportCandidate,
  type TradeReportSide,
} from './trade-report-explainer.ts'
import {
  explainUnpaired,
  explainUnresolved,
  type LinkFinding,
  type RefCandidate,
  type RouteCandidate,
  type RouteFam,
  type UnpairedEnd,
  type UnresolvedRef,
} from './unlinked-explainer.ts'
import { WORK_DB } from './work-database.ts'

type Raw = Record<string, string | number | boolean | null>

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(String(v)))
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/** Explains every unlinked route end and reference of the run into lk_findings; returns how many findings. */
export async function explainUnlinked(
  db: Database,
  ctx: { candidates: number; dayStartNs: bigint },
): Promise<number> {
  await db.run(linkSql('route-candidates', { CANDIDATES: ctx.candidates }))
  await db.run(linkSql('ref-candidates', { CANDIDATES: ctx.candidates }))
  // Everything a finding will show: its event, the other event it names, the candidates.
  await db.run(`CREATE OR REPLACE TABLE lk_text_want AS
    SELECT idx FROM lk_findings UNION SELECT other FROM lk_findings WHERE other IS NOT NULL
    UNION SELECT idx FROM lk_unpaired UNION SELECT cand FROM lk_route_cands
    UNION SELECT r.idx FROM lk_resolved x JOIN lk_refs r ON r.rowid = x.rid WHERE x.src IS NULL
    UNION SELECT cand FROM lk_ref_cands
    UNION SELECT idx FROM lk_trf_open UNION SELECT report FROM lk_trf_near
    UNION SELECT report FROM lk_trf_cands WHERE trade IN (SELECT idx FROM lk_trf_open)
    UNION SELECT trade FROM lk_trf_cands WHERE report IN (SELECT idx FROM lk_trf_open)`)
  await db.run(linkSql('text'))
  const findings: LinkFinding[] = []

  const ends = await db.all<Raw>(`
    SELECT u.idx, n.rk_side, n.rk_fam, n.event_date, n.symbol, n.late, t._reporter, t._type, t._roe_id,
      coalesce(t.routedOrderID, t.routedQuoteID, t.receivedQuoteID) AS routedOrderID,
      t.r_sender, t.r_receiver, t."session"
    FROM lk_unpaired u JOIN lk_nodes n ON n.rowid = u.idx JOIN lk_text t ON t.idx = u.idx
    ORDER BY u.idx`)
  const routeCands = new Map<number, RouteCandidate[]>()
  for (const c of await db.all<Raw>(`
    SELECT c.*, t.late, t._reporter, t._roe_id, t._type, t._event_ns::VARCHAR AS ns, t.symbol, t.r_sender, t.r_receiver, t."session"
    FROM lk_route_cands c JOIN lk_text t ON t.idx = c.cand
    ORDER BY c.idx, c.sender_eq::INT + c.receiver_eq::INT + c.symbol_eq::INT + c.session_eq::INT DESC, c.paired, c.dt, c.cand`)) {
    const list = routeCands.get(Number(c.idx)) ?? []
    list.push({
      reporter: String(c._reporter),
      roeId: String(c._roe_id),
      type: String(c._type),
      eventNs: BigInt(String(c.ns)),
      sender: str(c.r_sender),
      receiver: str(c.r_receiver),
      symbol: String(c.symbol),
      session: str(c.session),
      senderEq: c.sender_eq === true,
      receiverEq: c.receiver_eq === true,
      symbolEq: c.symbol_eq === true,
      sessionEq: c.session_eq === true,
      paired: c.paired === true,
      late: c.late === true,
    })
    routeCands.set(Number(c.idx), list)
  }
  for (const e of ends) {
    const end: UnpairedEnd = {
      idx: Number(e.idx),
      side: e.rk_side as 'S' | 'R',
      fam: e.rk_fam as RouteFam,
      reporter: String(e._reporter),
      type: String(e._type),
      roeId: String(e._roe_id),
      routedOrderID: String(e.routedOrderID),
      sender: str(e.r_sender),
      receiver: str(e.r_receiver),
      symbol: String(e.symbol),
      session: e.rk_fam === 'E' ? str(e.session) : null,
      eventDate: Number(e.event_date),
      late: e.late === true,
    }
    findings.push(...explainUnpaired(end, routeCands.get(end.idx) ?? []))
  }

  const refs = await db.all<Raw>(`
    SELECT x.rid, r.idx, r.code, r.field, r.r_kind, r.r_date::VARCHAR AS r_date, r.r_imid, i.r_id, t._reporter, t._type, n.symbol, n.late
    FROM lk_resolved x JOIN lk_refs r ON r.rowid = x.rid JOIN lk_nodes n ON n.rowid = r.idx JOIN lk_text t ON t.idx = r.idx
    LEFT JOIN lk_ref_text i ON i.rid = x.rid
    WHERE x.src IS NULL ORDER BY x.rid`)
  const refCands = new Map<number, RefCandidate[]>()
  for (const c of await db.all<Raw>(`
    SELECT c.rid, c.date_eq, c.symbol_eq, c.k_date::VARCHAR AS k_date, t._reporter, t._roe_id, t._type, t._event_ns::VARCHAR AS ns, t.symbol
    FROM lk_ref_cands c JOIN lk_text t ON t.idx = c.cand
    ORDER BY c.rid, c.date_eq::INT + c.symbol_eq::INT DESC, c.cand`)) {
    const list = refCands.get(Number(c.rid)) ?? []
    list.push({
      reporter: String(c._reporter),
      roeId: String(c._roe_id),
      type: String(c._type),
      eventNs: BigInt(String(c.ns)),
      symbol: String(c.symbol),
      keyDate: big(c.k_date),
      dateEq: c.date_eq === true,
      symbolEq: c.symbol_eq === true,
    })
    refCands.set(Number(c.rid), list)
  }
  for (const r of refs) {
    const ref: UnresolvedRef = {
      idx: Number(r.idx),
      code: Number(r.code),
      field: String(r.field),
      kind: String(r.r_kind),
      reporter: String(r._reporter),
      type: String(r._type),
      keyDate: big(r.r_date),
      keyImid: String(r.r_imid),
      keyId: str(r.r_id) ?? '?',
      symbol: String(r.symbol),
      dayStartNs: ctx.dayStartNs,
      late: r.late === true,
    }
    findings.push(explainUnresolved(ref, refCands.get(Number(r.rid)) ?? []))
  }

  findings.push(...(await explainTradeReports(db)))

  if (findings.length > 0) {
    const appender = await db.connection.createAppender('lk_findings', 'main', WORK_DB)
    for (const f of findings) {
      appender.appendBigInt(BigInt(f.idx))
      appender.appendInteger(f.code)
      appender.appendNull()
      appender.appendVarchar(f.recipient)
      appender.appendBoolean(f.named)
      f.counterparty === null ? appender.appendNull() : appender.appendVarchar(f.counterparty)
      appender.appendVarchar(f.explanation)
      f.candidates === null ? appender.appendNull() : appender.appendVarchar(f.candidates)
      appender.endRow()
    }
    appender.closeSync()
  }
  return findings.length
}

/** Findings for the Trade events and trade reports the `trades` pass left open. */
async function explainTradeReports(db: Database): Promise<LinkFinding[]> {
  const sideOf = (r: Raw): TradeReportSide => ({
    idx: Number(r.idx),
    report: r._type === 'TRFT',
    reporter: String(r._reporter),
    type: String(r._type),
    roeId: String(r._roe_id),
    eventNs: BigInt(String(r.ns)),
    symbol: String(r.symbol),
    marketCenterID: String(r.marketCenterID),
    tapeTradeID: String(r.tapeTradeID),
    firm: str(r._type === 'TRFT' ? r.rptngExctgMPID : r._reporter),
    contra: str(r.contraExctgMPID),
    late: r.late === true,
  })
  const columns = `t.idx, t._reporter, t._type, t._roe_id, t._event_ns::VARCHAR AS ns, t.symbol, t.marketCenterID,
    t.tapeTradeID, t.rptngExctgMPID, t.contraExctgMPID, t.late`
  const linked = `(SELECT trade AS idx FROM lk_trf_cands WHERE time_eq AND symbol_eq AND firm_eq
    UNION SELECT report FROM lk_trf_cands WHERE time_eq AND symbol_eq AND firm_eq)`
  const cands = new Map<number, TradeReportCandidate[]>()
  for (const c of await db.all<Raw>(`
    SELECT o.idx AS subject, c.time_eq, c.symbol_eq, c.firm_eq, false AS near, t.idx IN ${linked} AS linked, ${columns}
    FROM lk_trf_open o JOIN lk_trf_cands c ON (CASE WHEN o.report THEN c.report ELSE c.trade END) = o.idx
    JOIN lk_text t ON t.idx = (CASE WHEN o.report THEN c.trade ELSE c.report END)
    UNION ALL
    SELECT n.trade, false, true, true, true, t.idx IN ${linked}, ${columns}
    FROM lk_trf_near n JOIN lk_text t ON t.idx = n.report`)) {
    const list = cands.get(Number(c.subject)) ?? []
    list.push({
      ...sideOf(c),
      timeEq: c.time_eq === true,
      symbolEq: c.symbol_eq === true,
      firmEq: c.firm_eq === true,
      near: c.near === true,
      linked: c.linked === true,
    })
    cands.set(Number(c.subject), list)
  }
  const out: LinkFinding[] = []
  for (const s of await db.all<Raw>(
    `SELECT ${columns} FROM lk_trf_open o JOIN lk_text t ON t.idx = o.idx ORDER BY o.idx`,
  ))
    out.push(...explainTradeReport(sideOf(s), cands.get(Number(s.idx)) ?? []))
  return out
}
