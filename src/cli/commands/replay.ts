/** `opencat replay`: every event of some symbols across firms and venues in a window, with the NBBO. */
import { replayMarket } from '../../book/market-replay.ts'
import { OpenCatError } from '../../common/errors.ts'
import { formatCatTimestamp } from '../../common/time/cat-timestamp.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const replayCommand: Command = {
  name: 'replay',
  summary: SUMMARIES.replay,
  usage: 'replay --repo DIR [--token T | --operator] --symbols S1,S2 --from T1 --to T2 [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    symbols: { type: 'string', value: 'S1,S2', description: 'Symbols, comma-separated', required: true },
    from: {
      type: 'string',
      value: 'T1',
      description: 'Start, YYYY-MM-DDTHH:MM:SS[.f] Eastern Time',
      required: true,
    },
    to: { type: 'string', value: 'T2', description: 'End (same day), inclusive', required: true },
  },
  details:
    'JSON output is one line per item (newline-delimited), events and NBBO changes in time order.\n' +
    'An NBBO change that crosses (bid above offer) or locks (bid equal to offer) the market is flagged:\n' +
    'CROSSED or LOCKED in the text, crossed/locked in JSON.',
  async run(args, io) {
    const from = isoOrCatToNs(str(args, 'from'))
    const to = isoOrCatToNs(str(args, 'to'))
    if (to < from) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--to is before --from')
    const symbols = str(args, 'symbols')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const identity = authorizedIdentity(args, 'market.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const items = await replayMarket(repo, symbols, from, to)
      logAccess(repo.paths, {
        user: identity.user,
        action: 'replay',
        subject: symbols.join(','),
        rows: items.length,
      })
      for (const it of items) {
        if (flag(args, 'json')) {
          io.stdout.write(`${JSON.stringify(it)}\n`)
          continue
        }
        const t = formatCatTimestamp(BigInt(it.ns), 9)
        if (it.kind === 'nbbo') {
          io.stdout.write(
            `${t}  NBBO   ${it.symbol.padEnd(6)} ${it.bidSize} @ ${it.bidPrice ?? '—'} (${it.bidVenues.join(',')})  ×  ${it.askSize} @ ${it.askPrice ?? '—'} (${it.askVenues.join(',')})${it.crossed ? '  CROSSED' : it.locked ? '  LOCKED' : ''}\n`,
          )
        } else {
          io.stdout.write(
            `${t}  ${it.reporter.padEnd(6)} ${it.type.padEnd(5)} ${it.symbol.padEnd(6)} ${String(it.side ?? '').padEnd(3)} ${String(it.quantity ?? '').padStart(8)} @ ${String(it.price ?? '').padEnd(10)} ${it.lifecycleIds.join(',')}\n`,
          )
        }
      }
      if (!flag(args, 'json')) io.stdout.write(`${items.length} items\n`)
      return 0
    } finally {
      repo.close()
    }
  },
}
