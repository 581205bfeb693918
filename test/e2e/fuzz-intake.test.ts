/**
 * Any byte sequence yields feedback, never a crash: mutated records, random bytes under valid names,
 * corrupt compression, and random metadata, all submitted in one go.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { type SubmitSummary, submitFiles } from '../../src/pipeline/submit.ts'
import type { Repository } from '../../src/store/repository.ts'
import { bulkLines } from '../support/bulk.ts'
import { fixtureRepository } from '../support/ingest.ts'
import { writeSubmission } from '../support/submission.ts'

const SEED = 20261122
const dir = mkdtempSync(join(tmpdir(), 'opencat-fuzz-'))
let repo: Repository
let summary: SubmitSummary
let mutatedCount = 0

const NASTY = [
  '"',
  ',',
  '|',
  '@',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  '\t',
  '\r',
  '\u0000',
  '\u00e9',
  '\u{1F600}',
  '9'.repeat(30),
  '-',
  '.',
  'e',
  'null',
]

function mutate(line: string, ops: { kind: number; at: number; pick: number }[]): string {
  let s = line
  for (const op of ops) {
    const at = op.at % (s.length + 1)
    if (op.kind === 0) s = s.slice(0, at) + NASTY[op.pick % NASTY.length] + s.slice(at)
    else if (op.kind === 1) s = s.slice(0, at) + s.slice(at + 1 + (op.pick % 8))
    else if (op.kind === 2) s = s.slice(0, at)
    else s = s.slice(0, at) + String.fromCharCode(op.pick % 256) + s.slice(at + 1)
  }
  return s.replaceAll('\n', ' ')
}

beforeAll(async () => {
  repo = await fixtureRepository()
  const op = fc.record({ kind: fc.integer({ min: 0, max: 3 }), at: fc.nat(), pick: fc.nat() })
  const plans = fc.sample(fc.array(op, { minLength: 1, maxLength: 4 }), { seed: SEED, numRuns: 1500 })
  const base = bulkLines(1500, 'Z')
  const mutated = base.map((l, i) => mutate(l, plans[i]))
  mutatedCount = mutated.length
  writeSubmission(join(dir, 'mutated'), { number: 1, lines: mutated })

  // Random bytes under a valid data file name, with truthful metadata: reaches ingestion.
  const noise = Buffer.from(
    fc.sample(fc.uint8Array({ minLength: 5000, maxLength: 5000 }), { seed: SEED, numRuns: 1 })[0],
  )
  mkdirSync(join(dir, 'noise'), { recursive: true })
  const noiseName = '104001_ALDR_20260302_OrderEvents_000002.json.bz2'
  writeFileSync(join(dir, 'noise', noiseName), noise)
  writeFileSync(
    join(dir, 'noise', '104001_ALDR_20260302_OrderEvents_000002.meta.json'),
    JSON.stringify({
      type: 'META',
      doneForDay: false,
      fileGenerationDate: 20260302,
      reporter: 'ALDR',
      submitter: 104001,
      fileVersion: '4.0.0',
      files: [
        {
          fileName: noiseName,
          recordCount: 3,
          compressedHash: createHash('sha256').update(noise).digest('hex'),
        },
      ],
    }),
  )
  // Valid bzip2 of random bytes: lines of garbage.
  const garbage = bzip2Buffer(noise)
  const garbageName = '104001_ALDR_20260302_OrderEvents_000003.csv.bz2'
  writeFileSync(join(dir, 'noise', garbageName), garbage)
  const garbageLines =
    noise.toString('latin1').split('\n').length - (noise.toString('latin1').endsWith('\n') ? 1 : 0)
  writeFileSync(
    join(dir, 'noise', '104001_ALDR_20260302_OrderEvents_000003.meta.csv'),
    `META,true,20260302,ALDR,104001,4.0.0,${garbageName}@${garbageLines}@@${createHash('sha256').update(garbage).digest('hex')},`,
  )
  // Random metadata documents.
  const metas = fc.sample(fc.jsonValue(), { seed: SEED, numRuns: 20 })
  metas.forEach((m, i) =>
    writeFileSync(
      join(dir, 'noise', `104001_ALDR_20260302_OrderEvents_${String(100 + i).padStart(6, '0')}.meta.json`),
      JSON.stringify(m),
    ),
  )
  summary = await submitFiles(repo, [dir], { nowNs: isoOrCatToNs('2026-03-02T18:00:00') })
}, 120_000)

afterAll(() => repo?.close())

describe('fuzzed intake', () => {
  it('accounts for every mutated record as accepted or rejected', () => {
    const f = summary.files.find((x) => x.name.endsWith('_000001.json.bz2'))!
    expect(f.status).toBe('ingested')
    expect(f.records).toBe(mutatedCount)
    expect((f.accepted ?? 0) + (f.rejected ?? 0)).toBe(mutatedCount)
    expect(f.rejected).toBeGreaterThan(mutatedCount / 4)
  })

  it('refuses random bytes as an unreadable data file (2153)', () => {
    expect(summary.files.find((x) => x.name.endsWith('_000002.json.bz2'))?.codes).toEqual([2153])
  })

  it('reads compressed garbage line by line and rejects each line', () => {
    const f = summary.files.find((x) => x.name.endsWith('_000003.csv.bz2'))!
    expect(f.status).toBe('ingested')
    expect(f.accepted).toBe(0)
    expect(f.rejected).toBe(f.records)
  })

  it('answers every random metadata document with integrity codes', () => {
    const metas = summary.files.filter((x) => /_0001[0-9]{2}\.meta\.json$/.test(x.name))
    expect(metas).toHaveLength(20)
    for (const m of metas) expect(m.codes.length, m.name).toBeGreaterThan(0)
  })

  it('wrote feedback for every file it received', async () => {
    const missing = await repo.db.all(
      "SELECT name FROM files WHERE file_id NOT IN (SELECT file_id FROM feedback WHERE stage = 'FILE_ACKNOWLEDGEMENT')",
    )
    expect(missing).toEqual([])
  })
})
