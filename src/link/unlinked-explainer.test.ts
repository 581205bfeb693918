import { describe, expect, it } from 'vitest'
import {
  explainUnpaired,
  explainUnresolved,
  type RouteCandidate,
  reporterOf,
  type UnpairedEnd,
} from './unlinked-explainer.ts'

const route: UnpairedEnd = {
  idx: 1,
  side: 'S',
  fam: 'F',
  reporter: 'ALDR',
  type: 'MEOR',
  roeId: '20260302_R1',
  routedOrderID: 'RT1',
  sender: '104001:ALDR',
  receiver: '104002:BRCH',
  symbol: 'XYZ',
  session: null,
  eventDate: 20260302,
  late: false,
}

const accept = (over: Partial<RouteCandidate> = {}): RouteCandidate => ({
  reporter: 'BRCH',
  roeId: '20260302_A1',
  type: 'MEOA',
  eventNs: 1772461800000000000n,
  sender: '104001:ALDR',
  receiver: '104002:BRCH',
  symbol: 'ABC',
  session: null,
  senderEq: true,
  receiverEq: true,
  symbolEq: false,
  sessionEq: true,
  paired: false,
  late: false,
  ...over,
})

describe('explainUnpaired', () => {
  it('gives a route without any accept 8003 and its destination the named 8004', () => {
    const f = explainUnpaired(route, [])
    expect(f.map((x) => [x.recipient, x.code, x.named])).toEqual([
      ['ALDR', 8003, false],
      ['BRCH', 8004, true],
    ])
    expect(f[0].explanation).toMatch(/no accept .* routedOrderID RT1 on 2026-03-02/)
  })

  it('says which field differs and names the candidate, ranked first', () => {
    const f = explainUnpaired(route, [accept()])
    expect(f.map((x) => x.code)).toEqual([8009, 8010])
    expect(f[0].explanation).toBe(
      'routedOrderID RT1 matches MEOA 20260302_A1 of BRCH, but symbol (XYZ here, ABC there) differs',
    )
    expect(JSON.parse(f[0].candidates!)[0]).toMatchObject({
      reporter: 'BRCH',
      matches: ['routedOrderID', 'senderIMID', 'destination/receiverIMID'],
    })
  })

  it('sends the named code to the member the route names, not to the firm that received it', () => {
    const f = explainUnpaired({ ...route, receiver: '104002:BRCX' }, [
      accept({ symbolEq: true, receiverEq: false, reporter: 'BRCH' }),
    ])
    expect(f.map((x) => [x.recipient, x.code])).toEqual([
      ['ALDR', 8007],
      ['BRCX', 8008],
    ])
    expect(f[0].counterparty).toBe('BRCH')
  })

  it('does not take a candidate linked elsewhere for the missing counterpart', () => {
    const f = explainUnpaired(route, [accept({ paired: true })])
    expect(f[0].code).toBe(8003)
    expect(f[0].explanation).toMatch(/linked to another record/)
  })

  it('gives several differing fields 8011/9011 and uses exchange codes for firm-exchange routes', () => {
    expect(explainUnpaired(route, [accept({ senderEq: false })])[0].code).toBe(8011)
    const toExchange: UnpairedEnd = { ...route, fam: 'E', receiver: 'NSDQ', session: 'S1' }
    const f = explainUnpaired(toExchange, [
      accept({ reporter: 'NSDQ', type: 'EXOA', symbolEq: true, sessionEq: false }),
    ])
    // An exchange is no member: a firm's route names it, but 70xx are named on an exchange's order.
    expect(f.map((x) => [x.recipient, x.code])).toEqual([['ALDR', 6009]])
    expect(explainUnpaired(toExchange, [])[0]).toMatchObject({ code: 6003, counterparty: 'NSDQ' })
  })

  it("sends 70xx to the member an exchange's unlinked order names as routingParty", () => {
    const exoa: UnpairedEnd = {
      ...route,
      side: 'R',
      fam: 'E',
      reporter: 'NSDQ',
      type: 'EXOA',
      receiver: 'NSDQ',
      session: 'S9',
    }
    const withRoute = explainUnpaired(exoa, [
      accept({ reporter: 'ALDR', type: 'MEOR', sessionEq: false, symbolEq: true }),
    ])
    expect(withRoute.map((x) => [x.recipient, x.code, x.named])).toEqual([
      ['NSDQ', 6009, false],
      ['ALDR', 7010, true],
    ])
    expect(explainUnpaired(exoa, []).map((x) => [x.recipient, x.code, x.named])).toEqual([
      ['NSDQ', 6003, false],
      ['ALDR', 7004, true],
    ])
  })
})

describe('late and early warnings', () => {
  it('gives a late route 899 and its destination the named 898, warnings instead of 8003/8004', () => {
    const f = explainUnpaired({ ...route, late: true }, [])
    expect(f.map((x) => [x.recipient, x.code, x.named])).toEqual([
      ['ALDR', 899, false],
      ['BRCH', 898, true],
    ])
    expect(f[0].explanation).toMatch(/deadline/)
  })

  it('gives an on-time route whose accept came late 897, and the named 896', () => {
    const f = explainUnpaired(route, [accept({ late: true })])
    expect(f.map((x) => [x.recipient, x.code])).toEqual([
      ['ALDR', 897],
      ['BRCH', 896],
    ])
  })
})

describe('explainUnresolved', () => {
  it('names the key that was not found and the event with the same id', () => {
    const f = explainUnresolved(
      {
        idx: 3,
        code: 3501,
        field: 'own',
        kind: 'O',
        reporter: 'ALDR',
        type: 'MEOC',
        keyDate: 1772461800000000000n,
        keyImid: 'ALDR',
        keyId: 'O1',
        symbol: 'XYZ',
        dayStartNs: 1772427600000000000n,
        late: false,
      },
      [
        {
          reporter: 'ALDR',
          roeId: '20260302_N1',
          type: 'MENO',
          eventNs: 1n,
          symbol: 'XYZ',
          keyDate: 1772461800001000000n,
          dateEq: false,
          symbolEq: true,
        },
      ],
    )
    expect(f).toMatchObject({ code: 3501, recipient: 'ALDR', named: false })
    expect(f.explanation).toMatch(
      /no event of ALDR establishes the order key .* id O1.*MENO 20260302_N1 has id O1 but key date/,
    )
  })
})

describe('reporterOf', () => {
  it('reads the MPID of CRD:MPID and keeps an Exchange ID', () => {
    expect(reporterOf('104001:ALDR')).toBe('ALDR')
    expect(reporterOf('NSDQ')).toBe('NSDQ')
    expect(reporterOf(null)).toBeNull()
  })
})
