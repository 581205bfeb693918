/**
 * Linking is deterministic and idempotent, and its feedback adds up, on a simulated day with faults run
 * through the command line: `opencat submit` links the day (doneForDay), `opencat link` links it again
 * (incrementally) and once more with `--full`, and a second repository links the same files from scratch.
 * Every run's outputs — members, keys, links, pairs, findings, nodes, drift, the summary's counts and the
 * feedback files — must be the same; every linkage feedback file's errorCount must equal both the sum of
 * its errorDetails and its error records, and every code it carries must be in the code table.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import { readFeedback } from '../../src/intake/feedback.ts'
import { openRepository, type Repository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { readErrorLines } from '../support/link-harness.ts'

const DATE = '2026-03-02'
const AT = '2026-03-02T20:00:00'
const RUN_DIR = (root: string, run: number) =>
  join(root, 'store', 'linkage', 'event_date=20260302', `run=${String(run).padStart(6, '0')}`)

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args)
  if (r.code !== 0) throw new Error(`opencat ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** Every row of one of a run's outputs, as sorted JSON lines (file and bucket layout aside). */
async function rows(db: Repository['db'], dir: string, table: string): Promise<string[]> {
  const single = join(dir, `${table}.parquet`)
  const source = existsSync(single)
    ? `read_parquet('${single}', hive_partitioning = false)`
    : `read_parquet('${join(dir, table)}/*/*.parquet', hive_partitioning = false)`
  const out = await db.all<Record<string, unknown>>(`SELECT * FROM ${source}`)
  return out.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort()
}

const OUTPUTS = ['members', 'keys', 'links', 'pairs', 'findings', 'nodes', 'drift']

/** A run's summary without what says which run it was. */
function summaryOf(dir: string): Record<string, unknown> {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
  const {
    run: _r,
    mode: _m,
    trigger: _t,
    examined: _e,
    asOfNs: _a,
    nowNs: _n,
    options: _o,
    passes: _p,
    seconds: _s,
    ...rest
  } = s
  return rest
}

/** A reporter's linkage feedback of one run: the metadata record and the error file's lines. */
function feedbackOf(
  root: string,
  run: number,
): Map<string, { meta: Record<string, unknown>; lines: string[] }> {
  const out = new Map<string, { meta: Record<string, unknown>; lines: string[] }>()
  const suffix = run > 1 ? `_${String(run).padStart(6, '0')}` : ''
  const base = join(root, 'feedback')
  for (const sub of readdirSync(base)) {
    const dir = join(base, sub, 'feedback')
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir)) {
      const m = new RegExp(`^(.+)\\.linkage${suffix}\\.(json|success)$`).exec(f)
      if (!m || (suffix === '' && /\.linkage_\d+\./.test(f))) continue
      if (m[2] === 'success') {
        out.set(m[1], { meta: { status: 'Success' }, lines: [] })
        continue
      }
      const parsed = readFeedback(readFileSync(join(dir, f), 'utf8'))
      if (!parsed.ok) throw new Error(`${f}: ${parsed.error}`)
      const {
        stageCompleteTimestamp: _c,
        errorFileName,
        fileName: _f,
        ...meta
      } = parsed.fields as Record<string, unknown>
      const lines = readErrorLines(join(base, sub, 'errors', String(errorFileName))).map((l) =>
        JSON.stringify(l),
      )
      out.set(m[1], { meta, lines })
    }
  }
  return out
}

