/**
 * The cross-field rules of v4.1 event types, through `opencat submit`: each rule's example (a valid record of
 * its event type, built from the catalogue, with the rule's change) comes back rejected with exactly the
 * rule's code, from the file and line it was on, with a message naming the field, in JSON and in CSV. The
 * untouched valid records of the same types in the same file are accepted.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import type { Values } from '../../src/codec/index.ts'
import { RULES } from '../../src/validate/rules/index.ts'
import { validCsv, validJson } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-v41-rules-'))
const repo = join(root, 'repo')
const cat = CATALOGUE_V41
const rules = RULES.filter((r) => r.example.fileVersion === '4.1.0')
const bases = [...new Set(rules.map((r) => r.example.type))]

interface Reject {
  name: string
  line: number
  codes: number[]
  messages: string[]
}

const results = new Map<string, Reject[]>()

async function submitFile(format: 'json' | 'csv', number: number): Promise<string> {
  const write = format === 'json' ? validJson : validCsv
  const lines = [
    ...rules.map((r, i) => write(cat.events.get(r.example.type)!, cat, i + 1, r.example.set as Values)),
    ...bases.map((t, i) => write(cat.events.get(t)!, cat, 1000 + i)),
  ]
  const { dataName } = writeSubmission(join(root, format), {
    number,
    format,
    fileVersion: '4.1.0',
    doneForDay: false,
    lines,
  })
  const r = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T12:00:00',
    '--json',
    join(root, format),
  ])
  expect(r.code, r.stderr).toBe(0)
  return dataName
}

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  const init = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
  expect(init.code, init.stderr).toBe(0)
  const names = [await submitFile('json', 1), await submitFile('csv', 2)]
  const q = await runCli([
    'sql',
    '--repo',
    repo,
    '--operator',
    '--format',
    'json',
    'SELECT f.name, r._line AS line, r.codes, r.messages FROM rejects r JOIN files f ON f.file_id = r._file_id ORDER BY f.name, r._line',
  ])
  expect(q.code, q.stderr).toBe(0)
  const rows = JSON.parse(q.stdout) as Reject[]
  for (const name of names)
    results.set(
      name,
      rows.filter((r) => r.name === name),
    )
}, 180_000)

describe('v4.1 cross-field rules', () => {
  it('has rules for options, multi-leg orders and allocations', () => {
    const types = new Set(rules.map((r) => r.example.type.slice(0, 2)))
    expect(types).toEqual(new Set(['ME', 'MO', 'ML']))
    expect(rules.length).toBeGreaterThanOrEqual(20)
  })

  for (const format of ['json', 'csv'] as const) {
    describe(format, () => {
      const rejectsOf = () => {
        const entry = [...results].find(([name]) => name.includes(`.${format}`))
        expect(entry, `no results for ${format}`).toBeDefined()
        return entry![1]
      }

      it('accepts the valid records of the same event types', () => {
        const rejected = rejectsOf().filter((r) => r.line > rules.length)
        expect(rejected).toEqual([])
      })

      rules.forEach((rule, i) => {
        it(`${rule.id}: ${rule.example.type} gets ${rule.code} on line ${i + 1}, naming ${rule.fields[0]}`, () => {
          const reject = rejectsOf().find((r) => r.line === i + 1)
          expect(reject, `line ${i + 1} was accepted`).toBeDefined()
          expect(reject!.codes.map(Number)).toEqual([rule.code])
          expect(reject!.messages.join(' ')).toContain(rule.fields[0])
        })
      })
    })
  }
})
