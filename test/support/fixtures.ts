/**
 * A small, hand-written market for tests: reference data (two firms, one with an ATS IMID, a service
 * bureau, two exchanges, FINRA for its facilities' trade reports, a few symbols, a few option series on
 * XYZ) and one valid record of each core event type, as JSON objects.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nyseCalendar } from '../../src/common/time/nyse-calendar.ts'
import { serializeCalendar } from '../../src/common/time/trading-calendar.ts'

export const DATE = '20260302'
const FROM = '2020-01-01'

/** Writes the reference folder (with extra symbols if given); returns its path. */
export function writeReference(
  dir: string,
  extraSymbols: { symbol: string; listing: string }[] = [],
): string {
  mkdirSync(dir, { recursive: true })
  const reporters = {
    version: 1,
    firms: [
      { crd: 104001, name: 'Alder Securities', imids: [{ imid: 'ALDR', from: FROM, to: null, ats: false }] },
      {
        crd: 104002,
        name: 'Birch Markets',
        imids: [
          { imid: 'BRCH', from: FROM, to: null, ats: false },
          { imid: 'BRCX', from: FROM, to: null, ats: true },
        ],
      },
    ],
    exchanges: [
      { exchangeId: 'NSDQ', name: 'Nasdaq', from: FROM, to: null },
      { exchangeId: 'NYSE', name: 'NYSE', from: FROM, to: null },
      { exchangeId: 'FINRA', name: 'FINRA Trade Reporting Facilities', from: FROM, to: null },
    ],
    submitters: [
      {
        submitterId: 104001,
        name: 'Alder Securities',
        reportsFor: [{ reporter: 'ALDR', from: FROM, to: null }],
        thirdPartyFor: [],
      },
      {
        submitterId: 104002,
        name: 'Birch Markets',
        reportsFor: [
          { reporter: 'BRCH', from: FROM, to: null },
          { reporter: 'BRCX', from: FROM, to: null },
        ],
        thirdPartyFor: [],
      },
      {
        submitterId: 900001,
        name: 'Nasdaq',
        reportsFor: [{ reporter: 'NSDQ', from: FROM, to: null }],
        thirdPartyFor: [],
      },
      {
        submitterId: 900002,
        name: 'FINRA',
        reportsFor: [{ reporter: 'FINRA', from: FROM, to: null }],
        thirdPartyFor: [],
      },
    ],
  }
  const symbols = {
    version: 1,
    symbols: [
      { symbol: 'XYZ', listing: 'NSDQ', name: 'XYZ Corp', nms: true, test: false, from: FROM, to: null },
      { symbol: 'ABC', listing: 'NYSE', name: 'ABC Inc', nms: true, test: false, from: FROM, to: null },
      {
        symbol: 'OLDCO',
        listing: 'NYSE',
        name: 'Old Co',
        nms: true,
        test: false,
        from: '2010-01-01',
        to: '2020-12-31',
      },
      ...extraSymbols.map((x) => ({
        ...x,
        name: x.symbol,
        nms: true,
        test: false,
        from: '2010-01-01',
        to: null,
      })),
    ],
  }
  writeFileSync(join(dir, 'reporters.json'), JSON.stringify(reporters, null, 2))
  writeFileSync(join(dir, 'symbols.json'), JSON.stringify(symbols, null, 2))
  const series = (optionID: string, expiry: string, strike: string, putCall: string, to: string | null) => ({
    optionID,
    underlying: 'XYZ',
    expiry,
    strike,
    putCall,
    from: '2025-01-02',
    to,
  })
  const options = {
    version: 1,
    series: [
      series('XYZ   260320C00010000', '2026-03-20', '10', 'C', '2026-03-20'),
      series('XYZ   260320C00012500', '2026-03-20', '12.5', 'C', '2026-03-20'),
      series('XYZ   260320P00012500', '2026-03-20', '12.5', 'P', '2026-03-20'),
      series('XYZ   250321C00010000', '2025-03-21', '10', 'C', '2025-03-21'),
    ],
  }
  writeFileSync(join(dir, 'options.json'), JSON.stringify(options, null, 2))
  writeFileSync(join(dir, 'calendar.json'), serializeCalendar(nyseCalendar(2010, 2027)))
  return dir
}

const T = (hms: string) => `${DATE}T${hms}`
const common = { actionType: 'NEW', CATReporterIMID: 'ALDR', symbol: 'XYZ', manualFlag: false }

