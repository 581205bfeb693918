import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BookEvent, type BookSide, executeEvent, orderEvent, statusEvent } from './book-event.ts'
import { OrderBook } from './order-book.ts'

const $ = (dollars: number) => BigInt(Math.round(dollars * 1e4)) * 10_000n
let seq = 0
const base = () => ({ ns: 1_000_000n + BigInt(seq), seq: seq++, venue: 'NSDQ', symbol: 'AMZN' })
// Quantities in these cases are counted in the book's unit (1e-6 shares) directly.
const u = (n: number | undefined) => (n === undefined ? undefined : BigInt(n))
const add = (orderId: string, side: BookSide, price: number, quantity: number, displayQty = quantity) =>
  orderEvent({
    ...base(),
    kind: 'add',
    orderId,
    side,
    price: $(price),
    quantity: u(quantity)!,
    displayQty: u(displayQty),
  })
const cancel = (orderId: string, side: BookSide, quantity: number, leavesQty?: number) =>
  orderEvent({
    ...base(),
    kind: 'cancel',
    orderId,
    side,
    price: undefined,
    quantity: u(quantity)!,
    leavesQty: u(leavesQty),
  })
const modify = (orderId: string, side: BookSide, price: number, quantity: number, priorOrderId?: string) =>
  orderEvent({
    ...base(),
    kind: 'modify',
    orderId,
    priorOrderId,
    side,
    price: $(price),
    quantity: u(quantity)!,
    leavesQty: u(quantity),
  })
const fill = (resting: string, side: BookSide, quantity: number, leaves?: number) =>
  executeEvent({
    ...base(),
    tradeId: `T${seq}`,
    price: 0n,
    quantity: u(quantity)!,
    ...(side === 'B'
      ? { buyOrderId: resting, buyLeavesQty: u(leaves) }
      : { sellOrderId: resting, sellLeavesQty: u(leaves) }),
    aggressor: side === 'B' ? 'S' : 'B',
  })

function bookOf(...events: BookEvent[]): OrderBook {
  const book = new OrderBook('NSDQ', 'AMZN')
  for (const ev of events) book.apply(ev)
  return book
}