describe('linking a simulated day with faults again, and from scratch', () => {
  let day: string
  let first: string
  let second: string
  let db: Repository

  beforeAll(async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'opencat-rerun-'))
    day = join(tmp, 'day')
    first = join(tmp, 'first')
    second = join(tmp, 'second')
    await cli([
      'simulate',
      '--out',
      day,
      '--date',
      DATE,
      '--seed',
      '2026',
      '--orders',
      '1500',
      '--faults',
      '0.03',
    ])
    // Plain repositories: the outputs of both are compared through one connection, which holds one data key.
    for (const repo of [first, second])
      await cli(['init', '--repo', repo, '--reference', join(day, 'reference'), '--plain'])
    // Run 1: submit links the day (every reporter says doneForDay); run 2 links it again, run 3 afresh.
    await cli(['submit', '--repo', first, '--at', AT, join(day, 'submissions')])
    await cli(['link', '--repo', first, '--date', DATE, '--at', AT])
    await cli(['link', '--repo', first, '--date', DATE, '--at', AT, '--full'])
    await cli(['submit', '--repo', second, '--at', AT, '--no-link', join(day, 'submissions')])
    await cli(['link', '--repo', second, '--date', DATE, '--at', AT])
    db = await openRepository(second)
  }, 600_000)
  afterAll(() => db?.close())

  it('has runs to compare, with findings of every linkage type', async () => {
    for (const run of [1, 2, 3]) expect(existsSync(RUN_DIR(first, run)), `run ${run}`).toBe(true)
    const s = summaryOf(RUN_DIR(first, 1)) as {
      errorsByCode: Record<string, number>
      namedByCode: Record<string, number>
    }
    const codes = Object.keys({ ...s.errorsByCode, ...s.namedByCode }).map(Number)
    for (const type of ['Intrafirm', 'Interfirm', 'Exchange', 'Trade'])
      expect(
        codes.some((c) => CAT_CODES.get(c)?.linkageType === type),
        type,
      ).toBe(true)
  })

  it('writes the same outputs when linking again, afresh, and in another repository', async () => {
    const reference = RUN_DIR(second, 1)
    for (const table of OUTPUTS) {
      const want = await rows(db.db, reference, table)
      expect(want.length, table).toBeGreaterThan(0)
      for (const run of [1, 2, 3])
        expect(await rows(db.db, RUN_DIR(first, run), table), `${table} of run ${run}`).toEqual(want)
    }
  })

  it('reports the same counts each time, and as many links as it wrote', async () => {
    const want = summaryOf(RUN_DIR(second, 1))
    for (const run of [1, 2, 3]) expect(summaryOf(RUN_DIR(first, run)), `run ${run}`).toEqual(want)
    const written = await db.db.all<{ kind: string; n: string }>(
      `SELECT kind, count(*) AS n FROM read_parquet('${RUN_DIR(second, 1)}/links/*/*.parquet') GROUP BY kind`,
    )
    expect(Object.fromEntries(written.map((r) => [r.kind, Number(r.n)]))).toEqual(want.links)
  })

  it('gives every reporter the same linkage feedback each time', () => {
    const want = feedbackOf(second, 1)
    expect(want.size).toBeGreaterThan(3)
    for (const run of [1, 2, 3]) {
      const got = feedbackOf(first, run)
      expect([...got.keys()].sort(), `run ${run}`).toEqual([...want.keys()].sort())
      for (const [k, v] of want) expect(got.get(k), `${k} of run ${run}`).toEqual(v)
    }
  })

  it('counts every feedback file as its error records, and every code is in the code table', () => {
    let files = 0
    for (const root of [first, second])
      for (const run of [1, 2, 3]) {
        if (!existsSync(RUN_DIR(root, run))) continue
        for (const [name, { meta, lines }] of feedbackOf(root, run)) {
          if (meta.status === 'Success') continue
          files++
          const details = meta.errorDetails as { errorTypeCount: number }[]
          expect(meta.errorCount, name).toBe(lines.length)
          expect(
            details.reduce((a, d) => a + d.errorTypeCount, 0),
            name,
          ).toBe(lines.length)
          for (const line of lines)
            for (const code of JSON.parse(line).errorCode as number[]) {
              const c = CAT_CODES.get(code)
              expect(c?.severity, `${code} in ${name}`).toBeDefined()
              expect(c?.linkageType, `${code} in ${name}`).toBeDefined()
            }
        }
      }
    expect(files).toBeGreaterThan(3)
  })
})
