/**
 * An ATS run by a broker-dealer under its own IMID: a dark book per symbol that crosses the orders routed
 * to it, reporting MEOT for each cross (both sides named by order id) with the ATS fields, and MEOC when
 * it cancels an unfilled IOC or market order on its own.
 */
import type { Values } from '../codec/index.ts'
import { bookSide } from './exchange-venue.ts'
import type { FirmOrder } from './firm-order.ts'
import { type BookOrder, type BookSide, type Fill, OrderBook } from './order-book.ts'
import { priceText, putAtsTrade, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { planTradeReport, reportTrade } from './trade-reports.ts'
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
    book.match(side, price, entry.remaining, (fill) => this.cross(t, entry, fill))
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

  private cross(t: number, incoming: AtsEntry, fill: Fill<AtsEntry>): void {
    const sim = this.sim
    const resting = fill.resting.order
    const aggressor = incoming.order
    incoming.remaining -= fill.shares
    const buy = aggressor.terms.side === 'B' ? aggressor : resting
    const sell = aggressor.terms.side === 'B' ? resting : aggressor
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
      quantity: qtyText(fill.shares),
      price: priceText(fill.price),
      capacity: 'A',
      tapeTradeID: plan.reportedTapeTradeID,
      marketCenterID: plan.marketCenterID,
      sideDetailsInd: 'NA',
      buyDetails: [{ orderKeyDate: buy.keyDate, orderID: buy.orderID, side: buy.terms.side }],
      sellDetails: [{ orderKeyDate: sell.keyDate, orderID: sell.orderID, side: sell.terms.side }],
    }
    putAtsTrade(values, sim.next(`seq:${this.imid}`), sim.parts.brokerage.nbbo(resting.sym, this.firm, t))
    const meant = { ...values }
    const meot = sim.sink.emit(this.imid, 'MEOT', values, {
      refs: [buy.keyEvent, sell.keyEvent],
      faultable: plan.fault ? undefined : 'leaf',
    })
    const lifecycles = buy.lc === sell.lc ? [buy.lc] : [buy.lc, sell.lc]
    for (const lc of lifecycles) sim.truth.event(lc, meot)
    sim.truth.link(buy.lc, buy.keyEvent, meot, 'execution')
    sim.truth.link(sell.lc, sell.keyEvent, meot, 'execution')
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
    resting.applyFill(fill.shares, fill.price, t)
    aggressor.applyFill(fill.shares, fill.price, t)
    if (resting.leaves <= 0) {
      this.entries.delete(resting)
      resting.end(t)
    }
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
