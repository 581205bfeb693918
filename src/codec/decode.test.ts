import { describe, expect, it } from 'vitest'
import { CATALOGUE_V4, CATALOGUE_V221 } from '../catalogue/index.ts'
import { decodeCsvRecord, decodeJsonRecord } from './decode.ts'

const cat = CATALOGUE_V4
const MEOC = {
  actionType: 'NEW',
  firmROEID: '20260302_C1',
  type: 'MEOC',
  orderKeyDate: '20260302T093000.000',
  orderID: 'O1',
  symbol: 'XYZ',
  eventTimestamp: '20260302T093001.123456789',
  manualFlag: false,
  cancelQty: 100,
  leavesQty: 0,
  initiator: 'C',
}
const line = (over: Record<string, unknown> = {}) => JSON.stringify({ ...MEOC, ...over })
const codes = (r: { findings: { code: number }[] }) => r.findings.map((f) => f.code)

describe('decoding JSON records', () => {
  it('accepts a complete record with no findings', () => {
    const r = decodeJsonRecord(line(), cat)
    expect(r.findings).toEqual([])
    expect(r.type).toBe('MEOC')
    expect(r.values.cancelQty).toBe('100')
  })

  it('keeps a nanosecond epoch timestamp exact where JSON.parse would round it', () => {
    const text = line().replace('"20260302T093001.123456789"', '1772461801123456789')
    expect(JSON.parse(text).eventTimestamp).not.toBe(1772461801123456789n)
    const r = decodeJsonRecord(text, cat)
    expect(r.values.eventTimestamp).toEqual({ ns: 1772461801123456789n, digits: 9, form: 'number' })
  })

  it('refuses a Real Quantity with trailing zeros in the fraction with the field code', () => {
    const r = decodeJsonRecord(line().replace('"cancelQty":100', '"cancelQty":100.10'), cat)
    expect(r.findings).toMatchObject([{ code: 2012, field: 'cancelQty' }])
  })

  it('refuses a price given as a string with the price code', () => {
    const meoc = decodeJsonRecord(line({ type: 'MEOR' }), cat)
    expect(codes(meoc)).toContain(2133)
    const r = decodeJsonRecord(
      JSON.stringify({
        ...MEOC,
        type: 'MEOJ',
        price: '8.500000',
        cancelQty: undefined,
        leavesQty: undefined,
      }),
      cat,
    )
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 2067, field: 'price' }))
  })

  it('reports an unknown field as 2133 and names it', () => {
    const r = decodeJsonRecord(line({ colour: 'red' }), cat)
    expect(r.findings).toEqual([expect.objectContaining({ code: 2133, field: 'colour' })])
  })

  it('reports broken JSON as 2134 with the column', () => {
    const r = decodeJsonRecord('{"actionType":"NEW",', cat)
    expect(r.findings).toEqual([expect.objectContaining({ code: 2134 })])
    expect(r.findings[0].message).toMatch(/column \d+/)
  })

  it('reports a record over 8,190 bytes as 2132', () => {
    const r = decodeJsonRecord(
      line({ infoBarrierID: undefined, orderID: 'x'.repeat(64) }).padEnd(8191, ' '),
      cat,
    )
    expect(codes(r)).toContain(2132)
  })

  it('reports a bad timestamp with 2027 and a missing required field with its own code', () => {
    const r = decodeJsonRecord(line({ eventTimestamp: '20260302T0930', initiator: undefined }), cat)
    expect(codes(r).sort()).toEqual([2027, 2038])
  })

  it('reports an unknown type as 2105 and an unknown action as 2002', () => {
    expect(codes(decodeJsonRecord(line({ type: 'MEXX' }), cat))).toEqual([2105])
    expect(codes(decodeJsonRecord(line({ actionType: 'NEWER' }), cat))).toEqual([2002])
  })

  it('knows v4 fields only in v4 files', () => {
    const meno = decodeJsonRecord(line({ type: 'MEOC', requestTimestamp: '20260302T093001' }), CATALOGUE_V4)
    expect(meno.findings).toEqual([])
    const old = decodeJsonRecord(line({ type: 'MEOC', requestTimestamp: '20260302T093001' }), CATALOGUE_V221)
    expect(codes(old)).toEqual([2133])
  })

  it('reads a record delete by errorROEID or by firmROEID, and refuses one naming neither', () => {
    expect(decodeJsonRecord('{"actionType":"DEL","errorROEID":45678901}', cat)).toMatchObject({
      action: 'DEL',
      values: { errorROEID: '45678901' },
      findings: [],
    })
    expect(decodeJsonRecord('{"actionType":"DEL","firmROEID":"20190416_FirmROE123"}', cat).findings).toEqual(
      [],
    )
    expect(codes(decodeJsonRecord('{"actionType":"DEL"}', cat))).toEqual([2137])
  })

  it('refuses delimiters inside text with 2136', () => {
    expect(codes(decodeJsonRecord(line({ orderID: 'A|B' }), cat))).toEqual([2136])
  })

  it('reads name/value pairs and refuses a second timeInForce entry', () => {
    const meor = {
      ...MEOC,
      type: 'MEIR',
      cancelQty: undefined,
      leavesQty: undefined,
      initiator: undefined,
      deptType: 'A',
      receivingDeskType: 'T',
      side: 'B',
      price: 10.01,
      quantity: 100,
      orderType: 'LMT',
      timeInForce: { DAY: 20260302 },
      tradingSession: 'REG',
      handlingInstructions: { DISP: 10.0, AOK: true },
      multiLegInd: false,
    }
    const ok = decodeJsonRecord(JSON.stringify(meor), cat)
    expect(ok.findings).toEqual([])
    expect(ok.values.timeInForce).toEqual({ DAY: 20260302 })
    const two = decodeJsonRecord(JSON.stringify({ ...meor, timeInForce: { DAY: 20260302, IOC: true } }), cat)
    expect(codes(two)).toEqual([2101])
  })
})

