/**
 * Hand-written scenarios from the IM spec's routing table (§4.2) and one scenario for every linkage code
 * OpenCAT emits, each asserting the exact links, lifecycles and the codes both parties receive.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectedLifecycles,
  expectedLinks,
  finding,
  foundFindings,
  foundLifecycles,
  foundLinks,
  type Linked,
  linkMarket,
  readErrorLines,
} from '../support/link-harness.ts'
import { type Ev, imid, LinkMarket, tag } from '../support/link-market.ts'

const DATE = 20260302

describe('the routing table of IM spec §4.2', () => {
  const m = new LinkMarket()
  // A routes to B.
  const aOrder = m.newOrder('ALDR', { orderID: 'A1', at: '093000.000' })
  const aRoute = m.route(aOrder, { to: 'BRCH', routedOrderID: 'RA1', at: '093000.010' })
  const bAccept = m.accept(aRoute, { orderID: 'B1', at: '093000.012' })
  // B rejects A's route: A reports the route with routeRejectedFlag, B nothing.
  const rOrder = m.newOrder('ALDR', { orderID: 'A2', at: '093100.000' })
  m.route(rOrder, { to: 'BRCH', routedOrderID: 'RA2', at: '093100.010', rejected: true })
  // The customer modifies an order already routed to B: A reports MEOM and a new MEOR, B its MEOM.
  const mOrder = m.newOrder('ALDR', { orderID: 'A3', at: '093200.000' })
  const mRoute = m.route(mOrder, { to: 'BRCH', routedOrderID: 'RA3', at: '093200.010' })
  const mAccept = m.accept(mRoute, { orderID: 'B3', at: '093200.012' })
  const aModify = m.modify(mOrder, { newOrderID: 'A3b', at: '093300.000', price: 10.05 })
  const mRoute2 = m.route(aModify, { to: 'BRCH', routedOrderID: 'RA3b', at: '093300.010' })
  m.modify(mAccept, { newOrderID: 'B3b', at: '093300.012', price: 10.05, from: mRoute2 })
  // The customer cancels and A tells B: both report MEOC.
  const cOrder = m.newOrder('ALDR', { orderID: 'A4', at: '093400.000' })
  const cRoute = m.route(cOrder, { to: 'BRCH', routedOrderID: 'RA4', at: '093400.010' })
  const cAccept = m.accept(cRoute, { orderID: 'B4', at: '093400.012' })
  m.cancel(cOrder, { at: '093500.000' })
  m.cancel(cAccept, { at: '093500.002' })
  // B cancels on its own: only B reports.
  const oOrder = m.newOrder('ALDR', { orderID: 'A5', at: '093600.000' })
  const oRoute = m.route(oOrder, { to: 'BRCH', routedOrderID: 'RA5', at: '093600.010' })
  const oAccept = m.accept(oRoute, { orderID: 'B5', at: '093600.012' })
  m.cancel(oAccept, { at: '093700.000' })
  // A routes to an exchange with a session; the order trades against another member's and the rest is
  // cancelled.
  const xOrder = m.newOrder('ALDR', { orderID: 'A6', at: '093800.000' })
  const xRoute = m.route(xOrder, { to: 'NSDQ', routedOrderID: 'RA6', session: 'S1', at: '093800.010' })
  const xAccept = m.exchangeAccept(xRoute, { orderID: 'N6', at: '093800.011' })
  const sOrder = m.newOrder('BRCH', { orderID: 'S6', at: '093800.100', side: 'SL' })
  const sRoute = m.route(sOrder, { to: 'NSDQ', routedOrderID: 'RB6', session: 'S2', at: '093800.110' })
  const sAccept = m.exchangeAccept(sRoute, { orderID: 'N7', at: '093800.111' })
  m.execute(xAccept, sAccept, { at: '093800.111' })
  m.exchangeCancel(xAccept, { at: '093900.000' })
  // The exchange routes an order out through its routing broker, which sends it on to another venue.
  const eOrder = m.newOrder('ALDR', { orderID: 'A8', at: '094000.000' })
  const eRoute = m.route(eOrder, { to: 'NSDQ', routedOrderID: 'RA8', session: 'S1', at: '094000.010' })
  const eAccept = m.exchangeAccept(eRoute, { orderID: 'N8', at: '094000.011' })
  const eOut = m.exchangeRoute(eAccept, { to: 'BRCH', routedOrderID: 'NSDQR8', at: '094000.012' })
  const broker = m.acceptFromExchange(eOut, { orderID: 'B8', at: '094000.013' })
  const bRoute = m.route(broker, { to: 'NSDQ', routedOrderID: 'RB8', session: 'S2', at: '094000.020' })
  m.exchangeAccept(bRoute, { orderID: 'N9', at: '094000.021' })

  let linked: Linked
  beforeAll(async () => {
    linked = await linkMarket(m)
  }, 60_000)
  afterAll(() => linked?.repo.close())

  it('takes in every record of the scenarios', () => {
    expect(linked.summary.events).toBe(m.events.length)
  })

  it('finds exactly the links of the edge rule', async () => {
    expect(await foundLinks(linked.repo, DATE)).toEqual(expectedLinks(m))
  })

  it('groups the events into exactly the expected lifecycles', async () => {
    expect(await foundLifecycles(linked.repo, DATE)).toEqual(expectedLifecycles(m))
    const lifecycles = await foundLifecycles(linked.repo, DATE)
    // A routed order and its accept share one lifecycle; the execution belongs to both sides'.
    const of = (e: Ev) => lifecycles.filter((l) => l.includes(tag(e)))
    expect(of(bAccept)[0]).toContain(tag(aOrder))
    expect(of(broker)[0]).toContain(tag(eOrder))
    const exot = m.events.find((e) => e.type === 'EXOT')!
    expect(of(exot)).toHaveLength(2)
  })

  it('expects no accept for a rejected route and reports nothing at all', async () => {
    expect(await foundFindings(linked.repo, DATE)).toEqual([])
    expect(linked.summary.byType.Interfirm.linked).toBe(5)
    expect(linked.summary.byType.Exchange.linked).toBe(5)
  })
})

/** A scenario for one code: its events and the findings both parties must get. */
interface CodeCase {
  readonly name: string
  readonly expect: string[]
}

