/**
 * Linkage scenarios that should come back with each linkage code, for one market of ALDR, BRCH, NSDQ and
 * FINRA: the events a scenario puts in `late` are sent after the date's T+1 deadline (a later processing
 * date), the others before it with doneForDay. Each entry names the codes (own and named) it gives.
 */
import { DATE } from './fixtures.ts'
import { type Ev, imid, type LinkMarket } from './link-market.ts'

/** A scenario giving linkage codes: the codes it names, and the events it adds to the market. */
export interface LinkProducer {
  readonly codes: number[]
  readonly how: string
  readonly build: (m: LinkMarket, late: Set<Ev>, at: string) => void
}

const cancelOf = (
  m: LinkMarket,
  key: Record<string, unknown>,
  at: string,
  extra: Record<string, unknown> = {},
) => m.add('ALDR', 'MEOC', { ...key, eventTimestamp: m.at(at), cancelQty: 100, leavesQty: 0, ...extra })

/** A route to BRCH and an accept that differs from it as `accept` says (null: no accept). */
const firmRoute =
  (id: string, accept: Record<string, unknown> | null) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const o = m.newOrder('ALDR', { orderID: `F${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'BRCH', routedOrderID: `RF${id}`, at: `${at}.010` })
    if (accept) m.accept(r, { orderID: `BF${id}`, at: `${at}.012`, record: accept, noLink: true })
  }

/** A route to NSDQ and the exchange's order that differs from it as `accept` says (null: none). */
const exchangeRoute =
  (id: string, accept: Record<string, unknown> | null) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const o = m.newOrder('ALDR', { orderID: `X${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'NSDQ', routedOrderID: `RX${id}`, session: 'S1', at: `${at}.010` })
    if (accept) m.exchangeAccept(r, { orderID: `NX${id}`, at: `${at}.011`, record: accept, noLink: true })
  }

/** A trade of ALDR and FINRA's report of it, differing as `report` says. */
const tradeReported =
  (id: string, report: Record<string, unknown>) => (m: LinkMarket, _late: Set<Ev>, at: string) => {
    const b = m.newOrder('ALDR', { orderID: `T${id}b`, at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: `T${id}s`, at: `${at}.000`, side: 'SL' })
    const tr = m.trade(b, s, { at: `${at}.100`, reported: false })
    m.tradeReport(tr, { record: report, link: false })
  }

/** A fulfillment of a client order by a representative order, with its key. */
function fulfillment(m: LinkMarket, id: string, at: string) {
  const client = m.newOrder('ALDR', { orderID: `${id}c`, at: `${at}.000` })
  const rep = m.newOrder('ALDR', { orderID: `${id}r`, at: `${at}.000` })
  return {
    fillKeyDate: m.at(`${at}.100`),
    fulfillmentID: `FF${id}`,
    eventTimestamp: m.at(`${at}.100`),
    clientDetails: [{ orderKeyDate: client.key!.orderKeyDate, orderID: `${id}c`, side: 'B' }],
    firmDetails: [{ orderKeyDate: rep.key!.orderKeyDate, orderID: `${id}r`, side: 'B' }],
  }
}

/** An exchange's quote, with its key. */
const quote = (m: LinkMarket, id: string, at: string) => ({
  quoteID: `Q${id}`,
  symbol: 'XYZ',
  eventTimestamp: m.at(`${at}.000`),
  routingParty: imid('ALDR'),
  bidPrice: 10,
  bidQty: 100,
  askPrice: 10.02,
  askQty: 100,
})

/** A manual order and an electronic duplicate of it. */
function electronicDuplicate(m: LinkMarket, id: string, at: string): Ev {
  const manual = { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: `M${id}`, electronicDupFlag: true }
  m.newOrder('ALDR', { orderID: `M${id}`, at: `${at}.000` })
  return m.newOrder('ALDR', { orderID: `E${id}a`, at: `${at}.100`, record: manual })
}

