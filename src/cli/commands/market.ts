/** `opencat market`: a symbol's NBBO band, venues' quotes, trades and crossed or locked spells over a window. */

import { clockOn } from '../../common/time/clock-on.ts'
import { formatEtInstant, formatPriceText, formatQuantityText } from '../../query/display-format.ts'
import { marketWindow } from '../../query/market-window.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { eventDate } from '../event-date.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const marketCommand: Command = {
  name: 'market',
  summary: SUMMARIES.market,
  usage:
    'market --repo DIR [--token T | --operator] --date D --symbol S --from HH:MM:SS --to HH:MM:SS [--spans N] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    date: { type: 'string', value: 'D', description: 'Event date, YYYY-MM-DD or YYYYMMDD', required: true },
    symbol: { type: 'string', value: 'S', description: 'Symbol', required: true },
    from: { type: 'string', value: 'HH:MM:SS', description: 'Window start, Eastern Time', required: true },
    to: {
      type: 'string',
      value: 'HH:MM:SS',
      description: 'Window end, Eastern Time (inclusive)',
      required: true,
    },
    spans: {
      type: 'string',
      value: 'N',
      description:
        'Thin every series to what a chart of N spans shows: in each span its first and last step and those at its highest and lowest prices',
    },
  },
  details:
    'Series are steps: the value at the window start, then every change (each in force until the next).\n' +
    'The NBBO is the one `opencat nbbo` gives at any instant; trades are exchange executions (EXOT) and\n' +
    "FINRA's trade reports (TRFT). Spells of a crossed or locked NBBO are listed and flagged.",
  async run(args, io) {
    const date = eventDate(str(args, 'date'))
    const symbol = str(args, 'symbol')
    authorizedIdentity(args, 'market.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const w = await marketWindow(
        repo,
        symbol,
        clockOn(date, str(args, 'from')),
        clockOn(date, str(args, 'to')),
        optStr(args, 'spans') === undefined ? {} : { spans: Number(optStr(args, 'spans')) },
      )
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(w)}\n`)
        return 0
      }
      io.stdout.write(
        `${symbol} ${formatEtInstant(w.fromNs, 0)} to ${formatEtInstant(w.toNs, 0)}  venues ${w.venues.join(', ')}\n`,
      )
      const t = w.thinned
      if (t)
        io.stdout.write(
          `thinned to ${t.spans} spans: ${w.nbbo.length} of ${t.nbbo} NBBO changes, ${w.trades.length} of ${t.trades} trades\n`,
        )
      io.stdout.write('\nNBBO\n')
      for (const s of w.nbbo)
        io.stdout.write(
          `  ${formatEtInstant(s.ns)}  ${formatQuantityText(s.bidSize).padStart(8)} @ ${formatPriceText(s.bid).padEnd(10)} × ${formatQuantityText(s.askSize).padStart(8)} @ ${formatPriceText(s.ask).padEnd(10)}${s.state === 'crossed' ? '  CROSSED' : s.state === 'locked' ? '  LOCKED' : ''}\n`,
        )
      w.venueQuotes.forEach((v, i) => {
        const all = t ? ` of ${t.venueQuotes[i]}` : ''
        io.stdout.write(`\n${v.venue}: ${v.steps.length}${all} changes of its best bid and offer\n`)
      })
      io.stdout.write(`\n${w.trades.length} trades\n`)
      for (const t of w.trades)
        io.stdout.write(
          `  ${formatEtInstant(t.ns)}  ${t.venue.padEnd(6)} ${formatQuantityText(t.quantity).padStart(8)} @ ${formatPriceText(t.price)}\n`,
        )
      if (w.intervals.length > 0) {
        io.stdout.write('\nCrossed or locked NBBO\n')
        for (const i of w.intervals)
          io.stdout.write(
            `  ${i.state.toUpperCase()}  ${formatEtInstant(i.fromNs)} to ${i.toNs ? formatEtInstant(i.toNs) : 'the window end'}\n`,
          )
      }
      return 0
    } finally {
      repo.close()
    }
  },
}
