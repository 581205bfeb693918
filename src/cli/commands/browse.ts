/** `opencat browse`: a day's events page by page, by symbol, reporter and window of Eastern Time. */
import { BROWSE_LIMIT, browseDay } from '../../query/day-browser.ts'
import {
  formatCatDate,
  formatEtInstant,
  formatPriceText,
  formatQuantityText,
} from '../../query/display-format.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { eventDate } from '../event-date.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const browseCommand: Command = {
  name: 'browse',
  summary: SUMMARIES.browse,
  usage:
    'browse --repo DIR [--token T | --operator] --date D [--symbol S] [--reporter R] [--from HH:MM:SS --to HH:MM:SS] [--limit N --after CURSOR] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    date: { type: 'string', value: 'D', description: 'Event date, YYYY-MM-DD or YYYYMMDD', required: true },
    symbol: { type: 'string', value: 'S', description: 'Only this symbol' },
    reporter: { type: 'string', value: 'R', description: 'Only this reporter (IMID or Exchange ID)' },
    from: { type: 'string', value: 'HH:MM:SS', description: 'Window start, Eastern Time (inclusive)' },
    to: { type: 'string', value: 'HH:MM:SS', description: 'Window end, Eastern Time (inclusive)' },
    limit: { type: 'string', value: 'N', description: 'Events per page', default: String(BROWSE_LIMIT) },
    after: {
      type: 'string',
      value: 'CURSOR',
      description: "Start after this cursor (the previous page's next)",
    },
  },
  details:
    'Events are the current version of each record of the date, in eventTimestamp order (ties by event id).\n' +
    'Each page ends with the cursor of the next one (next; null on the last page): following the cursors\n' +
    'gives every event of the selection exactly once. The first page also gives the total.',
  async run(args, io) {
    const date = eventDate(str(args, 'date'))
    const symbol = optStr(args, 'symbol')
    const reporter = optStr(args, 'reporter')
    const from = optStr(args, 'from')
    const to = optStr(args, 'to')
    const after = optStr(args, 'after')
    authorizedIdentity(args, 'lifecycle.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const page = await browseDay(repo, {
        eventDate: date,
        ...(symbol ? { symbol } : {}),
        ...(reporter ? { reporter } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(after ? { after } : {}),
        limit: Number(optStr(args, 'limit')),
      })
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(page)}\n`)
        return 0
      }
      for (const e of page.events)
        io.stdout.write(
          `${formatEtInstant(e.eventNs)}  ${e.reporter.padEnd(6)} ${e.type.padEnd(5)} ${String(e.symbol ?? '').padEnd(6)} ${String(e.side ?? '').padEnd(3)} ${formatQuantityText(e.quantity).padStart(10)} @ ${formatPriceText(e.price).padEnd(12)} ${e.firmROEID}  ${e.lifecycleIds.join(',')}\n`,
        )
      io.stdout.write(
        `${page.events.length} events of ${formatCatDate(date)}${page.total !== undefined ? ` (${page.total} in all)` : ''}${page.next ? `; next page: --after ${page.next}` : '; last page'}\n`,
      )
      return 0
    } finally {
      repo.close()
    }
  },
}
