/**
 * `opencat report-card` on a simulated day with reporting faults: per reporter, the errors of each stage
 * equal what its feedback files say (records of data files rejected at integrity, lines of its ingestion
 * error files, own linkage errors in its linkage error file), the rate counts them all, and repairs sent
 * afterwards lower the rate after repairs but not the rate as first reported.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { runCli } from '../support/cli.ts'
import { type ErrorLine, readErrorLines } from '../support/link-harness.ts'
import { simulatedDay } from '../support/simulated-day.ts'
import { writeSubmission } from '../support/submission.ts'

interface Card {
  records: number
  errors: number
  errorRate: number
  errorsAfterRepairs: number
  errorRateAfterRepairs: number
  late: number
  stages: { stage: string; errors: number; outstanding: number }[]
}

let day: string
let repo: string
const feedbackOf = new Map<string, { submitter: string; files: string[] }>()

/** What a reporter's feedback files say, per stage. */
function fromFeedback(reporter: string): { integrity: number; ingestion: ErrorLine[]; linkage: ErrorLine[] } {
  const { submitter } = feedbackOf.get(reporter)!
  const dir = join(repo, 'feedback', submitter)
  const list = (sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : [])
  const mine = (f: string) => f.startsWith(`${submitter}_${reporter}_`)
  let integrity = 0
  for (const f of list('feedback').filter(
    (x) => mine(x) && x.endsWith('.integrity.json') && !x.includes('.meta.'),
  )) {
    const fb = JSON.parse(readFileSync(join(dir, 'feedback', f), 'utf8'))
    if (fb.status !== 'Failure') continue
    // A data file refused at integrity: every record its metadata announced is in error.
    const meta = JSON.parse(readFileSync(join(day, 'submissions', submitter, fb.metaFileName), 'utf8'))
    integrity += meta.files.find((b: { fileName: string }) => b.fileName === fb.fileName).recordCount
  }
  const ingestion = list('errors')
    .filter((f) => mine(f) && f.includes('.ingestion.error'))
    .flatMap((f) => readErrorLines(join(dir, 'errors', f)))
  const linkageFiles = list('errors')
    .filter((f) => mine(f) && f.includes('.linkage.error'))
    .sort()
  const linkage = (
    linkageFiles.length > 0 ? readErrorLines(join(dir, 'errors', linkageFiles[linkageFiles.length - 1])) : []
  )
    // Own records (named errors about others' records carry no errorROEID), with an Error-severity code.
    .filter(
      (l) =>
        l.errorROEID !== undefined &&
        (l.errorCode as number[]).some((c) => CAT_CODES.get(c)?.severity === 'Error'),
    )
  return { integrity, ingestion, linkage }
}

async function card(reporter: string): Promise<Card> {
  const r = await runCli([
    'report-card',
    '--repo',
    repo,
    '--reporter',
    reporter,
    '--date',
    '2026-03-02',
    '--json',
  ])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 500, faults: 0.04, seed: 31 })
  repo = join(day, '..', 'repo')
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const s = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T20:00:00', join(day, 'submissions')])
  expect(s.code, s.stderr).toBe(0)
  for (const submitter of readdirSync(join(day, 'submissions'))) {
    for (const f of readdirSync(join(day, 'submissions', submitter))) {
      const m = /^[0-9]+_([A-Z0-9]+)_[0-9]{8}_(Order|Exchange)Events_/.exec(f)
      if (m) feedbackOf.set(m[1], { submitter, files: [...(feedbackOf.get(m[1])?.files ?? []), f] })
    }
  }
}, 300_000)

