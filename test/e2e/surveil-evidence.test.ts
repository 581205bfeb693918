/**
 * Surveillance through `opencat submit` and the evidence behind each alert, on one simulated day with every
 * kind of planted abuse: submit links the day and surveils it (a timed stage); a resubmission changes
 * nothing; `opencat surveil evidence` names exactly the lifecycles of the planted scenario, its NBBO and
 * books are those `opencat nbbo` and `opencat book` give at the same instants, and its customer activity is
 * what `opencat customer` gives; a firm's late deletes submitted afterwards withdraw the alert they
 * undermine in a new run, and the withdrawn alert's evidence stays reachable from the earlier run.
 * `opencat surveil status` moves alerts through their workflow (refusing steps it does not allow, and
 * reporters), keeps every change in the date's history file, and the statuses outlive later runs. A
 * submission killed between linkage and surveillance, on a first link or on a relink after deletes, has
 * the day surveilled by its rerun. `surveil score` on this day (seed 41) adds a third seed to the two of
 * surveil.test.ts.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli.ts'
import { addMachineToken, addPerson } from '../support/portal.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'
import { writeSubmission } from '../support/submission.ts'

const KINDS = ['spoofing', 'layering', 'wash', 'marking-close', 'front-running', 'news'] as const
const DATE = '2026-03-02'

interface Alert {
  id: string
  kind: string
  symbol: string
  from: string
  to: string
  participants: { reporter: string; fdid: string | null; ccid: string | null }[]
  events: { reporter: string; firmROEID: string; lifecycle: string | null }[]
}
interface Snapshot {
  ns: string
  at: string
  nbbo: Record<string, unknown>
  books: { venue: string; bids: unknown[]; asks: unknown[]; status: string; applied: number }[]
}
interface Evidence {
  run: number
  current: boolean
  runs: number[]
  alert: Alert
  venues: string[]
  moments: {
    ns: string
    events: { reporter: string; firmROEID: string; inAlert: boolean }[]
    market: { before: Snapshot; at: Snapshot; after: Snapshot }
  }[]
  lifecycles: { lifecycleId: string; events: { reporter: string; firmROEID: string }[] }[]
  goneLifecycles: string[]
  customers: {
    ccid: string | null
    totalEvents: number
    events: { reporter: string; firmROEID: string; inAlert: boolean }[]
  }[]
}
interface Planted {
  kind: string
  symbol: string
  from: string
  to: string
  events: { reporter: string; firmROEID: string }[]
}
interface SubmitOut {
  stages: { stage: string; seconds: number }[]
  linkage: unknown[]
  surveillance: { date: number; run: number; written: boolean; alerts: number }[]
}

let day: string
let repo: string
let first: SubmitOut
let alerts: Alert[]
let planted: Planted[]
/** A second repository of the same day, whose first submission was killed between linkage and surveillance. */
let killedRepo: string

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args)
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
  return r.stdout
}
const json = async <T>(args: string[]): Promise<T> => JSON.parse(await cli([...args, '--json'])) as T
const evidence = (id: string) =>
  json<Evidence>(['surveil', 'evidence', '--repo', repo, '--date', DATE, '--alert', id])
const runsOnDisk = () => readdirSync(join(repo, 'store', 'surveil', 'event_date=20260302')).sort()
const overlaps = (a: Alert, p: Planted) =>
  a.kind === p.kind &&
  a.symbol === p.symbol &&
  BigInt(a.from) <= BigInt(p.to) &&
  BigInt(p.from) <= BigInt(a.to)

beforeAll(async () => {
  day = await simulatedDay({ seed: 41, orders: 1500, abuse: [...KINDS] })
  repo = join(day, '..', 'repo')
  await cli(['init', '--repo', repo, '--reference', join(day, 'reference')])
  first = await json<SubmitOut>([
    'submit',
    '--repo',
    repo,
    '--at',
    `${DATE}T20:00:00`,
    join(day, 'submissions'),
  ])
  // The news detector needs the news: a surveil run with it, which later submissions keep using.
  const withNews = await json<{ run: number; alerts: Alert[] }>([
    'surveil',
    '--repo',
    repo,
    '--date',
    DATE,
    '--news',
    join(day, 'truth', 'news.ndjson'),
  ])
  expect(withNews.run).toBe(2)
  alerts = withNews.alerts
  planted = truth<Planted>(day, 'manipulations.ndjson')
}, 600_000)

