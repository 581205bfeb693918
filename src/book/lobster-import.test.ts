import { describe, expect, it } from 'vitest'
import { parseLobsterBookRow } from './lobster-book-row.ts'
import { exportLobster } from './lobster-export.ts'
import { importLobster, LOBSTER_SEED_TAG } from './lobster-import.ts'
import { type LobsterMessage, parseLobsterMessages } from './lobster-message.ts'
import { OrderBook } from './order-book.ts'

const opts = { venue: 'NSDQ', symbol: 'AMZN', date: 20120621 }
const msgs = (text: string): LobsterMessage[] => parseLobsterMessages(text).messages

describe('importLobster', () => {
  const text = [
    '34200.1,1,10,100,2238100,1', // add 100 @ 223.81 buy
    '34200.2,2,10,30,2238100,1', // partial cancel → 70 left
    '34200.3,4,10,20,2238100,1', // execution of the resting buy (seller-initiated) → 50 left
    '34200.3,5,0,7,2238200,-1', // hidden execution, no order id
    '34200.4,3,10,50,2238100,1', // delete of the rest
    '34200.5,7,0,0,-1,-1', // halt
    '34200.6,7,0,0,1,-1', // resume
    '34200.7,6,-2,500,2238000,-1', // closing cross print
  ].join('\n')

  it('maps each message type to its event, with ET timestamps and leaves', () => {
    const { events, seeds } = importLobster(msgs(text), opts)
    expect(seeds).toBe(0)
    expect(events.map((e) => e.kind)).toEqual([
      'add',
      'cancel',
      'execute',
      'execute',
      'cancel',
      'status',
      'status',
      'execute',
    ])
    // 09:30:00.1 EDT on 2012-06-21 is 13:30:00.1 UTC.
    expect(events[0]).toMatchObject({
      ns: 1_340_285_400_100_000_000n,
      side: 'B',
      price: 22_381_000_000n,
      quantity: 100_000_000n,
      recordId: 'AMZN-1',
    })
    expect(events[1]).toMatchObject({ quantity: 30_000_000n, leavesQty: 70_000_000n })
    expect(events[2]).toMatchObject({
      buyOrderId: '10',
      buyLeavesQty: undefined,
      aggressor: 'S',
      hidden: false,
      quantity: 20_000_000n,
    })
    expect(events[3]).toMatchObject({
      buyOrderId: undefined,
      sellOrderId: undefined,
      aggressor: 'B',
      hidden: true,
    })
    expect(events[4]).toMatchObject({ quantity: 50_000_000n, leavesQty: 0n })
    expect(events.slice(5, 7).map((e) => (e as { status: string }).status)).toEqual(['H', 'T'])
    expect(events[7]).toMatchObject({ sellOrderId: '-2', aggressor: 'NA', quantity: 500_000_000n })
    const book = new OrderBook()
    for (const e of events) book.apply(e)
    expect(Object.values(book.anomalies).every((n) => n === 0)).toBe(true)
    expect(book.orderCount).toBe(0)
  })

  it('exports back the same lines', () => {
    expect(exportLobster(importLobster(msgs(text), opts).events).messages.join('\n')).toBe(text)
  })

  it('seeds orders first seen in a cancel or execution with the least size the file allows', () => {
    const m = msgs(
      ['34200.1,4,7,10,1000000,-1', '34200.2,2,7,5,1000000,-1', '34200.3,4,8,3,1000000,-1'].join('\n'),
    )
    const { events, seeds, unseeded, inexact } = importLobster(m, opts)
    expect(seeds).toBe(2)
    expect(unseeded).toEqual({ orders: 0, messages: 0 })
    expect(inexact).toBe(0)
    // Order 7 gives up 10 then 5 and is still there (a partial cancel leaves at least a share): 16.
    expect(
      events
        .filter((e) => e.recordId?.includes(LOBSTER_SEED_TAG))
        .map((e) => [(e as { orderId: string }).orderId, (e as { quantity: bigint }).quantity]),
    ).toEqual([
      ['7', 16_000_000n],
      ['8', 3_000_000n],
    ])
    expect(events.find((e) => e.recordId === 'AMZN-2')).toMatchObject({ leavesQty: 1_000_000n })
    expect(exportLobster(events).messages).toHaveLength(3)
  })

  it('without seeds, counts the orders and messages it could not place, and still writes consistent leaves', () => {
    const m = msgs(['34200.1,4,7,10,1000000,-1', '34200.2,2,7,5,1000000,-1'].join('\n'))
    const r = importLobster(m, { ...opts, seed: false })
    expect(r.seeds).toBe(0)
    expect(r.unseeded).toEqual({ orders: 1, messages: 2 })
    expect(r.events[1]).toMatchObject({ leavesQty: 1_000_000n })
    expect(r.inexact).toBe(2)
  })

  it('with the first orderbook row, rests the seeds that fit from the start and fills the rest anonymously', () => {
    const m = msgs(
      ['34200.1,1,9,50,1000100,-1', '34200.2,3,7,40,1000000,-1', '34200.3,3,8,40,1000000,-1'].join('\n'),
    )
    // After message 1: asks 100 @ 100.00 (orders 7, 8 and 20 untouched shares), 50 @ 100.01.
    const row = parseLobsterBookRow('1000000,100,-9999999999,0,1000100,50,-9999999999,0')!
    const r = importLobster(m, { ...opts, firstRow: row })
    expect(r.seedsAtStart).toBe(3)
    const book = new OrderBook()
    for (const e of r.events.slice(0, r.seedsAtStart)) book.apply(e)
    expect(book.depth().asks).toEqual([{ price: 100_000_000_00n, size: 100_000_000n, hidden: 0n, orders: 3 }])
    expect(book.levelOrders('S', 100_000_000_00n).map((o) => o.orderId)).toEqual(['7', '8', '~S1000000'])
  })
})
