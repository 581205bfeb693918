/**
 * Durability: a `kill -9` at any moment of `opencat submit` followed by a rerun loses no record and doubles
 * none; two submits at once on one repository both succeed (one waits).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openRepository } from '../../src/store/repository.ts'
import { writeBulk } from '../support/bulk.ts'
import { runCli, startCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-crash-'))
const input = join(root, 'in')
const AT = '2026-03-02T18:00:00'

interface State {
  versions: number
  distinctIds: number
  rejects: number
  ingestedFiles: number
  ingestionFeedback: number
}

async function state(repoDir: string): Promise<State> {
  const repo = await openRepository(repoDir)
  try {
    const r = await repo.db.one<Record<string, string>>(
      `SELECT (SELECT count(*) FROM events) AS versions, (SELECT count(DISTINCT _event_id) FROM events) AS ids,
              (SELECT count(*) FROM rejects) AS rejects,
              (SELECT count(*) FROM files WHERE role = 'data' AND status = 'ingested') AS ingested,
              (SELECT count(*) FROM feedback WHERE stage = 'INGESTION') AS fb`,
    )
    return {
      versions: Number(r!.versions),
      distinctIds: Number(r!.ids),
      rejects: Number(r!.rejects),
      ingestedFiles: Number(r!.ingested),
      ingestionFeedback: Number(r!.fb),
    }
  } finally {
    repo.close()
  }
}

async function freshRepo(name: string): Promise<string> {
  const dir = join(root, name)
  const r = await runCli(['init', '--repo', dir, '--reference', join(root, 'ref')])
  expect(r.code).toBe(0)
  return dir
}

let baseline: State
let cleanSeconds = 1

beforeAll(async () => {
  writeReference(join(root, 'ref'))
  writeBulk(input, 4, 15_000)
  const dir = await freshRepo('clean')
  const t = Date.now()
  const r = await runCli(['submit', '--repo', dir, '--at', AT, input])
  cleanSeconds = (Date.now() - t) / 1000
  expect(r.code).toBe(0)
  baseline = await state(dir)
}, 180_000)

describe('crash safety', () => {
  it('has a clean baseline to compare with', () => {
    expect(baseline.ingestedFiles).toBe(4)
    expect(baseline.versions + baseline.rejects).toBe(60_000)
    expect(baseline.distinctIds).toBe(baseline.versions)
  })

  for (const fraction of [0.15, 0.35, 0.55, 0.75, 0.92]) {
    it(`kill -9 at ${Math.round(fraction * 100)}% of a submit, then a rerun, gives exactly the clean result`, async () => {
      const dir = await freshRepo(`kill-${fraction}`)
      const run = startCli(['submit', '--repo', dir, '--at', AT, input])
      await new Promise((r) => setTimeout(r, fraction * cleanSeconds * 1000))
      run.child.kill('SIGKILL')
      const killed = await run.done
      const rerun = await runCli(['submit', '--repo', dir, '--at', AT, input])
      expect(rerun.code, rerun.stderr).toBe(0)
      expect(await state(dir), `killed by ${killed.signal ?? `exit ${killed.code}`}`).toEqual(baseline)
    }, 180_000)
  }
})

describe('concurrent submits', () => {
  it('two submits at once on one repository both succeed and store everything once', async () => {
    const dir = await freshRepo('concurrent')
    const second = join(root, 'in2')
    writeBulk(second, 2, 5_000, 10)
    const a = startCli(['submit', '--repo', dir, '--at', AT, input])
    const b = startCli(['submit', '--repo', dir, '--at', AT, second])
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect(ra.code, ra.stderr).toBe(0)
    expect(rb.code, rb.stderr).toBe(0)
    const s = await state(dir)
    expect(s.ingestedFiles).toBe(6)
    expect(s.versions + s.rejects).toBe(70_000)
    expect(s.distinctIds).toBe(s.versions)
  }, 180_000)
})
