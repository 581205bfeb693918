/**
 * The trade reports of FINRA's facilities. Every OTC trade a firm reports to CAT as MEOT (an internalized
 * order, an ATS cross) was also reported to a TRF; the participant FINRA reports that trade report (TRFT)
 * with the same market center, tapeTradeID, symbol, execution time, quantity and price, naming the
 * reporting firm. The MEOT links to it (a `report` link). A trade-report fault makes the two disagree: the
 * firm mistypes the tapeTradeID on its MEOT, or entered another execution time at the facility.
 */
import type { Timestamp, Values } from '../codec/index.ts'
import type { Sim } from './sim.ts'
import type { Lifecycle, TruthEvent } from './truth-recorder.ts'

export type TradeReportFaultKind = 'tapeTradeIdMismatch' | 'executionTimeMismatch'

/** What a firm writes on its MEOT about the trade report, decided before the MEOT is written. */
export interface TradeReportPlan {
  readonly marketCenterID: string
  /** The id the facility gave the report. */
  readonly tapeTradeID: string
  /** The id the firm writes on its MEOT (another one under a tapeTradeIdMismatch fault). */
  readonly reportedTapeTradeID: string
  readonly fault: TradeReportFaultKind | undefined
}

/** One side of a trade report. */
export interface ReportSide {
  readonly imid: string
  readonly capacity: 'A' | 'P' | 'R'
  readonly side: string
}

/** Picks the facility and the tapeTradeID of a trade, and whether its report carries a fault. */
export function planTradeReport(sim: Sim, marketCenterID: string): TradeReportPlan {
  const tapeTradeID = String(100000000 + sim.next('tape'))
  const fault = sim.faults?.tradeReportFault()
  return {
    marketCenterID,
    tapeTradeID,
    reportedTapeTradeID: fault === 'tapeTradeIdMismatch' ? `${tapeTradeID}7` : tapeTradeID,
    fault,
  }
}

/**
 * Writes the facility's report of a trade just reported as MEOT, with its truth and a fault's label.
 * `trade.values` are the MEOT's values as the firm meant them, copied before an ingestion fault changed them.
 */
export function reportTrade(
  sim: Sim,
  plan: TradeReportPlan,
  trade: { readonly values: Values; readonly event: TruthEvent; readonly lifecycles: readonly Lifecycle[] },
  reporting: ReportSide,
  contra?: ReportSide,
): void {
  const facility = sim.world.tradeReporting.id
  const executed = trade.values.eventTimestamp as Timestamp
  const values: Values = {
    actionType: 'NEW',
    recordID: sim.roeid(facility),
    type: 'TRFT',
    exchange: facility,
    symbol: trade.values.symbol,
    // The execution time the firm entered at the facility: its own clock, as on its MEOT.
    eventTimestamp:
      plan.fault === 'executionTimeMismatch' ? { ...executed, ns: executed.ns + 2_000_000_000n } : executed,
    marketCenterID: plan.marketCenterID,
    tapeTradeID: plan.tapeTradeID,
    quantity: trade.values.quantity,
    price: trade.values.price,
    rptngExctgMPID: reporting.imid,
    rptngCapacity: reporting.capacity,
    rptngSideCode: reporting.side,
  }
  if (contra) {
    values.contraExctgMPID = contra.imid
    values.contraCapacity = contra.capacity
    values.contraSideCode = contra.side
  }
  const report = sim.sink.emit(facility, 'TRFT', values)
  for (const lc of trade.lifecycles) {
    sim.truth.event(lc, report)
    sim.truth.link(lc, trade.event, report, 'report')
  }
  if (plan.fault) sim.faults?.tradeReported(plan.fault, trade.event, report)
}
