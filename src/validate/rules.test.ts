/**
 * Every rule is triggered by its own example, applied to a valid base record, and valid records trigger
 * nothing: the rule list cannot drift from the behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE } from '../../test/support/fixtures.ts'
import { fixtureRepository, type IngestedLines, ingestLines, recordWith } from '../../test/support/ingest.ts'
import type { Repository } from '../store/repository.ts'
import { RULES } from './rules/index.ts'

let repo: Repository
const firm: IngestedLines[] = []
const ats: IngestedLines[] = []
const exchange: IngestedLines[] = []
// Rules whose examples are v4.1 event types are tested through the CLI (test/e2e/v41-rules.test.ts).
const firmRules = RULES.filter(
  (r) => !r.example.type.startsWith('EX') && r.example.reporter !== 'ATS' && !r.example.fileVersion,
)
const atsRules = RULES.filter((r) => r.example.reporter === 'ATS')
const exchangeRules = RULES.filter((r) => r.example.type.startsWith('EX'))

function exampleLine(r: (typeof RULES)[number]): string {
  if (r.example.type === 'DEL') return JSON.stringify(r.example.set)
  return recordWith(BASE[r.example.type], r.example.set)
}

beforeAll(async () => {
  repo = await fixtureRepository()
  const firmBases = Object.entries(BASE)
    .filter(([t]) => !t.startsWith('EX'))
    .map(([, b]) => JSON.stringify(b))
  firm.push(await ingestLines(repo, [...firmBases, ...firmRules.map(exampleLine)]))
  const atsBase = recordWith(BASE.MENO, { CATReporterIMID: undefined })
  ats.push(
    await ingestLines(
      repo,
      [
        atsBase.replace('"representativeInd":"N"', '"representativeInd":"N","atsDisplayInd":"N"'),
        ...atsRules.map((r) => recordWith(BASE.MENO, { CATReporterIMID: undefined, ...r.example.set })),
      ],
      { reporter: 'BRCX' },
    ),
  )
  exchange.push(
    await ingestLines(
      repo,
      [JSON.stringify(BASE.EXOA), JSON.stringify(BASE.EXOT), ...exchangeRules.map(exampleLine)],
      {
        reporter: 'NSDQ',
        kind: 'ExchangeEvents',
      },
    ),
  )
}, 120_000)

afterAll(() => repo?.close())

function codesAt(result: IngestedLines, line: number): number[] {
  return result.rejects.find((r) => r.line === line)?.codes ?? []
}

describe('validation rules', () => {
  it('accept every valid base record', () => {
    const firmBases = Object.keys(BASE).filter((t) => !t.startsWith('EX')).length
    for (let line = 1; line <= firmBases; line++)
      expect(codesAt(firm[0], line), `firm base line ${line}`).toEqual([])
    expect(codesAt(ats[0], 1)).toEqual([])
    expect(codesAt(exchange[0], 1)).toEqual([])
    expect(codesAt(exchange[0], 2)).toEqual([])
  })

  const firmOffset = Object.keys(BASE).filter((t) => !t.startsWith('EX')).length
  firmRules.forEach((rule, i) => {
    it(`${rule.id} yields ${rule.code}`, () => {
      expect(codesAt(firm[0], firmOffset + i + 1)).toEqual([rule.code])
    })
  })
  atsRules.forEach((rule, i) => {
    it(`${rule.id} yields ${rule.code}`, () => {
      expect(codesAt(ats[0], i + 2)).toEqual([rule.code])
    })
  })
  exchangeRules.forEach((rule, i) => {
    it(`${rule.id} yields ${rule.code}`, () => {
      expect(codesAt(exchange[0], i + 3)).toEqual([rule.code])
    })
  })
})
