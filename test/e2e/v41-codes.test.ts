/**
 * Every v4 ingestion code of the code table can be produced by a v4.1 file through `opencat submit`: a
 * field's (or an element field's) code by a malformed value of it, a rule's code by the rule's example. The
 * producers are found from the catalogue and the rule list, so a code nothing can emit fails this test.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  CAT_CODES,
  CATALOGUE_V41,
  type DataType,
  type EventField,
  type EventSpec,
} from '../../src/catalogue/index.ts'
import type { Value, Values } from '../../src/codec/index.ts'
import { RULES } from '../../src/validate/rules/index.ts'
import { elementFor, firmEvents, validCsv, validValues } from '../support/catalogue-records.ts'
import { runCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'
import { writeSubmission } from '../support/submission.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-v41-codes-'))
const repo = join(root, 'repo')
const cat = CATALOGUE_V41

/** A value of the wrong form for a data type, in JSON terms. */
function invalid(type: DataType): Value | undefined {
  switch (type.kind) {
    case 'text':
    case 'alphanumeric':
      return 'x'.repeat(type.max + 1)
    case 'symbol':
      return 'x'.repeat(23)
    case 'boolean':
    case 'choice':
    case 'price':
    case 'realQuantity':
    case 'wholeQuantity':
    case 'integer':
    case 'unsigned':
    case 'date':
    case 'timestamp':
      return 'NOPE'
    default:
      return undefined
  }
}

interface Producer {
  readonly code: number
  readonly how: string
  readonly event: EventSpec
  readonly set: Values
}

/** A record breaking one field (or one field of an element) of some v4.1 event type, per code. */
function fieldProducers(): Producer[] {
  const out: Producer[] = []
  for (const event of firmEvents(cat)) {
    for (const field of event.fields) {
      if (field.spec.type.kind === 'reserved') continue
      if (field.elements) {
        const base = validValues(event, cat)[field.name] as Values[] | undefined
        const element = base?.[0] ?? elementFor(field, cat)
        for (const sub of field.elements as EventField[]) {
          const code = field.spec.elementCodes?.[sub.name]
          const bad = invalid(sub.spec.type)
          if (code === undefined || bad === undefined) continue
          out.push({
            code,
            how: `${event.type}.${field.name}.${sub.name} invalid`,
            event,
            set: { [field.name]: [{ ...element, [sub.name]: bad }] as Value },
          })
        }
        if (field.limitCode !== undefined)
          out.push({
            code: field.limitCode,
            how: `${event.type}.${field.name} with two elements`,
            event,
            set: { [field.name]: [element, element] as Value },
          })
        continue
      }
      const bad = invalid(field.spec.type)
      if (bad === undefined) continue
      out.push({
        code: field.spec.code,
        how: `${event.type}.${field.name} invalid`,
        event,
        set: { [field.name]: bad },
      })
    }
  }
  return out
}

const v4Codes = [...CAT_CODES.values()].filter((c) => c.v4 && c.stage === 'ingestion').map((c) => c.code)
const producers = new Map<number, Producer>()
for (const p of fieldProducers())
  if (v4Codes.includes(p.code) && !producers.has(p.code)) producers.set(p.code, p)
for (const r of RULES) {
  if (!v4Codes.includes(r.code) || producers.has(r.code)) continue
  const event = cat.events.get(r.example.type)
  if (event && !r.example.reporter)
    producers.set(r.code, { code: r.code, how: `rule ${r.id}`, event, set: r.example.set as Values })
}
const cases = [...producers.values()].sort((a, b) => a.code - b.code)
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
