/** Real CAT feedback files (from CAT's test environment) parse with OpenCAT's feedback reader. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFeedback, renderFeedback } from '../../src/intake/feedback.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

const DIR = ['spec', 'finra-v2.2.1']
const dir = sharedFile(...DIR)
const samples = dir ? readdirSync(dir).filter((f) => f.startsWith('feedback-sample.')) : []

describe.skipIf(!dir)('real CAT feedback samples', () => {
  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(3)
  })
  for (const name of samples) {
    it(`reads ${name}`, () => {
      const parsed = readFeedback(readFileSync(join(dir!, name), 'utf8'))
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) return
      expect(parsed.fields.submitter).toBe(93010)
      expect(['FILE_ACKNOWLEDGEMENT', 'FILE_INTEGRITY']).toContain(parsed.fields.stage)
      if (parsed.fields.status === 'Failure') expect(parsed.fields.code).toEqual([1126, 1109])
    })
  }
  it('writes feedback in the same shape the real samples have', () => {
    const real = readFeedback(readFileSync(join(dir!, samples.find((s) => s.includes('integrity'))!), 'utf8'))
    const ours = readFeedback(
      renderFeedback(
        {
          submitter: '93010',
          reporter: 'ID07',
          fileGenerationDate: 20200225,
          fileName: 'x.meta.json',
          receivedNs: 1582648504376000000n,
          stage: 'FILE_INTEGRITY',
          completedNs: 1582648533037000000n,
          status: 'Failure',
          severity: 'Error',
          code: [1126, 1109],
        },
        'json',
      ),
    )
    expect(real.ok && ours.ok).toBe(true)
    if (real.ok && ours.ok) expect(Object.keys(ours.fields)).toEqual(Object.keys(real.fields))
  })
})

describe.skipIf(dir)('real CAT feedback samples', () => {
  it.skip(missingShared(...DIR), () => {})
})
