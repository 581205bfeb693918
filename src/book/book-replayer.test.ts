import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BookEvent, executeEvent, orderEvent } from './book-event.ts'
import { BookReplayer, buildCheckpoints } from './book-replayer.ts'
import type { BookSnapshot } from './book-snapshot.ts'
import { OrderBook } from './order-book.ts'

/** A random but consistent stream: adds, cancels and executions of resting orders, several per nanosecond. */
function stream(seed: number, n: number): BookEvent[] {
  let x = seed
  const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
  const live: { id: string; side: 'B' | 'S'; leaves: number }[] = []
  const out: BookEvent[] = []
  let ns = 1_000n
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.6) ns += BigInt(1 + Math.floor(rnd() * 3))
    const head = { ns, seq: i, venue: 'XX', symbol: 'S' }
    if (live.length < 5 || rnd() < 0.5) {
      const side = rnd() < 0.5 ? 'B' : 'S'
      const price = BigInt((side === 'B' ? 100 : 105) + Math.floor(rnd() * 5)) * 1_000_000n
      const o = { id: `o${i}`, side: side as 'B' | 'S', leaves: 1 + Math.floor(rnd() * 300) }
      live.push(o)
      out.push(
        orderEvent({ ...head, kind: 'add', orderId: o.id, side: o.side, price, quantity: BigInt(o.leaves) }),
      )
    } else {
      const j = Math.floor(rnd() * live.length)
      const o = live[j]
      const q = Math.min(o.leaves, 1 + Math.floor(rnd() * 200))
      o.leaves -= q
      if (o.leaves === 0) live.splice(j, 1)
      if (rnd() < 0.5)
        out.push(
          orderEvent({
            ...head,
            kind: 'cancel',
            orderId: o.id,
            side: o.side,
            price: undefined,
            quantity: BigInt(q),
          }),
        )
      else {
        const ids =
          o.side === 'B'
            ? { buyOrderId: o.id, aggressor: 'S' as const }
            : { sellOrderId: o.id, aggressor: 'B' as const }
        out.push(executeEvent({ ...head, tradeId: `t${i}`, price: 0n, quantity: BigInt(q), ...ids }))
      }
    }
  }
  return out
}

function straight(events: BookEvent[], ns: bigint): OrderBook {
  const book = new OrderBook('XX', 'S')
  for (const ev of events) if (ev.ns <= ns) book.apply(ev)
  return book
}

describe('BookReplayer', () => {
  const events = stream(7, 5_000)
  const last = events[events.length - 1].ns

  it('gives at any instant the same book as a straight replay up to it, same-nanosecond events included', () => {
    const replayer = new BookReplayer(events, { everyEvents: 97 })
    replayer.build()
    expect(replayer.checkpoints.length).toBeGreaterThan(40)
    fc.assert(
      fc.property(fc.bigInt(0n, last + 5n), (t) => {
        expect(replayer.bookAt(t).snapshot().orders).toEqual(straight(events, t).snapshot().orders)
      }),
      { numRuns: 200 },
    )
  })

  it('checkpoints by event time as well as by count', () => {
    const byTime = new BookReplayer(events, { everyEvents: 1e9, everyNs: 500n })
    byTime.build()
    const times = byTime.checkpoints.map((c) => BigInt(c.ns))
    expect(times.length).toBeGreaterThan(5)
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(500n)
  })

  it('answers from checkpoints read back from JSON, as the store will hand them', () => {
    const saved: BookSnapshot[] = []
    buildCheckpoints(events, { everyEvents: 250 }, (s) => saved.push(JSON.parse(JSON.stringify(s))))
    const replayer = new BookReplayer(events)
    replayer.load(saved)
    const t = events[3_333].ns
    expect(replayer.bookAt(t).depth()).toEqual(straight(events, t).depth())
    expect(replayer.bookAfter(1234).snapshot().orders).toEqual(bookAfter(events, 1234).snapshot().orders)
  })

  it('gives an empty book before the first event', () => {
    const replayer = new BookReplayer(events)
    expect(replayer.bookAt(0n).orderCount).toBe(0)
    expect(replayer.bookAt(last).snapshot().orders).toEqual(straight(events, last).snapshot().orders)
  })
})

function bookAfter(events: BookEvent[], n: number): OrderBook {
  const book = new OrderBook('XX', 'S')
  for (let i = 0; i < n; i++) book.apply(events[i])
  return book
}
