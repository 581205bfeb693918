/** `opencat bluesheet`: a symbol's executions over a date range, by customer and broker. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { blueSheet } from '../../query/bluesheet.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const bluesheetCommand: Command = {
  name: 'bluesheet',
  summary: SUMMARIES.bluesheet,
  usage: 'bluesheet --repo DIR [--token T | --operator] --symbol S --from D1 --to D2 [--csv | --json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    symbol: { type: 'string', value: 'S', description: 'Symbol', required: true },
    from: { type: 'string', value: 'YYYY-MM-DD', description: 'First event date', required: true },
    to: { type: 'string', value: 'YYYY-MM-DD', description: 'Last event date', required: true },
    csv: {
      type: 'boolean',
      description: 'Print CSV (a header line, then one line per customer, broker and side)',
    },
  },
  async run(args, io) {
    const from = isoToDate(str(args, 'from'))
    const to = isoToDate(str(args, 'to'))
    if (from === null || to === null)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--from and --to must be YYYY-MM-DD')
    const identity = authorizedIdentity(args, 'customer.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const rows = await blueSheet(repo, str(args, 'symbol'), from, to)
      logAccess(repo.paths, {
        user: identity.user,
        action: 'bluesheet',
        subject: str(args, 'symbol'),
        rows: rows.length,
      })
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ symbol: str(args, 'symbol'), rows })}\n`)
      else if (flag(args, 'csv')) {
        io.stdout.write('ccid,broker,fdid,side,trades,shares,average_price,first_ns,last_ns\n')
        for (const r of rows)
          io.stdout.write(
            `${r.ccid},${r.broker},${r.fdid},${r.side},${r.trades},${r.shares},${r.averagePrice},${r.firstNs},${r.lastNs}\n`,
          )
      } else {
        io.stdout.write(
          `${'CCID'.padEnd(36)} ${'broker'.padEnd(7)} ${'FDID'.padEnd(12)} side  trades       shares   avg price\n`,
        )
        for (const r of rows) {
          io.stdout.write(
            `${r.ccid.padEnd(36)} ${r.broker.padEnd(7)} ${r.fdid.padEnd(12)} ${r.side.padEnd(5)} ${String(r.trades).padStart(6)} ${r.shares.padStart(12)} ${r.averagePrice.padStart(11)}\n`,
          )
        }
      }
      return 0
    } finally {
      repo.close()
    }
  },
}
