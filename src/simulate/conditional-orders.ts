/**
 * Conditional orders (v4.1): a customer's stop order is entered (MENO, MONO, MLNO with the STOP handling
 * instruction naming its trigger price) and held at the firm until the market reaches the trigger; it then
 * becomes effective (MEOE, MOOE, MLOE with `triggerPrice`) and is sent on like any order. One that is never
 * triggered expires unreported at the end of the day.
 */
import type { FirmOrder } from './firm-order.ts'
import type { Sim } from './sim.ts'
import { SECOND } from './trading-hours.ts'

/** Whether the day's file version reports conditional orders becoming effective for this order's instrument. */
export function conditionalOrders(sim: Sim, type: string): boolean {
  return sim.options.fileVersion === '4.1.0' && sim.sink.has(type)
}

/** A stop's trigger a little beyond the reference price: above it for a buy, below it for a sale. */
export function stopTrigger(sim: Sim, buy: boolean, refCents: number): number {
  const away = Math.max(1, Math.round(refCents * (0.0003 + sim.rng.float() * 0.0012)))
  return buy ? refCents + away : Math.max(1, refCents - away)
}

/**
 * Holds `order` until `reference()` reaches `trigger` (at or above it for a buy, at or below for a sale),
 * looking every few seconds until the close; then reports it effective and calls `send` at that time.
 */
export function holdUntilTriggered(
  sim: Sim,
  order: FirmOrder,
  buy: boolean,
  trigger: number,
  reference: () => number,
  send: (t: number) => void,
): void {
  const look = () => {
    const now = sim.queue.now
    if (order.closed) return
    if (now >= sim.hours.close) {
      order.end(now)
      return
    }
    const ref = reference()
    if (buy ? ref >= trigger : ref <= trigger) {
      sim.parts.brokerage.effective(now, order, trigger)
      send(now + sim.internal())
      return
    }
    sim.at(now + 2 * SECOND + Math.floor(sim.rng.exp(15 * SECOND)), order.lc, look)
  }
  sim.at(sim.queue.now + SECOND + Math.floor(sim.rng.exp(10 * SECOND)), order.lc, look)
}