export const LINKAGE: LinkProducer[] = [
  {
    codes: [399],
    how: 'an identical cancel sent twice',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D1', at: `${at}.000` })
      const c = m.cancel(o, { at: `${at}.500` })
      m.add('ALDR', 'MEOC', { ...c.record, firmROEID: undefined })
    },
  },
  {
    codes: [3002],
    how: 'a firmROEID used by two records the same day',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D2', at: `${at}.000` })
      cancelOf(m, o.key!, `${at}.400`, { firmROEID: o.firmROEID })
    },
  },
  {
    codes: [3003],
    how: 'a firmROEID of the evening used again after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'P2', at: `${at}.000` })
      late.add(cancelOf(m, o.key!, `${at}.400`, { firmROEID: o.firmROEID }))
    },
  },
  {
    codes: [3004, 3501],
    how: 'an order key established twice (its cancel then finds no order)',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000` })
      m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000`, quantity: 700 })
      m.cancel(o, { at: `${at}.500` })
    },
  },
  {
    codes: [3007],
    how: 'an order key of the evening established again after the deadline',
    build: (m, late, at) => {
      m.newOrder('ALDR', { orderID: 'P3', at: `${at}.000` })
      late.add(m.newOrder('ALDR', { orderID: 'P3', at: `${at}.000`, quantity: 700 }))
    },
  },
  {
    codes: [3008, 9003, 9004],
    how: 'a route linkage key used twice (the accept then finds no route)',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D4', at: `${at}.000` })
      const r1 = m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.010` })
      m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.020` })
      m.accept(r1, { orderID: 'BD4', at: `${at}.030`, noLink: true })
    },
  },
  {
    codes: [3009],
    how: 'a route linkage key of the evening used again after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'P4', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RP4', at: `${at}.010` })
      m.accept(r, { orderID: 'BP4', at: `${at}.012` })
      late.add(
        m.add('ALDR', 'MEOR', { ...r.record, firmROEID: undefined, eventTimestamp: m.at(`${at}.500`) }),
      )
    },
  },
  {
    codes: [3010],
    how: 'a trade key twice',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D5b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'D5s', at: `${at}.000`, side: 'SL' })
      const t = m.trade(b, s, { at: `${at}.100`, reported: false })
      m.add('ALDR', 'MEOT', { ...t.record, firmROEID: undefined, quantity: 200 })
    },
  },
  {
    codes: [3011],
    how: 'a trade key of the evening used again after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'P5b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'P5s', at: `${at}.000`, side: 'SL' })
      const t = m.trade(b, s, { at: `${at}.100` })
      late.add(m.add('ALDR', 'MEOT', { ...t.record, firmROEID: undefined, quantity: 200 }))
    },
  },
  {
    codes: [3012],
    how: 'a fulfillment key twice',
    build: (m, _late, at) => {
      const fill = fulfillment(m, 'D6', at)
      m.add('ALDR', 'MEOF', fill)
      m.add('ALDR', 'MEOF', { ...fill, quantity: 300 })
    },
  },
  {
    codes: [3015],
    how: 'a fulfillment key of the evening used again after the deadline',
    build: (m, late, at) => {
      const fill = fulfillment(m, 'P6', at)
      m.add('ALDR', 'MEOF', fill)
      late.add(m.add('ALDR', 'MEOF', { ...fill, quantity: 300 }))
    },
  },
  {
    codes: [3016],
    how: "an exchange's quote key twice",
    build: (m, _late, at) => {
      const q = quote(m, 'D7', at)
      m.add('NSDQ', 'EXQT', q)
      m.add('NSDQ', 'EXQT', { ...q, eventTimestamp: m.at(`${at}.100`) })
    },
  },
  {
    codes: [3017],
    how: "an exchange's quote key of the evening used again after the deadline",
    build: (m, late, at) => {
      const q = quote(m, 'P7', at)
      m.add('NSDQ', 'EXQT', q)
      late.add(m.add('NSDQ', 'EXQT', { ...q, eventTimestamp: m.at(`${at}.100`) }))
    },
  },
  {
    codes: [3018],
    how: 'two electronic duplicates of one manual order',
    build: (m, _late, at) => {
      const e = electronicDuplicate(m, 'D8', at)
      m.add('ALDR', 'MENO', {
        ...e.record,
        firmROEID: undefined,
        orderID: 'ED8b',
        eventTimestamp: m.at(`${at}.200`),
      })
    },
  },
  {
    codes: [3019],
    how: 'an electronic duplicate of a manual order the evening had one of, sent after the deadline',
    build: (m, late, at) => {
      const e = electronicDuplicate(m, 'P8', at)
      late.add(
        m.add('ALDR', 'MENO', {
          ...e.record,
          firmROEID: undefined,
          orderID: 'EP8b',
          eventTimestamp: m.at(`${at}.200`),
        }),
      )
    },
  },
  {
    codes: [3502],
    how: 'a trade naming an order that was never reported',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D10', at: `${at}.000` })
      const ghost = { ...b, key: { ...b.key!, orderID: 'GHOST10' } } as Ev
      m.trade(b, ghost, { at: `${at}.100` })
    },
  },
  {
    codes: [3503],
    how: 'a fulfillment naming a client order that was never reported',
    build: (m, _late, at) => {
      const fill = fulfillment(m, 'D11', at)
      m.add('ALDR', 'MEOF', { ...fill, clientDetails: [{ ...fill.clientDetails[0], orderID: 'GHOST11' }] })
    },
  },
  {
    codes: [3504],
    how: 'a representative order aggregating a client order that was never reported',
    build: (m, _late, at) => {
      const client = m.newOrder('ALDR', { orderID: 'D12c', at: `${at}.000` })
      m.newOrder('ALDR', {
        orderID: 'D12r',
        at: `${at}.100`,
        record: {
          representativeInd: 'Y',
          aggregatedOrders: [
            { orderID: 'D12c', orderKeyDate: client.key!.orderKeyDate },
            { orderID: 'GHOST12', orderKeyDate: client.key!.orderKeyDate },
          ],
        },
      })
    },
  },
  {
    codes: [3505],
    how: 'an electronic duplicate of a manual order that was never reported',
    build: (m, _late, at) => {
      m.newOrder('ALDR', {
        orderID: 'D13',
        at: `${at}.100`,
        record: { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: 'GHOST13', electronicDupFlag: true },
      })
    },
  },
  {
    codes: [3601],
    how: 'a cancel 100 ms before its order',
    build: (m, _late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'D14', at: `${at}.500` })
      m.cancel(o, { at: `${at}.400` })
    },
  },
  {
    codes: [3602],
    how: 'a trade supplement whose eventTimestamp differs from its trade',
    build: (m, _late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'D15b', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'D15s', at: `${at}.000`, side: 'SL' })
      const tr = m.trade(b, s, { at: `${at}.100` })
      const s2 = m.newOrder('ALDR', { orderID: 'D15s2', at: `${at}.000`, side: 'SL' })
      m.add('ALDR', 'MEOTS', {
        manualFlag: undefined,
        tradeKeyDate: tr.record.tradeKeyDate,
        tradeID: tr.record.tradeID,
        symbol: 'XYZ',
        eventTimestamp: m.at(`${at}.300`),
        sellDetails: [{ orderKeyDate: s2.key!.orderKeyDate, orderID: 'D15s2', side: 'SL', quantity: 100 }],
      })
    },
  },
  {
    codes: [4003, 5004],
    how: 'a trade report with another tapeTradeID',
    build: tradeReported('1', { tapeTradeID: 'NOSUCH' }),
  },
  {
    codes: [4005, 5006],
    how: 'a trade report at another time',
    build: tradeReported('2', { eventTimestamp: `${DATE}T150000.000` }),
  },
  {
    codes: [4007, 5008],
    how: 'a trade report in another symbol',
    build: tradeReported('3', { symbol: 'ABC' }),
  },
  {
    codes: [4009, 5010],
    how: 'a trade report of another firm',
    build: tradeReported('4', { rptngExctgMPID: 'BRCH' }),
  },
  { codes: [6003], how: 'a route to an exchange that has no order for it', build: exchangeRoute('1', null) },
  {
    codes: [6005, 7006],
    how: 'an exchange order naming another routingParty',
    build: exchangeRoute('2', { routingParty: imid('BRCH') }),
  },
  {
    codes: [6007, 7008],
    how: 'an exchange order in another symbol',
    build: exchangeRoute('3', { symbol: 'ABC' }),
  },
  {
    codes: [6009, 7010],
    how: 'an exchange order in another session',
    build: exchangeRoute('4', { session: 'S9' }),
  },
  {
    codes: [6011, 7012],
    how: 'an exchange order differing in several fields',
    build: exchangeRoute('5', { session: 'S9', symbol: 'ABC' }),
  },
  {
    codes: [7004],
    how: 'an exchange order naming a member that reported no route',
    build: (m, _late, at) => {
      m.add('NSDQ', 'EXOA', {
        orderID: 'NX-ORPHAN',
        symbol: 'XYZ',
        eventTimestamp: m.at(`${at}.000`),
        routingParty: imid('ALDR'),
        routedOrderID: 'RX-ORPHAN',
        session: 'S1',
      })
    },
  },
  { codes: [8003, 8004], how: 'a route to a firm that reported no accept', build: firmRoute('1', null) },
  {
    codes: [8005, 8006, 9005, 9006],
    how: 'an accept with another senderIMID',
    build: firmRoute('2', { senderIMID: imid('BRCX') }),
  },
  {
    codes: [8007, 8008, 9007, 9008],
    how: 'an accept with another receiverIMID',
    build: firmRoute('3', { receiverIMID: imid('BRCX') }),
  },
  {
    codes: [8009, 8010, 9009, 9010],
    how: 'an accept in another symbol',
    build: firmRoute('4', { symbol: 'ABC' }),
  },
  {
    codes: [8011, 8012, 9011, 9012],
    how: 'an accept differing in several fields',
    build: firmRoute('5', { symbol: 'ABC', senderIMID: imid('BRCX') }),
  },
  {
    codes: [893, 892, 899, 898],
    how: 'an accept on time whose route, in another symbol, came after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'W1', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RW1', at: `${at}.010` })
      m.accept(r, { orderID: 'BW1', at: `${at}.012`, record: { symbol: 'ABC' }, noLink: true })
      late.add(r)
    },
  },
  {
    codes: [895, 894, 897, 896],
    how: 'a route on time whose accept, in another symbol, came after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'E1', at: `${at}.000` })
      const r = m.route(o, { to: 'BRCH', routedOrderID: 'RE1', at: `${at}.010` })
      late.add(m.accept(r, { orderID: 'BE1', at: `${at}.012`, record: { symbol: 'ABC' }, noLink: true }))
    },
  },
  {
    codes: [397],
    how: 'a cancel of an order nobody reported, after the deadline',
    build: (m, late, at) => {
      late.add(cancelOf(m, { orderKeyDate: m.at(`${at}.000`), orderID: 'NEVER', symbol: 'XYZ' }, `${at}.300`))
    },
  },
  {
    codes: [499],
    how: 'a trade without report, after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'LTb', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'LTs', at: `${at}.000`, side: 'SL' })
      late.add(m.trade(b, s, { at: `${at}.100`, reported: false }))
    },
  },
  {
    codes: [498],
    how: 'a trade report without trade, after the deadline',
    build: (m, late, at) => {
      const b = m.newOrder('ALDR', { orderID: 'LRb', at: `${at}.000` })
      const s = m.newOrder('ALDR', { orderID: 'LRs', at: `${at}.000`, side: 'SL' })
      const tr = m.trade(b, s, { at: `${at}.100`, reported: false })
      m.events.splice(m.events.indexOf(tr), 1)
      late.add(m.tradeReport(tr, { link: false }))
    },
  },
  {
    codes: [799, 798],
    how: 'a route to an exchange without its order, and an exchange order without route, after the deadline',
    build: (m, late, at) => {
      const o = m.newOrder('ALDR', { orderID: 'LX1', at: `${at}.000` })
      late.add(m.route(o, { to: 'NSDQ', routedOrderID: 'RLX1', session: 'S1', at: `${at}.010` }))
      late.add(
        m.add('NSDQ', 'EXOA', {
          orderID: 'NLX2',
          symbol: 'XYZ',
          eventTimestamp: m.at(`${at}.500`),
          routingParty: imid('ALDR'),
          routedOrderID: 'RLX2',
          session: 'S1',
        }),
      )
    },
  },
]
