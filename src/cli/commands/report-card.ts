/** `opencat report-card`: a reporter's error rate for a day, by stage and code, against the maximum. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { reportCard } from '../../query/report-card.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const reportCardCommand: Command = {
  name: 'report-card',
  summary: SUMMARIES['report-card'],
  usage:
    'report-card --repo DIR [--token T | --operator] --reporter IMID --date YYYY-MM-DD [--max-error-rate R] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    reporter: {
      type: 'string',
      value: 'IMID',
      description: 'CAT Reporter IMID or Exchange ID',
      required: true,
    },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'Processing date', required: true },
    'max-error-rate': {
      type: 'string',
      value: 'R',
      description: 'Maximum error rate, as a fraction',
      default: '0.05',
    },
  },
  async run(args, io) {
    const date = isoToDate(str(args, 'date'))
    if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--date must be YYYY-MM-DD')
    const max = Number(optStr(args, 'max-error-rate'))
    if (!(max >= 0 && max <= 1))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--max-error-rate must be a fraction between 0 and 1')
    authorizedIdentity(args, 'report-card.read', { reporter: str(args, 'reporter') })
    const repo = await openRepository(str(args, 'repo'))
    try {
      const card = await reportCard(repo, str(args, 'reporter'), date, max)
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(card)}\n`)
        return 0
      }
      const pct = (x: number) => `${(100 * x).toFixed(2)} %`
      io.stdout.write(
        `Report card ${card.reporter}, processing date ${str(args, 'date')}\n` +
          `  files ${card.files} (${card.filesRejected} rejected) · records ${card.records.toLocaleString('en-US')} · late ${card.late}\n`,
      )
      for (const s of card.stages)
        io.stdout.write(
          `  ${s.stage.padEnd(10)} errors ${String(s.errors).padStart(7)}  rate ${pct(s.rate)}  outstanding ${String(s.outstanding).padStart(7)}\n`,
        )
      io.stdout.write(
        `  overall    errors ${String(card.errors).padStart(7)}  rate ${pct(card.errorRate)}  (maximum ${pct(card.maxErrorRate)}) ${card.withinLimit ? 'within limit' : 'ABOVE LIMIT'}\n` +
          `  after repairs     ${String(card.errorsAfterRepairs).padStart(7)}  rate ${pct(card.errorRateAfterRepairs)}\n`,
      )
      for (const c of card.byCode) io.stdout.write(`    ${c.code} ×${c.count}  ${c.title}\n`)
      return 0
    } finally {
      repo.close()
    }
  },
}