describe('decoding CSV records', () => {
  const csv = 'NEW,,20260302_C1,MEOC,,20260302T093000.000,O1,XYZ,,20260302T093001.123,false,,100,0,C,,,'

  it('accepts a complete record', () => {
    const r = decodeCsvRecord(csv, cat)
    expect(r.findings).toEqual([])
    expect(r.values).toMatchObject({ orderID: 'O1', cancelQty: '100', leavesQty: '0', initiator: 'C' })
  })

  it('accepts CRLF line ends and strips zero padding from numbers', () => {
    const r = decodeCsvRecord(`${csv.replace(',100,0,', ',0100,0,')}\r`, cat)
    expect(r.findings).toEqual([])
    expect(r.values.cancelQty).toBe('100')
  })

  it('reports a short line as 2134 and extra populated positions as 2133', () => {
    expect(codes(decodeCsvRecord(csv.slice(0, csv.lastIndexOf(',,,')), cat))).toEqual([2134])
    expect(codes(decodeCsvRecord(`${csv},extra`, cat))).toEqual([2133])
  })

  /** A CSV line of `type` with the named positions set and the others blank. */
  const csvLine = (type: string, set: Record<string, string>) =>
    cat.events
      .get(type)!
      .fields.map((f) => set[f.name] ?? '')
      .join(',')

  it('reads a name/value text once: records that repeat it share one frozen value, and a bad one stays refused', () => {
    const meno = (timeInForce: string, handlingInstructions = '') =>
      csvLine('MENO', {
        actionType: 'NEW',
        firmROEID: '20260302_N1',
        type: 'MENO',
        orderKeyDate: '20260302T093000.000',
        orderID: 'O1',
        symbol: 'XYZ',
        eventTimestamp: '20260302T093000.125',
        deptType: 'A',
        side: 'B',
        price: '10.01',
        quantity: '500',
        orderType: 'LMT',
        timeInForce,
        handlingInstructions,
        tradingSession: 'REG',
        firmDesignatedID: 'ACCT1',
        accountHolderType: 'I',
        representativeInd: 'N',
      })
    const a = decodeCsvRecord(meno('DAY=20260302', 'ALG|DISP=12.5'), cat)
    const b = decodeCsvRecord(meno('DAY=20260302', 'ALG|DISP=12.5'), cat)
    expect(a.findings).toEqual([])
    expect(a.values.timeInForce).toEqual({ DAY: 20260302 })
    expect(a.values.handlingInstructions).toEqual({ ALG: true, DISP: '12.5' })
    expect(b.values.timeInForce).toBe(a.values.timeInForce)
    expect(Object.isFrozen(a.values.handlingInstructions)).toBe(true)
    expect(decodeCsvRecord(meno('DAY=20260303'), cat).values.timeInForce).toEqual({ DAY: 20260303 })
    for (let i = 0; i < 2; i++) {
      const bad = decodeCsvRecord(meno('DAY=20260230', 'ALG|ALG'), cat)
      expect(bad.findings.map((f) => f.field).sort()).toEqual(['handlingInstructions', 'timeInForce'])
    }
  })

  it('reads trade side details as @-separated positions', () => {
    const trade = (sellDetails: string) =>
      csvLine('MEOT', {
        actionType: 'NEW',
        firmROEID: '20190419_T1',
        type: 'MEOT',
        tradeKeyDate: '20190419T000000',
        tradeID: 'T1',
        symbol: 'XYZ',
        eventTimestamp: '20190419T100000.000',
        manualFlag: 'false',
        cancelFlag: 'false',
        quantity: '100',
        price: '10',
        capacity: 'A',
        tapeTradeID: 'X1',
        marketCenterID: 'L',
        sideDetailsInd: 'NA',
        buyDetails: '20190419T000000@OrderABC@B@@@@',
        sellDetails,
        multiLegInd: 'false',
      })
    const r = decodeCsvRecord(trade('@@SL@@Prop123@P@'), cat)
    expect(r.findings).toEqual([])
    expect(r.values.buyDetails).toEqual([{ orderKeyDate: expect.anything(), orderID: 'OrderABC', side: 'B' }])
    expect(r.values.sellDetails).toEqual([
      { side: 'SL', firmDesignatedID: 'Prop123', accountHolderType: 'P' },
    ])
    expect(codes(decodeCsvRecord(trade('@@SL@@Prop123@P'), cat))).toEqual([2115])
  })

  it('reads CSV record deletes', () => {
    expect(decodeCsvRecord('DEL,45678901,', cat)).toMatchObject({
      action: 'DEL',
      values: { errorROEID: '45678901' },
    })
    expect(decodeCsvRecord('DEL,,20190416_FirmROE123', cat)).toMatchObject({
      values: { firmROEID: '20190416_FirmROE123' },
    })
  })

  it('reports a populated reserved position as 2156', () => {
    const fields = cat.events.get('MEOM')!.fields
    const reserved = CATALOGUE_V221.events
      .get('MENO')!
      .fields.findIndex((f) => f.name === 'reservedForFutureUse')
    expect(reserved).toBe(15)
    const meno221 = CATALOGUE_V221.events.get('MENO')!.fields.map(() => '')
    meno221[reserved] = 'x'
    meno221[0] = 'NEW'
    meno221[3] = 'MENO'
    expect(codes(decodeCsvRecord(meno221.join(','), CATALOGUE_V221))).toContain(2156)
    expect(fields.length).toBeGreaterThan(0)
  })
})
