/**
 * Where ingestion writes a batch's accepted records: one file under its event date's folder when the batch
 * names one date, one per date when it names several; every accepted record lands once, with its date.
 * Batches on two engine connections at once give what one batch at a time gives.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE } from '../../test/support/fixtures.ts'
import { fixtureRepository, ingestLines, recordWith } from '../../test/support/ingest.ts'
import { literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead } from '../store/store-cipher.ts'

let repo: Repository
beforeAll(async () => {
  repo = await fixtureRepository()
})
afterAll(() => repo?.close())

const order = (n: number, date: string) =>
  recordWith(BASE.MENO, {
    firmROEID: `${date}_D${n}`,
    orderID: `D${n}`,
    orderKeyDate: `${date}T093000.000`,
    eventTimestamp: `${date}T093000.${String(n).padStart(3, '0')}`,
    timeInForce: { DAY: Number(date) },
  })

/** The work area's event files of a file id, by folder, and the rows they hold with their dates. */
async function written(fileId: number) {
  const dir = join(repo.paths.work, `f${fileId}`, 'events')
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.parquet'))
    .sort()
  const rows = await repo.db.all<{ firmROEID: string; event_date: number; _line: number }>(
    `SELECT firmROEID, event_date::INTEGER AS event_date, _line FROM ${parquetRead(repo.db, literal(join(dir, '*', '*.parquet')), ['hive_partitioning = true'])} ORDER BY _line`,
  )
  return { files, rows }
}

describe('event date folders of an ingested batch', () => {
  it('writes a batch of one date as one file in that date’s folder, every accepted record once', async () => {
    const lines = [order(1, '20260302'), order(2, '20260302'), order(3, '20260302')]
    const r = await ingestLines(repo, lines, { fileId: 7001 })
    expect(r.accepted).toBe(3)
    const { files, rows } = await written(7001)
    expect(files).toEqual([join('event_date=20260302', 'f7001_b0_0.parquet')])
    expect(rows).toEqual([
      { firmROEID: '20260302_D1', event_date: 20260302, _line: 1 },
      { firmROEID: '20260302_D2', event_date: 20260302, _line: 2 },
      { firmROEID: '20260302_D3', event_date: 20260302, _line: 3 },
    ])
  })

  it('writes a batch of two dates into both folders, and leaves a rejected record out of either', async () => {
    const lines = [
      order(1, '20260302'),
      order(2, '20260227'),
      recordWith(JSON.parse(order(3, '20260227')), { side: 'Sideways' }),
      order(4, '20260302'),
    ]
    const r = await ingestLines(repo, lines, { fileId: 7002 })
    expect(r.accepted).toBe(3)
    expect(r.rejects.map((x) => x.line)).toEqual([3])
    const { files, rows } = await written(7002)
    expect(files).toEqual([
      join('event_date=20260227', 'f7002_b0_0.parquet'),
      join('event_date=20260302', 'f7002_b0_0.parquet'),
    ])
    expect(rows).toEqual([
      { firmROEID: '20260302_D1', event_date: 20260302, _line: 1 },
      { firmROEID: '20260227_D2', event_date: 20260227, _line: 2 },
      { firmROEID: '20260302_D4', event_date: 20260302, _line: 4 },
    ])
  })
})

describe('batches on two lanes', () => {
  it('gives the records, rejects and codes one batch at a time gives, with a correction batch among them', async () => {
    const lines = [
      order(1, '20260302'),
      order(2, '20260302'),
      order(3, '20260227'),
      recordWith(JSON.parse(order(4, '20260302')), { side: 'Sideways' }),
      order(5, '20260302'),
      // A correction of a record the store does not hold: its batch reads the store, so it runs alone.
      recordWith(JSON.parse(order(2, '20260302')), { actionType: 'COR', quantity: 700 }),
      order(6, '20260302'),
      order(7, '20260227'),
      recordWith(JSON.parse(order(8, '20260302')), { price: 'ten' }),
      order(9, '20260302'),
    ]
    const lanes = await ingestLines(repo, lines, { fileId: 7003, ingest: { batchSize: 2 } })
    const single = await ingestLines(repo, lines, { fileId: 7004, ingest: { batchSize: 2, worker: false } })
    const { seconds: _a, ...got } = lanes
    const { seconds: _b, ...want } = single
    expect(got).toEqual(want)
    expect(got.rejects.map((r) => r.line)).toEqual([4, 6, 9])
    expect(got.accepted).toBe(7)
    const a = await written(7003)
    const b = await written(7004)
    expect(a.files).toEqual(b.files.map((f) => f.replaceAll('f7004', 'f7003')))
    expect(a.files.filter((f) => f.startsWith('event_date=20260302'))).toHaveLength(4)
    expect(a.rows).toEqual(b.rows)
  })
})
