import { describe, expect, it } from 'vitest'
import { type BookEvent, type BookSide, orderEvent, statusEvent } from './book-event.ts'
import { buildNbbo, distanceFromNbbo, isMarketable, mergeBookEvents } from './nbbo.ts'

const $ = (cents: number) => BigInt(cents) * 1_000_000n
const add = (
  venue: string,
  ns: bigint,
  seq: number,
  id: string,
  side: BookSide,
  cents: number,
  quantity: number,
): BookEvent =>
  orderEvent({
    kind: 'add',
    ns,
    seq,
    venue,
    symbol: 'S',
    orderId: id,
    side,
    price: $(cents),
    quantity: BigInt(quantity),
  })
const cancel = (venue: string, ns: bigint, seq: number, id: string, quantity: number): BookEvent =>
  orderEvent({
    kind: 'cancel',
    ns,
    seq,
    venue,
    symbol: 'S',
    orderId: id,
    side: 'B',
    price: undefined,
    quantity: BigInt(quantity),
  })

describe('NBBO', () => {
  const a = [
    add('ARCA', 10n, 1, 'a1', 'B', 1000, 100),
    add('ARCA', 30n, 2, 'a2', 'S', 1005, 200),
    cancel('ARCA', 60n, 3, 'a1', 100),
  ]
  const n = [
    add('NSDQ', 20n, 1, 'n1', 'B', 1000, 300),
    add('NSDQ', 30n, 2, 'n2', 'S', 1004, 50),
    add('NSDQ', 40n, 3, 'n3', 'B', 1001, 10),
  ]

  it('merges venue streams by time, then venue, then seq', () => {
    expect([...mergeBookEvents([a, n])].map((e) => `${e.venue}${e.seq}`)).toEqual([
      'ARCA1',
      'NSDQ1',
      'ARCA2',
      'NSDQ2',
      'NSDQ3',
      'ARCA3',
    ])
  })

  it('takes the best price over venues, sums the size there and names the venues', () => {
    const series = buildNbbo(mergeBookEvents([a, n]))
    expect(series.at(5n)).toBeUndefined()
    expect(series.at(25n)).toMatchObject({
      bidPrice: $(1000),
      bidSize: 400n,
      bidVenues: ['ARCA', 'NSDQ'],
      askPrice: undefined,
    })
    // Two changes at ns 30 collapse into the one in force after both.
    expect(series.changes.filter((c) => c.ns === 30n)).toHaveLength(1)
    expect(series.at(30n)).toMatchObject({ askPrice: $(1004), askSize: 50n, askVenues: ['NSDQ'] })
    expect(series.at(45n)).toMatchObject({ bidPrice: $(1001), bidSize: 10n, bidVenues: ['NSDQ'] })
    expect(series.at(1000n)).toMatchObject({ bidPrice: $(1001), askPrice: $(1004) })
  })

  it('drops a halted venue from the NBBO and brings it back on resumption', () => {
    const halt = [
      statusEvent({ ns: 50n, seq: 9, venue: 'NSDQ', symbol: 'S', status: 'H' }),
      statusEvent({ ns: 70n, seq: 10, venue: 'NSDQ', symbol: 'S', status: 'T' }),
    ]
    const series = buildNbbo(mergeBookEvents([a, [...n, ...halt]]))
    expect(series.at(55n)).toMatchObject({
      bidPrice: $(1000),
      bidVenues: ['ARCA'],
      askPrice: $(1005),
      askVenues: ['ARCA'],
    })
    expect(series.at(75n)).toMatchObject({ bidPrice: $(1001), askPrice: $(1004), askVenues: ['NSDQ'] })
  })

  it('says whether an order was marketable and how far it was from the NBBO', () => {
    const nbbo = buildNbbo(mergeBookEvents([a, n])).at(45n)
    expect(isMarketable({ side: 'B', price: $(1004) }, nbbo)).toBe(true)
    expect(isMarketable({ side: 'B', price: $(1003) }, nbbo)).toBe(false)
    expect(isMarketable({ side: 'S', price: $(1001) }, nbbo)).toBe(true)
    expect(isMarketable({ side: 'S' }, nbbo)).toBe(true)
    expect(isMarketable({ side: 'B', price: $(2000) }, undefined)).toBe(false)
    expect(distanceFromNbbo({ side: 'B', price: $(1002) }, nbbo)).toEqual({
      fromSameSide: $(1),
      toOppositeSide: $(2),
    })
    expect(distanceFromNbbo({ side: 'S', price: $(1000) }, nbbo)).toEqual({
      fromSameSide: $(4),
      toOppositeSide: -$(1),
    })
  })
})
