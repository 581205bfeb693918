/**
 * Every event type of v4.1 goes in through `opencat submit`: a 4.1.0 file holding one valid record of each
 * of the 99 types (written from the catalogue, JSON and positional CSV) is accepted without a reject, and the
 * stored records read back with their v4 fields (MOOR's multiLegInd, MEOT's clearingFirm, MLNO's legs, MEIM's
 * deskOrderID). The same records under a file version the repository does not know are refused at
 * integrity (1116). Corrections, repairs and deletes of v4.1 records work as for any other.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import { firmEvents, validCsv, validJson } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-v41-'))
const repo = join(root, 'repo')
const cat = CATALOGUE_V41
const events = firmEvents(cat)

interface SubmitSummary {
  accepted: number
  rejected: number
  errorsByCode: Record<string, number>
}

async function submit(dir: string): Promise<SubmitSummary> {
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T12:00:00', '--json', dir])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

async function sql<T>(query: string): Promise<T[]> {
  const r = await runCli(['sql', '--repo', repo, '--operator', '--format', 'json', query])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  const r = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
  expect(r.code, r.stderr).toBe(0)
}, 60_000)

describe('a v4.1 file with every event type', { timeout: 240_000 }, () => {
  it('has 99 order event types to send', () => {
    expect(events).toHaveLength(99)
    expect(new Set(events.map((e) => e.type.slice(0, 2)))).toEqual(new Set(['ME', 'MO', 'ML']))
  })

  it('goes in as JSON with no reject', async () => {
    const dir = join(root, 'json')
    writeSubmission(dir, {
      number: 1,
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: events.map((e) => validJson(e, cat, 1)),
    })
    const s = await submit(dir)
    expect(s).toMatchObject({ accepted: 99, rejected: 0 })
  })

  it('goes in as positional CSV with no reject', async () => {
    const dir = join(root, 'csv')
    const { data } = writeSubmission(dir, {
      number: 2,
      format: 'csv',
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: events.map((e) => validCsv(e, cat, 2)),
    })
    expect(data.endsWith('.csv.bz2')).toBe(true)
    const s = await submit(dir)
    expect(s).toMatchObject({ accepted: 99, rejected: 0 })
  })

  it('stores each type once per format, with its v4 fields', async () => {
    const byType = await sql<{ type: string; n: number }>(
      'SELECT _type AS type, count(*)::INTEGER AS n FROM events GROUP BY _type ORDER BY _type',
    )
    expect(byType.map((r) => r.type)).toEqual(events.map((e) => e.type).sort())
    expect(byType.every((r) => r.n === 2)).toBe(true)
    const v4 = await sql<Record<string, unknown>>(
      `SELECT _type, _file_version, multiLegInd, clearingFirm, numberOfLegs, legDetails, deskOrderID
       FROM events WHERE _type IN ('MOOR', 'MOOT', 'MLNO') ORDER BY _type, _file_id`,
    )
    expect(v4.every((r) => r._file_version === '4.1.0')).toBe(true)
    expect(v4.filter((r) => r._type === 'MOOR').map((r) => r.multiLegInd)).toEqual([false, false])
    expect(v4.filter((r) => r._type === 'MOOT').map((r) => String(r.clearingFirm))).toEqual([
      '104001',
      '104001',
    ])
    const legs = v4.filter((r) => r._type === 'MLNO')
    expect(legs.map((r) => Number(r.numberOfLegs))).toEqual([2, 2])
    for (const r of legs) {
      const parsed = JSON.parse(String(r.legDetails)) as { legRefID: string; side: string }[]
      expect(parsed.map((l) => [l.legRefID, l.side])).toEqual([
        ['L1', 'B'],
        ['L2', 'SL'],
      ])
    }
  })

  it('reads MOOR with multiLegInd, MEOT with clearingFirm, MLNO and MEIM as a reporter writes them', async () => {
    // Typed by hand, as a firm's own generator writes them: the catalogue plays no part in these lines.
    const json = [
      {
        actionType: 'NEW',
        firmROEID: '20260302_H1',
        type: 'MOOR',
        orderKeyDate: '20260302T093000.000',
        orderID: 'H1',
        optionID: 'XYZ   260320P00012500',
        eventTimestamp: '20260302T100000.250',
        manualFlag: false,
        electronicDupFlag: false,
        senderIMID: '104001:ALDR',
        destination: '104002:BRCH',
        destinationType: 'F',
        routedOrderID: 'H1R',
        side: 'B',
        price: 1.25,
        quantity: 10,
        orderType: 'LMT',
        timeInForce: { DAY: 20260302 },
        tradingSession: 'REG',
        routeRejectedFlag: false,
        affiliateFlag: false,
        multiLegInd: true,
        openCloseIndicator: 'Open',
      },
      {
        actionType: 'NEW',
        firmROEID: '20260302_H2',
        type: 'MEOT',
        tradeKeyDate: '20260302T100001.000',
        tradeID: 'H2',
        symbol: 'XYZ',
        eventTimestamp: '20260302T100001.000',
        manualFlag: false,
        cancelFlag: false,
        quantity: 100,
        price: 10.02,
        capacity: 'P',
        tapeTradeID: 'T1',
        marketCenterID: 'L',
        sideDetailsInd: 'SELL',
        sellDetails: [{ orderKeyDate: '20260302T093000.000', orderID: 'O7', side: 'SL' }],
        clearingFirm: 104001,
        multiLegInd: false,
      },
      {
        actionType: 'NEW',
        firmROEID: '20260302_H3',
        type: 'MLNO',
        orderKeyDate: '20260302T093000.000',
        orderID: 'H3',
        underlying: 'XYZ',
        eventTimestamp: '20260302T100002.000',
        manualFlag: false,
        electronicDupFlag: false,
        deptType: 'A',
        price: 0.45,
        quantity: 5,
        orderType: 'LMT',
        timeInForce: { DAY: 20260302 },
        tradingSession: 'REG',
        firmDesignatedID: 'ACCT9',
        accountHolderType: 'I',
        affiliateFlag: false,
        representativeInd: 'N',
        solicitationFlag: false,
        numberOfLegs: 2,
        legDetails: [
          {
            legRefID: '1',
            optionID: 'XYZ   260320C00010000',
            openCloseIndicator: 'Open',
            side: 'B',
            legRatioQuantity: 1,
          },
          {
            legRefID: '2',
            optionID: 'XYZ   260320C00012500',
            openCloseIndicator: 'Open',
            side: 'SL',
            legRatioQuantity: 1,
          },
        ],
      },
    ].map((r) => JSON.stringify(r))
    writeSubmission(join(root, 'typed-json'), {
      number: 3,
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: json,
    })
    expect(await submit(join(root, 'typed-json'))).toMatchObject({ accepted: 3, rejected: 0 })
    // MEIM in its 31 CSV positions: prior order key blank, deskOrderID at 30.
    const meim =
      'NEW,,20260302_H4,MEIM,ALDR,20260302T093000.000,H4,XYZ,,,,20260302T100003.000,false,,A,T,,C,B,10.01,300,,250,LMT,,DAY=20260302,REG,,,D1,'
    expect(meim.split(',')).toHaveLength(31)
    writeSubmission(join(root, 'typed-csv'), {
      number: 5,
      format: 'csv',
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: [meim],
    })
    expect(await submit(join(root, 'typed-csv'))).toMatchObject({ accepted: 1, rejected: 0 })
    const rows = await sql<Record<string, unknown>>(
      "SELECT _type, multiLegInd, clearingFirm, legDetails, deskOrderID FROM events WHERE _roe_id IN ('20260302_H1', '20260302_H2', '20260302_H3', '20260302_H4') ORDER BY _roe_id",
    )
    expect(rows.map((r) => r._type)).toEqual(['MOOR', 'MEOT', 'MLNO', 'MEIM'])
    expect(rows[0].multiLegInd).toBe(true)
    expect(String(rows[1].clearingFirm)).toBe('104001')
    expect(JSON.parse(String(rows[2].legDetails))).toHaveLength(2)
    expect(rows[3].deskOrderID).toBe('D1')
  })

  it('refuses the same v4.1 records in a 4.0.0 file, whose layouts do not have their fields', async () => {
    writeSubmission(join(root, 'typed-v40'), {
      number: 6,
      fileVersion: '4.0.0',
      doneForDay: false,
      lines: [validJson(cat.events.get('MOOR')!, cat, 6), validJson(cat.events.get('MLNO')!, cat, 6)],
    })
    const s = await submit(join(root, 'typed-v40'))
    expect(s).toMatchObject({ accepted: 0, rejected: 2, errorsByCode: { 2133: 1, 2105: 1 } })
  })

  it('refuses a file version the repository does not know with 1116', async () => {
    const dir = join(root, 'unknown')
    writeSubmission(dir, {
      number: 4,
      fileVersion: '4.2.0',
      doneForDay: false,
      lines: [validJson(cat.events.get('MLNO')!, cat, 4)],
    })
    const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T12:00:00', '--json', dir])
    expect(r.code, r.stderr).toBe(0)
    const integrity = JSON.parse(
      readFileSync(
        join(
          repo,
          'feedback',
          '104001',
          'feedback',
          '104001_ALDR_20260302_OrderEvents_000004.meta.integrity.json',
        ),
        'utf8',
      ),
    )
    expect(integrity.status).toBe('Failure')
    expect(integrity.code).toContain(1116)
  })

  it('corrects, repairs and deletes v4.1 records like any other', async () => {
    const mlno = cat.events.get('MLNO')!
    // A rejected multi-leg order (three legs announced, two given), then its repair naming the errorROEID.
    writeSubmission(join(root, 'bad'), {
      number: 7,
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: [validJson(mlno, cat, 7, { numberOfLegs: '3' })],
    })
    expect(await submit(join(root, 'bad'))).toMatchObject({
      accepted: 0,
      rejected: 1,
      errorsByCode: { 2201: 1 },
    })
    const [bad] = await sql<{ id: string }>(
      "SELECT errorROEID::VARCHAR AS id FROM rejects WHERE _roe_id = '20260302_MLNO_7'",
    )
    const changes = [
      validJson(mlno, cat, 7, { actionType: 'RPR', errorROEID: bad.id }),
      validJson(mlno, cat, 1, { actionType: 'COR', quantity: '600' }),
      JSON.stringify({ actionType: 'DEL', firmROEID: '20260302_MOOR_1' }),
    ]
    writeSubmission(join(root, 'changes'), {
      number: 8,
      fileVersion: '4.1.0',
      doneForDay: false,
      lines: changes,
    })
    expect(await submit(join(root, 'changes'))).toMatchObject({ accepted: 3, rejected: 0 })
    const current = await sql<{ roe: string; action: string; quantity: string }>(
      "SELECT _roe_id AS roe, _action AS action, quantity::VARCHAR AS quantity FROM current_events WHERE _roe_id IN ('20260302_MLNO_7', '20260302_MLNO_1', '20260302_MOOR_1') ORDER BY _roe_id",
    )
    expect(current.map((r) => [r.roe, r.action, Number(r.quantity)])).toEqual([
      ['20260302_MLNO_1', 'COR', 600],
      ['20260302_MLNO_7', 'RPR', 500],
    ])
  })

  it('links the day holding every v4.1 type without failing', async () => {
    const r = await runCli([
      'link',
      '--repo',
      repo,
      '--date',
      '2026-03-02',
      '--at',
      '2026-03-02T18:00:00',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    // Each record stands alone, so most go unlinked; what matters is that every one was examined.
    const run = JSON.parse(r.stdout) as { events: number; examined: number }
    expect(run.examined).toBe(run.events)
    expect(run.events).toBeGreaterThanOrEqual(2 * 99)
  })
})
