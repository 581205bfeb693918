/**
 * Repairs and deletes that name a record by the errorROEID linkage feedback gave it, through `opencat
 * submit` and the feedback files (IM spec §7.6): a record reusing another's firmROEID (3002) repaired under
 * a new firmROEID retires the duplicate version, so relinking reports no 3002 again and links the repaired
 * record, while the store still holds the original version; a DEL naming a linkage errorROEID is accepted
 * and takes the record out of the current views.
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openRepository } from '../../src/store/repository.ts'
import '../../src/pipeline/stage-views.ts'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { type ErrorLine, readErrorLines } from '../support/link-harness.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-corrections-'))
const repo = join(root, 'repo')
const feedback = join(repo, 'feedback', '104001')

// A new order, its cancel written under the order's firmROEID (a duplicate, 3002), and a cancel of an order
// ALDR never reported (unlinked, an intrafirm linkage error).
const order = recordWith(BASE.MENO, {})
const cancel = recordWith(BASE.MEOC, { firmROEID: BASE.MENO.firmROEID })
const stray = recordWith(BASE.MEOC, {
  firmROEID: '20260302_C7',
  orderID: 'O7',
  orderKeyDate: '20260302T091500.000',
})

async function submit(name: string, number: number, lines: string[], at: string) {
  writeSubmission(join(root, name), { number, lines })
  const r = await runCli(['submit', '--repo', repo, '--at', at, '--json', join(root, name)])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as {
    accepted: number
    rejected: number
    errorsByCode: Record<string, number>
    linkage: { eventDate: number; errorsByCode: Record<string, number> }[]
  }
}

/** The lines of ALDR's linkage error files, newest run last. */
function linkageErrors(): ErrorLine[][] {
  return readdirSync(join(feedback, 'errors'))
    .filter((f) => f.includes('.linkage.error'))
    .sort()
    .map((f) => readErrorLines(join(feedback, 'errors', f)))
}

async function storeRows(sql: string): Promise<Record<string, unknown>[]> {
  const r = await openRepository(repo)
  try {
    return await r.db.all<Record<string, unknown>>(sql)
  } finally {
    r.close()
  }
}

let duplicate: ErrorLine
let unlinked: ErrorLine

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  expect((await runCli(['init', '--repo', repo, '--reference', join(root, 'ref')])).code).toBe(0)
  const s = await submit('day', 1, [order, cancel, stray], '2026-03-02T18:00:00')
  expect(s).toMatchObject({ accepted: 3, rejected: 0 })
  const [first] = linkageErrors()
  duplicate = first.find((l) => (l.errorCode as number[]).includes(3002))!
  unlinked = first.find((l) => JSON.parse(String(l.errorRecord)).firmROEID === '20260302_C7')!
}, 120_000)

describe('a repair naming a linkage errorROEID', { timeout: 180_000 }, () => {
  it('starts from a duplicate firmROEID reported as 3002 on the later record', () => {
    expect(duplicate).toBeDefined()
    expect(JSON.parse(String(duplicate.errorRecord))).toMatchObject({
      type: 'MEOC',
      firmROEID: BASE.MENO.firmROEID,
    })
    expect(unlinked).toBeDefined()
  })

  it('under a new firmROEID retires the duplicate: relinking reports no 3002 and links the repaired record', async () => {
    const repair = recordWith(BASE.MEOC, {
      actionType: 'RPR',
      errorROEID: Number(duplicate.errorROEID),
      firmROEID: '20260302_C1',
    })
    const s = await submit('repair', 2, [repair], '2026-03-03T07:00:00')
    expect(s).toMatchObject({ accepted: 1, rejected: 0 })
    const runs = linkageErrors()
    expect(runs.length).toBeGreaterThan(1)
    const latest = runs[runs.length - 1]
    expect(latest.flatMap((l) => l.errorCode as number[])).not.toContain(3002)
    // The record without a counterpart is still reported: the relink did look at the whole date.
    expect(latest.map((l) => l.errorROEID)).toContain(unlinked.errorROEID)

    const lc = await runCli([
      'lifecycle',
      '--repo',
      repo,
      '--reporter',
      'ALDR',
      '--firm-roe-id',
      '20260302_C1',
      '--json',
    ])
    expect(lc.code, lc.stderr).toBe(0)
    const tags = (JSON.parse(lc.stdout).events as { firmROEID: string; type: string }[]).map(
      (e) => `${e.type} ${e.firmROEID}`,
    )
    expect(tags.sort()).toEqual([`MENO ${BASE.MENO.firmROEID}`, 'MEOC 20260302_C1'])
  })

  it('keeps the original version in the store, and the order and the repaired cancel current', async () => {
    const all = await storeRows(
      `SELECT CAST(_event_id AS VARCHAR) AS id, _action, _type, _roe_id FROM events ORDER BY _event_id`,
    )
    expect(all).toContainEqual({
      id: String(duplicate.errorROEID),
      _action: 'NEW',
      _type: 'MEOC',
      _roe_id: BASE.MENO.firmROEID,
    })
    const current = await storeRows(`SELECT _type, _roe_id FROM current_events ORDER BY _roe_id`)
    expect(current).toEqual([
      { _type: 'MEOC', _roe_id: '20260302_C1' },
      { _type: 'MEOC', _roe_id: '20260302_C7' },
      { _type: 'MENO', _roe_id: BASE.MENO.firmROEID },
    ])
  })
})

describe('a delete naming a linkage errorROEID', { timeout: 180_000 }, () => {
  it('is accepted and takes the record out of the current views', async () => {
    const s = await submit(
      'delete',
      3,
      [`{"actionType":"DEL","errorROEID":${unlinked.errorROEID}}`],
      '2026-03-03T07:30:00',
    )
    expect(s).toMatchObject({ accepted: 1, rejected: 0 })
    const current = await storeRows(`SELECT _roe_id FROM current_events ORDER BY _roe_id`)
    expect(current.map((r) => r._roe_id)).toEqual(['20260302_C1', BASE.MENO.firmROEID])
    // As the repository stood just before the delete, the record was current.
    const before = await storeRows(
      `SELECT _roe_id FROM events_as_of((SELECT max(ingested_ns) - 1 FROM files WHERE ingested_ns IS NOT NULL)) ORDER BY _roe_id`,
    )
    expect(before.map((r) => r._roe_id)).toEqual(['20260302_C1', '20260302_C7', BASE.MENO.firmROEID])
    // Deleted, not overwritten: the version is still stored.
    const kept = await storeRows(`SELECT _roe_id FROM events WHERE _event_id = ${unlinked.errorROEID}`)
    expect(kept).toEqual([{ _roe_id: '20260302_C7' }])
    // The delete has no event date of its own, yet it relinks the date of the record it names, which then
    // has nothing left in error: the duplicate was repaired, the stray cancel deleted.
    expect(s.linkage).toEqual([expect.objectContaining({ eventDate: 20260302, errorsByCode: {} })])
  })

  it('naming an errorROEID nobody was sent is refused with 2137', async () => {
    const s = await submit(
      'bad-delete',
      4,
      ['{"actionType":"DEL","errorROEID":987654321}'],
      '2026-03-03T07:40:00',
    )
    expect(s).toMatchObject({ accepted: 0, rejected: 1, errorsByCode: { 2137: 1 } })
  })
})
