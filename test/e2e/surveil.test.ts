/**
 * `opencat surveil` and `opencat surveil score` on simulated days with every kind of planted abuse (two
 * seeds) and on a clean day: each day is submitted (which links it, every reporter being done for the
 * day), surveilled with the day's news file, and the stored alerts are scored against the simulator's
 * truth. Every detector must find at least 90 % of what was planted, at least 70 % of all alerts must be
 * planted abuse, and a clean day gives no alert. Reruns on unchanged data write nothing; other parameters,
 * or a firm's deletes of the orders behind an alert, write a new run beside the earlier ones.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'
import { writeSubmission } from '../support/submission.ts'

const KINDS = ['spoofing', 'layering', 'wash', 'marking-close', 'front-running', 'news'] as const

interface Alert {
  id: string
  kind: string
  symbol: string
  from: string
  to: string
  score: number
  participants: { reporter: string; fdid: string | null; ccid: string | null }[]
  events: { reporter: string; firmROEID: string; lifecycle: string | null }[]
  reason: string
}
interface SurveilOut {
  run: number
  written: boolean
  events: number
  seconds: number
  alerts: Alert[]
}
interface DetectorScore {
  alerts: number
  trueAlerts: number
  planted: number
  found: number
  precision: number | null
  recall: number | null
}
interface ScoreOut {
  byKind: Record<string, DetectorScore>
  overall: DetectorScore
}

/** A simulated day in a repository, submitted and so linked. */
async function linkedDay(seed: number, abuse: boolean): Promise<{ day: string; repo: string }> {
  const day = await simulatedDay({
    seed,
    orders: abuse ? 1500 : 1000,
    ...(abuse ? { abuse: [...KINDS] } : {}),
  })
  const repo = join(day, '..', 'repo')
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const s = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T20:00:00',
    '--json',
    join(day, 'submissions'),
  ])
  expect(s.code, s.stderr).toBe(0)
  return { day, repo }
}

async function surveil(repo: string, day: string, extra: string[] = []): Promise<SurveilOut> {
  const r = await runCli([
    'surveil',
    '--repo',
    repo,
    '--date',
    '2026-03-02',
    '--news',
    join(day, 'truth', 'news.ndjson'),
    '--json',
    ...extra,
  ])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as SurveilOut
}

async function score(repo: string, day: string): Promise<ScoreOut> {
  const r = await runCli([
    'surveil',
    'score',
    '--repo',
    repo,
    '--date',
    '2026-03-02',
    '--truth',
    join(day, 'truth'),
    '--json',
  ])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as ScoreOut
}

