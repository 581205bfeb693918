import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BookOrder, OrderBook } from './order-book.ts'

interface TestOrder extends BookOrder {
  readonly id: number
}

function order(id: number, side: 'B' | 'S', price: number, remaining: number): TestOrder {
  return { id, side, price, remaining, live: false, hidden: false }
}

describe('OrderBook', () => {
  it('fills an arriving order at the resting prices in price-time priority', () => {
    const book = new OrderBook<TestOrder>()
    book.add(order(1, 'S', 101, 100))
    book.add(order(2, 'S', 100, 50))
    book.add(order(3, 'S', 100, 70))
    const fills: [number, number, number][] = []
    const left = book.match('B', 101, 200, (f) => fills.push([f.resting.id, f.shares, f.price]))
    expect(fills).toEqual([
      [2, 50, 100],
      [3, 70, 100],
      [1, 80, 101],
    ])
    expect(left).toBe(0)
    expect(book.bestAsk()).toBe(101)
  })

  it('refuses to rest an order that would cross', () => {
    const book = new OrderBook<TestOrder>()
    book.add(order(1, 'S', 100, 10))
    expect(() => book.add(order(2, 'B', 100, 10))).toThrow(/cross/)
  })

  it('keeps priority on a size reduction and drops cancelled orders', () => {
    const book = new OrderBook<TestOrder>()
    const a = order(1, 'B', 50, 300)
    const b = order(2, 'B', 50, 100)
    book.add(a)
    book.add(b)
    book.reduce(a, 100)
    expect(book.sharesAt('B', 50)).toBe(200)
    book.remove(b)
    expect(book.sharesAt('B', 50)).toBe(100)
    const ids: number[] = []
    book.match('S', undefined, 1000, (f) => ids.push(f.resting.id))
    expect(ids).toEqual([1])
    expect(book.bestBid()).toBeUndefined()
  })

  it('never crosses and never fills more than was resting, whatever arrives', () => {
    const op = fc.record({
      side: fc.constantFrom<'B' | 'S'>('B', 'S'),
      price: fc.integer({ min: 90, max: 110 }),
      shares: fc.integer({ min: 1, max: 500 }),
      cancel: fc.nat(),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const book = new OrderBook<TestOrder>()
        const resting: TestOrder[] = []
        let id = 0
        for (const o of ops) {
          if (o.cancel % 5 === 0 && resting.length > 0) {
            book.remove(resting.splice(o.cancel % resting.length, 1)[0])
            continue
          }
          const incoming = order(++id, o.side, o.price, o.shares)
          let filled = 0
          const left = book.match(o.side, o.price, o.shares, (f) => {
            expect(f.resting.side).not.toBe(o.side)
            expect(o.side === 'B' ? f.price <= o.price : f.price >= o.price).toBe(true)
            expect(f.resting.remaining).toBeGreaterThanOrEqual(0)
            filled += f.shares
          })
          expect(filled + left).toBe(o.shares)
          if (left > 0) {
            incoming.remaining = left
            book.add(incoming)
            resting.push(incoming)
          }
          const bid = book.bestBid()
          const ask = book.bestAsk()
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask)
        }
      }),
      { numRuns: 200 },
    )
  })
})
