/**
 * Every v4 ingestion code of the code table can be produced by a v4.1 file through `opencat submit`: a
 * field's (or an element field's) code by a malformed value of it, a rule's code by the rule's example. The
 * producers are found from the catalogue and the rule list, so a code nothing can emit fails this test.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES, CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import { RULES } from '../../src/validate/rules/index.ts'
import { validCsv } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { fieldProducers, firstPerCode, ruleProducers } from '../support/code-producers.ts'
import { writeReference } from '../support/fixtures.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-v41-codes-'))
const repo = join(root, 'repo')
const cat = CATALOGUE_V41

const v4Codes = [...CAT_CODES.values()].filter((c) => c.v4 && c.stage === 'ingestion').map((c) => c.code)
const cases = firstPerCode([...fieldProducers(cat), ...ruleProducers(RULES, cat)], (c) => v4Codes.includes(c))
let rejects: { line: number; codes: number[] }[] = []

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  const init = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
  expect(init.code, init.stderr).toBe(0)
  // CSV: every value is text, so a malformed one is the field's own error rather than a JSON type error.
  writeSubmission(join(root, 'in'), {
    format: 'csv',
    fileVersion: '4.1.0',
    doneForDay: false,
    lines: cases.map((c, i) => validCsv(c.event, cat, i + 1, c.set)),
  })
  const r = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T12:00:00',
    '--json',
    join(root, 'in'),
  ])
  expect(r.code, r.stderr).toBe(0)
  const q = await runCli([
    'sql',
    '--repo',
    repo,
    '--operator',
    '--format',
    'json',
    'SELECT _line AS line, codes FROM rejects ORDER BY _line',
  ])
  expect(q.code, q.stderr).toBe(0)
  rejects = JSON.parse(q.stdout)
}, 180_000)

describe('v4 ingestion codes', () => {
  it('every v4 code of the code table has a producer in a v4.1 file', () => {
    expect(cases.map((c) => c.code)).toEqual([...v4Codes].sort((a, b) => a - b))
  })

  cases.forEach((c, i) => {
    it(`${c.code} comes back (${c.how})`, () => {
      const reject = rejects.find((r) => r.line === i + 1)
      expect(reject, `line ${i + 1} was accepted`).toBeDefined()
      expect(reject!.codes.map(Number)).toContain(c.code)
    })
  })
})