describe('OrderBook', () => {
  it('lists levels best first with displayed size, hidden size and order count', () => {
    const book = bookOf(
      add('1', 'B', 10.0, 100),
      add('2', 'B', 10.01, 50),
      add('3', 'B', 10.0, 200, 0),
      add('4', 'S', 10.05, 30),
      add('5', 'S', 10.03, 70, 10),
    )
    expect(book.depth()).toEqual({
      bids: [
        { price: $(10.01), size: 50n, hidden: 0n, orders: 1 },
        { price: $(10.0), size: 100n, hidden: 200n, orders: 2 },
      ],
      asks: [
        { price: $(10.03), size: 10n, hidden: 60n, orders: 1 },
        { price: $(10.05), size: 30n, hidden: 0n, orders: 1 },
      ],
    })
    expect(book.bestBid()?.price).toBe($(10.01))
    expect(book.bestAsk()?.size).toBe(10n)
    expect(book.depth(1).bids).toHaveLength(1)
  })

  it('skips hidden-only levels unless asked for them', () => {
    const book = bookOf(add('1', 'S', 10.02, 100, 0), add('2', 'S', 10.04, 100))
    expect(book.bestAsk()?.price).toBe($(10.04))
    expect(book.depth(5, { hidden: true }).asks.map((l) => l.price)).toEqual([$(10.02), $(10.04)])
  })

  it('removes partial and full cancels and executions, dropping empty levels', () => {
    const book = bookOf(
      add('1', 'B', 10, 100),
      add('2', 'B', 10, 50),
      cancel('1', 'B', 40),
      fill('2', 'B', 50, 0),
    )
    expect(book.depth().bids).toEqual([{ price: $(10), size: 60n, hidden: 0n, orders: 1 }])
    book.apply(fill('1', 'B', 60))
    expect(book.depth().bids).toEqual([])
    expect(book.orderCount).toBe(0)
    expect(book.levelCount('B')).toBe(0)
  })

  it('keeps priority on a size decrease and loses it on a price change or a size increase', () => {
    const book = bookOf(add('a', 'S', 20, 100), add('b', 'S', 20, 100), add('c', 'S', 20, 100))
    book.apply(modify('a', 'S', 20, 60))
    expect(book.levelOrders('S', $(20)).map((o) => o.orderId)).toEqual(['a', 'b', 'c'])
    book.apply(modify('a', 'S', 20, 80))
    expect(book.levelOrders('S', $(20)).map((o) => o.orderId)).toEqual(['b', 'c', 'a'])
    book.apply(modify('b', 'S', 20.01, 100))
    book.apply(modify('b', 'S', 20, 100))
    expect(book.levelOrders('S', $(20)).map((o) => o.orderId)).toEqual(['c', 'a', 'b'])
    expect(book.depth().asks).toEqual([{ price: $(20), size: 280n, hidden: 0n, orders: 3 }])
  })

  it('replaces an order named by priorOrderId with the new id at the back of the queue', () => {
    const book = bookOf(add('a', 'B', 5, 100), add('b', 'B', 5, 100), modify('a2', 'B', 5, 90, 'a'))
    expect(book.order('a')).toBeUndefined()
    expect(book.levelOrders('B', $(5)).map((o) => o.orderId)).toEqual(['b', 'a2'])
    expect(book.order('a2')).toMatchObject({ leavesQty: 90n, price: $(5) })
  })

  it('gives queue positions: displayed orders ahead for a displayed order, all displayed first for a hidden one', () => {
    const book = bookOf(
      add('h1', 'B', 7, 500, 0),
      add('d1', 'B', 7, 100),
      add('r1', 'B', 7, 300, 100),
      add('d2', 'B', 7, 40),
      add('h2', 'B', 7, 60, 0),
    )
    expect(book.queuePosition('d1')).toMatchObject({
      ordersAhead: 0,
      sharesAhead: 0n,
      levelOrders: 5,
      levelSize: 240n,
    })
    expect(book.queuePosition('d2')).toMatchObject({ ordersAhead: 2, sharesAhead: 200n })
    // h2 waits for all 240 displayed shares, then for h1 (500) and r1's reserve (200).
    expect(book.queuePosition('h2')).toMatchObject({ ordersAhead: 4, sharesAhead: 940n })
    expect(book.queuePosition('h1')).toMatchObject({ ordersAhead: 3, sharesAhead: 240n })
    expect(book.queuePosition('nope')).toBeUndefined()
  })

  it('refreshes a reserve order display from its hidden quantity as it executes', () => {
    const book = bookOf(add('r', 'S', 9, 250, 100), fill('r', 'S', 100))
    expect(book.depth().asks).toEqual([{ price: $(9), size: 100n, hidden: 50n, orders: 1 }])
    book.apply(fill('r', 'S', 100))
    expect(book.depth().asks).toEqual([{ price: $(9), size: 50n, hidden: 0n, orders: 1 }])
  })

  it('counts anomalies instead of throwing, and still applies what it can', () => {
    const book = bookOf(add('1', 'B', 10, 100))
    expect(book.apply(cancel('x', 'B', 10))).toBe('unknown-order')
    expect(book.apply(add('1', 'B', 11, 5))).toBe('duplicate-order')
    expect(book.apply(fill('1', 'B', 30, 60))).toBe('leaves-mismatch')
    expect(book.order('1')?.leavesQty).toBe(60n)
    expect(book.apply(cancel('1', 'B', 80))).toBe('overfill')
    expect(book.order('1')).toBeUndefined()
    expect(book.anomalies).toMatchObject({
      'unknown-order': 1,
      'duplicate-order': 1,
      'leaves-mismatch': 1,
      overfill: 1,
    })
  })

  it('does not require the aggressor of an execution, nor either side of a cross, to rest', () => {
    const book = bookOf(add('1', 'S', 10, 100))
    const ev = executeEvent({
      ...base(),
      tradeId: 't',
      price: $(10),
      quantity: 10n,
      buyOrderId: 'taker',
      sellOrderId: '1',
      aggressor: 'B',
    })
    expect(book.apply(ev)).toBe('ok')
    expect(book.order('1')?.leavesQty).toBe(90n)
    const cross = executeEvent({
      ...base(),
      tradeId: 'x',
      price: $(10),
      quantity: 500n,
      buyOrderId: '-1',
      aggressor: 'NA',
    })
    expect(book.apply(cross)).toBe('ok')
    const passiveMissing = executeEvent({
      ...base(),
      tradeId: 'y',
      price: $(10),
      quantity: 5n,
      sellOrderId: 'gone',
      aggressor: 'B',
    })
    expect(book.apply(passiveMissing)).toBe('unknown-order')
  })

  it('keeps a member quote per side, replacing it and withdrawing it at size 0', () => {
    const q = (side: BookSide, price: number, quantity: number) =>
      orderEvent({
        ...base(),
        kind: 'quote',
        orderId: `Q|1:MM|${side}`,
        side,
        price: $(price),
        quantity: u(quantity)!,
      })
    const book = bookOf(q('B', 10, 100), q('S', 10.1, 100), q('B', 10.02, 200))
    expect(book.depth().bids).toEqual([{ price: $(10.02), size: 200n, hidden: 0n, orders: 1 }])
    book.apply(q('S', 10.1, 0))
    expect(book.depth().asks).toEqual([])
  })

  it('records the trading status', () => {
    const book = bookOf(statusEvent({ ...base(), status: 'H' }))
    expect(book.status).toBe('H')
  })

  it('restores exactly from its snapshot, through JSON', () => {
    const book = bookOf(
      add('a', 'B', 10, 100),
      add('b', 'B', 10, 50, 0),
      add('c', 'S', 11, 70, 20),
      add('d', 'B', 9.5, 1),
    )
    const back = OrderBook.fromSnapshot(JSON.parse(JSON.stringify(book.snapshot())))
    expect(back.snapshot()).toEqual(book.snapshot())
    expect(back.depth()).toEqual(book.depth())
    back.apply(add('e', 'B', 10, 5))
    expect(back.levelOrders('B', $(10)).map((o) => o.orderId)).toEqual(['a', 'b', 'e'])
  })
})

