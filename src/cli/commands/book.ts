/** `opencat book`: a venue's order book for a symbol at any instant. */
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { bookView } from '../../query/market.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const bookCommand: Command = {
  name: 'book',
  summary: SUMMARIES.book,
  usage:
    'book --repo DIR [--token T | --operator] --venue V --symbol S --at TIME [--depth N] [--orders] [--json]',
  details:
    "A venue's own book is never crossed: a crossed (or locked) rebuilt book is flagged with a notice saying\n" +
    'its events miss some, and anomalies met applying them are counted. Reads write nothing.',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    venue: { type: 'string', value: 'V', description: 'Exchange ID (e.g. NSDQ)', required: true },
    symbol: { type: 'string', value: 'S', description: 'Symbol', required: true },
    at: {
      type: 'string',
      value: 'TIME',
      description:
        'YYYY-MM-DDTHH:MM:SS[.fffffffff] Eastern Time, or a CAT timestamp; every event at or before it counts',
      required: true,
    },
    depth: { type: 'string', value: 'N', description: 'Price levels per side', default: '10' },
    orders: { type: 'boolean', description: 'Also list the resting orders of each level, in queue order' },
    order: {
      type: 'string',
      value: 'ID',
      description: 'An exchange order id: print its queue position (orders and shares ahead)',
    },
  },
  async run(args, io) {
    const ns = isoOrCatToNs(str(args, 'at'))
    const identity = authorizedIdentity(args, 'market.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const orderId = optStr(args, 'order')
      const out = await bookView(repo, {
        venue: str(args, 'venue'),
        symbol: str(args, 'symbol'),
        ns,
        depth: Number(optStr(args, 'depth')),
        orders: flag(args, 'orders'),
        ...(orderId ? { orderId } : {}),
      })
      logAccess(repo.paths, {
        user: identity.user,
        action: 'book',
        subject: `${out.venue}:${out.symbol}@${ns}`,
      })
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(out)}\n`)
        return 0
      }
      io.stdout.write(
        `${out.venue} ${out.symbol} at ${out.at} ET (${out.applied.toLocaleString('en-US')} events applied)\n`,
      )
      if (out.queuePosition) {
        const q = out.queuePosition
        io.stdout.write(
          `order ${q.orderId}: ${q.side} @ ${q.price}, ${q.ordersAhead} orders and ${q.sharesAhead} shares ahead in the queue\n`,
        )
      }
      io.stdout.write(
        `${'bid size'.padStart(10)} ${'bid'.padStart(12)} | ${'ask'.padEnd(12)} ${'ask size'.padEnd(10)}\n`,
      )
      for (let i = 0; i < Math.max(out.bids.length, out.asks.length); i++) {
        const b = out.bids[i]
        const a = out.asks[i]
        io.stdout.write(
          `${(b?.size ?? '').padStart(10)} ${(b?.price ?? '').padStart(12)} | ${(a?.price ?? '').padEnd(12)} ${a?.size ?? ''}\n`,
        )
      }
      if (out.notice) io.stdout.write(`${out.crossed ? 'CROSSED' : 'LOCKED'}: ${out.notice}\n`)
      const anomalies = Object.entries(out.anomalies)
      if (anomalies.length > 0)
        io.stdout.write(
          `anomalies applying the events: ${anomalies.map(([k, n]) => `${k} ×${n}`).join(', ')}\n`,
        )
      return 0
    } finally {
      repo.close()
    }
  },
}
