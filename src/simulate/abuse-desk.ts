/**
 * Market abuse, injected on request and labelled in truth/manipulations.ndjson: spoofing (also across
 * venues) and layering, wash trades by one customer through two brokers, marking the close, a broker's
 * proprietary desk front-running a customer order it holds, and trading ahead of news (whose timestamps
 * go to truth/news.ndjson). Each scenario runs through the ordinary firms, routes and books.
 */
import type { Account } from './customers.ts'
import type { ExchangeVenue } from './exchange-venue.ts'
import type { FirmOrder } from './firm-order.ts'
import type { AbuseKind } from './options.ts'
import type { OrderTerms, Side } from './record-values.ts'
import type { Rng } from './rng.ts'
import type { Sim } from './sim.ts'
import { MINUTE, MS, SECOND, sessionAt } from './trading-hours.ts'
import type { TruthEvent } from './truth-recorder.ts'
import type { Firm, Sym } from './world.ts'

interface Scenario {
  readonly kind: AbuseKind
  readonly sym: Sym
  readonly participants: { reporter: string; fdid: string; tid: string }[]
  readonly events: TruthEvent[]
  detail: string
  /** Bounds that are not events (the news time). */
  from?: bigint
  to?: bigint
}

const HEADLINES = [
  'announces agreement to be acquired at a premium',
  'raises full-year guidance after record quarter',
  'receives regulatory approval for lead product',
  'wins multi-year government contract',
]

/** Runs the requested abuse scenarios and writes their labels at the end of the day. */
export class AbuseDesk {
  private readonly scenarios: Scenario[] = []

  constructor(
    private readonly sim: Sim,
    private readonly rng: Rng,
  ) {}

  /** Schedules every instance of the requested kinds (more instances on bigger days). */
  schedule(kinds: readonly AbuseKind[]): void {
    const sim = this.sim
    const h = sim.hours
    const instances = Math.min(20, 1 + Math.floor(sim.options.orders / 10_000))
    for (const kind of kinds) {
      for (let i = 0; i < instances; i++) {
        const sym = this.busySymbol()
        const span = h.close - h.open
        switch (kind) {
          case 'spoofing':
          case 'layering':
            sim.at(h.open + 20 * MINUTE + this.rng.float() * (span - 60 * MINUTE), undefined, () =>
              this.spoof(kind, sym),
            )
            break
          case 'wash':
            sim.at(h.open + 15 * MINUTE + this.rng.float() * (span - 60 * MINUTE), undefined, () =>
              this.wash(sym, 0),
            )
            break
          case 'marking-close':
            sim.at(h.close - 9 * MINUTE + this.rng.float() * 2 * MINUTE, undefined, () => this.markClose(sym))
            break
          case 'front-running':
            sim.at(h.open + 30 * MINUTE + this.rng.float() * (span - 90 * MINUTE), undefined, () =>
              this.frontRun(sym),
            )
            break
          case 'news':
            this.news(sym, h.open + 60 * MINUTE + this.rng.float() * (span - 120 * MINUTE))
            break
        }
      }
    }
  }

  private busySymbol(): Sym {
    const sim = this.sim
    return sim.symbol(this.rng.weighted(sim.world.symbolWeights))
  }

  private firmsWith(pick: (firm: Firm) => Account | undefined): [Firm, Account][] {
    const out: [Firm, Account][] = []
    for (const f of this.sim.world.firms) {
      const a = pick(f)
      if (a) out.push([f, a])
    }
    return out
  }

  private customer(): [Firm, Account] | undefined {
    const sim = this.sim
    const options = this.firmsWith((f) =>
      f.role === 'agency' || f.role === 'retail' || f.role === 'institutional'
        ? sim.accounts.retail(f, this.rng)
        : undefined,
    )
    return options.length > 0 ? this.rng.pick(options) : undefined
  }

  private participant(firm: Firm, account: Account): { reporter: string; fdid: string; tid: string } {
    return { reporter: firm.imid, fdid: account.fdid, tid: account.person.tid }
  }

  private venue(sym: Sym): ExchangeVenue {
    return this.sim.parts.brokerage.pickVenue(sym)
  }

  /** Enters an order for the scenario and sends it to an exchange; its lifecycle's events are collected. */
  private place(
    s: Scenario,
    t: number,
    firm: Firm,
    account: Account,
    terms: OrderTerms,
    venue: ExchangeVenue,
  ): FirmOrder {
    const sim = this.sim
    const lc = sim.truth.lifecycle(s.sym.symbol)
    lc.watch = s.events
    const order = sim.parts.brokerage.newOrder(t, firm, s.sym, terms, account, { lc })
    sim.truth.release(lc)
    const session = sim.parts.brokerage.session(firm, firm.imid, venue)
    sim.parts.brokerage.route(t + sim.internal(), order, { kind: 'E', venue, session })
    return order
  }