describe('every linkage code, with what each party receives', () => {
  const m = new LinkMarket()
  const cases: CodeCase[] = []
  const t = (n: number) =>
    `10${String(Math.floor(n / 60)).padStart(2, '0')}${String(n % 60).padStart(2, '0')}`
  let n = 0
  const slot = () => t(n++)

  {
    const at = slot()
    const o = m.newOrder('ALDR', { orderID: 'D1', at: `${at}.000` })
    const c1 = m.cancel(o, { at: `${at}.500` })
    const c2 = m.add('ALDR', 'MEOC', { ...c1.record, firmROEID: undefined })
    m.links.pop()
    cases.push({ name: '399 full duplicate', expect: [finding('ALDR', 399, c2)] })
  }
  {
    const at = slot()
    const o = m.newOrder('ALDR', { orderID: 'D2', at: `${at}.000` })
    const again = m.add('ALDR', 'MEOC', {
      ...o.key,
      eventTimestamp: m.at(`${at}.400`),
      cancelQty: 100,
      leavesQty: 400,
      firmROEID: o.firmROEID,
    })
    cases.push({ name: '3002 firmROEID reused the same day', expect: [finding('ALDR', 3002, again)] })
  }
  {
    const at = slot()
    const o1 = m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000` })
    const o2 = m.newOrder('ALDR', { orderID: 'D3', at: `${at}.000`, quantity: 700 })
    const c = m.cancel(o1, { at: `${at}.500` })
    m.links.pop()
    cases.push({
      name: '3004 order key established twice (both rejected; the cancel then finds no order: 3501)',
      expect: [finding('ALDR', 3004, o1), finding('ALDR', 3004, o2), finding('ALDR', 3501, c)],
    })
  }
  {
    const at = slot()
    const o = m.newOrder('ALDR', { orderID: 'D4', at: `${at}.000` })
    const r1 = m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.010` })
    const r2 = m.route(o, { to: 'BRCH', routedOrderID: 'RD4', at: `${at}.020` })
    m.links.pop()
    m.links.pop()
    const a = m.accept(r1, { orderID: 'BD4', at: `${at}.030`, noLink: true })
    cases.push({
      name: '3008 route linkage key used twice (both routes rejected; the accept finds none: 9003/9004)',
      expect: [
        finding('ALDR', 3008, r1),
        finding('ALDR', 3008, r2),
        finding('BRCH', 9003, a),
        finding('ALDR', 9004, a, true),
      ],
    })
  }
  {
    const at = slot()
    const b = m.newOrder('ALDR', { orderID: 'D5b', at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: 'D5s', at: `${at}.000`, side: 'SL' })
    const t1 = m.trade(b, s, { at: `${at}.100`, reported: false })
    const t2 = m.add('ALDR', 'MEOT', { ...t1.record, firmROEID: undefined, quantity: 200 })
    m.links.splice(-2, 2)
    cases.push({
      name: '3010 trade key twice',
      expect: [finding('ALDR', 3010, t1), finding('ALDR', 3010, t2)],
    })
  }
  {
    const at = slot()
    const client = m.newOrder('ALDR', { orderID: 'D6c', at: `${at}.000` })
    const rep = m.newOrder('ALDR', { orderID: 'D6r', at: `${at}.000` })
    const fill = {
      fillKeyDate: m.at(`${at}.100`),
      fulfillmentID: 'FD6',
      eventTimestamp: m.at(`${at}.100`),
      clientDetails: [{ orderKeyDate: client.key!.orderKeyDate, orderID: 'D6c', side: 'B' }],
      firmDetails: [{ orderKeyDate: rep.key!.orderKeyDate, orderID: 'D6r', side: 'B' }],
    }
    const f1 = m.add('ALDR', 'MEOF', fill)
    const f2 = m.add('ALDR', 'MEOF', { ...fill, quantity: 300 })
    cases.push({
      name: '3012 fulfillment key twice',
      expect: [finding('ALDR', 3012, f1), finding('ALDR', 3012, f2)],
    })
  }
  {
    const at = slot()
    const quote = {
      quoteID: 'QD7',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${at}.000`),
      routingParty: imid('ALDR'),
      bidPrice: 10,
      bidQty: 100,
      askPrice: 10.02,
      askQty: 100,
    }
    const q1 = m.add('NSDQ', 'EXQT', quote)
    const q2 = m.add('NSDQ', 'EXQT', { ...quote, eventTimestamp: m.at(`${at}.100`) })
    cases.push({
      name: '3016 quote key twice',
      expect: [finding('NSDQ', 3016, q1), finding('NSDQ', 3016, q2)],
    })
  }
  {
    const at = slot()
    const manual = { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: 'MD8', electronicDupFlag: true }
    m.newOrder('ALDR', { orderID: 'MD8', at: `${at}.000` })
    const e1 = m.newOrder('ALDR', { orderID: 'D8a', at: `${at}.100`, record: manual })
    const e2 = m.newOrder('ALDR', { orderID: 'D8b', at: `${at}.200`, record: manual })
    cases.push({
      name: '3018 manual order key twice',
      expect: [finding('ALDR', 3018, e1), finding('ALDR', 3018, e2)],
    })
  }
  {
    const at = slot()
    const c = m.add('ALDR', 'MEOC', {
      orderKeyDate: m.at(`${at}.000`),
      orderID: 'NOSUCH9',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${at}.500`),
      cancelQty: 100,
      leavesQty: 0,
    })
    cases.push({ name: '3501 secondary event key not found', expect: [finding('ALDR', 3501, c)] })
  }
  {
    const at = slot()
    const b = m.newOrder('ALDR', { orderID: 'D10', at: `${at}.000` })
    const ghost = { ...b, key: { ...b.key!, orderID: 'GHOST10' } } as Ev
    const tr = m.trade(b, ghost, { at: `${at}.100` })
    m.links.splice(
      m.links.findIndex((l) => l.from === ghost),
      1,
    )
    cases.push({ name: '3502 trade side order not found', expect: [finding('ALDR', 3502, tr)] })
  }
  {
    const at = slot()
    const rep = m.newOrder('ALDR', { orderID: 'D11r', at: `${at}.000` })
    const f = m.add('ALDR', 'MEOF', {
      fillKeyDate: m.at(`${at}.100`),
      fulfillmentID: 'FD11',
      eventTimestamp: m.at(`${at}.100`),
      clientDetails: [{ orderKeyDate: m.at(`${at}.000`), orderID: 'GHOST11', side: 'B' }],
      firmDetails: [{ orderKeyDate: rep.key!.orderKeyDate, orderID: 'D11r', side: 'B' }],
    })
    m.link(rep, f, 'fill')
    cases.push({ name: '3503 fulfillment side order not found', expect: [finding('ALDR', 3503, f)] })
  }
  {
    const at = slot()
    const client = m.newOrder('ALDR', { orderID: 'D12c', at: `${at}.000` })
    const rep = m.newOrder('ALDR', {
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
    cases.push({ name: '3504 aggregated client order not found', expect: [finding('ALDR', 3504, rep)] })
  }
  {
    const at = slot()
    const e = m.newOrder('ALDR', {
      orderID: 'D13',
      at: `${at}.100`,
      record: { manualOrderKeyDate: m.at(`${at}.000`), manualOrderID: 'GHOST13', electronicDupFlag: true },
    })
    cases.push({ name: '3505 manual order not found', expect: [finding('ALDR', 3505, e)] })
  }
  {
    const at = slot()
    const o = m.newOrder('ALDR', { orderID: 'D14', at: `${at}.500` })
    const c = m.cancel(o, { at: `${at}.400` })
    const o2 = m.newOrder('ALDR', { orderID: 'D14m', at: `${at}.500` })
    m.cancel(o2, { at: `${at}.460` })
    cases.push({
      name: '3601 out of sequence beyond 50 ms (40 ms earlier is within the allowance)',
      expect: [finding('ALDR', 3601, c)],
    })
  }
  {
    const at = slot()
    const b = m.newOrder('ALDR', { orderID: 'D15b', at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: 'D15s', at: `${at}.000`, side: 'SL' })
    const tr = m.trade(b, s, { at: `${at}.100` })
    const s2 = m.newOrder('ALDR', { orderID: 'D15s2', at: `${at}.000`, side: 'SL' })
    const sup = m.add('ALDR', 'MEOTS', {
      manualFlag: undefined,
      tradeKeyDate: tr.record.tradeKeyDate,
      tradeID: tr.record.tradeID,
      symbol: 'XYZ',
      eventTimestamp: m.at(`${at}.300`),
      sellDetails: [{ orderKeyDate: s2.key!.orderKeyDate, orderID: 'D15s2', side: 'SL', quantity: 100 }],
    })
    m.link(tr, sup, 'supplement')
    m.link(s2, sup, 'execution')
    cases.push({
      name: '3602 supplement timestamp differs from its trade',
      expect: [finding('ALDR', 3602, sup)],
    })
  }

  // Firm to exchange: every unlinked record's reporter gets 60xx; 70xx is "named on an exchange order", so
  // it goes to the member the exchange's record names as routingParty, never to the exchange.
  const toExchange = (
    id: string,
    at: string,
    accept: Record<string, unknown> | null,
    expectFn: (r: Ev, a?: Ev) => string[],
  ) => {
    const o = m.newOrder('ALDR', { orderID: `X${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'NSDQ', routedOrderID: `RX${id}`, session: 'S1', at: `${at}.010` })
    const a = accept
      ? m.exchangeAccept(r, { orderID: `NX${id}`, at: `${at}.011`, record: accept, noLink: true })
      : undefined
    return expectFn(r, a)
  }
  cases.push({
    name: '6003 no exchange order for the route (no named code to an exchange)',
    expect: toExchange('16', slot(), null, (r) => [finding('ALDR', 6003, r)]),
  })
  cases.push({
    name: '6005/7006 routingParty differs from senderIMID: 7006 to the member the exchange order names',
    expect: toExchange('17', slot(), { routingParty: imid('BRCH') }, (r, a) => [
      finding('ALDR', 6005, r),
      finding('NSDQ', 6005, a!),
      finding('BRCH', 7006, a!, true),
    ]),
  })
  cases.push({
    name: '6007/7008 symbol differs',
    expect: toExchange('18', slot(), { symbol: 'ABC' }, (r, a) => [
      finding('ALDR', 6007, r),
      finding('NSDQ', 6007, a!),
      finding('ALDR', 7008, a!, true),
    ]),
  })
  cases.push({
    name: '6009/7010 session differs',
    expect: toExchange('19', slot(), { session: 'S9' }, (r, a) => [
      finding('ALDR', 6009, r),
      finding('NSDQ', 6009, a!),
      finding('ALDR', 7010, a!, true),
    ]),
  })
  cases.push({
    name: '6011/7012 several fields differ',
    expect: toExchange('20', slot(), { session: 'S9', symbol: 'ABC' }, (r, a) => [
      finding('ALDR', 6011, r),
      finding('NSDQ', 6011, a!),
      finding('ALDR', 7012, a!, true),
    ]),
  })
  {
    const at = slot()
    const x = m.add('NSDQ', 'EXOA', {
      orderID: 'NX21',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${at}.000`),
      routingParty: imid('ALDR'),
      routedOrderID: 'RX21',
      session: 'S1',
    })
    cases.push({
      name: '6003/7004 exchange order names a firm that reported no route: the firm gets the named 7004',
      expect: [finding('NSDQ', 6003, x), finding('ALDR', 7004, x, true)],
    })
  }
  {
    const at = slot()
    const o = m.newOrder('ALDR', { orderID: 'X22', at: `${at}.000` })
    const r = m.route(o, { to: 'NSDQ', routedOrderID: 'RX22', session: 'S1', at: `${at}.010` })
    const x = m.exchangeAccept(r, { orderID: 'NX22', at: `${at}.011` })
    const out = m.exchangeRoute(x, { to: 'BRCH', routedOrderID: 'NSDQR22', at: `${at}.012` })
    const orphan = m.add('BRCH', 'MEOA', {
      orderKeyDate: m.at(`${at}.020`),
      orderID: 'BX23',
      symbol: 'XYZ',
      eventTimestamp: m.at(`${at}.020`),
      receiverIMID: imid('BRCH'),
      senderIMID: 'NSDQ',
      senderType: 'E',
      routedOrderID: 'NSDQR23',
    })
    cases.push({
      name: '6003/7004 exchange route out not accepted; 6003 firm accept from an exchange with no route',
      expect: [finding('NSDQ', 6003, out), finding('BRCH', 7004, out, true), finding('BRCH', 6003, orphan)],
    })
  }

  // Firm to firm: the sender's codes 80xx, the receiver's 90xx, each with its named code to the member the
  // record names (the route's destination, the accept's senderIMID).
  const toFirm = (
    id: string,
    at: string,
    accept: Record<string, unknown> | null,
    codes: [number, number] | null,
  ) => {
    const o = m.newOrder('ALDR', { orderID: `F${id}`, at: `${at}.000` })
    const r = m.route(o, { to: 'BRCH', routedOrderID: `RF${id}`, at: `${at}.010` })
    if (!accept) return [finding('ALDR', 8003, r), finding('BRCH', 8004, r, true)]
    const a = m.accept(r, { orderID: `BF${id}`, at: `${at}.012`, record: accept, noLink: true })
    const [s, q] = codes!
    const namedByAccept = String(accept.senderIMID ?? imid('ALDR')).split(':')[1]
    return [
      finding('ALDR', s, r),
      finding('BRCH', s + 1, r, true),
      finding('BRCH', q, a),
      finding(namedByAccept, q + 1, a, true),
    ]
  }
  cases.push({ name: '8003/8004 no accept', expect: toFirm('24', slot(), null, null) })
  cases.push({
    name: '8005/8006 and 9005/9006 senderIMID differs',
    expect: toFirm('25', slot(), { senderIMID: imid('BRCX') }, [8005, 9005]),
  })
  cases.push({
    name: '8007/8008 and 9007/9008 destination differs from receiverIMID',
    expect: toFirm('26', slot(), { receiverIMID: imid('BRCX') }, [8007, 9007]),
  })
  cases.push({
    name: '8009/8010 and 9009/9010 symbol differs',
    expect: toFirm('27', slot(), { symbol: 'ABC' }, [8009, 9009]),
  })
  cases.push({
    name: '8011/8012 and 9011/9012 several fields differ',
    expect: toFirm('28', slot(), { symbol: 'ABC', senderIMID: imid('BRCX') }, [8011, 9011]),
  })
  {
    const at = slot()
    const o = m.newOrder('BRCH', { orderID: 'F29', at: `${at}.000` })
    const r = m.route(o, { to: 'ALDR', routedOrderID: 'RF29', at: `${at}.010` })
    const a = m.accept(r, {
      orderID: 'AF29',
      at: `${at}.012`,
      record: { routedOrderID: 'RF29X' },
      noLink: true,
    })
    cases.push({
      name: '9003/9004 no route with the accept’s routedOrderID (and 8003/8004 for the route)',
      expect: [
        finding('BRCH', 8003, r),
        finding('ALDR', 8004, r, true),
        finding('ALDR', 9003, a),
        finding('BRCH', 9004, a, true),
      ],
    })
  }

  // Trade reports: a MEOT against FINRA's report of the same trade (TRF linkage key).
  const reported = (id: string, at: string, report: Record<string, unknown> | null, meot = {}) => {
    const b = m.newOrder('ALDR', { orderID: `T${id}b`, at: `${at}.000` })
    const s = m.newOrder('ALDR', { orderID: `T${id}s`, at: `${at}.000`, side: 'SL' })
    const tr = m.trade(b, s, { at: `${at}.100`, reported: false, record: meot })
    const rp = report === null ? undefined : m.tradeReport(tr, { record: report, link: false })
    return { tr, rp }
  }
  {
    const { tr, rp } = reported('40', slot(), { tapeTradeID: 'TRF40' }, { tapeTradeID: 'TRF40X' })
    cases.push({
      name: '4003/5004 the MEOT’s tapeTradeID names no report',
      expect: [finding('ALDR', 4003, tr), finding('ALDR', 5004, rp!, true)],
    })
  }
  {
    const at = slot()
    const { tr, rp } = reported('41', at, { eventTimestamp: m.at(`${at}.900`) })
    cases.push({
      name: '4005/5006 execution time differs',
      expect: [finding('ALDR', 4005, tr), finding('ALDR', 5006, rp!, true)],
    })
  }
  {
    const { tr, rp } = reported('42', slot(), { symbol: 'ABC' })
    cases.push({
      name: '4007/5008 symbol differs',
      expect: [finding('ALDR', 4007, tr), finding('ALDR', 5008, rp!, true)],
    })
  }
  const otherFirm = reported('43', slot(), { rptngExctgMPID: 'BRCH' })
  {
    const { tr, rp } = otherFirm
    cases.push({
      name: '4009/5010 the report names another firm (to the firm it names)',
      expect: [finding('ALDR', 4009, tr), finding('BRCH', 5010, rp!, true)],
    })
  }
  {
    const at = slot()
    const { tr, rp } = reported('44', at, { symbol: 'ABC', eventTimestamp: m.at(`${at}.900`) })
    cases.push({
      name: '4009/5010 several fields differ',
      expect: [finding('ALDR', 4009, tr), finding('ALDR', 5010, rp!, true)],
    })
  }
  {
    const { tr } = reported('45', slot(), null)
    cases.push({ name: '4003 a MEOT the facility never reported', expect: [finding('ALDR', 4003, tr)] })
  }
  // No report is expected for a MEOT with a reportingExceptionCode, nor for one printed by an exchange
  // (market center Q): the check below that no unexpected finding appears covers them.
  reported('46', slot(), null, {
    reportingExceptionCode: 'P',
    tapeTradeID: undefined,
    marketCenterID: undefined,
  })
  reported('47', slot(), null, { marketCenterID: 'Q' })

  // Quote routes: a firm's quote (MENQ) to another firm ⇄ that firm's Quote Received (MEQR).
  const quoted = (id: string, at: string, received: Record<string, unknown> | null, quote = {}) => {
    const q = m.quote('ALDR', {
      quoteID: `Q${id}`,
      to: 'BRCH',
      routedQuoteID: `RQ${id}`,
      at: `${at}.000`,
      record: quote,
    })
    const r =
      received === null
        ? undefined
        : m.quoteReceived(q, { quoteID: `BQ${id}`, at: `${at}.002`, record: received })
    return { q, r }
  }
  // Matched, and rejected by the receiver (no MEQR expected): nothing to report.
  m.quoteReceived(
    m.quote('ALDR', { quoteID: 'Q50', to: 'BRCH', routedQuoteID: 'RQ50', at: `${slot()}.000` }),
    {
      quoteID: 'BQ50',
      at: `${slot()}.002`,
    },
  )
  quoted('51', slot(), null, { quoteRejectedFlag: true })
  const quoteNamed = quoted('52', slot(), { receivedQuoteID: 'RQ52X' })
  {
    const { q, r } = quoteNamed
    cases.push({
      name: '8003/8004 and 9003/9004 a Quote Received whose receivedQuoteID is not the routedQuoteID',
      expect: [
        finding('ALDR', 8003, q),
        finding('BRCH', 8004, q, true),
        finding('BRCH', 9003, r!),
        finding('ALDR', 9004, r!, true),
      ],
    })
  }
  {
    const { q, r } = quoted('53', slot(), { symbol: 'ABC' })
    cases.push({
      name: '8009/8010 and 9009/9010 a quote received in another symbol',
      expect: [
        finding('ALDR', 8009, q),
        finding('BRCH', 8010, q, true),
        finding('BRCH', 9009, r!),
        finding('ALDR', 9010, r!, true),
      ],
    })
  }
  {
    const { q } = quoted('54', slot(), null)
    cases.push({
      name: '8003/8004 a quote never received',
      expect: [finding('ALDR', 8003, q), finding('BRCH', 8004, q, true)],
    })
  }

  let linked: Linked
  let found: string[]
  beforeAll(async () => {
    linked = await linkMarket(m)
    found = await foundFindings(linked.repo, DATE)
  }, 60_000)
  afterAll(() => linked?.repo.close())

  it('takes in every record of the scenarios', () => {
    expect(linked.summary.events).toBe(m.events.length)
  })

  for (const c of cases) {
    it(`gives ${c.name}`, () => {
      expect(found.filter((f) => c.expect.includes(f)).sort()).toEqual([...c.expect].sort())
    })
  }

  it('gives no finding that no scenario expects', () => {
    const all = new Set(cases.flatMap((c) => c.expect))
    expect(found.filter((f) => !all.has(f))).toEqual([])
  })

  /** The lines of a reporter's linkage error file. */
  const linkageErrors = (submitter: string, reporter: string) =>
    readErrorLines(
      join(
        linked.repo.paths.root,
        `feedback/${submitter}/errors/${submitter}_${reporter}_20260302_OrderEvents.linkage.error.json.bz2`,
      ),
    )

  it('counts trade links and unlinked Trade events under the Trade linkage type', () => {
    const reports = m.links.filter((l) => l.kind === 'report').length
    expect(reports).toBeGreaterThan(0)
    expect(linked.summary.byType.Trade).toEqual({ linked: reports, unlinked: 6 })
  })

  it("sends the firm a trade report names an ERRTRF record with the facility's report", () => {
    const lines = linkageErrors('104002', 'BRCH').filter((l) => l.recordType === 'ERRTRF')
    const rp = otherFirm.rp!
    expect(lines).toEqual([
      expect.objectContaining({
        errorCode: [5010],
        errorRecordID: rp.firmROEID,
        symbol: 'XYZ',
        eventTimestamp: rp.record.eventTimestamp,
        quantity: rp.record.quantity,
        price: rp.record.price,
        rptngExctgMPID: 'BRCH',
        rptngCapacity: 'P',
        rptngSideCode: 'SL',
        marketCenterID: 'L',
        tapeTradeID: rp.record.tapeTradeID,
      }),
    ])
    expect(lines[0].explanation).toMatch(/firm \(BRCH here, ALDR there\)/)
  })

  it('sends the sender of an unmatched quote an ERRQT record with the Quote Received that names it', () => {
    const lines = linkageErrors('104001', 'ALDR').filter(
      (l) => l.recordType === 'ERRQT' && l.errorCode[0] === 9004,
    )
    const received = quoteNamed.r!
    expect(lines).toEqual([
      expect.objectContaining({
        firmROEID: received.firmROEID,
        type: 'MEQR',
        symbol: 'XYZ',
        bidPrice: 10,
        askPrice: 10.02,
        senderIMID: imid('ALDR'),
        receiverIMID: imid('BRCH'),
        receivedQuoteID: 'RQ52X',
      }),
    ])
    expect(lines[0].explanation).toMatch(
      /no quote \(MENQ\) sent to this receiver carries routedQuoteID RQ52X/,
    )
  })

  it('pairs every quote with its Quote Received as interfirm linkage', async () => {
    const pairs = await linked.repo.db.all<{ n: string }>(
      `SELECT count(*) AS n FROM linkage_pairs WHERE event_date = ${DATE} AND fam = 'Q'`,
    )
    expect(Number(pairs[0].n)).toBe(1)
  })

  it('still links everything the faults leave intact', async () => {
    const links = new Set(await foundLinks(linked.repo, DATE))
    const missing = expectedLinks(m).filter((l) => !links.has(l))
    expect(missing).toEqual([])
  })
})