/** One valid record per event type (reporter ALDR, or NSDQ for exchange events). */
export const BASE: Record<string, Record<string, unknown>> = {
  MENO: {
    ...common,
    firmROEID: `${DATE}_N1`,
    type: 'MENO',
    orderKeyDate: T('093000.000'),
    orderID: 'O1',
    eventTimestamp: T('093000.125'),
    electronicDupFlag: false,
    deptType: 'A',
    solicitationFlag: false,
    side: 'B',
    price: 10.01,
    quantity: 500,
    orderType: 'LMT',
    timeInForce: { DAY: Number(DATE) },
    tradingSession: 'REG',
    custDspIntrFlag: false,
    firmDesignatedID: 'ACCT1',
    accountHolderType: 'I',
    affiliateFlag: false,
    negotiatedTradeFlag: false,
    representativeInd: 'N',
  },
  MEOR: {
    ...common,
    firmROEID: `${DATE}_R1`,
    type: 'MEOR',
    orderKeyDate: T('093000.000'),
    orderID: 'O1',
    eventTimestamp: T('093000.250'),
    electronicDupFlag: false,
    senderIMID: '104001:ALDR',
    destination: '104002:BRCH',
    destinationType: 'F',
    routedOrderID: 'RT1',
    side: 'B',
    price: 10.01,
    quantity: 500,
    orderType: 'LMT',
    timeInForce: { DAY: Number(DATE) },
    tradingSession: 'REG',
    affiliateFlag: false,
    isoInd: 'NA',
    routeRejectedFlag: false,
    dupROIDCond: false,
    multiLegInd: false,
  },
  MEOA: {
    ...common,
    CATReporterIMID: 'ALDR',
    firmROEID: `${DATE}_A1`,
    type: 'MEOA',
    orderKeyDate: T('093000.300'),
    orderID: 'B1',
    eventTimestamp: T('093000.300'),
    electronicDupFlag: false,
    receiverIMID: '104001:ALDR',
    senderIMID: '104002:BRCH',
    senderType: 'F',
    routedOrderID: 'RT9',
    affiliateFlag: false,
    deptType: 'T',
    side: 'B',
    price: 10.01,
    quantity: 500,
    orderType: 'LMT',
    timeInForce: { DAY: Number(DATE) },
    tradingSession: 'REG',
    isoInd: 'NA',
    custDspIntrFlag: false,
    solicitationFlag: false,
  },
  MEOM: {
    ...common,
    firmROEID: `${DATE}_M1`,
    type: 'MEOM',
    orderKeyDate: T('093100.000'),
    orderID: 'O2',
    priorOrderKeyDate: T('093000.000'),
    priorOrderID: 'O1',
    eventTimestamp: T('093100.000'),
    electronicDupFlag: false,
    initiator: 'C',
    side: 'B',
    price: 10.02,
    quantity: 500,
    leavesQty: 500,
    orderType: 'LMT',
    timeInForce: { DAY: Number(DATE) },
    tradingSession: 'REG',
    isoInd: 'NA',
    custDspIntrFlag: false,
    representativeInd: 'N',
  },
  MEOC: {
    ...common,
    firmROEID: `${DATE}_C1`,
    type: 'MEOC',
    orderKeyDate: T('093000.000'),
    orderID: 'O1',
    eventTimestamp: T('093200.000'),
    cancelQty: 500,
    leavesQty: 0,
    initiator: 'C',
  },
  MEOT: {
    ...common,
    firmROEID: `${DATE}_T1`,
    type: 'MEOT',
    tradeKeyDate: T('093300.000'),
    tradeID: 'TR1',
    eventTimestamp: T('093300.000'),
    cancelFlag: false,
    quantity: 100,
    price: 10.01,
    capacity: 'P',
    tapeTradeID: 'TAPE1',
    marketCenterID: 'L',
    sideDetailsInd: 'NA',
    buyDetails: [{ orderKeyDate: T('093000.000'), orderID: 'O1', side: 'B' }],
    sellDetails: [{ side: 'SL', firmDesignatedID: 'PROP1', accountHolderType: 'P' }],
  },
  MEOF: {
    ...common,
    firmROEID: `${DATE}_F1`,
    type: 'MEOF',
    fillKeyDate: T('093400.000'),
    fulfillmentID: 'FL1',
    eventTimestamp: T('093400.000'),
    fulfillmentLinkType: 'Y',
    cancelFlag: false,
    quantity: 100,
    price: 10.01,
    capacity: 'A',
    clientDetails: [{ orderKeyDate: T('093000.000'), orderID: 'O1', side: 'B' }],
    firmDetails: [{ orderKeyDate: T('092900.000'), orderID: 'REP1', side: 'B' }],
  },
  EXOA: {
    actionType: 'NEW',
    recordID: `${DATE}_X1`,
    type: 'EXOA',
    exchange: 'NSDQ',
    orderID: 'N1',
    symbol: 'XYZ',
    eventTimestamp: T('093000.400000'),
    side: 'B',
    price: 10.01,
    quantity: 500,
    displayQty: 500,
    orderType: 'LMT',
    timeInForce: { DAY: Number(DATE) },
    tradingSession: 'REG',
    routingParty: '104001:ALDR',
    routedOrderID: 'RT2',
    session: 'S1',
    capacity: 'A',
  },
  EXOT: {
    actionType: 'NEW',
    recordID: `${DATE}_X2`,
    type: 'EXOT',
    exchange: 'NSDQ',
    tradeID: 'E1',
    symbol: 'XYZ',
    eventTimestamp: T('093001.000000'),
    price: 10.01,
    quantity: 100,
    buyOrderID: 'N1',
    sellOrderID: 'N2',
    buyLeavesQty: 400,
    sellLeavesQty: 0,
    aggressorSide: 'S',
    hiddenFlag: false,
  },
}
