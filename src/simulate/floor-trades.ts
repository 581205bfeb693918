/**
 * v4.1: option trades made by hand on an options exchange's floor (open outcry). A firm's floor broker
 * takes an institution's option order to the trading crowd and trades it with a market maker there; the
 * trade is not part of a route to the exchange's matching engine, so each side reports its own Option
 * Trade (MOOT): single-sided, manual, printed to the tape by the exchange (its Exchange ID as
 * marketCenterID, the same tapeTradeID on both sides) and naming its clearing firm. The broker's side names
 * the customer's order; the market maker's its own account (FDID), with no order behind it.
 */
import type { Values } from '../codec/index.ts'
import type { FirmOrder } from './firm-order.ts'
import { priceText, qtyText } from './record-values.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'
import type { Firm } from './world.ts'

/** Takes the order to the floor; false (nothing done) when no market maker or no time is left. */
export function floorTrade(sim: Sim, order: FirmOrder, t: number): boolean {
  const makers = sim.world.firms.filter((f) => f.marketMaker && f !== order.firm)
  if (makers.length === 0 || !sim.sink.has('MOOT')) return false
  const maker = sim.rng.pick(makers)
  const venue = sim.parts.brokerage.pickVenue(order.sym)
  // The broker walks the order to the crowd; the trade is keyed into the firms' systems a little later.
  const at = t + SECOND + Math.floor(sim.rng.exp(20 * SECOND))
  const entered = at + SECOND + Math.floor(sim.rng.exp(5 * SECOND))
  if (entered >= sim.hours.close) return false
  sim.at(at, order.lc, () => {
    if (order.closed || order.busy || order.leaves <= 0) return
    const buy = order.terms.side === 'B'
    const fair = Math.max(1, Math.round(sim.fair.cents(order.sym, at)))
    const limit = order.terms.price
    const price = limit === undefined ? fair : buy ? Math.min(limit, fair) : Math.max(limit, fair)
    const trade = {
      quantity: qtyText(order.leaves),
      price: priceText(price),
      tapeTradeID: sim.id(`floor:${venue.id}`, `${venue.id}F`),
      marketCenterID: venue.id,
    }
    const own = sim.accounts.own(maker, 'O')
    const customer = { orderKeyDate: order.keyDate, orderID: order.orderID, side: order.terms.side }
    const contra = { side: buy ? 'SL' : 'B', firmDesignatedID: own.fdid, accountHolderType: own.holderType }
    const broker = moot(sim, order.firm, order.imid, order, at, entered, trade, 'A', customer)
    const e = sim.sink.emit(order.imid, 'MOOT', broker, { refs: [order.keyEvent], faultable: 'leaf' })
    sim.truth.event(order.lc, e)
    sim.truth.link(order.lc, order.keyEvent, e, 'execution')
    // The market maker's side links to no order: a lifecycle of its own.
    const mm = moot(sim, maker, maker.imid, order, at, entered, trade, 'P', contra)
    const lc = sim.truth.lifecycle(order.sym.symbol)
    sim.truth.event(lc, sim.sink.emit(maker.imid, 'MOOT', mm, { faultable: 'leaf' }))
    sim.truth.release(lc)
    order.applyFill(order.leaves, price, at)
    order.end(at)
  })
  return true
}

/** One side's Option Trade. */
function moot(
  sim: Sim,
  firm: Firm,
  imid: string,
  order: FirmOrder,
  at: number,
  entered: number,
  trade: Values,
  capacity: 'A' | 'P',
  side: Record<string, string | Values[string]>,
): Values {
  const buy = side.side === 'B'
  return {
    actionType: 'NEW',
    firmROEID: sim.roeid(imid),
    type: 'MOOT',
    CATReporterIMID: imid,
    tradeKeyDate: sim.keyDate(firm, at),
    tradeID: sim.id(`t:${imid}`, 'T'),
    optionID: order.sym.symbol,
    eventTimestamp: sim.stamp(firm, at),
    manualFlag: true,
    electronicTimestamp: sim.stamp(firm, entered),
    cancelFlag: false,
    quantity: trade.quantity,
    price: trade.price,
    capacity,
    tapeTradeID: trade.tapeTradeID,
    sideDetailsInd: buy ? 'BUY' : 'SELL',
    [buy ? 'buyDetails' : 'sellDetails']: [side],
    marketCenterID: trade.marketCenterID,
    multiLegInd: false,
    clearingFirm: firm.crd,
  } as Values
}
