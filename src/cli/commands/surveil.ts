/** `opencat surveil`: runs the market-abuse detectors over a linked date and stores the alerts; `surveil score` scores them. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import {
  ALERT_KINDS,
  type Alert,
  loadDetectorConfig,
  readNewsFile,
  readPlanted,
  scoreAlerts,
  storeAlerts,
  storedAlerts,
  surveilDate,
} from '../../surveil/index.ts'
import { type Command, type CommandIO, flag, optStr, type ParsedArgs, str } from '../command.ts'

function dateOf(args: ParsedArgs): number {
  const date = isoToDate(str(args, 'date'))
  if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--date must be YYYY-MM-DD')
  return date
}

function printAlerts(io: CommandIO, alerts: readonly Alert[]): void {
  for (const a of alerts) {
    io.stdout.write(`${a.id}  ${a.kind.padEnd(13)} ${a.symbol.padEnd(6)} score ${a.score.toFixed(2)}\n`)
    io.stdout.write(`  ${a.reason}\n`)
    const who = a.participants.map((p) => `${p.reporter} ${p.fdid ?? '?'}${p.ccid ? ` (${p.ccid})` : ''}`)
    io.stdout.write(`  participants: ${who.join('; ')}\n`)
  }
}

async function surveil(args: ParsedArgs, io: CommandIO): Promise<number> {
  const date = dateOf(args)
  const config = loadDetectorConfig(optStr(args, 'config'))
  const newsFile = optStr(args, 'news')
  const news = newsFile === undefined ? [] : readNewsFile(newsFile)
  const repo = await openRepository(str(args, 'repo'), { write: true })
  try {
    const started = performance.now()
    const result = await surveilDate(repo, date, config, news)
    const { run, written } = await storeAlerts(repo, date, result.alerts)
    const seconds = (performance.now() - started) / 1000
    logAccess(repo.paths, {
      user: optStr(args, 'user') ?? process.env.USER ?? 'unknown',
      action: 'surveil',
      subject: String(date),
      rows: result.alerts.length,
    })
    if (flag(args, 'json')) {
      io.stdout.write(
        `${JSON.stringify({
          date,
          run: run.run,
          written,
          events: result.events,
          seconds: Math.round(seconds * 1000) / 1000,
          timingsMs: result.timings,
          alerts: result.alerts,
        })}\n`,
      )
    } else {
      printAlerts(io, result.alerts)
      io.stdout.write(
        `${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'} over ${result.events} events of ${date} in ${seconds.toFixed(1)} s; ${written ? `stored as run ${run.run}` : `unchanged since run ${run.run}`}\n`,
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

export const surveilCommand: Command = {
  name: 'surveil',
  summary:
    'Run the market-abuse detectors over a linked date and store the alerts; score them against planted abuse',
  usage:
    'surveil [score] --repo DIR --date YYYY-MM-DD [--news FILE] [--config FILE] [--truth SIMDIR/truth] [--json]',
  details: [
    'surveil            runs spoofing/layering, wash, marking-close, front-running and (with --news) news',
    "                   detectors over the date's linked lifecycles; alerts go to store/surveil/, a new run",
    '                   only when they differ from the latest',
    'surveil score      precision and recall of the stored alerts per detector against a simulated',
    "                   day's truth/manipulations.ndjson (an alert matches a planted scenario of the same",
    '                   kind and symbol whose time span it overlaps)',
    'Detector parameters and the alert format: docs/surveillance.md.',
  ].join('\n'),
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'The event date (linked)', required: true },
    news: {
      type: 'string',
      value: 'FILE',
      description: 'News items, NDJSON {symbol, time, headline} (time in ns since the epoch)',
    },
    config: { type: 'string', value: 'FILE', description: 'Detector parameters (JSON), over the defaults' },
    truth: { type: 'string', value: 'DIR', description: "surveil score: a simulated day's truth folder" },
    user: {
      type: 'string',
      value: 'NAME',
      description: 'Who is asking, for the access log (default: the login name)',
    },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals
    if (rest.length > 0 || (action !== undefined && action !== 'score'))
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `unexpected argument "${action}": the only surveil action is score`,
      )
    return action === 'score' ? score(args, io) : surveil(args, io)
  },
}