describe('opencat submit surveils the dates it links', () => {
  it('stores a first run of alerts as a timed stage once the day is linked', async () => {
    expect(first.linkage.length).toBe(1)
    expect(first.surveillance).toHaveLength(1)
    expect(first.surveillance[0]).toMatchObject({ date: 20260302, run: 1, written: true })
    expect(first.stages.map((s) => s.stage)).toContain('surveillance')
    // Without the news, every planted kind but news is found by submit's own run.
    expect(first.surveillance[0].alerts).toBe(alerts.filter((a) => a.kind !== 'news').length)
    expect(runsOnDisk()).toEqual(['run=000001', 'run=000002'])
  })

  it('a submission killed after linkage and before surveillance surveils the date when rerun', async () => {
    const other = join(day, '..', 'repo-killed')
    await cli(['init', '--repo', other, '--reference', join(day, 'reference')])
    const args = ['submit', '--repo', other, '--at', `${DATE}T20:00:00`, '--json', join(day, 'submissions')]
    const killed = await startCli(args, { OPENCAT_CRASH_AT: 'after-linkage-recorded' }).done
    expect(killed.signal).toBe('SIGKILL')
    const rerun = await json<SubmitOut>(args.slice(0, -2).concat(join(day, 'submissions')))
    expect(rerun.linkage).toEqual([])
    expect(rerun.surveillance).toEqual([first.surveillance[0]])
    expect(readdirSync(join(other, 'store', 'surveil', 'event_date=20260302'))).toEqual(['run=000001'])
    killedRepo = other
  }, 300_000)

  it('a relink killed before its surveillance is surveilled when the submission is rerun', async () => {
    // A firm deletes the orders behind the wash alert; the submission relinks the day and dies there.
    const wash = alerts.find((a) => a.kind === 'wash')!
    const broker = wash.participants[0].reporter
    const orders = wash.events.filter((e) => e.reporter === broker).map((e) => e.firmROEID)
    expect(orders.length).toBeGreaterThan(0)
    const submitter = readdirSync(join(day, 'submissions')).find((d) =>
      readdirSync(join(day, 'submissions', d)).some((f) => f.includes(`_${broker}_20260302_OrderEvents_`)),
    )!
    const dir = join(day, '..', 'deletes-killed')
    writeSubmission(dir, {
      submitter,
      reporter: broker,
      number: 779,
      lines: orders.map((firmROEID) => JSON.stringify({ actionType: 'DEL', firmROEID })),
    })
    const args = ['submit', '--repo', killedRepo, '--at', `${DATE}T21:00:00`, '--json', dir]
    const killed = await startCli(args, { OPENCAT_CRASH_AT: 'after-linkage-recorded' }).done
    expect(killed.signal).toBe('SIGKILL')
    const runs = () => readdirSync(join(killedRepo, 'store', 'surveil', 'event_date=20260302')).sort()
    expect(runs()).toEqual(['run=000001'])
    // The rerun links nothing new, yet the relinked day had not been surveilled: it is now, without the wash.
    const rerun = await json<SubmitOut>(args.slice(0, -2).concat(dir))
    expect(rerun.linkage).toEqual([])
    expect(rerun.surveillance).toEqual([
      { date: 20260302, run: 2, written: true, alerts: first.surveillance[0].alerts - 1 },
    ])
    expect(runs()).toEqual(['run=000001', 'run=000002'])
    const again = await json<SubmitOut>(['submit', '--repo', killedRepo, '--at', `${DATE}T21:30:00`, dir])
    expect(again.surveillance).toEqual([])
  }, 300_000)

  it('a resubmission of the same files links nothing and changes no alert', async () => {
    const again = await json<SubmitOut>([
      'submit',
      '--repo',
      repo,
      '--at',
      `${DATE}T20:30:00`,
      join(day, 'submissions'),
    ])
    expect(again.linkage).toEqual([])
    expect(again.surveillance).toEqual([])
    expect(runsOnDisk()).toEqual(['run=000001', 'run=000002'])
  }, 120_000)
})