describe('OrderBook at the ends of the CAT ranges', () => {
  const MAX_PRICE = 999_999_999_999_999_999n // 9999999999.99999999
  const MAX_QTY = 999_999_999_999_999_999n // 999999999999.999999 shares
  const at = (orderId: string, side: BookSide, price: bigint, quantity: bigint) =>
    orderEvent({ ...base(), kind: 'add', orderId, side, price, quantity })

  it('keeps prices 1e-8 apart at the maximum on their own levels, and sizes summed beyond Numeric(18,6) exact', () => {
    const book = bookOf(
      at('a', 'S', MAX_PRICE, MAX_QTY),
      at('b', 'S', MAX_PRICE, MAX_QTY),
      at('c', 'S', MAX_PRICE - 1n, 1n),
      at('d', 'B', MAX_PRICE - 2n, MAX_QTY - 1n),
      at('e', 'B', 1n, 1n),
    )
    expect(book.depth()).toEqual({
      bids: [
        { price: MAX_PRICE - 2n, size: MAX_QTY - 1n, hidden: 0n, orders: 1 },
        { price: 1n, size: 1n, hidden: 0n, orders: 1 },
      ],
      asks: [
        { price: MAX_PRICE - 1n, size: 1n, hidden: 0n, orders: 1 },
        { price: MAX_PRICE, size: 2n * MAX_QTY, hidden: 0n, orders: 2 },
      ],
    })
    expect(book.queuePosition('b')).toMatchObject({ sharesAhead: MAX_QTY, levelSize: 2n * MAX_QTY })
    book.apply(cancel('a', 'S', 1))
    expect(book.level('S', MAX_PRICE)?.size).toBe(2n * MAX_QTY - 1n)
    const snapshot = JSON.parse(JSON.stringify(book.snapshot()))
    expect(snapshot.orders.price.slice(0, 2)).toEqual(['9999999999.99999997', '0.00000001'])
    expect(snapshot.orders.leavesQty[2]).toBe('0.000001')
    expect(snapshot.orders.quantity[4]).toBe('999999999999.999999')
    expect(OrderBook.fromSnapshot(snapshot).depth()).toEqual(book.depth())
  })
})

