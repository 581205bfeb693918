/**
 * `opencat reindex`: brings the day index of linked dates up to date. Readers pass by a build of an earlier
 * format or of another source for the store's exact path (right, but slow), so after an upgrade or an
 * interrupted run an operator rebuilds them here instead of waiting for the next link.
 */
import { OpenCatError } from '../../common/errors.ts'
import { dateToIso, isoToDate } from '../../common/time/index.ts'
import { KEY_NUM_SQL } from '../../link/lifecycle-keys.ts'
import { runsOf } from '../../link/linkage-layout.ts'
import { freshDayIndex } from '../../store/day-index.ts'
import { writeDayIndex } from '../../store/day-index-write.ts'
import { type RepoPaths, storedEventDates } from '../../store/paths.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

/** The event dates with a linkage run, oldest first. */
function linkedDates(paths: RepoPaths): number[] {
  return storedEventDates(paths).filter((d) => runsOf(paths, d).length > 0)
}

/**
 * The linked dates whose day index readers would pass by (missing, stale or of an earlier format): what
 * `opencat serve` warns of at start, so an operator knows to run `opencat reindex`.
 */
export async function outdatedDayIndexes(dir: string): Promise<number[]> {
  const repo = await openRepository(dir)
  try {
    const out: number[] = []
    for (const d of linkedDates(repo.paths)) if (!(await freshDayIndex(repo, d))) out.push(d)
    return out
  } finally {
    repo.close()
  }
}

export const reindexCommand: Command = {
  name: 'reindex',
  summary: SUMMARIES.reindex,
  usage: 'reindex --repo DIR [--date YYYY-MM-DD] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'Only this event date (default: every linked date)',
    },
  },
  details:
    'A date whose latest build was made by this OpenCAT version from what the store holds now, and from its\n' +
    'latest linkage run, is left as it is; any other gets a new build (docs/formats/day-index.md). Pages and\n' +
    'queries give the same answers either way: only their speed depends on the index. Exit status 0.',
  async run(args, io) {
    const only = optStr(args, 'date')
    const date = only === undefined ? undefined : isoToDate(only)
    if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--date must be YYYY-MM-DD, got ${only}`)
    const repo = await openRepository(str(args, 'repo'), {
      write: true,
      onWait: (m) => io.stderr.write(`${m}\n`),
    })
    try {
      const linked = linkedDates(repo.paths)
      if (date !== undefined && !linked.includes(date))
        throw new OpenCatError(
          'OCAT_ERR_NOT_FOUND',
          `${only} has no linkage run in this repository; link it first (opencat link --date ${only})`,
        )
      const dates = date === undefined ? linked : [date]
      const out = []
      for (const [i, d] of dates.entries()) {
        io.stderr.write(`day index ${i + 1}/${dates.length}: ${dateToIso(d)}…\n`)
        const started = performance.now()
        const w = await writeDayIndex(repo, d, { keyNum: KEY_NUM_SQL })
        out.push({
          eventDate: dateToIso(d),
          written: w.written,
          build: w.build,
          format: w.manifest.format,
          seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
        })
      }
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ dates: out })}\n`)
      else
        for (const d of out)
          io.stdout.write(
            `${d.eventDate}: ${d.written ? `build ${d.build} written` : `build ${d.build} is up to date`} (${d.seconds.toFixed(2)} s)\n`,
          )
      return 0
    } finally {
      repo.close()
    }
  },
}