describe('opencat surveil score on this day', () => {
  it('finds every kind of planted abuse (recall at least 0.9 each), and at least 70 % of the alerts are planted', async () => {
    const s = await json<{
      byKind: Record<string, { planted: number; recall: number | null }>
      overall: { alerts: number; precision: number | null }
    }>(['surveil', 'score', '--repo', repo, '--date', DATE, '--truth', join(day, 'truth')])
    for (const kind of KINDS) {
      expect(s.byKind[kind].planted, kind).toBe(planted.filter((p) => p.kind === kind).length)
      expect(s.byKind[kind].planted, `${kind} planted`).toBeGreaterThan(0)
      expect(s.byKind[kind].recall, `${kind} recall`).toBeGreaterThanOrEqual(0.9)
    }
    expect(s.overall.alerts).toBe(alerts.length)
    expect(s.overall.precision).toBeGreaterThanOrEqual(0.7)
  })
})

describe('opencat surveil evidence', () => {
  it("names exactly the lifecycles of each alert's planted scenario, and the customer's day at every broker", async () => {
    for (const kind of KINDS) {
      const scenario = planted.find((p) => p.kind === kind)!
      expect(scenario, `a planted ${kind}`).toBeDefined()
      const alert = alerts.find((a) => overlaps(a, scenario))
      expect(alert, `an alert for the planted ${kind}`).toBeDefined()
      const ev = await evidence(alert!.id)
      expect(ev.alert).toEqual(alert)
      // Submit's run (without the news) found all but the news alert; the run with the news found them all.
      expect(ev).toMatchObject({ run: 2, current: true, runs: kind === 'news' ? [2] : [1, 2] })
      const inLifecycles = new Set(
        ev.lifecycles.flatMap((l) => l.events.map((e) => `${e.reporter}|${e.firmROEID}`)),
      )
      const plantedKeys = new Set(scenario.events.map((e) => `${e.reporter}|${e.firmROEID}`))
      // Every lifecycle shown is one of the scenario's, and the scenario's orders are all in them.
      for (const l of ev.lifecycles)
        expect(
          l.events.some((e) => plantedKeys.has(`${e.reporter}|${e.firmROEID}`)),
          `${kind}: ${l.lifecycleId} is not planted`,
        ).toBe(true)
      expect(
        [...plantedKeys].filter((k) => !inLifecycles.has(k)),
        `${kind}: planted events outside the evidence`,
      ).toEqual([])
      expect(new Set(ev.lifecycles.map((l) => l.lifecycleId))).toEqual(
        new Set(alert!.events.map((e) => e.lifecycle)),
      )
      // Each moment is an event of those lifecycles; the alert's own events are all among them.
      const atMoments = ev.moments.flatMap((m) => m.events.filter((e) => e.inAlert))
      expect(atMoments.length).toBe(alert!.events.length)
      for (const m of ev.moments) {
        expect(BigInt(m.market.before.ns)).toBe(BigInt(m.ns) - 1n)
        expect(BigInt(m.market.after.ns)).toBe(BigInt(m.ns) + 1_000_000_000n)
      }
      // The customers: every CCID of the alert, each with the day `opencat customer` gives.
      const ccids = [...new Set(alert!.participants.map((p) => p.ccid).filter((c) => c !== null))].sort()
      expect(ev.customers.map((c) => c.ccid).filter((c) => c !== null)).toEqual(ccids)
      const c = ev.customers.find((x) => x.ccid !== null)!
      const activity = await json<{ events: { reporter: string; firmROEID: string }[] }>([
        'customer',
        '--repo',
        repo,
        '--ccid',
        c.ccid!,
        '--from',
        DATE,
        '--to',
        DATE,
      ])
      expect(c.totalEvents).toBe(activity.events.length)
      expect(c.events.map((e) => `${e.reporter}|${e.firmROEID}`)).toEqual(
        activity.events.slice(0, 500).map((e) => `${e.reporter}|${e.firmROEID}`),
      )
      expect(c.events.some((e) => e.inAlert)).toBe(true)
    }
  }, 300_000)

  it('shows the NBBO and books that opencat nbbo and opencat book give at the same instants', async () => {
    for (const kind of ['wash', 'spoofing'] as const) {
      const alert = alerts.find((a) => a.kind === kind)!
      const ev = await evidence(alert.id)
      expect(ev.venues.length).toBeGreaterThan(0)
      const m = ev.moments[ev.moments.length - 1]
      for (const snap of [m.market.before, m.market.at, m.market.after]) {
        const nbbo = await json<Record<string, unknown>>([
          'nbbo',
          '--repo',
          repo,
          '--symbol',
          alert.symbol,
          '--at',
          snap.at,
        ])
        expect(snap.nbbo, `${kind} NBBO at ${snap.at}`).toEqual(nbbo)
      }
      const venue = ev.venues[0]
      const book = await json<{ bids: unknown[]; asks: unknown[]; status: string; applied: number }>([
        'book',
        '--repo',
        repo,
        '--venue',
        venue,
        '--symbol',
        alert.symbol,
        '--at',
        m.market.before.at,
        '--depth',
        '5',
      ])
      const shown = m.market.before.books.find((b) => b.venue === venue)!
      expect(shown.bids).toEqual(book.bids)
      expect(shown.asks).toEqual(book.asks)
      expect(shown.applied).toBe(book.applied)
    }
  }, 300_000)

  it('refuses an alert id no run holds', async () => {
    const r = await runCli([
      'surveil',
      'evidence',
      '--repo',
      repo,
      '--date',
      DATE,
      '--alert',
      'A20260302-000000000000',
    ])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/no alert A20260302-000000000000/)
  })
})