/** A deliberately naive book: a flat list of orders, priority by a counter. */
class ReferenceBook {
  orders: { id: string; side: BookSide; price: bigint; display: bigint; leaves: bigint; prio: number }[] = []
  prio = 0
  apply(ev: BookEvent): void {
    if (ev.kind === 'add') {
      if (this.orders.some((o) => o.id === ev.orderId)) return
      this.orders.push({
        id: ev.orderId,
        side: ev.side,
        price: ev.price!,
        display: ev.displayQty,
        leaves: ev.quantity,
        prio: this.prio++,
      })
    } else if (ev.kind === 'cancel') {
      const o = this.orders.find((x) => x.id === ev.orderId)
      if (o) o.leaves -= ev.quantity
    } else if (ev.kind === 'modify') {
      const o = this.orders.find((x) => x.id === ev.orderId)
      if (!o) return
      const lose = ev.price !== o.price || ev.leavesQty! > o.leaves || ev.displayQty > o.display
      Object.assign(o, { price: ev.price, leaves: ev.leavesQty, display: ev.displayQty })
      if (lose) o.prio = this.prio++
    } else if (ev.kind === 'execute') {
      const o = this.orders.find((x) => x.id === (ev.buyOrderId ?? ev.sellOrderId))
      if (o) o.leaves -= ev.quantity
    }
    this.orders = this.orders.filter((o) => o.leaves > 0n)
  }
  depth(side: BookSide) {
    const levels = new Map<bigint, { size: bigint; hidden: bigint; ids: string[] }>()
    for (const o of [...this.orders].sort((a, b) => a.prio - b.prio)) {
      if (o.side !== side) continue
      const l = levels.get(o.price) ?? { size: 0n, hidden: 0n, ids: [] }
      // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints
      const vis = o.display < o.leaves ? o.display : o.leaves
      l.size += vis
      l.hidden += o.leaves - vis
      l.ids.push(o.id)
      levels.set(o.price, l)
    }
    return [...levels.entries()]
      .sort((a, b) => (side === 'B' ? Number(b[0] - a[0]) : Number(a[0] - b[0])))
      .map(([price, l]) => ({ price, ...l }))
  }
}

describe('OrderBook against a naive reference', () => {
  const op = fc.record({
    what: fc.constantFrom('add', 'add', 'cancel', 'modify', 'execute'),
    id: fc.integer({ min: 0, max: 30 }),
    side: fc.constantFrom<BookSide>('B', 'S'),
    tick: fc.integer({ min: 0, max: 8 }),
    qty: fc.integer({ min: 1, max: 500 }),
    hidden: fc.integer({ min: 0, max: 4 }),
  })

  it('agrees on every level, queue and snapshot after any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const book = new OrderBook()
        const ref = new ReferenceBook()
        for (const o of ops) {
          const id = String(o.id)
          const known = ref.orders.find((x) => x.id === id)
          const price = (o.side === 'B' ? 1000n : 1010n) * 1_000_000n + BigInt(o.tick) * 1_000_000n
          const qty = BigInt(o.qty)
          const display = o.hidden === 0 ? 0n : o.hidden === 1 ? BigInt(Math.ceil(o.qty / 3)) : qty
          let ev: BookEvent
          if (o.what === 'add' || !known)
            ev = orderEvent({
              ...base(),
              kind: 'add',
              orderId: id,
              side: o.side,
              price,
              quantity: qty,
              displayQty: display,
            })
          else if (o.what === 'cancel')
            ev = orderEvent({
              ...base(),
              kind: 'cancel',
              orderId: id,
              side: known.side,
              price: known.price,
              quantity: qty < known.leaves ? qty : known.leaves,
            })
          else if (o.what === 'modify')
            ev = orderEvent({
              ...base(),
              kind: 'modify',
              orderId: id,
              side: known.side,
              price,
              quantity: qty,
              displayQty: display,
              leavesQty: qty,
            })
          else ev = fill(id, known.side, Math.min(o.qty, Number(known.leaves)))
          book.apply(ev)
          ref.apply(ev)
        }
        for (const side of ['B', 'S'] as const) {
          const got = book.depth(Number.POSITIVE_INFINITY, { hidden: true })[side === 'B' ? 'bids' : 'asks']
          const want = ref.depth(side)
          expect(got.map((l) => [l.price, l.size, l.hidden])).toEqual(
            want.map((l) => [l.price, l.size, l.hidden]),
          )
          for (const l of want) expect(book.levelOrders(side, l.price).map((x) => x.orderId)).toEqual(l.ids)
        }
        expect(OrderBook.fromSnapshot(book.snapshot()).snapshot()).toEqual(book.snapshot())
      }),
      { numRuns: 300 },
    )
  })
})
