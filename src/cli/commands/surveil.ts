/** `opencat surveil`: runs the market-abuse detectors over a linked date and stores the alerts; `surveil score` scores them. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { type AlertEvidence, alertEvidence } from '../../query/alert-evidence.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import {
  ALERT_DISPOSITIONS,
  ALERT_KINDS,
  ALERT_STATUSES,
  type Alert,
  type AlertDisposition,
  type AlertState,
  type AlertStatus,
  type AlertStatusChange,
  type AlertStatusReport,
  alertRuns,
  alertStatusReport,
  changeAlertStatus,
  EXTRACTION_POLICY,
  type ExtractionAlert,
  extractionAlerts,
  loadDetectorConfig,
  NEXT_STATUSES,
  queueStates,
  readNewsFile,
  readPlanted,
  scoreAlerts,
  storedAlerts,
  surveilAndStore,
} from '../../surveil/index.ts'
import { type Command, type CommandIO, flag, optStr, type ParsedArgs, str } from '../command.ts'
import { authorizedIdentity, cliIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

function dateOf(args: ParsedArgs): number {
  const date = isoToDate(str(args, 'date'))
  if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--date must be YYYY-MM-DD')
  return date
}

function stateText(s: AlertState): string {
  return `${s.status}${s.disposition ? ` (${s.disposition})` : ''}${s.assignee ? `, assigned to ${s.assignee}` : ''}`
}

function printAlerts(io: CommandIO, alerts: readonly Alert[], states: Record<string, AlertState> = {}): void {
  for (const a of alerts) {
    const state = states[a.id]
    io.stdout.write(
      `${a.id}  ${a.kind.padEnd(13)} ${a.symbol.padEnd(6)} score ${a.score.toFixed(2)}${state ? `  ${stateText(state)}` : ''}\n`,
    )
    io.stdout.write(`  ${a.reason}\n`)
    const who = a.participants.map((p) => `${p.reporter} ${p.fdid ?? '?'}${p.ccid ? ` (${p.ccid})` : ''}`)
    io.stdout.write(`  participants: ${who.join('; ')}\n`)
  }
}

function printExtractionAlerts(
  io: CommandIO,
  alerts: readonly ExtractionAlert[],
  states: Record<string, AlertState>,
): void {
  for (const a of alerts) {
    io.stdout.write(
      `${a.id}  ${a.kind.padEnd(13)} ${a.extraction.user.padEnd(6)} score ${a.score.toFixed(2)}  ${stateText(states[a.id])}\n`,
    )
    io.stdout.write(`  ${a.reason}\n`)
  }
}

/** `surveil alerts`: the stored alerts of a date (its latest run) and the extraction alerts raised that day. */
async function listAlerts(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const repo = await openRepository(str(args, 'repo'))
  try {
    const run = alertRuns(repo, date).at(-1)?.run
    const alerts = run === undefined ? [] : await storedAlerts(repo, date, run)
    const extraction = extractionAlerts(repo.paths, date)
    const states = queueStates(
      repo.paths,
      date,
      [...alerts, ...extraction].map((a) => a.id),
    )
    logAccess(repo.paths, {
      user: cliIdentity(args).user,
      action: 'alerts',
      subject: `${date} run ${run ?? '-'}`,
      rows: alerts.length + extraction.length,
    })
    if (flag(args, 'json'))
      io.stdout.write(`${JSON.stringify({ date, run: run ?? null, alerts, extraction, ...states })}\n`)
    else {
      printAlerts(io, alerts, states.statuses)
      printExtractionAlerts(io, extraction, states.statuses)
      for (const w of states.withdrawn)
        io.stdout.write(`${w.id}  withdrawn: no longer found; ${stateText(w.state)}\n`)
      io.stdout.write(
        `${alerts.length} surveillance alert${alerts.length === 1 ? '' : 's'} of ${date}${run === undefined ? ' (never surveilled)' : ` (run ${run})`}, ${extraction.length} extraction alert${extraction.length === 1 ? '' : 's'} raised that day\n`,
      )
    }
    return 0
  } finally {
    repo.close()
  }
}

