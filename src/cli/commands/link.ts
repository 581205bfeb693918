/** `opencat link`: links one event date and reports what linked, what did not and why. */
import { OpenCatError } from '../../common/errors.ts'
import { progressBar } from '../../common/progress.ts'
import { isoToDate } from '../../common/time/index.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { LINK_PASSES, type LinkSummary, linkDate, recoverDate } from '../../link/index.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

const n = (x: number) => x.toLocaleString('en-US')

function ms(ns: number): string {
  return `${ns >= 0 ? '+' : ''}${(ns / 1e6).toFixed(3)} ms`
}

/** The summary in words, for the terminal. */
export function formatLinkSummary(s: LinkSummary): string {
  const out: string[] = []
  const date = String(s.eventDate)
  out.push(
    `linked ${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)} (run ${s.run}, ${s.mode}): ${n(s.events)} events, ${n(s.examined)} examined, ${n(s.rejected)} rejected as duplicates, ${s.seconds.toFixed(2)} s`,
  )
  for (const [type, v] of Object.entries(s.byType))
    out.push(
      `  ${type.padEnd(10)} linked ${n(v.linked).padStart(12)}   unlinked ${n(v.unlinked).padStart(9)}`,
    )
  out.push(`lifecycles: ${n(s.lifecycles)}`)
  const kinds = Object.entries(s.links).map(([k, v]) => `${k} ${n(v)}`)
  if (kinds.length > 0) out.push(`links: ${kinds.join(', ')}`)
  const codes = Object.entries(s.errorsByCode).map(([c, v]) => `${c}×${n(v)}`)
  out.push(`errors by code: ${codes.length > 0 ? codes.join(' ') : 'none'}`)
  const named = Object.entries(s.namedByCode).map(([c, v]) => `${c}×${n(v)}`)
  if (named.length > 0) out.push(`named errors to counterparties: ${named.join(' ')}`)
  const drift = s.drift.filter((d) => d.flagged)
  out.push(
    drift.length === 0
      ? `clock drift: no reporter flagged (${s.drift.length} estimated)`
      : `clock drift: ${drift.map((d) => `${d.reporter} ${ms(d.offsetNs)} over ${n(d.pairs)} routes (${n(d.earlyAccepts)} accepted before sent)`).join('; ')}`,
  )
  const failures = s.feedback.filter((f) => f.status === 'Failure').length
  out.push(`feedback: ${s.feedback.length} reporters (${failures} with errors) under feedback/<submitter>/`)
  const slowest = [...s.passes].sort((a, b) => b.seconds - a.seconds)[0]
  if (slowest) out.push(`slowest pass: ${slowest.pass} ${slowest.seconds.toFixed(2)} s`)
  out.push(`work tables: ${s.workStorage === 'disk' ? 'on disk' : 'in memory'}`)
  return `${out.join('\n')}\n`
}

export const linkCommand: Command = {
  name: 'link',
  summary: SUMMARIES.link,
  usage:
    'link --repo DIR --date YYYY-MM-DD [--full] [--at TIME] [--no-feedback] [--work-storage auto|memory|disk] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'Event date to link', required: true },
    full: { type: 'boolean', description: 'Relink the whole date even when it was linked before' },
    at: {
      type: 'string',
      value: 'TIME',
      description: 'Repository clock for the run (YYYY-MM-DDTHH:MM:SS ET); default now',
    },
    'no-feedback': { type: 'boolean', description: 'Do not write linkage feedback files' },
    'work-storage': {
      type: 'string',
      value: 'auto|memory|disk',
      description:
        "Where the run's work tables live: memory, a compressed scratch file in the work folder, or auto (default: on disk when in memory they would take over half the engine's memory limit)",
    },
  },
  details:
    'A date linked before is linked incrementally: new events and those left unlinked are examined against\n' +
    'everything the date holds. Every run is kept; the latest is current. See docs/linkage.md.',
  async run(args, io) {
    const date = isoToDate(str(args, 'date'))
    if (date === null)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--date must be YYYY-MM-DD, got ${str(args, 'date')}`)
    const at = optStr(args, 'at')
    const storage = optStr(args, 'work-storage') ?? 'auto'
    if (storage !== 'auto' && storage !== 'memory' && storage !== 'disk')
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `--work-storage must be auto, memory or disk, got ${storage}`,
      )
    const repo = await openRepository(str(args, 'repo'), {
      write: true,
      onWait: (m) => io.stderr.write(`${m}\n`),
    })
    try {
      // A run of this date that a crash stopped after publication gets its feedback before the next run.
      await recoverDate(repo, date)
      const summary = await linkDate(repo, date, {
        mode: flag(args, 'full') ? 'full' : 'auto',
        feedback: !flag(args, 'no-feedback'),
        workStorage: storage,
        ...(at ? { nowNs: isoOrCatToNs(at) } : {}),
        // A large day links for many minutes: each pass done is shown (a line every few seconds when
        // standard error is not a terminal); --json stays quiet, as the other commands do.
        ...(flag(args, 'json') ? {} : { progress: progressBar('linking', LINK_PASSES.length, 'passes') }),
      })
      io.stdout.write(flag(args, 'json') ? `${JSON.stringify(summary)}\n` : formatLinkSummary(summary))
      return 0
    } finally {
      repo.close()
    }
  },
}