  private terms(t: number, side: Side, price: number | undefined, quantity: number, ioc = false): OrderTerms {
    const session = sessionAt(this.sim.hours, t)
    if (price === undefined) return { side, type: 'MKT', quantity, tif: 'DAY', session }
    return { side, type: 'LMT', price, quantity, tif: ioc ? 'IOC' : 'DAY', session }
  }

  private spoof(kind: 'spoofing' | 'layering', sym: Sym): void {
    const sim = this.sim
    const rng = this.rng
    const who = this.customer()
    if (!who) return
    const [firm, account] = who
    const t0 = sim.queue.now
    const s: Scenario = { kind, sym, participants: [this.participant(firm, account)], events: [], detail: '' }
    this.scenarios.push(s)
    const venues = [...sim.parts.venues.values()]
    const primary = this.venue(sym)
    primary.book(sym, t0)
    const q = sim.parts.brokerage.nbbo(sym, firm, t0)
    const fair = sim.fair.cents(sym, t0)
    const bid = q.bid ?? Math.floor(fair) - 1
    // Large bids just below the best bid, so the manipulator's own small sell never meets them.
    const layers = kind === 'layering' ? 4 + rng.int(3) : 1 + rng.int(2)
    const spoofs: FirmOrder[] = []
    const size = () => 100 * (40 + rng.int(160))
    for (let i = 0; i < layers; i++) {
      const price = Math.max(1, bid - 1 - (kind === 'layering' ? i : 0))
      spoofs.push(this.place(s, t0 + i * 2 * MS, firm, account, this.terms(t0, 'B', price, size()), primary))
    }
    const across = venues.filter((v) => v !== primary)
    if (across.length > 0 && (kind === 'spoofing' || rng.chance(0.5))) {
      const other = rng.pick(across)
      spoofs.push(
        this.place(s, t0 + 7 * MS, firm, account, this.terms(t0, 'B', Math.max(1, bid - 1), size()), other),
      )
    }
    // The bids appear to move the market up while they stand.
    sim.fair.shock(sym, t0, 0.002)
    const sellAt = t0 + 400 * MS + Math.floor(rng.exp(600 * MS))
    sim.at(sellAt, undefined, () => {
      const now = sim.queue.now
      const best = sim.parts.brokerage.nbbo(sym, firm, now).bid ?? bid
      const venue = sim.parts.brokerage.bestVenueFor(sym, 'S', best) ?? primary
      this.place(s, now, firm, account, this.terms(now, 'SL', best, 100 * (1 + rng.int(3)), true), venue)
    })
    const cancelAt = sellAt + 1 * SECOND + Math.floor(rng.exp(2 * SECOND))
    sim.at(cancelAt, undefined, () => {
      const now = sim.queue.now
      for (const o of spoofs) sim.parts.brokerage.cancel(now, o, 'C')
      sim.fair.shock(sym, now, -0.002)
    })
    s.detail =
      kind === 'layering'
        ? `${layers} large bids at successive prices below the best bid, a small sell executes, the bids are cancelled within seconds`
        : `large non-bona-fide bids${spoofs.length > layers ? ' on two exchanges' : ''}, a small sell executes on the other side, the bids are cancelled within seconds`
  }