async function surveil(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const configFile = optStr(args, 'config')
  const newsFile = optStr(args, 'news')
  const given = {
    config: loadDetectorConfig(configFile),
    news: newsFile === undefined ? [] : readNewsFile(newsFile),
  }
  const repo = await openRepository(str(args, 'repo'), { write: true })
  try {
    const started = performance.now()
    const result = await surveilAndStore(repo, date, given)
    const seconds = (performance.now() - started) / 1000
    logAccess(repo.paths, {
      user: cliIdentity(args).user,
      action: 'surveil',
      subject: String(date),
      rows: result.alerts.length,
    })
    if (flag(args, 'json')) {
      io.stdout.write(
        `${JSON.stringify({
          date,
          run: result.run,
          written: result.written,
          events: result.events,
          seconds: Math.round(seconds * 1000) / 1000,
          timingsMs: result.timings,
          alerts: result.alerts,
        })}\n`,
      )
    } else {
      printAlerts(io, result.alerts)
      io.stdout.write(
        `${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'} over ${result.events} events of ${date} in ${seconds.toFixed(1)} s; ${result.written ? `stored as run ${result.run}` : `unchanged since run ${result.run}`}\n`,
      )
    }
    return 0
  } finally {
    repo.close()
  }
}

function pct(x: number | null): string {
  return x === null ? '   -' : `${(x * 100).toFixed(0).padStart(3)}%`
}

async function score(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const truth = optStr(args, 'truth')
  if (truth === undefined)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'surveil score needs --truth SIMDIR/truth')
  const planted = readPlanted(truth)
  const repo = await openRepository(str(args, 'repo'))
  try {
    const alerts = await storedAlerts(repo, date)
    const result = scoreAlerts(alerts, planted)
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ date, ...result })}\n`)
    else {
      io.stdout.write('detector        alerts  true  planted  found  precision  recall\n')
      for (const [kind, s] of [
        ...ALERT_KINDS.map((k) => [k, result.byKind[k]] as const),
        ['all', result.overall] as const,
      ])
        io.stdout.write(
          `${kind.padEnd(15)} ${String(s.alerts).padStart(6)} ${String(s.trueAlerts).padStart(5)} ${String(s.planted).padStart(8)} ${String(s.found).padStart(6)} ${pct(s.precision).padStart(10)} ${pct(s.recall).padStart(7)}\n`,
        )
    }
    return 0
  } finally {
    repo.close()
  }
}

function printEvidence(io: CommandIO, ev: AlertEvidence): void {
  const a = ev.alert
  const w = (line: string) => io.stdout.write(`${line}\n`)
  w(
    `${a.id}  ${a.kind} ${a.symbol}  score ${a.score.toFixed(2)}  run ${ev.run}${ev.current ? '' : ` (withdrawn: not in the latest run ${ev.latestRun})`}; in runs ${ev.runs.join(', ')}`,
  )
  w(`  ${a.reason}`)
  w(
    `market around ${ev.moments.length} of ${ev.momentsTotal} moment${ev.momentsTotal === 1 ? '' : 's'} (venues ${ev.venues.join(', ') || 'none'}):`,
  )
  const quote = (s: AlertEvidence['moments'][number]['market']['at']) =>
    `NBBO ${s.nbbo.bidSize} @ ${s.nbbo.bid ?? '—'} × ${s.nbbo.askSize} @ ${s.nbbo.ask ?? '—'}${s.nbbo.crossed ? ' CROSSED' : s.nbbo.locked ? ' LOCKED' : ''}` +
    s.books
      .map(
        (b) =>
          `; ${b.venue} ${b.bids[0] ? `${b.bids[0].size} @ ${b.bids[0].price}` : '—'} × ${b.asks[0] ? `${b.asks[0].size} @ ${b.asks[0].price}` : '—'}`,
      )
      .join('')
  for (const m of ev.moments) {
    w(`  ${m.time}`)
    for (const e of m.events)
      w(
        `    ${e.inAlert ? '*' : ' '} ${e.reporter} ${e.type} ${e.firmROEID} ${e.side ?? ''} ${e.quantity ?? ''}${e.price ? ` @ ${e.price}` : ''}  ${e.lifecycle}`,
      )
    w(`      before ${quote(m.market.before)}`)
    w(`      at     ${quote(m.market.at)}`)
    w(`      after  ${quote(m.market.after)}  (${m.market.after.at})`)
  }
  w(`lifecycles: ${ev.lifecycles.map((l) => `${l.lifecycleId} (${l.events.length} events)`).join(', ')}`)
  if (ev.goneLifecycles.length > 0)
    w(`no longer in the linked day (records deleted or corrected since): ${ev.goneLifecycles.join(', ')}`)
  for (const c of ev.customers) {
    w(
      `customer ${c.ccid ?? `${c.accounts[0]?.reporter} ${c.accounts[0]?.fdid} (no customer file names it)`}: ${c.totalEvents} events that day`,
    )
    if (c.allAccounts.length > 0)
      w(`  accounts: ${c.allAccounts.map((x) => `${x.reporter} ${x.fdid}`).join(', ')}`)
    if (c.symbols.length > 0)
      w(
        `  busiest symbols: ${c.symbols
          .slice(0, 8)
          .map((s) => `${s.symbol} ${s.events} events in ${s.lifecycles} lifecycles`)
          .join('; ')}${c.symbols.length > 8 ? `; ${c.symbols.length - 8} more symbols` : ''}`,
      )
  }
  w('* = an event the alert names; the others show how its orders ended')
}

async function evidence(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const id = optStr(args, 'alert')
  if (id === undefined) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'surveil evidence needs --alert ID')
  const after = optStr(args, 'after-seconds')
  const afterSeconds = after === undefined ? 1 : Number(after)
  if (!Number.isFinite(afterSeconds) || afterSeconds < 0)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--after-seconds must be a number ≥ 0')
  const repo = await openRepository(str(args, 'repo'))
  try {
    const ev = await alertEvidence(repo, date, id, { afterNs: BigInt(Math.round(afterSeconds * 1e9)) })
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(ev)}\n`)
    else printEvidence(io, ev)
    return 0
  } finally {
    repo.close()
  }
}

