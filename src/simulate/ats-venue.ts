/**
 * An ATS run by a broker-dealer under its own IMID: a dark book per symbol that crosses the orders routed
 * to it, reporting MEOT for each cross (both sides named by order id) with the ATS fields, and MEOC when
 * it cancels an unfilled IOC or market order on its own. In v4.1 an order crossing several resting orders
 * at one price is one trade: the MEOT names the first, a supplement (MEOTS) each further one.
 */
import type { Values } from '../codec/index.ts'
import { bookSide } from './exchange-venue.ts'
import type { FirmOrder } from './firm-order.ts'
import { type BookOrder, type BookSide, type Fill, OrderBook } from './order-book.ts'
import { priceText, putAtsTrade, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { planTradeReport, reportTrade } from './trade-reports.ts'
import type { Lifecycle, TruthEvent } from './truth-recorder.ts'
import type { Firm } from './world.ts'

interface AtsEntry extends BookOrder {
  readonly order: FirmOrder
}

/** One ATS. */
export class AtsVenue {
  private readonly books = new Map<number, OrderBook<AtsEntry>>()
  private readonly entries = new Map<FirmOrder, AtsEntry>()

  constructor(
    private readonly sim: Sim,
    readonly firm: Firm,
    readonly imid: string,
  ) {}

  private book(index: number): OrderBook<AtsEntry> {
    let b = this.books.get(index)
    if (!b) {
      b = new OrderBook<AtsEntry>()
      this.books.set(index, b)
    }
    return b
  }

  /** Takes an order (just accepted, or modified): crosses it, then rests it or cancels an IOC's rest. */
  enter(order: FirmOrder, t: number): void {
    const book = this.book(order.sym.index)
    const side: BookSide = bookSide(order.terms.side)
    const price = order.terms.type === 'MKT' ? undefined : order.terms.price
    const entry: AtsEntry = {
      side,
      price: price ?? 0,
      remaining: order.leaves,
      live: false,
      hidden: true,
      order,
    }
    if (this.sim.options.fileVersion !== '4.1.0')
      book.match(side, price, entry.remaining, (fill) => this.cross(t, entry, [fill]))
    else {
      const fills: Fill<AtsEntry>[] = []
      book.match(side, price, entry.remaining, (fill) => fills.push(fill))
      for (let i = 0; i < fills.length; ) {
        let j = i + 1
        while (j < fills.length && fills[j].price === fills[i].price) j++
        this.cross(t, entry, fills.slice(i, j))
        i = j
      }
    }
    if (order.leaves <= 0) {
      order.end(t)
      return
    }
    if (price === undefined || order.terms.tif === 'IOC') {
      this.sim.parts.brokerage.reportCancel(order, t, 'F')
      order.end(t)
      return
    }
    entry.remaining = order.leaves
    book.add(entry)
    this.entries.set(order, entry)
  }

  /** One trade: the incoming order against one or more resting orders at one price. */
  private cross(t: number, incoming: AtsEntry, fills: readonly Fill<AtsEntry>[]): void {
    const sim = this.sim
    const [fill, ...further] = fills
    const resting = fill.resting.order
    const aggressor = incoming.order
    let shares = 0
    for (const f of fills) shares += f.shares
    incoming.remaining -= shares
    const buy = aggressor.terms.side === 'B' ? aggressor : resting
    const sell = aggressor.terms.side === 'B' ? resting : aggressor
    const side = (o: FirmOrder) => ({ orderKeyDate: o.keyDate, orderID: o.orderID, side: o.terms.side })
    const plan = planTradeReport(sim, 'L')
    const values: Values = {
      actionType: 'NEW',
      firmROEID: sim.roeid(this.imid),
      type: 'MEOT',
      CATReporterIMID: this.imid,
      tradeKeyDate: sim.keyDate(this.firm, t),
      tradeID: sim.id(`t:${this.imid}`, 'X'),
      symbol: resting.sym.symbol,
      eventTimestamp: sim.stamp(this.firm, t),
      manualFlag: false,
      cancelFlag: false,
      quantity: qtyText(shares),
      price: priceText(fill.price),
      capacity: 'A',
      tapeTradeID: plan.reportedTapeTradeID,
      marketCenterID: plan.marketCenterID,
      sideDetailsInd: 'NA',
      buyDetails: [side(buy)],
      sellDetails: [side(sell)],
    }
    putAtsTrade(values, sim.next(`seq:${this.imid}`), sim.parts.brokerage.nbbo(resting.sym, this.firm, t))
    const meant = { ...values }
    const meot = sim.sink.emit(this.imid, 'MEOT', values, {
      refs: [buy.keyEvent, sell.keyEvent],
      // A trade its supplements name is no leaf: rejected, it leaves them naming nothing.
      faultable: plan.fault ? undefined : further.length > 0 ? 'key' : 'leaf',
    })
    const lifecycles = buy.lc === sell.lc ? [buy.lc] : [buy.lc, sell.lc]
    for (const lc of lifecycles) sim.truth.event(lc, meot)
    sim.truth.link(buy.lc, buy.keyEvent, meot, 'execution')
    sim.truth.link(sell.lc, sell.keyEvent, meot, 'execution')
    for (const f of further) this.supplement(values, meot, lifecycles, f)
    // The ATS reports the cross as agent for both sides; the facility's report names it on the sell side.
    reportTrade(
      sim,
      plan,
      { values: meant, event: meot, lifecycles },
      {
        imid: this.imid,
        capacity: 'A',
        side: 'SL',
      },
    )
    sim.stats.atsTrades++
    for (const f of fills) {
      const o = f.resting.order
      o.applyFill(f.shares, f.price, t)
      aggressor.applyFill(f.shares, f.price, t)
      if (o.leaves <= 0) {
        this.entries.delete(o)
        o.end(t)
      }
    }
  }

  /**
   * A further resting order of a trade (MEOTS, v4.1): the trade's key and time, that order on its side.
   * It follows the trade into the lifecycles the trade is in, and joins the order's own by its execution.
   */
  private supplement(
    trade: Values,
    meot: TruthEvent,
    lifecycles: readonly Lifecycle[],
    fill: Fill<AtsEntry>,
  ): void {
    const sim = this.sim
    const o = fill.resting.order
    const values: Values = {
      actionType: 'NEW',
      firmROEID: sim.roeid(this.imid),
      type: 'MEOTS',
      CATReporterIMID: this.imid,
      tradeKeyDate: trade.tradeKeyDate,
      tradeID: trade.tradeID,
      symbol: trade.symbol,
      eventTimestamp: trade.eventTimestamp,
      [o.terms.side === 'B' ? 'buyDetails' : 'sellDetails']: [
        { orderKeyDate: o.keyDate, orderID: o.orderID, side: o.terms.side, quantity: qtyText(fill.shares) },
      ],
      multiLegInd: false,
    }
    const e = sim.sink.emit(this.imid, 'MEOTS', values, { key: meot, refs: [meot, o.keyEvent] })
    for (const lc of lifecycles) {
      sim.truth.event(lc, e)
      sim.truth.link(lc, meot, e, 'supplement')
    }
    if (!lifecycles.includes(o.lc)) sim.truth.event(o.lc, e)
    sim.truth.link(o.lc, o.keyEvent, e, 'execution')
  }

  /** Takes a resting order out of the book (for a cancel or a modification); false if it is not resting. */
  remove(order: FirmOrder): boolean {
    const entry = this.entries.get(order)
    if (!entry?.live) return false
    this.book(order.sym.index).remove(entry)
    this.entries.delete(order)
    return order.leaves > 0
  }
}
