/** `opencat book`: a venue's order book for a symbol at any instant. */
import { formatPrice, formatQuantity, storedBookAt } from '../../book/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { formatCatTimestamp } from '../../common/time/cat-timestamp.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'

export const bookCommand: Command = {
  name: 'book',
  summary: "A venue's order book for a symbol at any instant (price levels, best first)",
  usage: 'book --repo DIR --venue V --symbol S --at TIME [--depth N] [--orders] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    venue: { type: 'string', value: 'V', description: 'Exchange ID (e.g. NSDQ)', required: true },
    symbol: { type: 'string', value: 'S', description: 'Symbol', required: true },
    at: {
      type: 'string',
      value: 'TIME',
      description: 'YYYY-MM-DDTHH:MM:SS[.fffffffff] Eastern Time, or a CAT timestamp; every event at or before it counts',
      required: true,
    },
    depth: { type: 'string', value: 'N', description: 'Price levels per side', default: '10' },
    orders: { type: 'boolean', description: 'Also list the resting orders of each level, in queue order' },
    order: { type: 'string', value: 'ID', description: "An exchange order id: print its queue position (orders and shares ahead)" },
  },
  async run(args, io) {
    const ns = isoOrCatToNs(str(args, 'at'))
    const depth = Number(optStr(args, 'depth'))
    if (!Number.isInteger(depth) || depth < 1) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--depth must be a whole number ≥ 1')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const book = await storedBookAt(repo, str(args, 'venue'), str(args, 'symbol'), ns)
      logAccess(repo.paths, { user: process.env.USER ?? 'unknown', action: 'book', subject: `${str(args, 'venue')}:${str(args, 'symbol')}@${ns}` })
      const d = book.depth(depth)
      const level = (l: (typeof d.bids)[number], side: 'B' | 'S') => ({
        price: formatPrice(l.price),
        size: l.size,
        ...(l.hidden ? { hidden: l.hidden } : {}),
        orders: l.orders,
        ...(flag(args, 'orders')
          ? { queue: book.levelOrders(side, l.price).map((o) => ({ orderId: o.orderId, displayQty: o.displayQty, leavesQty: o.leavesQty })) }
          : {}),
      })
      const orderId = optStr(args, 'order')
      const queue = orderId ? book.queuePosition(orderId) : undefined
      if (orderId && !queue) throw new OpenCatError('OCAT_ERR_NOT_FOUND', `order ${orderId} is not resting in the book at that instant`)
      const out = {
        ...(queue ? { queuePosition: { orderId, side: queue.side, price: formatPrice(queue.price), ordersAhead: queue.ordersAhead, sharesAhead: queue.sharesAhead } } : {}),
        venue: str(args, 'venue'),
        symbol: str(args, 'symbol'),
        at: formatCatTimestamp(ns),
        status: book.status,
        bids: d.bids.map((l) => level(l, 'B')),
        asks: d.asks.map((l) => level(l, 'S')),
      }
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(out)}\n`)
        return 0
      }
      io.stdout.write(`${out.venue} ${out.symbol} at ${out.at} ET (${book.applied.toLocaleString('en-US')} events applied)\n`)
      if (out.queuePosition) {
        const q = out.queuePosition
        io.stdout.write(`order ${q.orderId}: ${q.side} @ ${q.price}, ${q.ordersAhead} orders and ${q.sharesAhead} shares ahead in the queue\n`)
      }
      io.stdout.write(`${'bid size'.padStart(10)} ${'bid'.padStart(12)} | ${'ask'.padEnd(12)} ${'ask size'.padEnd(10)}\n`)
      for (let i = 0; i < Math.max(out.bids.length, out.asks.length); i++) {
        const b = out.bids[i]
        const a = out.asks[i]
        io.stdout.write(
          `${(b ? formatQuantity(b.size) : '').padStart(10)} ${(b?.price ?? '').padStart(12)} | ${(a?.price ?? '').padEnd(12)} ${(a ? formatQuantity(a.size) : '').padEnd(10)}\n`,
        )
      }
      return 0
    } finally {
      repo.close()
    }
  },
}