function describeChange(c: AlertStatusChange): string {
  const status = c.status === c.from ? c.status : `${c.from} → ${c.status}`
  return `${c.seq}. ${c.at}  ${c.by}: ${status}${c.disposition ? ` (${c.disposition})` : ''}${c.assignee ? `, assigned to ${c.assignee}` : ''}\n   ${c.note}`
}

function printStatus(io: CommandIO, r: AlertStatusReport): void {
  const s = r.state
  const where = {
    'latest-run': '',
    'earlier-run': ' (withdrawn: not in the latest run)',
    extraction: ' (extraction alert)',
  }
  io.stdout.write(
    `${r.alert} of ${r.date}${where[r.place]}: ${s.status}${s.disposition ? ` (${s.disposition})` : ''}, ${s.assignee ? `assigned to ${s.assignee}` : 'unassigned'}\n`,
  )
  if (r.history.length === 0) io.stdout.write('  no change yet\n')
  for (const c of r.history) io.stdout.write(`  ${describeChange(c).replaceAll('\n', '\n  ')}\n`)
}

/** `surveil status`: an alert's status and history; with --set, --assign, --unassign or --note, a change. */
async function status(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const id = optStr(args, 'alert')
  if (id === undefined) throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'surveil status needs --alert ID')
  const set = optStr(args, 'set')
  const disposition = optStr(args, 'disposition')
  const note = optStr(args, 'note')
  const assign = optStr(args, 'assign')
  const unassign = flag(args, 'unassign')
  if (assign !== undefined && unassign)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give --assign or --unassign, not both')
  if (set !== undefined && !(ALERT_STATUSES as readonly string[]).includes(set))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--set takes ${ALERT_STATUSES.join(', ')}`)
  if (disposition !== undefined && !(ALERT_DISPOSITIONS as readonly string[]).includes(disposition))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--disposition takes ${ALERT_DISPOSITIONS.join(', ')}`)
  const changing =
    set !== undefined || disposition !== undefined || note !== undefined || assign !== undefined || unassign
  if (changing && note === undefined)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'a change needs --note TEXT saying why')
  const identity = changing ? authorizedIdentity(args, 'alerts.work') : cliIdentity(args)
  const repo = await openRepository(str(args, 'repo'))
  try {
    let change: AlertStatusChange | undefined
    if (changing) {
      change = await changeAlertStatus(repo, date, id, identity.user, {
        ...(set === undefined ? {} : { status: set as AlertStatus }),
        ...(disposition === undefined ? {} : { disposition: disposition as AlertDisposition }),
        ...(assign === undefined ? (unassign ? { assignee: null } : {}) : { assignee: assign }),
        note: note!,
      })
      logAccess(repo.paths, {
        user: identity.user,
        action: 'alert-status-change',
        subject: `${date} ${id} ${change.from} -> ${change.status}`,
        reason: change.note,
      })
    }
    const report = await alertStatusReport(repo, date, id)
    if (!changing)
      logAccess(repo.paths, {
        user: identity.user,
        action: 'alert-status',
        subject: `${date} ${id}`,
        rows: report.history.length,
      })
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(change ? { ...report, change } : report)}\n`)
    else printStatus(io, report)
    return 0
  } finally {
    repo.close()
  }
}

export const surveilCommand: Command = {
  name: 'surveil',
  summary: SUMMARIES.surveil,
  usage:
    'surveil [alerts | score | evidence | status] --repo DIR [--token T | --operator] --date YYYY-MM-DD [--news FILE] [--config FILE] [--truth SIMDIR/truth] [--alert ID] [--set STATUS [--disposition D]] [--assign USER | --unassign] [--note TEXT] [--json]',
  details: [
    'surveil            runs spoofing/layering, wash, marking-close, front-running and (with --news) news',
    "                   detectors over the date's linked lifecycles; alerts go to store/surveil/, a new run",
    '                   only when they differ from the latest',
    'surveil alerts     lists what is stored, without running anything: the latest run of --date, and the',
    "                   extraction alerts raised that day (a regulator's query or extract returning at least",
    `                   ${EXTRACTION_POLICY.floorRows} rows and more than ${EXTRACTION_POLICY.factor}× the median of that user's queries and extracts in the`,
    `                   ${EXTRACTION_POLICY.windowDays} days before; see docs/surveillance.md)`,
    'surveil score      precision and recall of the stored alerts per detector against a simulated',
    "                   day's truth/manipulations.ndjson (an alert matches a planted scenario of the same",
    '                   kind and symbol whose time span it overlaps)',
    'surveil evidence   one stored alert (--alert ID, from the latest run holding it) with its evidence: the',
    "                   NBBO and the involved venues' books just before, at and --after-seconds after each",
    "                   of its orders and executions and each order's end, its lifecycles, and each",
    "                   customer's activity that day at every broker",
    "surveil status     one alert's status (open, under-review, escalated, closed), assignee and history of",
    '                   changes (who, when, why); with --set, --assign, --unassign or --note (which every',
    '                   change needs) it records a change first, for regulators. The steps allowed:',
    ...ALERT_STATUSES.map((s) => `                     ${s.padEnd(13)} → ${NEXT_STATUSES[s].join(', ')}`),
    `                   closing takes --disposition (${ALERT_DISPOSITIONS.join(', ')})`,
    'Detector parameters, the alert format and the status history: docs/surveillance.md.',
  ].join('\n'),
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'The event date (linked)', required: true },
    news: {
      type: 'string',
      value: 'FILE',
      description:
        'News items, NDJSON {symbol, time, headline}: time in ns since the epoch, ET wall clock or a CAT timestamp (the older name timestamp is read too)',
    },
    config: { type: 'string', value: 'FILE', description: 'Detector parameters (JSON), over the defaults' },
    truth: { type: 'string', value: 'DIR', description: "surveil score: a simulated day's truth folder" },
    alert: { type: 'string', value: 'ID', description: 'surveil evidence, surveil status: the alert' },
    set: {
      type: 'string',
      value: 'STATUS',
      description: `surveil status: the new status (${ALERT_STATUSES.join(', ')})`,
    },
    disposition: {
      type: 'string',
      value: 'D',
      description: `surveil status: how a closed alert ended (${ALERT_DISPOSITIONS.join(', ')})`,
    },
    note: { type: 'string', value: 'TEXT', description: 'surveil status: why (required with every change)' },
    assign: {
      type: 'string',
      value: 'USER',
      description: 'surveil status: the regulator who works the alert',
    },
    unassign: { type: 'boolean', description: 'surveil status: nobody works the alert' },
    'after-seconds': {
      type: 'string',
      value: 'S',
      description: 'surveil evidence: how long after each moment the market is shown again (default 1)',
    },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals
    if (
      rest.length > 0 ||
      (action !== undefined && !['alerts', 'score', 'evidence', 'status'].includes(action))
    )
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `unexpected argument "${action}": the surveil actions are alerts, score, evidence and status`,
      )
    // Alerts name the customers on both sides of each pattern: a regulator's view, as in the portal.
    authorizedIdentity(args, 'alerts.read')
    if (action === 'alerts') return listAlerts(args, io)
    if (action === 'status') return status(args, io)
    return action === 'score'
      ? score(args, io)
      : action === 'evidence'
        ? evidence(args, io)
        : surveil(args, io)
  },
}
