/**
 * An order (or one side of a market maker's quote) on an exchange's book. Fills travel to the route that
 * brought it; when it ends, the route's sender is told.
 */
import type { Route, Upstream } from './firm-order.ts'
import type { BookOrder, BookSide } from './order-book.ts'
import type { OrderTerms } from './record-values.ts'
import type { Lifecycle, TruthEvent, TruthRecorder } from './truth-recorder.ts'
import type { Sym } from './world.ts'

/** An order resting on (or arriving at) an exchange. */
export class ExchangeOrder implements BookOrder, Upstream {
  live = false
  remaining: number
  filled = 0
  closed = false
  /** Set while the exchange has routed the order out (EXOR) and waits for the outcome. */
  outbound: Route | undefined

  constructor(
    readonly side: BookSide,
    public price: number,
    public quantity: number,
    readonly hidden: boolean,
    readonly sym: Sym,
    public orderID: string,
    public terms: OrderTerms,
    /** The EXOA (or latest EXOM that assigned a new id); undefined for quotes. */
    public keyEvent: TruthEvent | undefined,
    readonly lc: Lifecycle | undefined,
    /** The member route that brought the order (undefined for quotes). */
    public route: Route | undefined,
    /** For quotes: the market maker's quote it belongs to. */
    readonly quoteOf: object | undefined,
    private readonly truth: TruthRecorder,
  ) {
    this.remaining = quantity
    if (lc) truth.hold(lc)
  }

  applyFill(shares: number, priceCents: number, t: number): void {
    this.filled += shares
    this.route?.from.applyFill(shares, priceCents, t)
  }

  routeEnded(route: Route, t: number): void {
    route.live = false
    if (this.outbound === route) this.outbound = undefined
    this.close(t)
  }

  /** Ends the order on the exchange and tells the member that sent it. */
  close(t: number, notify = true): void {
    if (this.closed) return
    this.closed = true
    this.live = false
    if (notify && this.route) this.route.from.routeEnded(this.route, t)
    if (this.lc) this.truth.release(this.lc)
  }
}