for (const seed of [11, 29]) {
  describe(`opencat surveil on a day with planted abuse (seed ${seed})`, () => {
    let day: string
    let repo: string
    let first: SurveilOut

    beforeAll(async () => {
      ;({ day, repo } = await linkedDay(seed, true))
      first = await surveil(repo, day)
    }, 600_000)

    it('finds at least 90 % of every kind of planted abuse, and at least 70 % of its alerts are planted', async () => {
      const s = await score(repo, day)
      const planted = truth<{ kind: string }>(day, 'manipulations.ndjson')
      for (const kind of KINDS) {
        const k = s.byKind[kind]
        expect(k.planted, kind).toBe(planted.filter((p) => p.kind === kind).length)
        expect(k.planted, `${kind} planted`).toBeGreaterThan(0)
        expect(k.recall, `${kind} recall`).toBeGreaterThanOrEqual(0.9)
      }
      expect(s.overall.alerts).toBe(first.alerts.length)
      expect(s.overall.precision).toBeGreaterThanOrEqual(0.7)
      const perMillion = (first.seconds / first.events) * 1e6
      console.log(
        `seed ${seed}: ${first.events} events, ${first.seconds} s (${perMillion.toFixed(1)} s per million events); ` +
          KINDS.map((k) => `${k} P=${s.byKind[k].precision} R=${s.byKind[k].recall}`).join(', '),
      )
    })

    it('describes each alert: span, participants with CCIDs, events with lifecycles, the thresholds crossed', () => {
      const planted = truth<{
        kind: string
        symbol: string
        participants: { reporter: string; fdid: string }[]
      }>(day, 'manipulations.ndjson')
      for (const a of first.alerts) {
        expect(a.id).toMatch(/^A20260302-[0-9a-f]{12}$/)
        expect(KINDS).toContain(a.kind)
        expect(BigInt(a.from) <= BigInt(a.to)).toBe(true)
        expect(a.score).toBeGreaterThan(0)
        expect(a.score).toBeLessThanOrEqual(1)
        expect(a.events.length).toBeGreaterThan(0)
        expect(a.events.every((e) => e.lifecycle?.startsWith('L20260302-'))).toBe(true)
        expect(a.reason).toMatch(/threshold|limit/)
      }
      // The accounts the truth names behind the wash are the alert's participants, with one CCID.
      const wash = planted.find((p) => p.kind === 'wash')!
      const alert = first.alerts.find((a) => a.kind === 'wash' && a.symbol === wash.symbol)!
      const accounts = alert.participants.map((p) => `${p.reporter} ${p.fdid}`)
      for (const p of wash.participants) expect(accounts).toContain(`${p.reporter} ${p.fdid}`)
      expect(new Set(alert.participants.map((p) => p.ccid)).size).toBe(1)
      expect(alert.participants[0].ccid).toMatch(/^CC/)
    })

    it('a rerun on unchanged data changes nothing; other parameters write a new run and keep the first', async () => {
      const again = await surveil(repo, day)
      expect(again.written).toBe(false)
      expect(again.run).toBe(first.run)
      expect(again.alerts).toEqual(first.alerts)
      const config = join(day, '..', 'no-wash.json')
      writeFileSync(config, JSON.stringify({ wash: { enabled: false } }))
      const other = await surveil(repo, day, ['--config', config])
      expect(other.written).toBe(true)
      expect(other.run).toBe(first.run + 1)
      expect(other.alerts.filter((a) => a.kind === 'wash')).toEqual([])
      expect(other.alerts.length).toBe(first.alerts.filter((a) => a.kind !== 'wash').length)
      // Run 1 is submit's own (no news), run 2 the first with the news.
      expect(first.run).toBe(2)
      const runs = readdirSync(join(repo, 'store', 'surveil', 'event_date=20260302')).sort()
      expect(runs).toEqual(['run=000001', 'run=000002', 'run=000003'])
      expect(
        existsSync(join(repo, 'store', 'surveil', 'event_date=20260302', 'run=000002', 'alerts.parquet')),
      ).toBe(true)
      // Scoring reads the latest run: the wash is now missed.
      const s = await score(repo, day)
      expect(s.byKind.wash.found).toBe(0)
    })

    it('after a firm deletes the orders behind an alert, a rerun writes a new run without it and keeps the earlier ones', async () => {
      const news = first.alerts.find((a) => a.kind === 'news')!
      const broker = news.participants[0].reporter
      const orders = news.events.filter((e) => e.reporter === broker).map((e) => e.firmROEID)
      expect(orders.length).toBeGreaterThanOrEqual(2)
      const submitter = readdirSync(join(day, 'submissions')).find((d) =>
        readdirSync(join(day, 'submissions', d)).some((f) => f.includes(`_${broker}_20260302_OrderEvents_`)),
      )!
      const dir = join(day, '..', 'deletes')
      writeSubmission(dir, {
        submitter,
        reporter: broker,
        number: 777,
        lines: orders.map((firmROEID) => JSON.stringify({ actionType: 'DEL', firmROEID })),
      })
      const sub = await runCli(['submit', '--repo', repo, '--at', '2026-03-02T21:00:00', '--json', dir])
      expect(sub.code, sub.stderr).toBe(0)
      // Submit relinked the day and surveilled it with the latest run's parameters (no wash) and news.
      expect(JSON.parse(sub.stdout).surveillance).toMatchObject([
        { date: 20260302, run: first.run + 2, written: true },
      ])
      const after = await surveil(repo, day)
      expect(after.written).toBe(true)
      expect(after.run).toBe(first.run + 3)
      expect(after.alerts.filter((a) => a.kind === 'news')).toEqual([])
      expect(after.alerts.map((a) => a.id).sort()).toEqual(
        first.alerts
          .filter((a) => a.kind !== 'news')
          .map((a) => a.id)
          .sort(),
      )
      expect(readdirSync(join(repo, 'store', 'surveil', 'event_date=20260302')).sort()).toEqual([
        'run=000001',
        'run=000002',
        'run=000003',
        'run=000004',
        'run=000005',
      ])
      const s = await score(repo, day)
      expect(s.byKind.news.found).toBe(0)
      expect(s.byKind.wash.found).toBe(s.byKind.wash.planted)
    })
  })
}

describe('opencat surveil on a clean day', () => {
  let day: string
  let repo: string
  beforeAll(async () => {
    ;({ day, repo } = await linkedDay(17, false))
  }, 600_000)

  it('gives no alert', async () => {
    const out = await surveil(repo, day)
    expect(out.events).toBeGreaterThan(5_000)
    expect(out.alerts).toEqual([])
    const s = await score(repo, day)
    expect(s.overall).toMatchObject({ alerts: 0, planted: 0 })
  })

  it('refuses a config naming an unknown parameter, a bad news line, and a date not linked', async () => {
    const config = join(day, '..', 'bad.json')
    writeFileSync(config, JSON.stringify({ spoofing: { minOrderSize: 5 } }))
    const bad = await runCli(['surveil', '--repo', repo, '--date', '2026-03-02', '--config', config])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/spoofing\.minOrderSize/)
    const news = join(day, '..', 'news.ndjson')
    writeFileSync(news, '{"symbol":"ABC","time":"1772469990782034913","headline":"x"}\n{"symbol":"ABC"}\n')
    const badNews = await runCli(['surveil', '--repo', repo, '--date', '2026-03-02', '--news', news])
    expect(badNews.code).not.toBe(0)
    expect(badNews.stderr).toMatch(/news\.ndjson:2: time is missing/)
    const unlinked = await runCli(['surveil', '--repo', repo, '--date', '2026-03-03'])
    expect(unlinked.code).not.toBe(0)
    expect(unlinked.stderr).toMatch(/not been linked/)
  })
})
