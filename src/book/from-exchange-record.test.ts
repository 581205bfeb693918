import { describe, expect, it } from 'vitest'
import { CATALOGUE_V4 } from '../catalogue/index.ts'
import {
  decodeCsvRecord,
  decodeJsonRecord,
  encodeCsvRecord,
  encodeJsonRecord,
  type Values,
} from '../codec/index.ts'
import { executeEvent, orderEvent, statusEvent } from './book-event.ts'
import { fromExchangeRecord, quoteOrderId } from './from-exchange-record.ts'
import { OrderBook } from './order-book.ts'
import { toExchangeValues } from './to-exchange-values.ts'

const ts = { ns: 1_340_285_400_189_607_670n, digits: 9, form: 'string' as const }
const head = { actionType: 'NEW', recordID: 'r1', exchange: 'NSDQ', symbol: 'AMZN', eventTimestamp: ts }

describe('fromExchangeRecord', () => {
  it('turns an EXOA into an add with exact price, sell side SL/SS/SX as S', () => {
    for (const side of ['SL', 'SS', 'SX']) {
      const { events, problem } = fromExchangeRecord(
        'EXOA',
        { ...head, type: 'EXOA', orderID: 'o1', side, price: '223.81', quantity: '300', displayQty: '100' },
        7,
      )
      expect(problem).toBeUndefined()
      expect(events).toEqual([
        orderEvent({
          kind: 'add',
          ns: ts.ns,
          seq: 7,
          venue: 'NSDQ',
          symbol: 'AMZN',
          recordId: 'r1',
          orderId: 'o1',
          side: 'S',
          price: 22_381_000_000n,
          quantity: 300_000_000n,
          displayQty: 100_000_000n,
          leavesQty: 300_000_000n,
        }),
      ])
    }
  })

  it('turns an EXOM with priorOrderID into a replacing modify, and an EXOC into a cancel', () => {
    const [m] = fromExchangeRecord(
      'EXOM',
      {
        ...head,
        orderID: 'o2',
        priorOrderID: 'o1',
        side: 'B',
        price: '10',
        quantity: '50',
        displayQty: '50',
        leavesQty: '40',
      },
      1,
    ).events
    expect(m).toMatchObject({
      kind: 'modify',
      orderId: 'o2',
      priorOrderId: 'o1',
      side: 'B',
      price: 1_000_000_000n,
      leavesQty: 40_000_000n,
    })
    const [c] = fromExchangeRecord(
      'EXOC',
      { ...head, orderID: 'o2', side: 'B', cancelQty: '40', leavesQty: '0' },
      2,
    ).events
    expect(c).toMatchObject({
      kind: 'cancel',
      orderId: 'o2',
      price: undefined,
      quantity: 40_000_000n,
      leavesQty: 0n,
    })
  })

  it('turns an EXOT into an execution naming both orders, and an EXTS into a status', () => {
    const [t] = fromExchangeRecord(
      'EXOT',
      {
        ...head,
        tradeID: 't1',
        price: '223.8',
        quantity: '21',
        buyOrderID: 'b',
        sellOrderID: 's',
        sellLeavesQty: '0',
        aggressorSide: 'B',
        hiddenFlag: true,
      },
      3,
    ).events
    expect(t).toMatchObject({
      kind: 'execute',
      tradeId: 't1',
      price: 22_380_000_000n,
      quantity: 21_000_000n,
      buyOrderId: 'b',
      sellOrderId: 's',
    })
    expect(t).toMatchObject({ buyLeavesQty: undefined, sellLeavesQty: 0n, aggressor: 'B', hidden: true })
    expect(fromExchangeRecord('EXTS', { ...head, tradingStatus: 'H' }, 4).events[0]).toMatchObject({
      kind: 'status',
      status: 'H',
    })
  })

  it('turns an EXQT into one quote event per side, a missing side withdrawing it', () => {
    const { events } = fromExchangeRecord(
      'EXQT',
      { ...head, quoteID: 'q', routingParty: '1:MM', bidPrice: '9.99', bidQty: '500' },
      5,
    )
    expect(
      events.map((e) => [e.kind, (e as { orderId: string }).orderId, (e as { quantity: bigint }).quantity]),
    ).toEqual([
      ['quote', quoteOrderId('1:MM', 'B'), 500_000_000n],
      ['quote', quoteOrderId('1:MM', 'S'), 0n],
    ])
  })

  it('reports, never throws, on records the book cannot use', () => {
    expect(fromExchangeRecord('EXOA', { ...head, orderID: 'o', side: 'B', quantity: '1' }, 0).problem).toBe(
      'displayQty is missing',
    )
    expect(
      fromExchangeRecord('EXOA', { ...head, orderID: 'o', side: 'X', quantity: '1', displayQty: '1' }, 0)
        .problem,
    ).toMatch(/side X/)
    expect(
      fromExchangeRecord('EXOC', { ...head, orderID: 'o', side: 'B', cancelQty: '1e3', leavesQty: '0' }, 0)
        .problem,
    ).toMatch(/cancelQty/)
    expect(fromExchangeRecord('MENO', head, 0).problem).toMatch(/not an exchange event/)
    expect(fromExchangeRecord('EXOR', head, 0).problem).toMatch(/missing/)
  })

  it('takes the shares an exchange routes out (EXOR) off the order', () => {
    const r = fromExchangeRecord(
      'EXOR',
      { ...head, orderID: 'o', side: 'B', price: '10.5', quantity: '300' },
      4,
    )
    expect(r.problem).toBeUndefined()
    expect(r.events).toEqual([
      expect.objectContaining({
        kind: 'cancel',
        orderId: 'o',
        quantity: 300_000_000n,
        leavesQty: undefined,
        seq: 4,
      }),
    ])
    const book = new OrderBook()
    book.apply(
      fromExchangeRecord(
        'EXOA',
        { ...head, orderID: 'o', side: 'B', price: '10.5', quantity: '500', displayQty: '500' },
        3,
      ).events[0],
    )
    book.apply(r.events[0])
    expect(book.depth(1).bids).toEqual([expect.objectContaining({ size: 200_000_000n, orders: 1 })])
  })
})