  private wash(sym: Sym, attempt: number): void {
    const sim = this.sim
    const rng = this.rng
    const t0 = sim.queue.now
    const people = sim.accounts.multiBroker()
    if (people.length === 0) return
    // The two orders must meet each other, and neither may lock or cross another exchange's quote (the venue
    // would route it away or cancel it): a price strictly inside the NBBO on any venue, the buy resting and
    // the sell taking it; or, when the NBBO is one tick wide, the NBBO offer on a venue where nothing else
    // is offered at that price, the sell resting alone there and the buy taking it.
    const venues = [...sim.parts.venues.values()]
    for (const v of venues) v.book(sym, t0)
    const person = rng.pick(people)
    const byFirm = new Map<number, Account>()
    for (const a of person.accounts) if (!byFirm.has(a.firm.index)) byFirm.set(a.firm.index, a)
    const [buyAcct, sellAcct] = rng.shuffle([...byFirm.values()]).slice(0, 2)
    const q = sim.parts.brokerage.nbbo(sym, buyAcct.firm, t0)
    const inside = q.bid !== undefined && q.ask !== undefined && q.ask - q.bid >= 2
    const venue =
      q.bid === undefined || q.ask === undefined
        ? undefined
        : inside
          ? venues.find((v) => v.bestBid(sym) !== undefined && v.bestAsk(sym) !== undefined)
          : venues.find(
              (v) => v.bestBid(sym) !== undefined && (v.bestAsk(sym) ?? Number.POSITIVE_INFINITY) > q.ask!,
            )
    if (!venue) {
      // A symbol whose book never allows it is given up for another busy one after a while.
      const next = attempt % 10 === 9 ? this.busySymbol() : sym
      if (attempt < 120) sim.at(t0 + 5 * SECOND, undefined, () => this.wash(next, attempt + 1))
      return
    }
    const price = inside ? q.bid! + 1 : q.ask!
    const qty = 100 * (5 + rng.int(26))
    const s: Scenario = {
      kind: 'wash',
      sym,
      participants: [this.participant(buyAcct.firm, buyAcct), this.participant(sellAcct.firm, sellAcct)],
      events: [],
      detail: `one customer (same TID) buys through ${buyAcct.firm.imid} and sells through ${sellAcct.firm.imid}, at the same price on ${venue.id}`,
    }
    this.scenarios.push(s)
    const [first, second] = inside ? (['B', 'SL'] as const) : (['SL', 'B'] as const)
    const account = (side: Side) => (side === 'B' ? buyAcct : sellAcct)
    this.place(s, t0, account(first).firm, account(first), this.terms(t0, first, price, qty), venue)
    const t1 = t0 + 20 * MS + Math.floor(rng.exp(150 * MS))
    sim.at(t1, undefined, () => {
      const now = sim.queue.now
      this.place(
        s,
        now,
        account(second).firm,
        account(second),
        this.terms(now, second, price, qty, true),
        venue,
      )
    })
  }

  private markClose(sym: Sym): void {
    const sim = this.sim
    const rng = this.rng
    const who = this.customer()
    if (!who) return
    const [firm, account] = who
    const s: Scenario = {
      kind: 'marking-close',
      sym,
      participants: [this.participant(firm, account)],
      events: [],
      detail: '',
    }
    this.scenarios.push(s)
    const n = 6 + rng.int(10)
    const end = sim.hours.close - 20 * SECOND
    const start = sim.queue.now
    for (let i = 0; i < n; i++) {
      const at = start + Math.floor(((end - start) * (i + rng.float())) / n)
      sim.at(at, undefined, () => {
        const now = sim.queue.now
        const q = sim.parts.brokerage.nbbo(sym, firm, now)
        const ask = q.ask ?? Math.ceil(sim.fair.cents(sym, now)) + 1
        const shares = 100 * (2 + i + rng.int(5))
        const venue = sim.parts.brokerage.bestVenueFor(sym, 'B', ask + 2) ?? this.venue(sym)
        this.place(s, now, firm, account, this.terms(now, 'B', ask + 2, shares, true), venue)
        sim.fair.shock(sym, now, 0.0015)
        sim.parts.quoting.requote(sym, now + MS)
      })
    }
    s.detail = `${n} aggressive buy orders in the last minutes before the close, pushing the closing price up`
  }

