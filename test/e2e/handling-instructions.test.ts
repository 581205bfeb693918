/**
 * handlingInstructions as reporters write them: every name the CAT text defines is accepted, in v2.2.1 and
 * v4 files alike, including the phase-2c values (RAR, ALGMod, OET) that the official v2.2.1 JSON schema
 * leaves out; a name the text does not define is still refused with 2036.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.ts'
import { BASE, writeReference } from '../support/fixtures.ts'
import { recordWith } from '../support/ingest.ts'
import { missingShared, sharedFile } from '../support/shared.ts'
import { writeSubmission } from '../support/submission.ts'

const DIGEST = ['spec', 'CAT-REPORTING.md']
const digest = sharedFile(...DIGEST)

/** The boolean handlingInstructions names of the digest's v2.2.1 list, phase-2c specials included. */
function textBooleans(text: string): string[] {
  const start = text.indexOf('**handlingInstructions** (v2.2.1 booleans):')
  const end = text.indexOf('**With values:**', start)
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  return [
    ...new Set(
      text
        .slice(start, end)
        .replace(/\([^)]*\)/g, ' ')
        .replace(/phase-2c specials/, ' ')
        .match(/\b[A-Za-z][A-Za-z0-9]*\b/g)!
        .filter((w) => w !== 'handlingInstructions' && w !== 'booleans'),
    ),
  ]
}

const root = mkdtempSync(join(tmpdir(), 'opencat-hi-'))
const repo = join(root, 'repo')

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  const r = await runCli(['init', '--repo', repo, '--reference', join(root, 'ref'), '--json'])
  expect(r.code).toBe(0)
}, 60_000)

async function submitRoutes(
  fileVersion: string,
  number: number,
  instructions: Record<string, unknown>[],
): Promise<{ accepted: number; rejected: number; errorsByCode: Record<string, number> }> {
  const lines = instructions.map((hi, i) =>
    recordWith(BASE.MEOR, {
      firmROEID: `20260302_HI${number}_${i}`,
      routedOrderID: `HI${number}_${i}`,
      handlingInstructions: hi,
      // A v4 field the v2.2.1 layout does not have.
      multiLegInd: fileVersion === '2.2.1' ? undefined : false,
    }),
  )
  const dir = join(root, `in-${number}`)
  writeSubmission(dir, { number, fileVersion, lines, doneForDay: false })
  const r = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T12:00:00', '--json', dir])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

describe('handlingInstructions on a route', { timeout: 180_000 }, () => {
  for (const [fileVersion, number] of [
    ['2.2.1', 1],
    ['4.0.0', 2],
  ] as const) {
    it(`accepts RAR, ALGMod and OET in a ${fileVersion} file`, async () => {
      const s = await submitRoutes(fileVersion, number, [
        { RAR: true },
        { ALGMod: true },
        { OET: true },
        { RAR: true, ALGMod: true, OET: true, DISP: 10.0 },
      ])
      expect(s).toMatchObject({ accepted: 4, rejected: 0 })
    })
  }

  it('refuses a name the text does not define with 2036', async () => {
    const s = await submitRoutes('2.2.1', 3, [{ RAR: true }, { NOSUCH: true }])
    expect(s).toMatchObject({ accepted: 1, rejected: 1, errorsByCode: { 2036: 1 } })
  })

  it.skipIf(!digest)(
    'accepts every boolean name the specification text defines, in a v2.2.1 file',
    async () => {
      const names = textBooleans(readFileSync(digest!, 'utf8'))
      expect(names).toEqual(expect.arrayContaining(['RAR', 'ALGMod', 'OET', 'ADD', 'WRK', 'd']))
      const s = await submitRoutes(
        '2.2.1',
        4,
        names.map((n) => ({ [n]: true })),
      )
      expect(s).toMatchObject({ accepted: names.length, rejected: 0 })
    },
  )
  it.skipIf(!!digest)(missingShared(...DIGEST), () => {})
})
