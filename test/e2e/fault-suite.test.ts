/**
 * Faults lose nothing: `opencat submit` of a simulated day killed with SIGKILL at every stage boundary
 * (acknowledgement, integrity, the first ingested file, ingestion, customers, the FDID check, linkage before
 * and after publication, after its feedback and after the feedback is recorded), then run again, reaches
 * exactly what one uninterrupted run gives: the same files and statuses, records, feedback bytes,
 * published linkage run and lifecycles.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CRASH_POINTS } from '../../src/common/crash-point.ts'
import '../../src/pipeline/stage-views.ts'
import { openRepository } from '../../src/store/repository.ts'
import { runCli, startCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-faults-'))
// Every repository shares one key folder, so receipts (signed) and CCIDs are comparable byte for byte.
const keys = join(root, 'keys')
const AT = '2026-03-03T09:00:00'
let day: string

interface Snapshot {
  files: unknown[]
  records: Record<string, string>
  feedback: Record<string, string>
  runs: Record<string, string>
  lifecycles: Record<string, string>
}

function digestFiles(base: string, dir: string, keep: (path: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {}
  if (!existsSync(dir)) return out
  for (const f of readdirSync(dir, { recursive: true })
    .map((x) => join(dir, String(x)))
    .sort()) {
    if (!statSync(f).isFile() || !keep(f)) continue
    out[relative(base, f)] = createHash('sha256').update(readFileSync(f)).digest('hex')
  }
  return out
}

async function snapshot(dir: string): Promise<Snapshot> {
  const repo = await openRepository(dir)
  try {
    const files = await repo.db.all(
      `SELECT file_id, name, role, kind, status, records::VARCHAR AS records, rejected::VARCHAR AS rejected,
              sha256, meta_file_id FROM files ORDER BY file_id`,
    )
    const records = (await repo.db.one<Record<string, string>>(
      `SELECT (SELECT count(*) FROM events)::VARCHAR AS versions,
              (SELECT sum(hash(_event_id, _roe_id))::VARCHAR FROM events) AS event_ids,
              (SELECT count(*) FROM rejects)::VARCHAR AS rejects,
              (SELECT string_agg(stage || ':' || status, ',' ORDER BY file_id, stage) FROM feedback) AS feedback_rows`,
    ))!
    const lifecycles = (await repo.db.one<Record<string, string>>(
      `SELECT count(*)::VARCHAR AS members, count(DISTINCT lifecycle_id)::VARCHAR AS lifecycles,
              sum(hash(lifecycle_id, _event_id))::VARCHAR AS membership FROM linkage_members`,
    ))!
    return {
      files,
      records,
      feedback: digestFiles(dir, join(dir, 'feedback'), () => true),
      // Parquet files may order rows differently; what a run says of itself must be identical.
      runs: digestFiles(dir, join(dir, 'store', 'linkage'), (f) => f.endsWith('.json')),
      lifecycles,
    }
  } finally {
    repo.close()
  }
}

async function freshRepo(name: string): Promise<string> {
  const dir = join(root, name)
  const r = await runCli(['init', '--repo', dir, '--reference', join(day, 'reference'), '--keys', keys])
  expect(r.code, r.stderr).toBe(0)
  return dir
}

let clean: Snapshot

beforeAll(async () => {
  day = await simulatedDay({ orders: 120, firms: 5, exchanges: 1, faults: 0.05, seed: 23 })
  const dir = await freshRepo('clean')
  const r = await runCli(['submit', '--repo', dir, '--at', AT, join(day, 'submissions')])
  expect(r.code, r.stderr).toBe(0)
  clean = await snapshot(dir)
}, 120_000)

describe('kill -9 at every stage boundary of a submit', () => {
  it('has a clean run that links the day and writes linkage feedback', () => {
    expect(clean.lifecycles.lifecycles).not.toBe('0')
    const linkage = Object.keys(clean.feedback).filter((f) => f.includes('.linkage'))
    expect(linkage.length).toBeGreaterThan(5)
    expect(Object.keys(clean.runs)).toContain('store/linkage/event_date=20260302/run=000001/feedback.json')
  })

  for (const point of CRASH_POINTS) {
    it(`killed at ${point}, a rerun reaches exactly the clean run's state`, async () => {
      const dir = await freshRepo(`crash-${point}`)
      const killed = await startCli(['submit', '--repo', dir, '--at', AT, join(day, 'submissions')], {
        OPENCAT_CRASH_AT: point,
      }).done
      expect(killed.signal, `the run was not killed at ${point}: ${killed.stderr}`).toBe('SIGKILL')
      const rerun = await runCli(['submit', '--repo', dir, '--at', AT, join(day, 'submissions')])
      expect(rerun.code, rerun.stderr).toBe(0)
      const after = await snapshot(dir)
      expect(after.files).toEqual(clean.files)
      expect(after.records).toEqual(clean.records)
      expect(after.lifecycles).toEqual(clean.lifecycles)
      expect(after.feedback).toEqual(clean.feedback)
      expect(after.runs).toEqual(clean.runs)
    }, 120_000)
  }

  it('killed after linkage publication, `opencat link` of the date first writes the run’s missing feedback', async () => {
    const dir = await freshRepo('crash-then-link')
    const killed = await startCli(['submit', '--repo', dir, '--at', AT, join(day, 'submissions')], {
      OPENCAT_CRASH_AT: 'after-linkage-publish',
    }).done
    expect(killed.signal).toBe('SIGKILL')
    const link = await runCli(['link', '--repo', dir, '--date', '2026-03-02', '--at', AT])
    expect(link.code, link.stderr).toBe(0)
    const after = await snapshot(dir)
    // Everything the clean run wrote, byte for byte; the new run's own feedback comes beside it.
    for (const [file, digest] of Object.entries(clean.feedback))
      expect(after.feedback[file], file).toBe(digest)
    for (const [file, digest] of Object.entries(clean.runs)) expect(after.runs[file], file).toBe(digest)
    expect(Object.keys(after.runs)).toContain('store/linkage/event_date=20260302/run=000002/feedback.json')
  }, 120_000)
})
