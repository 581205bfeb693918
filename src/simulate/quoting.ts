/**
 * Market makers' two-sided quotes on the exchanges (EXQT): posted when a symbol's book opens, refreshed
 * around the fair value after a side is hit and now and then as orders arrive, withdrawn at day's end. A
 * few refreshed quotes also go to a quotation system between firms (quote-routes.ts).
 */
import type { ExchangeOrder } from './exchange-order.ts'
import type { ExchangeVenue, Quote } from './exchange-venue.ts'
import { sendQuote } from './quote-routes.ts'
import type { OrderTerms, Side } from './record-values.ts'
import type { Sim } from './sim.ts'
import { MS } from './trading-hours.ts'
import type { Sym } from './world.ts'

/** How far past the fair value a resting order must be for market makers to take it out after news. */
const STALE = 0.002

/** The quoting activity of all market makers. */
export class Quoting {
  private readonly quotes = new Map<string, { venue: ExchangeVenue; list: Quote[] }>()

  constructor(private readonly sim: Sim) {}

  /** Market makers registered in a symbol on a venue post their first quotes. */
  open(venue: ExchangeVenue, sym: Sym, t: number): void {
    const makers = this.sim.world.firms.filter((f) => f.marketMaker)
    const chosen = makers.filter((f) => (f.index + sym.index + venue.venue.index) % 3 !== 0)
    if (chosen.length === 0 && makers.length > 0)
      chosen.push(makers[(sym.index + venue.venue.index) % makers.length])
    const list = chosen.map((mm) => ({ mm, sym, bid: undefined, ask: undefined, refreshing: false }))
    this.quotes.set(`${venue.id}:${sym.index}`, { venue, list })
    for (const q of list) this.refresh(venue, q, t)
  }

  private refresh(venue: ExchangeVenue, q: Quote, t: number): void {
    const sim = this.sim
    q.refreshing = false
    if (t >= sim.hours.end) return
    const fair = sim.fair.cents(q.sym, t)
    // Half-spread of a few basis points, at least a tick; wider before the open and after the close.
    const outside = t < sim.hours.open || t >= sim.hours.close ? 3 : 1
    // Options quote wider: about a percent of the premium each side.
    const width = q.sym.option ? 0.01 : 0.0004
    const half = Math.max(1, Math.round(fair * width * outside * (0.6 + sim.rng.float())))
    const bid = Math.max(1, Math.floor(fair) - half + Math.floor(sim.rng.float() * 2))
    const ask = Math.ceil(fair) + half - Math.floor(sim.rng.float() * 2)
    // Options market makers quote in contracts, tens at a time; equity market makers in round lots.
    const unit = q.sym.option ? 10 : 100
    const lots = (n: number) => unit * (1 + Math.floor(sim.rng.pareto(1, 1.6) * n))
    const terms = { bid, bidQty: lots(2), ask: Math.max(ask, bid + 1), askQty: lots(2) }
    venue.quote(t, q, terms.bid, terms.bidQty, terms.ask, terms.askQty)
    // Option quotes go between firms from v4.1 (answers to requests for quotes, MORQ).
    if (!q.sym.option || sim.sink.has('MORQ')) sendQuote(sim, q.mm, q.sym, t, terms)
  }

  /** A quote side traded: the market maker requotes a few milliseconds later. */
  hit(venue: ExchangeVenue, side: ExchangeOrder, t: number): void {
    const q = side.quoteOf as Quote
    if (q.refreshing) return
    q.refreshing = true
    this.sim.at(t + 500_000 + Math.floor(this.sim.rng.exp(4_000_000)), undefined, () =>
      this.refresh(venue, q, this.sim.queue.now),
    )
  }

  /** Now and then an arriving order makes one venue's market makers requote the symbol. */
  nudge(sym: Sym, t: number): void {
    const sim = this.sim
    if (!sim.rng.chance(0.25)) return
    const venues = [...sim.parts.venues.values()]
    const venue = venues[sim.rng.int(venues.length)]
    const entry = this.quotes.get(`${venue.id}:${sym.index}`)
    if (!entry) return
    for (const q of entry.list) if (!q.refreshing) this.refresh(venue, q, t)
  }

  /** Every market maker in a symbol requotes on every venue at time t (after news or a price move). */
  requote(sym: Sym, t: number): void {
    this.sim.at(t, undefined, () => {
      for (const v of this.sim.parts.venues.values()) {
        const entry = this.quotes.get(`${v.id}:${sym.index}`)
        if (entry) for (const q of entry.list) this.refresh(v, q, this.sim.queue.now)
      }
    })
  }

  /**
   * The market reprices within moments of news, as it does on real markets: market makers requote around
   * the new fair value, then lift (or hit) the limit orders left resting on the wrong side of it and
   * requote again. Without that, stale orders capped the quotes and prints crept to the news for hours.
   */
  reprice(sym: Sym, t: number): void {
    const sim = this.sim
    this.requote(sym, t)
    sim.at(t + 2 * MS + Math.floor(sim.rng.exp(200 * MS)), undefined, () => {
      const now = sim.queue.now
      if (now >= sim.hours.close) return
      const fair = sim.fair.cents(sym, now)
      const buyUpTo = Math.floor(fair * (1 - STALE))
      const sellDownTo = Math.ceil(fair * (1 + STALE))
      for (const venue of sim.parts.venues.values()) {
        const entry = this.quotes.get(`${venue.id}:${sym.index}`)
        if (!entry || entry.list.length === 0) continue
        const mm = entry.list[sim.rng.int(entry.list.length)].mm
        const stale: [Side, number, number][] = [
          ['B', buyUpTo, venue.sharesThrough(sym, 'S', buyUpTo)],
          ['SL', sellDownTo, venue.sharesThrough(sym, 'B', sellDownTo)],
        ]
        for (const [side, price, shares] of stale) {
          if (shares <= 0 || price < 1) continue
          const terms: OrderTerms = { side, type: 'LMT', price, quantity: shares, tif: 'IOC', session: 'REG' }
          const order = sim.parts.brokerage.newOrder(now, mm, sym, terms, sim.accounts.own(mm, 'O'))
          const session = sim.parts.brokerage.session(mm, mm.imid, venue)
          sim.parts.brokerage.route(now + sim.internal(), order, { kind: 'E', venue, session })
        }
      }
      this.requote(sym, now + 50 * MS)
    })
  }

  /** Withdraws every quote (end of day). */
  withdrawAll(t: number): void {
    for (const { venue, list } of this.quotes.values()) for (const q of list) venue.withdraw(t, q)
  }
}