describe('toExchangeValues', () => {
  const base = { ns: ts.ns, seq: 9, venue: 'NSDQ', symbol: 'AMZN', recordId: 'r9' }
  const events = [
    orderEvent({
      ...base,
      kind: 'add',
      orderId: 'o1',
      side: 'S',
      price: 22_381_000_000n,
      quantity: 300_000_000n,
      displayQty: 100_000_000n,
    }),
    orderEvent({
      ...base,
      kind: 'modify',
      orderId: 'o2',
      priorOrderId: 'o1',
      side: 'B',
      price: 1n,
      quantity: 999_999_999_999_999_999n,
      displayQty: 5_000_000n,
      leavesQty: 5_500_000n,
    }),
    orderEvent({
      ...base,
      kind: 'cancel',
      orderId: 'o2',
      side: 'B',
      price: 1n,
      quantity: 1n,
      leavesQty: 3_000_000n,
    }),
    executeEvent({
      ...base,
      tradeId: 't',
      price: 22_380_000_000n,
      quantity: 21_000_000n,
      sellOrderId: 's',
      sellLeavesQty: 4_000_000n,
      aggressor: 'B',
      hidden: true,
    }),
    statusEvent({ ...base, status: 'Q' }),
  ]

  it('gives values that encode and decode as valid CAT records (JSON and CSV) and convert back to the same event', () => {
    for (const ev of events) {
      const values = toExchangeValues(ev)!
      const spec = CATALOGUE_V4.events.get(values.type as string)!
      for (const decoded of [
        decodeJsonRecord(encodeJsonRecord(CATALOGUE_V4, spec, values), CATALOGUE_V4),
        decodeCsvRecord(encodeCsvRecord(spec, values), CATALOGUE_V4),
      ]) {
        expect(decoded.findings).toEqual([])
        const back = fromExchangeRecord(decoded.type!, decoded.values as Values, ev.seq)
        expect(back.events).toEqual([ev])
      }
    }
  })

  it('writes sells as SL unless told otherwise, and gives nothing for a one-sided quote', () => {
    expect(toExchangeValues(events[0])?.side).toBe('SL')
    expect(toExchangeValues(events[0], { sellSide: 'SS' })?.side).toBe('SS')
    const quote = orderEvent({ ...base, kind: 'quote', orderId: 'q', side: 'B', price: 1n, quantity: 1n })
    expect(toExchangeValues(quote)).toBeUndefined()
  })
})
