import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import type { TruthFault } from '../../src/simulate/index.ts'
import { simulateDay } from '../../src/simulate/index.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'opencat-sim-intake-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const capture = new Writable({
    write(chunk, _e, done) {
      out += chunk
      done()
    },
  })
  const quiet = new Writable({ write: (_c, _e, done) => done() })
  const code = await runCli(argv, { stdout: capture, stderr: quiet })
  return { code, out }
}

interface Submitted {
  records: number
  rejected: number
  errorsByCode: Record<string, number>
}

async function submitDay(
  name: string,
  faults: number,
): Promise<{ summary: Submitted; labelled: TruthFault[] }> {
  const day = join(root, name)
  await simulateDay({ out: day, date: '2026-03-10', seed: 8, orders: 900, faults })
  const repo = join(root, `${name}-repo`)
  expect(
    (await cli(['init', '--repo', repo, '--keys', `${repo}-keys`, '--reference', join(day, 'reference')]))
      .code,
  ).toBe(0)
  const r = await cli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-10T17:00:00',
    '--json',
    join(day, 'submissions'),
  ])
  expect(r.code).toBe(0)
  const text = await readFile(join(day, 'truth', 'faults.ndjson'), 'utf8')
  const labelled =
    text.trim() === ''
      ? []
      : text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
  return { summary: JSON.parse(r.out), labelled }
}

describe("the repository's intake on simulated days", () => {
  it('accepts every record of a clean day', async () => {
    const { summary } = await submitDay('clean', 0)
    expect(summary.rejected).toBe(0)
    expect(summary.errorsByCode).toEqual({})
    expect(summary.records).toBeGreaterThan(5000)
  })

  it('rejects exactly the records an ingestion fault labels, with the labelled codes', async () => {
    const { summary, labelled } = await submitDay('faults', 0.03)
    const expected: Record<string, number> = {}
    for (const f of labelled.filter((x) => x.stage === 'ingestion')) {
      for (const c of f.codes) expected[c] = (expected[c] ?? 0) + 1
    }
    const got = Object.fromEntries(
      Object.entries(summary.errorsByCode).filter(([c]) => /^2[0-2]/.test(c) && c !== '2151'),
    )
    expect(got).toEqual(expected)
  })
})