describe('report-card on a simulated day with faults', () => {
  it('counts per stage exactly what each reporter’s feedback files say', async () => {
    let linkageSeen = 0
    let ingestionSeen = 0
    const reporters = [...feedbackOf.keys()].sort()
    const cards = new Map<string, Card>()
    for (let i = 0; i < reporters.length; i += 4)
      for (const [r, c] of await Promise.all(
        reporters.slice(i, i + 4).map(async (r) => [r, await card(r)] as const),
      ))
        cards.set(r, c)
    for (const reporter of reporters) {
      const c = cards.get(reporter)!
      const want = fromFeedback(reporter)
      const stage = (name: string) => c.stages.find((s) => s.stage === name)!
      expect(stage('integrity').errors, reporter).toBe(want.integrity)
      expect(stage('ingestion').errors, reporter).toBe(want.ingestion.length)
      expect(stage('linkage').errors, reporter).toBe(want.linkage.length)
      // Every record in error counts once, whatever the number of stages it failed at.
      const distinct = new Set([...want.ingestion, ...want.linkage].map((l) => String(l.errorROEID))).size
      expect(c.errors, reporter).toBe(want.integrity + distinct + c.late)
      expect(c.errorRate, reporter).toBeCloseTo(c.errors / c.records, 12)
      linkageSeen += want.linkage.length
      ingestionSeen += want.ingestion.length
    }
    // The day did have faults at both stages, so the comparison above was not of zeros.
    expect(linkageSeen).toBeGreaterThan(0)
    expect(ingestionSeen).toBeGreaterThan(0)
  }, 300_000)

  it('lowers the rate after repairs once a reporter repairs a rejected record, not the rate first reported', async () => {
    const reporter = [...feedbackOf.keys()].sort().find((r) => fromFeedback(r).ingestion.length > 0)!
    const before = await card(reporter)
    const [bad] = fromFeedback(reporter).ingestion
    // The simulator's fault is not known here, so the repair restates a record of the reporter that was
    // accepted, under a fresh firmROEID.
    const { submitter } = feedbackOf.get(reporter)!
    const rejectedIds = new Set(
      fromFeedback(reporter).ingestion.map((l) => /"firmROEID":"([^"]+)"/.exec(String(l.errorRecord))?.[1]),
    )
    const original = submitted(submitter, reporter).find(
      (r) => r.firmROEID && !rejectedIds.has(String(r.firmROEID)),
    )!
    const repair = JSON.stringify({
      ...original,
      actionType: 'RPR',
      errorROEID: Number(bad.errorROEID),
      firmROEID: '20260302_RPR1',
    })
    writeSubmission(join(day, '..', 'repair'), {
      submitter,
      reporter,
      number: 90,
      lines: [repair],
      doneForDay: false,
    })
    const r = await runCli([
      'submit',
      '--repo',
      repo,
      '--at',
      '2026-03-02T20:30:00',
      '--json',
      join(day, '..', 'repair'),
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 1, rejected: 0 })
    const after = await card(reporter)
    expect(after.errors).toBe(before.errors)
    expect(after.records).toBe(before.records + 1)
    expect(after.errorsAfterRepairs).toBe(before.errorsAfterRepairs - 1)
    expect(after.stages.find((s) => s.stage === 'ingestion')!.outstanding).toBe(
      before.stages.find((s) => s.stage === 'ingestion')!.outstanding - 1,
    )
  }, 180_000)
})

/** The records `reporter` submitted that are readable JSON, as the simulator wrote them. */
function submitted(submitter: string, reporter: string): Record<string, unknown>[] {
  const dir = join(day, 'submissions', submitter)
  const out: Record<string, unknown>[] = []
  for (const f of readdirSync(dir)
    .filter((x) => x.startsWith(`${submitter}_${reporter}_`) && x.endsWith('.json.bz2'))
    .sort()) {
    const unpacked = bunzip2Buffer(readFileSync(join(dir, f)))
    if (!unpacked.ok) continue
    for (const line of unpacked.data.toString('utf8').split('\n')) {
      try {
        out.push(JSON.parse(line))
      } catch {
        // A line the simulator spoiled on purpose.
      }
    }
  }
  return out
}
