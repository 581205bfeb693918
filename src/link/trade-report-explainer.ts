/**
 * Unlinked trade reports explain themselves. A Trade event (MEOT) whose TRF linkage key found no matching
 * report of a FINRA facility gets a 4xxx code; a facility's report (TRFT) that no Trade event matched
 * gets the named 5xxx code for each firm it names. The code says what differs from the best candidate
 * (IM spec §4.3, §5.4): nothing shares the tapeTradeID (4003/5004), only the execution time (4005/5006),
 * only the symbol (4007/5008), or the firm or several fields (4009/5010).
 */
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import type { LinkFinding } from './unlinked-explainer.ts'

/** A Trade event or a trade report, as an explanation shows it. */
export interface TradeReportSide {
  readonly idx: number
  /** True for the facility's report (TRFT). */
  readonly report: boolean
  readonly reporter: string
  readonly type: string
  readonly roeId: string
  readonly eventNs: bigint
  readonly symbol: string
  readonly marketCenterID: string
  readonly tapeTradeID: string
  /** The trade's reporter, or the report's reporting MPID. */
  readonly firm: string | null
  /** The report's contra MPID. */
  readonly contra: string | null
  /** Received after its deadline. */
  readonly late: boolean
}

/** A counterpart with the same marketCenterID and tapeTradeID, or (`near`) a likely one with another. */
export interface TradeReportCandidate extends TradeReportSide {
  readonly timeEq: boolean
  readonly symbolEq: boolean
  readonly firmEq: boolean
  /** Shares no key: same firm, symbol, quantity and price within a second. */
  readonly near: boolean
  /** Linked to another counterpart already. */
  readonly linked: boolean
}

type Field = 'time' | 'symbol' | 'firm'
const FIELDS: readonly Field[] = ['time', 'symbol', 'firm']
const WORDS: Record<Field, string> = { time: 'execution time', symbol: 'symbol', firm: 'firm' }

const eqOf = (c: TradeReportCandidate): Record<Field, boolean> => ({
  time: c.timeEq,
  symbol: c.symbolEq,
  firm: c.firmEq,
})

const ms = (ns: bigint) => formatCatTimestamp(ns - (ns % 1_000_000n), 3)

function shown(s: TradeReportSide, f: Field): string {
  if (f === 'time') return ms(s.eventNs)
  if (f === 'symbol') return s.symbol
  return [s.firm, s.contra].filter((x) => x !== null).join('/') || 'blank'
}

/** The code's last digit by what differs (4003 … 4009; named 5004 … 5010). */
function codeFor(differing: readonly Field[], report: boolean): number {
  const last =
    differing.length === 1 && differing[0] === 'time'
      ? 5
      : differing.length === 1 && differing[0] === 'symbol'
        ? 7
        : 9
  return report ? 5000 + last + 1 : 4000 + last
}

/** Ranks candidates: sharing the key first, then most fields agreeing, then not linked elsewhere. */
export function rankTradeReportCandidates(cands: readonly TradeReportCandidate[]): TradeReportCandidate[] {
  const score = (c: TradeReportCandidate) =>
    (c.near ? 0 : 10) + FIELDS.filter((f) => eqOf(c)[f]).length * 2 + (c.linked ? 0 : 1)
  return [...cands].sort((a, b) => score(b) - score(a) || a.idx - b.idx)
}

/** The findings for a Trade event or trade report left unlinked, given its candidates. */
export function explainTradeReport(
  subject: TradeReportSide,
  candidates: readonly TradeReportCandidate[],
): LinkFinding[] {
  const ranked = rankTradeReportCandidates(candidates)
  const keyed = ranked.filter((c) => !c.near)
  const best = keyed[0]
  const key = `marketCenterID ${subject.marketCenterID} and tapeTradeID ${subject.tapeTradeID}`
  let differing: Field[] = []
  let explanation: string
  if (!best) {
    explanation = subject.report
      ? `no Trade event carries ${key}`
      : `no trade report of a FINRA facility carries ${key}`
    const near = ranked.find((c) => c.near)
    if (near)
      explanation += `; ${near.type} ${near.roeId} of ${near.reporter} has the same firm, symbol, quantity and price at ${ms(near.eventNs)}, with marketCenterID ${near.marketCenterID} and tapeTradeID ${near.tapeTradeID}`
  } else {
    differing = FIELDS.filter((f) => !eqOf(best)[f])
    const words = differing.map((f) => `${WORDS[f]} (${shown(subject, f)} here, ${shown(best, f)} there)`)
    explanation = `${key} match ${best.type} ${best.roeId} of ${best.reporter}, but ${words.join(' and ')} differ${differing.length === 1 ? 's' : ''}`
  }
  // A late Trade event or report left unmatched missed the linkage window: 499, named 498 (warnings).
  const code = subject.late
    ? subject.report
      ? 498
      : 499
    : best
      ? codeFor(differing, subject.report)
      : subject.report
        ? 5004
        : 4003
  if (subject.late)
    explanation +=
      '; this record came after its T+1 08:00 deadline, past the linkage window (a warning, not repairable)'
  const cands =
    ranked.length === 0
      ? null
      : JSON.stringify(
          ranked.map((c) => ({
            reporter: c.reporter,
            firmROEID: c.roeId,
            type: c.type,
            eventTimestamp: formatCatTimestamp(c.eventNs, 9),
            matches: c.near
              ? FIELDS.filter((f) => f !== 'time').map((f) => WORDS[f])
              : ['marketCenterID', 'tapeTradeID', ...FIELDS.filter((f) => eqOf(c)[f]).map((f) => WORDS[f])],
            differs: Object.fromEntries(
              (c.near ? (['time'] as Field[]) : FIELDS.filter((f) => !eqOf(c)[f])).map((f) => [
                WORDS[f],
                { this: shown(subject, f), other: shown(c, f) },
              ]),
            ),
            ...(c.near ? { tapeTradeID: c.tapeTradeID, marketCenterID: c.marketCenterID } : {}),
            ...(c.linked ? { linkedElsewhere: true } : {}),
          })),
        )
  if (!subject.report) {
    return [
      {
        idx: subject.idx,
        code,
        recipient: subject.reporter,
        named: false,
        counterparty: best?.reporter ?? null,
        explanation,
        candidates: cands,
      },
    ]
  }
  // A report names its reporting firm and, when a member, its contra firm: each hears of it.
  const named = [...new Set([subject.firm, subject.contra].filter((x): x is string => x !== null))]
  return named.map((recipient) => ({
    idx: subject.idx,
    code,
    recipient,
    named: true,
    counterparty: subject.reporter,
    explanation: `${subject.reporter} reports ${subject.type} ${subject.roeId} naming you: ${explanation}`,
    candidates: cands,
  }))
}