interface Change {
  alert: string
  seq: number
  at: string
  by: string
  from: string
  status: string
  disposition: string | null
  assignee: string | null
  note: string
}
interface StatusOut {
  alert: string
  place: string
  state: { status: string; disposition: string | null; assignee: string | null; changes: number }
  history: Change[]
  change?: Change
}
interface ListOut {
  alerts: Alert[]
  statuses: Record<string, StatusOut['state']>
  withdrawn: { id: string; state: StatusOut['state'] }[]
}
const statusFile = () => join(repo, 'store', 'surveil', 'status', '20260302.ndjson')
const status = (id: string, ...extra: string[]) =>
  runCli(['surveil', 'status', '--repo', repo, '--date', DATE, '--alert', id, ...extra, '--json'])
const failure = async (args: Promise<{ code: number | null; stdout: string; stderr: string }>) => {
  const r = await args
  expect(r.code, r.stderr).not.toBe(0)
  // With --json, a failure is printed as JSON on standard output.
  return JSON.parse(r.stdout) as { code: string; message: string }
}

describe('opencat surveil status', () => {
  let tokens: Record<'reg' | 'firm', string>

  beforeAll(async () => {
    tokens = {
      reg: await addMachineToken(repo, 'casebot', ['regulator']),
      firm: await addMachineToken(repo, 'firmbot', ['reporter'], [alerts[0].participants[0].reporter]),
    }
    await addPerson(repo, 'ana', ['regulator'])
  }, 60_000)

  it('moves an alert through its workflow, keeping every change with who, when and why', async () => {
    const wash = alerts.find((a) => a.kind === 'wash')!
    const before = JSON.parse((await status(wash.id)).stdout) as StatusOut
    expect(before).toMatchObject({ alert: wash.id, place: 'latest-run', history: [] })
    expect(before.state).toMatchObject({ status: 'open', assignee: null, changes: 0 })
    // A regulator's token takes it under review and assigns it; the owner escalates it.
    const review = await status(
      wash.id,
      '--token',
      tokens.reg,
      '--set',
      'under-review',
      '--assign',
      'ana',
      '--note',
      'same account on both sides',
    )
    expect(review.code, review.stderr).toBe(0)
    expect((JSON.parse(review.stdout) as StatusOut).change).toMatchObject({
      seq: 1,
      by: 'casebot',
      from: 'open',
      status: 'under-review',
      assignee: 'ana',
      note: 'same account on both sides',
    })
    const up = await status(wash.id, '--operator', '--set', 'escalated', '--note', 'pattern repeats')
    expect(up.code, up.stderr).toBe(0)
    // Steps the workflow does not allow are refused, and change nothing.
    expect((await failure(status(wash.id, '--operator', '--set', 'open', '--note', 'x'))).code).toBe(
      'OCAT_ERR_ALERT_WORKFLOW',
    )
    expect(
      (await failure(status(wash.id, '--operator', '--set', 'closed', '--note', 'done'))).message,
    ).toMatch(/disposition/)
    expect(
      (await failure(status(wash.id, '--operator', '--assign', 'firmbot', '--note', 'x'))).message,
    ).toMatch(/not a regulator/)
    expect((await failure(status(wash.id, '--operator', '--set', 'escalated'))).code).toBe(
      'OCAT_ERR_CLI_USAGE',
    )
    expect((await failure(status(wash.id, '--operator', '--set', 'done', '--note', 'x'))).code).toBe(
      'OCAT_ERR_CLI_USAGE',
    )
    expect(
      (await failure(status('A20260302-000000000000', '--operator', '--set', 'closed', '--note', 'x'))).code,
    ).toBe('OCAT_ERR_NOT_FOUND')
    // A reporter may not read nor change an alert's status.
    expect((await failure(status(wash.id, '--token', tokens.firm))).code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
    expect(
      (
        await failure(
          status(
            wash.id,
            '--token',
            tokens.firm,
            '--set',
            'closed',
            '--disposition',
            'referred',
            '--note',
            'x',
          ),
        )
      ).code,
    ).toBe('OCAT_ERR_AUTH_FORBIDDEN')
    // A writer killed mid-line leaves a torn tail: it is not a change, and the next change cuts it off.
    appendFileSync(statusFile(), '{"alert":"' + wash.id + '","seq":3,"status":"clo')
    expect((JSON.parse((await status(wash.id)).stdout) as StatusOut).history).toHaveLength(2)
    const closed = await status(
      wash.id,
      '--token',
      tokens.reg,
      '--set',
      'closed',
      '--disposition',
      'referred',
      '--note',
      'sent to enforcement',
    )
    expect(closed.code, closed.stderr).toBe(0)
    const after = JSON.parse((await status(wash.id)).stdout) as StatusOut
    expect(after.state).toMatchObject({
      status: 'closed',
      disposition: 'referred',
      assignee: 'ana',
      changes: 3,
    })
    expect(after.history.map((c) => [c.seq, c.by, c.from, c.status])).toEqual([
      [1, 'casebot', 'open', 'under-review'],
      [2, after.history[1].by, 'under-review', 'escalated'],
      [3, 'casebot', 'escalated', 'closed'],
    ])
    expect(after.history[1].by).not.toBe('casebot')
    // The file holds exactly those changes, one whole JSON line each, in order.
    const lines = readFileSync(statusFile(), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
    expect(lines).toEqual(after.history)
    // The listing shows every alert's state: the worked one as closed, the others open.
    const listed = JSON.parse(
      await cli(['surveil', 'alerts', '--repo', repo, '--date', DATE, '--json']),
    ) as ListOut
    expect(Object.keys(listed.statuses).sort()).toEqual(listed.alerts.map((a) => a.id).sort())
    expect(listed.statuses[wash.id]).toEqual(after.state)
    expect(listed.alerts.filter((a) => listed.statuses[a.id].status === 'open')).toHaveLength(
      alerts.length - 1,
    )
    expect(listed.withdrawn).toEqual([])
    // The text form says the same.
    const text = await cli(['surveil', 'status', '--repo', repo, '--date', DATE, '--alert', wash.id])
    expect(text).toContain(`${wash.id} of 20260302: closed (referred), assigned to ana`)
    expect(text).toContain('sent to enforcement')
    // Reads and changes are in the access log, with the note as the reason.
    const log = readFileSync(join(repo, 'log', 'access.ndjson'), 'utf8')
    expect(log).toContain('"action":"alert-status-change"')
    expect(log).toContain('"reason":"sent to enforcement"')
  }, 120_000)

  it('changes made at the same time by several processes are all kept, one after the other', async () => {
    const spoof = alerts.find((a) => a.kind === 'spoofing')!
    const notes = ['first look', 'second look', 'third look', 'fourth look']
    const runs = await Promise.all(
      notes.map((note, i) =>
        status(spoof.id, '--operator', ...(i === 0 ? ['--set', 'under-review'] : []), '--note', note),
      ),
    )
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const after = JSON.parse((await status(spoof.id)).stdout) as StatusOut
    expect(after.history.map((c) => c.seq)).toEqual([1, 2, 3, 4])
    expect(after.history.map((c) => c.note).sort()).toEqual([...notes].sort())
    expect(after.state.status).toBe('under-review')
  }, 120_000)
})

describe('a late correction submitted after the day was surveilled', () => {
  it('withdraws the alert it undermines in a new run, keeps the others and the history, and a resubmission changes nothing', async () => {
    const news = alerts.find((a) => a.kind === 'news')!
    const worked = await status(
      news.id,
      '--operator',
      '--set',
      'under-review',
      '--note',
      'ahead of the headline',
    )
    expect(worked.code, worked.stderr).toBe(0)
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
      number: 778,
      lines: orders.map((firmROEID) => JSON.stringify({ actionType: 'DEL', firmROEID })),
    })
    const sub = await json<SubmitOut>(['submit', '--repo', repo, '--at', `${DATE}T21:00:00`, dir])
    expect(sub.linkage.length).toBe(1)
    expect(sub.surveillance).toEqual([{ date: 20260302, run: 3, written: true, alerts: alerts.length - 1 }])
    expect(runsOnDisk()).toEqual(['run=000001', 'run=000002', 'run=000003'])
    // The other alerts keep their ids (and so their evidence); the news alert's stays in run 2.
    const other = alerts.find((a) => a.kind === 'wash')!
    expect((await evidence(other.id)).runs).toEqual([1, 2, 3])
    const withdrawn = await evidence(news.id)
    expect(withdrawn).toMatchObject({ run: 2, current: false, runs: [2] })
    // The deleted orders are in no lifecycle of the linked day; a lifecycle they took apart is gone, and said
    // to be (one whose routes and exchange events remain may live on without them).
    const deleted = new Set(news.events.filter((e) => e.reporter === broker).map((e) => e.lifecycle))
    expect(withdrawn.goneLifecycles.length).toBeGreaterThan(0)
    for (const id of withdrawn.goneLifecycles) expect(deleted).toContain(id)
    const shown = withdrawn.lifecycles.map((l) => l.lifecycleId)
    expect(shown.filter((id) => withdrawn.goneLifecycles.includes(id))).toEqual([])
    const gone = new Set(orders)
    for (const l of withdrawn.lifecycles)
      expect(l.events.filter((e) => e.reporter === broker && gone.has(e.firmROEID))).toEqual([])
    const again = await json<SubmitOut>(['submit', '--repo', repo, '--at', `${DATE}T21:30:00`, dir])
    expect(again.surveillance).toEqual([])
    expect(runsOnDisk()).toEqual(['run=000001', 'run=000002', 'run=000003'])
    // Statuses outlive the runs: the wash alert, found again, keeps its history; the news alert no run finds
    // any more keeps its own, listed as withdrawn, and can still be worked.
    const listed = await json<ListOut>(['surveil', 'alerts', '--repo', repo, '--date', DATE])
    expect(listed.statuses[other.id]).toMatchObject({ status: 'closed', changes: 3 })
    expect(listed.statuses[news.id]).toBeUndefined()
    expect(listed.withdrawn).toEqual([
      { id: news.id, state: expect.objectContaining({ status: 'under-review' }) },
    ])
    const closed = await status(
      news.id,
      '--operator',
      '--set',
      'closed',
      '--disposition',
      'no-further-action',
      '--note',
      'orders deleted',
    )
    expect(closed.code, closed.stderr).toBe(0)
    expect(JSON.parse(closed.stdout)).toMatchObject({
      place: 'earlier-run',
      state: { status: 'closed', changes: 2 },
    })
  }, 300_000)
})
