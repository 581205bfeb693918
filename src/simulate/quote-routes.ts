/**
 * Quotes sent between firms: now and then a market maker that requotes on an exchange also sends the
 * quote to an inter-dealer quotation system run by a firm's ATS. The market maker reports the quote it
 * sent (MENQ with destination and routedQuoteID), the ATS the quote it received (MEQR with
 * receivedQuoteID); the repository pairs them on the Quote Route Key. Quotes belong to no lifecycle.
 *
 * In v4.1 the quote sent is a Routed Quote (MERQ); option series are quoted too, in answer to the
 * quotation firm's requests for quotes (MORQ, MOQR with RFQID), and so are packages its complex-order
 * desk asks a market maker to price (MLRQ, MLQR). The receiver refuses a few (a stock's refusal comes back
 * in a supplement, MERQS; an option's or a package's is on the quote sent, or in MLQS); half of the
 * others are withdrawn later by both firms (MEQC, MOQC, MLQC; the quotation system reports some stock
 * quotes closed instead, MEQS), a quarter re-priced (MEQM under a new quote id naming the prior one at the
 * sender, MOQM, MLQM). A wholesaler shows some quotes of its own on its own platform, routed nowhere
 * (MENQ, MONQ; MLNQ for a package its complex-order desk works), some of them showing customer limit
 * orders it holds (a representative quote with its supplement, MENQS).
 */