  private frontRun(sym: Sym): void {
    const sim = this.sim
    const rng = this.rng
    const options = this.firmsWith((f) =>
      f.role === 'agency' || f.role === 'institutional' ? sim.accounts.institution(f, rng) : undefined,
    )
    if (options.length === 0) return
    const [firm, customer] = rng.pick(options)
    const prop = sim.accounts.own(firm, 'P')
    const t0 = sim.queue.now
    const s: Scenario = {
      kind: 'front-running',
      sym,
      participants: [this.participant(firm, prop), this.participant(firm, customer)],
      events: [],
      detail: `${firm.imid}'s proprietary desk buys ahead of a large customer buy order it holds, then sells after it`,
    }
    this.scenarios.push(s)
    const fair = sim.fair.cents(sym, t0)
    const big = 100 * (200 + rng.int(600))
    const lc = sim.truth.lifecycle(sym.symbol)
    lc.watch = s.events
    const held = sim.parts.brokerage.newOrder(
      t0,
      firm,
      sym,
      this.terms(t0, 'B', Math.round(fair * 1.01), big),
      customer,
      { lc },
    )
    sim.truth.release(lc)
    const tProp = t0 + 500 * MS + Math.floor(rng.exp(2 * SECOND))
    sim.at(tProp, undefined, () => {
      const now = sim.queue.now
      const ask = sim.parts.brokerage.nbbo(sym, firm, now).ask ?? Math.ceil(fair) + 1
      const venue = sim.parts.brokerage.bestVenueFor(sym, 'B', ask + 3) ?? this.venue(sym)
      this.place(s, now, firm, prop, this.terms(now, 'B', ask + 3, 100 * (10 + rng.int(40)), true), venue)
    })
    const tWork = tProp + 2 * SECOND + Math.floor(rng.exp(5 * SECOND))
    sim.at(tWork, held.lc, () => {
      const now = sim.queue.now
      sim.fair.shock(sym, now, 0.006)
      sim.parts.quoting.requote(sym, now + MS)
      sim.parts.flow.toExchange(now + sim.internal(), held)
    })
    sim.at(tWork + 30 * SECOND + Math.floor(rng.exp(60 * SECOND)), undefined, () => {
      const now = sim.queue.now
      const bid = sim.parts.brokerage.nbbo(sym, firm, now).bid ?? Math.floor(sim.fair.cents(sym, now))
      const venue = sim.parts.brokerage.bestVenueFor(sym, 'S', bid - 3) ?? this.venue(sym)
      this.place(s, now, firm, prop, this.terms(now, 'SL', bid - 3, 100 * (10 + rng.int(40)), true), venue)
    })
  }

  private news(sym: Sym, tNews: number): void {
    const sim = this.sim
    const rng = this.rng
    const lead = 5 * MINUTE + Math.floor(rng.float() * 25 * MINUTE)
    const s: Scenario = { kind: 'news', sym, participants: [], events: [], detail: '' }
    this.scenarios.push(s)
    const jump = 0.04 + rng.float() * 0.06
    const headline = `${sym.name} ${rng.pick(HEADLINES)}`
    sim.at(tNews - lead, undefined, () => {
      const who = this.customer()
      if (!who) return
      const [firm, account] = who
      s.participants.push(this.participant(firm, account))
      const now = sim.queue.now
      const ask = sim.parts.brokerage.nbbo(sym, firm, now).ask ?? Math.ceil(sim.fair.cents(sym, now)) + 1
      const venue = sim.parts.brokerage.bestVenueFor(sym, 'B', ask + 2) ?? this.venue(sym)
      this.place(s, now, firm, account, this.terms(now, 'B', ask + 2, 100 * (20 + rng.int(80)), true), venue)
      sim.at(tNews + 10 * MINUTE + Math.floor(rng.float() * 20 * MINUTE), undefined, () => {
        const later = sim.queue.now
        const bid = sim.parts.brokerage.nbbo(sym, firm, later).bid ?? Math.floor(sim.fair.cents(sym, later))
        const v = sim.parts.brokerage.bestVenueFor(sym, 'S', bid - 2) ?? this.venue(sym)
        this.place(
          s,
          later,
          firm,
          account,
          this.terms(later, 'SL', bid - 2, 100 * (20 + rng.int(80)), true),
          v,
        )
      })
    })
    sim.at(tNews, undefined, () => {
      const now = sim.queue.now
      sim.fair.shock(sym, now, jump)
      sim.parts.quoting.reprice(sym, now + MS)
      const ns = sim.dayBase + BigInt(now)
      s.to = ns
      sim.truth.line('news', { symbol: sym.symbol, time: ns.toString(), headline })
    })
    s.detail = `a customer buys shortly before news that lifts the price ${(jump * 100).toFixed(1)}%, and sells after it`
  }

  /** Writes the labels; returns counts by kind. */
  finish(): { total: number; byKind: Record<string, number> } {
    const byKind: Record<string, number> = {}
    let total = 0
    for (const s of this.scenarios) {
      if (s.events.length === 0) continue
      const unique = new Map(s.events.map((e) => [`${e.reporter}|${e.id}`, e]))
      let from = s.from ?? s.events[0].ts
      let to = s.to ?? s.events[0].ts
      for (const e of s.events) {
        if (e.ts < from) from = e.ts
        if (e.ts > to) to = e.ts
      }
      this.sim.truth.line('manipulations', {
        kind: s.kind,
        symbol: s.sym.symbol,
        from: from.toString(),
        to: to.toString(),
        participants: s.participants,
        events: [...unique.values()].map((e) => ({ reporter: e.reporter, firmROEID: e.id })),
        detail: s.detail,
      })
      byKind[s.kind] = (byKind[s.kind] ?? 0) + 1
      total++
    }
    return { total, byKind }
  }
}
