import { describe, expect, it } from 'vitest'
import {
  explainTradeReport,
  type TradeReportCandidate,
  type TradeReportSide,
} from './trade-report-explainer.ts'

const NS = 1_772_461_800_000_000_000n // 2026-03-02 14:30 UTC
const trade: TradeReportSide = {
  idx: 1,
  report: false,
  reporter: 'ALDR',
  type: 'MEOT',
  roeId: '20260302_T1',
  eventNs: NS,
  symbol: 'XYZ',
  marketCenterID: 'L',
  tapeTradeID: '100000007',
  firm: 'ALDR',
  contra: null,
  late: false,
}
const report: TradeReportSide = {
  ...trade,
  idx: 2,
  report: true,
  reporter: 'FINRA',
  type: 'TRFT',
  roeId: '20260302_R1',
  contra: 'BRCH',
}
const cand = (
  side: TradeReportSide,
  eq: Partial<Pick<TradeReportCandidate, 'timeEq' | 'symbolEq' | 'firmEq' | 'near' | 'linked'>>,
  over: Partial<TradeReportSide> = {},
): TradeReportCandidate => ({
  ...side,
  ...over,
  timeEq: true,
  symbolEq: true,
  firmEq: true,
  near: false,
  linked: false,
  ...eq,
})

describe('explainTradeReport', () => {
  it('gives 4003 when no report shares the key, pointing to the likely report', () => {
    const [f] = explainTradeReport(trade, [
      cand(report, { near: true }, { tapeTradeID: '100000008', eventNs: NS + 200_000_000n }),
    ])
    expect(f).toMatchObject({ code: 4003, recipient: 'ALDR', named: false })
    expect(f.explanation).toMatch(
      /no trade report of a FINRA facility carries marketCenterID L and tapeTradeID 100000007/,
    )
    expect(f.explanation).toMatch(/TRFT 20260302_R1 of FINRA .* tapeTradeID 100000008/)
    expect(JSON.parse(f.candidates!)[0]).toMatchObject({
      tapeTradeID: '100000008',
      matches: ['symbol', 'firm'],
    })
  })

  it('names the one field that differs: 4005 time, 4007 symbol; the firm or several give 4009', () => {
    const code = (eq: Parameters<typeof cand>[1]) => explainTradeReport(trade, [cand(report, eq)])[0].code
    expect(code({ timeEq: false })).toBe(4005)
    expect(code({ symbolEq: false })).toBe(4007)
    expect(code({ firmEq: false })).toBe(4009)
    expect(code({ timeEq: false, symbolEq: false })).toBe(4009)
  })

  it('ranks the candidate agreeing on most fields first, an unlinked one before a linked one', () => {
    const [f] = explainTradeReport(trade, [
      cand(report, { timeEq: false, symbolEq: false }, { idx: 5, roeId: 'worse' }),
      cand(report, { symbolEq: false, linked: true }, { idx: 6, roeId: 'linked' }),
      cand(report, { symbolEq: false }, { idx: 7, roeId: 'best' }),
    ])
    expect(f.code).toBe(4007)
    expect(JSON.parse(f.candidates!).map((c: { firmROEID: string }) => c.firmROEID)).toEqual([
      'best',
      'linked',
      'worse',
    ])
  })

  it('sends an unmatched report to every firm it names, with the named code', () => {
    const out = explainTradeReport(report, [cand(trade, { timeEq: false })])
    expect(out.map((f) => [f.recipient, f.code, f.named])).toEqual([
      ['ALDR', 5006, true],
      ['BRCH', 5006, true],
    ])
    expect(explainTradeReport(report, []).map((f) => f.code)).toEqual([5004, 5004])
    expect(out[0].explanation).toMatch(/^FINRA reports TRFT 20260302_R1 naming you: .*execution time/)
  })
})
