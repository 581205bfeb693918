import { describe, expect, it } from 'vitest'
import { executeEvent, orderEvent } from './book-event.ts'
import { exportLobster } from './lobster-export.ts'

const base = (i: number) => ({
  ns: 1_340_285_400_000_000_000n + BigInt(i) * 1_000_000n,
  seq: i,
  venue: 'NSDQ',
  symbol: 'AMZN',
})
const $ = (ticks: number) => BigInt(ticks) * 10_000n
const sh = (n: number) => BigInt(n) * 1_000_000n

describe('exportLobster', () => {
  it('writes a modify that keeps priority as a partial cancel and one that loses it as a delete and an add', () => {
    const events = [
      orderEvent({
        ...base(0),
        kind: 'add',
        orderId: 'A-1',
        side: 'S',
        price: $(2238200),
        quantity: sh(100),
      }),
      orderEvent({
        ...base(1),
        kind: 'modify',
        orderId: 'A-1',
        side: 'S',
        price: $(2238200),
        quantity: sh(60),
        leavesQty: sh(60),
      }),
      orderEvent({
        ...base(2),
        kind: 'modify',
        orderId: 'A-2',
        priorOrderId: 'A-1',
        side: 'S',
        price: $(2238300),
        quantity: sh(60),
        leavesQty: sh(60),
      }),
      orderEvent({
        ...base(3),
        kind: 'add',
        orderId: 'H',
        side: 'B',
        price: $(2238000),
        quantity: sh(100),
        displayQty: sh(0),
      }),
      executeEvent({
        ...base(4),
        tradeId: 't',
        price: $(2238000),
        quantity: sh(40),
        buyOrderId: 'H',
        aggressor: 'S',
        hidden: true,
      }),
    ]
    const out = exportLobster(events, { levels: 2 })
    expect(out.messages).toEqual([
      '34200,1,1,100,2238200,-1',
      '34200.001,2,1,40,2238200,-1',
      '34200.002,3,1,60,2238200,-1',
      '34200.002,1,2,60,2238300,-1',
      '34200.004,5,3,40,2238000,1',
    ])
    expect(out.orderbook).toEqual([
      '2238200,100,-9999999999,0,9999999999,0,-9999999999,0',
      '2238200,60,-9999999999,0,9999999999,0,-9999999999,0',
      '9999999999,0,-9999999999,0,9999999999,0,-9999999999,0',
      '2238300,60,-9999999999,0,9999999999,0,-9999999999,0',
      '2238300,60,-9999999999,0,9999999999,0,-9999999999,0',
    ])
    // The hidden add has no LOBSTER form.
    expect(out.skipped).toBe(1)
  })
})
