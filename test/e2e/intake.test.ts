/**
 * Intake end to end on hand-written files: acknowledgement with a verifiable receipt, integrity pairing
 * and its codes, ingestion feedback in CAT's layouts, corrections, and resubmission.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { readFeedback } from '../../src/intake/feedback.ts'
import { type Receipt, verifyLog, verifyReceipt } from '../../src/intake/file-log.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import type { Repository } from '../../src/store/repository.ts'
import { BASE } from '../support/fixtures.ts'
import { fixtureRepository, recordWith } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

let repo: Repository
let dir: string
const AT = isoOrCatToNs('2026-03-02T17:00:00')

beforeAll(async () => {
  repo = await fixtureRepository()
  dir = mkdtempSync(join(tmpdir(), 'opencat-intake-'))
}, 60_000)
afterAll(() => repo?.close())

function feedback(name: string): Record<string, unknown> {
  const parsed = readFeedback(
    readFileSync(join(repo.paths.root, 'feedback', '104001', 'feedback', name), 'utf8'),
  )
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.fields
}

describe('intake of a reporter file', () => {
  const good = ['MENO', 'MEOR', 'MEOC', 'MEOT'].map((t) => JSON.stringify(BASE[t]))
  const bad = [recordWith(BASE.MEOM, { side: 'Buy', firmROEID: '20260302_M9' }), '{"actionType":"NEW",']

  it('acknowledges, pairs, ingests and reports rejected records with CAT codes', async () => {
    const s = writeSubmission(join(dir, 'one'), { lines: [...good, ...bad] })
    const summary = await submitFiles(repo, [join(dir, 'one')], { nowNs: AT })
    expect(summary.records).toBe(6)
    expect(summary.accepted).toBe(4)
    expect(summary.rejected).toBe(2)
    expect(summary.errorsByCode).toEqual({ 2095: 1, 2134: 1 })

    const ack = feedback('104001_ALDR_20260302_OrderEvents_000001.ack.json')
    expect(ack).toMatchObject({
      stage: 'FILE_ACKNOWLEDGEMENT',
      status: 'Success',
      submitter: 104001,
      fileName: s.dataName,
    })
    expect(feedback('104001_ALDR_20260302_OrderEvents_000001.integrity.json')).toMatchObject({
      status: 'Success',
    })
    const ing = feedback('104001_ALDR_20260302_OrderEvents_000001.ingestion.json')
    expect(ing).toMatchObject({ stage: 'INGESTION', status: 'Failure', errorCount: 2 })

    const errorFile = join(repo.paths.root, 'feedback', '104001', 'errors', ing.errorFileName as string)
    const lines = bunzip2Buffer(readFileSync(errorFile)).ok
      ? (bunzip2Buffer(readFileSync(errorFile)) as { data: Buffer }).data
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : []
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({ errorCode: [2095], actionType: 'RPR', errorRecord: bad[0] })
    expect(lines[1]).toMatchObject({ errorCode: [2134], errorRecord: bad[1] })

    const stored = await repo.db.all<{ n: string }>('SELECT count(*) AS n FROM current_events')
    expect(Number(stored[0].n)).toBe(4)
  })

  it('gives every acknowledged file a receipt that verifies, and refuses a forged one', async () => {
    const ack = feedback('104001_ALDR_20260302_OrderEvents_000001.ack.json')
    const receipt = ack.receipt as unknown as Receipt
    const checks = await verifyReceipt(repo, receipt)
    expect(checks.every((c) => c.ok)).toBe(true)
    const forged = {
      ...receipt,
      sha256: 'f'.repeat(64),
      leaf: receipt.leaf.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${'f'.repeat(64)}"`),
    }
    expect((await verifyReceipt(repo, forged)).every((c) => c.ok)).toBe(false)
    expect((await verifyLog(repo)).every((c) => c.ok)).toBe(true)
  })

  it('repairs a rejected record by errorROEID and corrects an accepted one by firmROEID', async () => {
    const ing = feedback('104001_ALDR_20260302_OrderEvents_000001.ingestion.json')
    const errorFile = join(repo.paths.root, 'feedback', '104001', 'errors', ing.errorFileName as string)
    const first = JSON.parse(
      (bunzip2Buffer(readFileSync(errorFile)) as { data: Buffer }).data.toString().split('\n')[0],
    )
    const repair = recordWith(BASE.MEOM, {
      actionType: 'RPR',
      errorROEID: first.errorROEID,
      firmROEID: '20260302_M9',
    })
    const correction = recordWith(BASE.MEOC, { actionType: 'COR', cancelQty: 400, leavesQty: 100 })
    const bogus = recordWith(BASE.MEOC, { actionType: 'COR', firmROEID: '20260302_NOSUCH' })
    writeSubmission(join(dir, 'two'), { number: 2, lines: [repair, correction, bogus] })
    const summary = await submitFiles(repo, [join(dir, 'two')], { nowNs: AT + 3_600_000_000_000n })
    expect(summary.accepted).toBe(2)
    expect(summary.errorsByCode).toEqual({ 2137: 1 })
    const cancels = await repo.db.all<{ cancelQty: string; versions: string }>(
      `SELECT (SELECT cancelQty FROM current_events WHERE _roe_id = '20260302_C1') AS cancelQty,
              (SELECT count(*) FROM events WHERE _roe_id = '20260302_C1') AS versions`,
    )
    expect(cancels[0]).toEqual({ cancelQty: '400.000000', versions: '2' })
    // As of the first submission the correction had not arrived.
    const asOf = await repo.db.one<{ cancelQty: string }>(
      `SELECT cancelQty FROM events_as_of(${AT}) WHERE _roe_id = '20260302_C1'`,
    )
    expect(asOf?.cancelQty).toBe('500.000000')
  })

  it('treats the same bytes under the same name as a retry, and another file under a used name as 1103', async () => {
    const again = await submitFiles(repo, [join(dir, 'one')], { nowNs: AT + 7_200_000_000_000n })
    expect(again.files.every((f) => f.retry)).toBe(true)
    expect(again.records).toBe(0)
    writeSubmission(join(dir, 'dup'), {
      number: 1,
      metaNumber: 9,
      lines: [JSON.stringify(BASE.MEOC).replace('_C1', '_C7')],
    })
    const dup = await submitFiles(repo, [join(dir, 'dup')], { nowNs: AT + 7_200_000_000_000n })
    expect(dup.files.find((f) => f.role === 'data')?.codes).toEqual([1103])
  })

  it('answers integrity problems with their codes: hash 1115, count 2151, unauthorised 1109, missing data 1122', async () => {
    writeSubmission(join(dir, 'hash'), { number: 3, lines: good, block: { compressedHash: 'A'.repeat(64) } })
    writeSubmission(join(dir, 'count'), { number: 4, lines: good, block: { recordCount: 9 } })
    writeSubmission(join(dir, 'auth'), { number: 5, submitter: '104002', lines: good })
    const missing = writeSubmission(join(dir, 'missing'), { number: 6, lines: good })
    const s = await submitFiles(
      repo,
      [join(dir, 'hash'), join(dir, 'count'), join(dir, 'auth'), missing.meta],
      { nowNs: AT },
    )
    const byName = (n: number) => s.files.find((f) => f.name.includes(`_00000${n}`) && f.role === 'data')
    const metaOf = (n: number) => s.files.find((f) => f.name.includes(`_00000${n}.meta`))
    expect(byName(3)?.codes).toEqual([1115])
    expect(byName(4)?.codes).toEqual([2151])
    expect(metaOf(5)?.codes).toContain(1109)
    expect(metaOf(6)?.codes).toEqual([1122])
  })

  it('gives a malformed file name an empty .ack.error and nothing else', async () => {
    const p = join(dir, 'badname')
    writeFileSync(p, 'x')
    const s = await submitFiles(repo, [p], { nowNs: AT, submitter: '104001' })
    expect(s.files[0].status).toBe('rejected')
    const fbDir = join(repo.paths.root, 'feedback', '104001', 'feedback')
    expect(readFileSync(join(fbDir, 'badname.ack.error'), 'utf8')).toBe('')
    expect(readdirSync(fbDir).filter((f) => f.startsWith('badname'))).toEqual(['badname.ack.error'])
  })

  it('deletes a file of NEW records by a file delete instruction', async () => {
    writeSubmission(join(dir, 'tobedeleted'), {
      number: 7,
      lines: [recordWith(BASE.MEOC, { firmROEID: '20260302_D1' })],
    })
    await submitFiles(repo, [join(dir, 'tobedeleted')], { nowNs: AT })
    expect(await repo.db.one(`SELECT 1 AS x FROM current_events WHERE _roe_id = '20260302_D1'`)).toBeDefined()
    writeSubmission(join(dir, 'del'), { number: 7, isDelete: true, lines: [] })
    const s = await submitFiles(repo, [join(dir, 'del')], { nowNs: AT + 1_000_000_000n })
    expect(s.files.find((f) => f.role === 'data')?.status).toBe('ingested')
    expect(
      await repo.db.one(`SELECT 1 AS x FROM current_events WHERE _roe_id = '20260302_D1'`),
    ).toBeUndefined()
    expect(existsSync(repo.paths.events)).toBe(true)
  })

  it('keeps the live version when a NEW reuses its firmROEID, and starts the record again after a DEL', async () => {
    const cancelQty = () =>
      repo.db.all<{ cancelQty: string }>(`SELECT cancelQty FROM current_events WHERE _roe_id = '20260302_D2'`)
    const send = async (number: number, line: string, hour: bigint) => {
      writeSubmission(join(dir, `reuse${number}`), { number, lines: [line] })
      const s = await submitFiles(repo, [join(dir, `reuse${number}`)], {
        nowNs: AT + hour * 3_600_000_000_000n,
      })
      expect(s.accepted).toBe(1)
    }
    await send(8, recordWith(BASE.MEOC, { firmROEID: '20260302_D2', cancelQty: 300, leavesQty: 200 }), 1n)
    await send(10, recordWith(BASE.MEOC, { firmROEID: '20260302_D2', cancelQty: 100, leavesQty: 400 }), 2n)
    expect(await cancelQty()).toEqual([{ cancelQty: '300.000000' }])
    await send(11, JSON.stringify({ actionType: 'DEL', firmROEID: '20260302_D2' }), 3n)
    expect(await cancelQty()).toEqual([])
    await send(12, recordWith(BASE.MEOC, { firmROEID: '20260302_D2', cancelQty: 50, leavesQty: 450 }), 4n)
    expect(await cancelQty()).toEqual([{ cancelQty: '50.000000' }])
    const versions = await repo.db.one<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE _roe_id = '20260302_D2'`,
    )
    expect(versions?.n).toBe('4')
  })
})