import type { Values } from '../codec/index.ts'
import { putLegs } from './multi-leg.ts'
import { priceText, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'
import type { TruthEvent } from './truth-recorder.ts'
import { eventType, type Firm, imidRef, instrumentField, type Sym } from './world.ts'

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
export function quotationSystem(sim: Sim): Firm | undefined {
  return sim.world.firms.find((f) => f.atsImid !== undefined)
}

/** Maybe sends a market maker's quote to the quotation system, which reports receiving it. */
export function sendQuote(sim: Sim, mm: Firm, sym: Sym, t: number, q: QuoteTerms): void {
  const idqs = quotationSystem(sim)
  if (!idqs || idqs === mm) return
  // v4.1 reports a quote sent to another firm as a Routed Quote (MERQ); earlier versions as a New Quote
  // naming its destination.
  const routed = !sim.sink.spec('MENQ').byName.has('destination')
  if (!sim.rng.chance(SHARE)) {
    // v4.1: a wholesaler also shows some of its quotes on its own platform (MENQ, MONQ), routed nowhere.
    if (routed && mm.role === 'wholesaler' && sim.rng.chance(SHARE / 2)) ownQuote(sim, mm, sym, t, q)
    return
  }
  // Options have no ATS: the quotation firm asks for option quotes under its own IMID.
  routeQuote(sim, mm, idqs, sym.option ? idqs.imid : idqs.atsImid!, sym, t, q, routed)
}

/** The prices and sizes of a quote as records carry them. */
function quotePrices(q: QuoteTerms): Values {
  return {
    bidPrice: priceText(q.bid),
    bidQty: qtyText(q.bidQty),
    askPrice: priceText(q.ask),
    askQty: qtyText(q.askQty),
  }
}

/** The request for quote an option or package quote answers (RFQID); stocks are quoted unasked. */
function rfqOf(sim: Sim, sym: Sym, imid: string): string | undefined {
  return sym.option || sym.legs ? sim.id(`rfq:${imid}`, `${imid}RFQ`) : undefined
}

/**
 * A quote `mm` sends to firm `to` (its IMID `toImid`): the sender's MENQ or Routed Quote, the receiver's
 * Quote Received one network latency later, then in v4.1 perhaps its withdrawal or modification.
 */
export function routeQuote(
  sim: Sim,
  mm: Firm,
  to: Firm,
  toImid: string,
  sym: Sym,
  t: number,
  q: QuoteTerms,
  routed: boolean,
): void {
  const own = sim.accounts.own(mm, 'O')
  const fault = sim.faults?.quoteRouteFault()
  const routedQuoteID = sim.id(`rq:${mm.imid}`, `${mm.imid}Q`)
  const prices = quotePrices(q)
  const type = routed ? eventType(sym, 'MERQ') : 'MENQ'
  const rfq = routed ? rfqOf(sim, sym, toImid) : undefined
  // v4.1: the receiver refuses a few quotes and reports nothing. The sender reports a stock's refusal
  // afterwards (MERQS), a package's in MLQS, an option's on the quote itself.
  const refused = routed && !fault && sim.rng.chance(0.08)
  const supplement = sym.legs ? 'MLQS' : eventType(sym, 'MERQS')
  const later = refused && sim.sink.has(supplement)
  const sent: Values = {
    ...newQuoteHeader(sim, mm, type, sym, t),
    senderIMID: imidRef(mm),
    destination: imidRef(to, toImid),
    routedQuoteID,
    onlyOneQuoteFlag: false,
    ...prices,
    firmDesignatedID: own.fdid,
    accountHolderType: own.holderType,
    unsolicitedInd: 'N',
    destinationType: 'F',
  }
  if (rfq) sent.RFQID = rfq
  if (refused && !later) sent.quoteRejectedFlag = true
  putLegs(sent, sym)
  const menq = sim.sink.emit(mm.imid, type, sent)
  if (refused) {
    if (later) {
      const back = t + 2 * sim.latency()
      if (back < sim.hours.end) sim.at(back, undefined, () => refusedLater(sim, mm, supplement, sent, back))
      else sim.sink.emit(mm.imid, supplement, supplementValues(sim, mm, supplement, sent, t))
    }
    return
  }
  const at = t + sim.latency()
  sim.at(at, undefined, () => {
    const received: Values = {
      actionType: 'NEW',
      firmROEID: sim.roeid(toImid),
      type: eventType(sym, 'MEQR'),
      CATReporterIMID: toImid,
      quoteKeyDate: sim.keyDate(to, at),
      quoteID: sim.id(`rq:${toImid}`, 'RQ'),
      [instrumentField(sym)]: sym.symbol,
      receivedQuoteID: fault ? `${routedQuoteID}X` : routedQuoteID,
      eventTimestamp: sim.stamp(to, at),
      receiverIMID: imidRef(to, toImid),
      senderIMID: imidRef(mm),
      onlyOneQuoteFlag: false,
      ...prices,
      unsolicitedInd: 'N',
    }
    if (rfq) Object.assign(received, { RFQID: rfq, RFQFlag: true, senderType: 'F' })
    putLegs(received, sym)
    const meqr = sim.sink.emit(toImid, received.type as string, received)
    if (fault) sim.faults?.quoteReceived(menq, meqr)
    if (!routed) return
    // v4.1: the market maker withdraws half of its routed quotes a while later and re-prices a quarter;
    // the quotation system does the same to the quote it received, one network latency after.
    const r = sim.rng.float()
    if (r >= 0.75) return
    const when = at + Math.floor(sim.rng.logNormal(20 * SECOND, 1))
    if (when >= sim.hours.end) return
    const seen = when + sim.latency()
    if (r < 0.5) {
      // The quotation system closes some stock quotes (MEQS) rather than cancelling them.
      const status = !sym.option && !sym.legs && sim.sink.has('MEQS') && sim.rng.chance(0.3)
      sim.at(when, undefined, () => {
        withdraw(sim, mm, mm.imid, sym, sent, when, menq)
        sim.at(seen, undefined, () =>
          status
            ? closed(sim, to, toImid, received, seen, meqr)
            : withdraw(sim, to, toImid, sym, received, seen, meqr),
        )
      })
      return
    }
    const wider: QuoteTerms = { ...q, bid: Math.max(1, q.bid - 1), ask: q.ask + 1 }
    sim.at(when, undefined, () => {
      reprice(sim, mm, mm.imid, sym, sent, wider, when, menq, true, {
        senderIMID: imidRef(mm),
        routedQuoteID,
      })
      sim.at(seen, undefined, () =>
        reprice(sim, to, toImid, sym, received, wider, seen, meqr, false, {
          receiverIMID: imidRef(to, toImid),
          senderIMID: imidRef(mm),
          routedQuoteID: received.receivedQuoteID,
        }),
      )
    })
  })
}

/** A new quote of the firm's own account on its own platform, unsolicited and electronic. */
function ownQuoteValues(sim: Sim, firm: Firm, type: string, sym: Sym, t: number, q: QuoteTerms): Values {
  const own = sim.accounts.own(firm, 'O')
  return {
    ...newQuoteHeader(sim, firm, type, sym, t),
    onlyOneQuoteFlag: false,
    ...quotePrices(q),
    firmDesignatedID: own.fdid,
    accountHolderType: own.holderType,
    unsolicitedInd: 'N',
    manualFlag: false,
  }
}

/** A firm's own quote on its own platform (MENQ, MONQ, MLNQ: no destination); half withdrawn later. */
export function ownQuote(sim: Sim, firm: Firm, sym: Sym, t: number, q: QuoteTerms): void {
  const type = eventType(sym, 'MENQ')
  const values = ownQuoteValues(sim, firm, type, sym, t, q)
  const rfq = rfqOf(sim, sym, firm.imid)
  if (rfq) Object.assign(values, { RFQID: rfq, RFQFlag: true })
  putLegs(values, sym)
  // Whether it is withdrawn is known first: a quote a later cancel names is no leaf.
  const gone = sim.rng.chance(0.5) ? t + Math.floor(sim.rng.logNormal(30 * SECOND, 1)) : Infinity
  const withdrawn = gone < sim.hours.end
  const menq = sim.sink.emit(firm.imid, type, values, { faultable: withdrawn ? 'key' : 'leaf' })
  if (withdrawn) sim.at(gone, undefined, () => withdraw(sim, firm, firm.imid, sym, values, gone, menq))
}

/**
 * v4.1: a wholesaler's own quote whose one side shows customer limit orders it holds (representative
 * quote): `representativeQuoteInd` B or A names the side, the side's aggregated orders the first order,
 * and a New Quote Supplement (MENQS) of the same instant each further one. Withdrawn (MEQC) at `gone`, when
 * the orders leave for the exchanges.
 */
export function representativeQuote(
  sim: Sim,
  firm: Firm,
  sym: Sym,
  t: number,
  q: QuoteTerms,
  side: 'bid' | 'ask',
  orders: readonly { readonly orderID: string; readonly keyDate: Values[string] }[],
  gone: number,
): void {
  const indicator = side === 'bid' ? 'B' : 'A'
  const field = side === 'bid' ? 'bidAggregatedOrders' : 'askAggregatedOrders'
  const named = (o: (typeof orders)[number]) => [{ orderID: o.orderID, orderKeyDate: o.keyDate }]
  const [first, ...further] = orders
  const values = ownQuoteValues(sim, firm, 'MENQ', sym, t, q)
  Object.assign(values, { representativeQuoteInd: indicator, [field]: named(first) })
  const withdrawn = gone < sim.hours.end
  const menq = sim.sink.emit(firm.imid, 'MENQ', values, {
    faultable: withdrawn || further.length > 0 ? 'key' : 'leaf',
  })
  for (const o of further) {
    const sv = quoteHeader(sim, firm, firm.imid, 'MENQS', values, t)
    sv.eventTimestamp = values.eventTimestamp
    Object.assign(sv, { representativeQuoteInd: indicator, [field]: named(o) })
    sim.sink.emit(firm.imid, 'MENQS', sv, { key: menq, faultable: 'leaf' })
  }
  if (withdrawn) sim.at(gone, undefined, () => withdraw(sim, firm, firm.imid, sym, values, gone, menq))
}

/** The head of a quote under a new key of `firm`'s main IMID, in the order its records list it. */
function newQuoteHeader(sim: Sim, firm: Firm, type: string, sym: Sym, t: number): Values {
  return {
    actionType: 'NEW',
    firmROEID: sim.roeid(firm.imid),
    type,
    CATReporterIMID: firm.imid,
    quoteKeyDate: sim.keyDate(firm, t),
    quoteID: sim.id(`nq:${firm.imid}`, 'NQ'),
    [instrumentField(sym)]: sym.symbol,
    eventTimestamp: sim.stamp(firm, t),
  }
}

/** The fields every event on a quote's key repeats: the key, the instrument, the RFQ it answers. */
function quoteHeader(sim: Sim, firm: Firm, imid: string, type: string, quote: Values, t: number): Values {
  const values: Values = {
    actionType: 'NEW',
    firmROEID: sim.roeid(imid),
    type,
    CATReporterIMID: imid,
    quoteKeyDate: quote.quoteKeyDate,
    quoteID: quote.quoteID,
    eventTimestamp: sim.stamp(firm, t),
  }
  for (const f of ['symbol', 'optionID', 'underlying', 'RFQID'])
    if (quote[f] !== undefined) values[f] = quote[f]
  return values
}

/** A Quote Cancelled (MEQC, MOQC, MLQC) of the quote `quote` (its key fields), linked to it by its quote key. */
function withdraw(
  sim: Sim,
  firm: Firm,
  imid: string,
  sym: Sym,
  quote: Values,
  t: number,
  key: TruthEvent,
): void {
  const type = eventType(sym, 'MEQC')
  const values = quoteHeader(sim, firm, imid, type, quote, t)
  Object.assign(values, { initiator: 'F', manualFlag: false })
  sim.sink.emit(imid, type, values, { key, faultable: 'leaf' })
}

/** The quotation system reports the market maker's quote closed (MEQS, `mpStatusCode` C), on its quote key. */
function closed(sim: Sim, firm: Firm, imid: string, quote: Values, t: number, key: TruthEvent): void {
  const values = quoteHeader(sim, firm, imid, 'MEQS', quote, t)
  Object.assign(values, { mpStatusCode: 'C', manualFlag: false })
  sim.sink.emit(imid, 'MEQS', values, { key, faultable: 'leaf' })
}

/**
 * A Quote Modified (MEQM, MOQM, MLQM) with new prices: the sender's under a new quote id naming the prior
 * one, the receiver's on its own quote key; option and package quotes name the route (`routedQuoteID`).
 */
function reprice(
  sim: Sim,
  firm: Firm,
  imid: string,
  sym: Sym,
  quote: Values,
  q: QuoteTerms,
  t: number,
  key: TruthEvent,
  sender: boolean,
  route: Values,
): void {
  const type = eventType(sym, 'MEQM')
  const values = quoteHeader(sim, firm, imid, type, quote, t)
  if (sender) {
    values.quoteKeyDate = sim.keyDate(firm, t)
    values.quoteID = sim.id(`nq:${imid}`, 'NQ')
    values.priorQuoteKeyDate = quote.quoteKeyDate
    values.priorQuoteID = quote.quoteID
  }
  Object.assign(values, quotePrices(q), route, { unsolicitedInd: 'N', manualFlag: false })
  putLegs(values, sym)
  sim.sink.emit(imid, type, values, { key, faultable: 'leaf' })
}

/** The supplement reporting a routed quote's refusal (MERQS, MLQS), `quoteRejectedFlag` set. */
function supplementValues(sim: Sim, mm: Firm, type: string, sent: Values, t: number): Values {
  const values = quoteHeader(sim, mm, mm.imid, type, sent, t)
  Object.assign(values, {
    senderIMID: sent.senderIMID,
    destination: sent.destination,
    destinationType: sent.destinationType,
    routedQuoteID: sent.routedQuoteID,
    quoteRejectedFlag: true,
  })
  return values
}

function refusedLater(sim: Sim, mm: Firm, type: string, sent: Values, t: number): void {
  sim.sink.emit(mm.imid, type, supplementValues(sim, mm, type, sent, t))
}
