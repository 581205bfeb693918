/**
 * Quotes sent between firms: now and then a market maker that requotes on an exchange also sends the
 * quote to an inter-dealer quotation system run by a firm's ATS. The market maker reports the quote it
 * sent (MENQ with destination and routedQuoteID), the ATS the quote it received (MEQR with
 * receivedQuoteID); the repository pairs them on the Quote Route Key. In v4.1 half of them are withdrawn
 * later by both (MEQC on each one's quote key). Quotes belong to no lifecycle.
 */
import type { Values } from '../codec/index.ts'
import { priceText, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'
import type { TruthEvent } from './truth-recorder.ts'
import { type Firm, imidRef, type Sym } from './world.ts'

/** Share of exchange requotes a market maker also sends to the quotation system. */
const SHARE = 0.05

/** A two-sided quote in cents and shares. */
export interface QuoteTerms {
  readonly bid: number
  readonly bidQty: number
  readonly ask: number
  readonly askQty: number
}

/** The firm whose ATS serves as the quotation system (the first firm that runs an ATS). */
function quotationSystem(sim: Sim): Firm | undefined {
  return sim.world.firms.find((f) => f.atsImid !== undefined)
}

/** Maybe sends a market maker's quote to the quotation system, which reports receiving it. */
export function sendQuote(sim: Sim, mm: Firm, sym: Sym, t: number, q: QuoteTerms): void {
  const idqs = quotationSystem(sim)
  if (!idqs || idqs === mm || !sim.rng.chance(SHARE)) return
  const ats = idqs.atsImid!
  const own = sim.accounts.own(mm, 'O')
  const fault = sim.faults?.quoteRouteFault()
  const routedQuoteID = sim.id(`rq:${mm.imid}`, `${mm.imid}Q`)
  const prices = {
    bidPrice: priceText(q.bid),
    bidQty: qtyText(q.bidQty),
    askPrice: priceText(q.ask),
    askQty: qtyText(q.askQty),
  }
  // v4.1 reports a quote sent to another firm as a Routed Quote (MERQ); earlier versions as a New Quote
  // naming its destination.
  const type = sim.sink.spec('MENQ').byName.has('destination') ? 'MENQ' : 'MERQ'
  const sent: Values = {
    actionType: 'NEW',
    firmROEID: sim.roeid(mm.imid),
    type,
    CATReporterIMID: mm.imid,
    quoteKeyDate: sim.keyDate(mm, t),
    quoteID: sim.id(`nq:${mm.imid}`, 'NQ'),
    symbol: sym.symbol,
    eventTimestamp: sim.stamp(mm, t),
    senderIMID: imidRef(mm),
    destination: imidRef(idqs, ats),
    routedQuoteID,
    onlyOneQuoteFlag: false,
    ...prices,
    firmDesignatedID: own.fdid,
    accountHolderType: own.holderType,
    unsolicitedInd: 'N',
    destinationType: 'F',
  }
  const menq = sim.sink.emit(mm.imid, type, sent)
  const at = t + sim.latency()
  sim.at(at, undefined, () => {
    const received: Values = {
      actionType: 'NEW',
      firmROEID: sim.roeid(ats),
      type: 'MEQR',
      CATReporterIMID: ats,
      quoteKeyDate: sim.keyDate(idqs, at),
      quoteID: sim.id(`rq:${ats}`, 'RQ'),
      symbol: sym.symbol,
      receivedQuoteID: fault ? `${routedQuoteID}X` : routedQuoteID,
      eventTimestamp: sim.stamp(idqs, at),
      receiverIMID: imidRef(idqs, ats),
      senderIMID: imidRef(mm),
      onlyOneQuoteFlag: false,
      ...prices,
      unsolicitedInd: 'N',
    }
    const meqr = sim.sink.emit(ats, 'MEQR', received)
    if (fault) sim.faults?.quoteReceived(menq, meqr)
    // v4.1: the market maker withdraws half of its routed quotes a while later (MEQC), and the quotation
    // system the quote it received, one network latency after.
    if (type !== 'MERQ' || !sim.rng.chance(0.5)) return
    const gone = at + Math.floor(sim.rng.logNormal(20 * SECOND, 1))
    if (gone >= sim.hours.end) return
    sim.at(gone, undefined, () => {
      withdraw(sim, mm, mm.imid, sent, gone, menq)
      const seen = gone + sim.latency()
      sim.at(seen, undefined, () => withdraw(sim, idqs, ats, received, seen, meqr))
    })
  })
}

/** A Quote Cancelled (MEQC) of the quote `quote` (its key fields), linked to it by its quote key. */
function withdraw(sim: Sim, firm: Firm, imid: string, quote: Values, t: number, key: TruthEvent): void {
  const values: Values = {
    actionType: 'NEW',
    firmROEID: sim.roeid(imid),
    type: 'MEQC',
    CATReporterIMID: imid,
    quoteKeyDate: quote.quoteKeyDate,
    quoteID: quote.quoteID,
    symbol: quote.symbol,
    eventTimestamp: sim.stamp(firm, t),
    initiator: 'F',
    manualFlag: false,
  }
  sim.sink.emit(imid, 'MEQC', values, { key, faultable: 'leaf' })
}
