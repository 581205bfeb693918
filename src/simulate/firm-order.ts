/**
 * Orders as the simulation tracks them: a firm's order (one order key at a time, moving to a new key on
 * a modification or internal route), and the routes that carry an order from one reporter to the next.
 * Fills travel back up the chain of routes so every holder knows its filled quantity.
 */
import type { Timestamp } from '../codec/index.ts'
import type { Account } from './customers.ts'
import type { ExchangeOrder } from './exchange-order.ts'
import type { ExchangeVenue } from './exchange-venue.ts'
import type { OrderTerms } from './record-values.ts'
import type { Lifecycle, TruthEvent, TruthRecorder } from './truth-recorder.ts'
import { type Firm, instrumentField, type Sym } from './world.ts'

/** Something a route starts from: told about fills downstream and about the route ending. */
export interface Upstream {
  applyFill(shares: number, priceCents: number, t: number): void
  routeEnded(route: Route, t: number): void
}

/** Where a route goes. */
export type RouteDest =
  | { readonly kind: 'E'; readonly venue: ExchangeVenue; readonly session: string }
  | { readonly kind: 'F'; readonly firm: Firm; readonly imid: string }

/** One route: MEOR (or EXOR) from an upstream order to a venue or firm. */
export interface Route {
  readonly from: Upstream
  readonly dest: RouteDest
  /** `CRD:IMID` of the sender as the receiver knows it, or the Exchange ID for EXOR. */
  readonly senderIMID: string
  routedOrderID: string
  /** The MEOR or EXOR event. */
  sent: TruthEvent
  /** The accepted order downstream, once it arrived. */
  target: ExchangeOrder | FirmOrder | undefined
  live: boolean
}

/** How an order came to a firm (the MEOA's sender fields, repeated on an MEOM it receives). */
export interface Inbound {
  readonly route: Route
  readonly senderType: 'F' | 'E'
  readonly receiverIMID: string
}

/** Called as an order fills or ends (algo parents, representative orders, the flows). */
export interface OrderListener {
  onFill?(order: FirmOrder, shares: number, priceCents: number, t: number): void
  onEnd?(order: FirmOrder, t: number): void
}

/** What kind of order key a firm order holds. */
export type FirmOrderKind = 'order' | 'child'

/** An order held by one firm IMID. */
export class FirmOrder implements Upstream {
  filled = 0
  /** Sum of shares × price in cents of the fills. */
  notional = 0
  route: Route | undefined
  inbound: Inbound | undefined
  parent: FirmOrder | undefined
  listener: OrderListener | undefined
  /** A cancel or modification is travelling down the chain. */
  busy = false
  closed = false

  constructor(
    readonly firm: Firm,
    /** The reporting IMID (the firm's main IMID or its ATS IMID). */
    readonly imid: string,
    readonly sym: Sym,
    readonly lc: Lifecycle,
    public orderID: string,
    public keyDate: Timestamp,
    public keyEvent: TruthEvent,
    public terms: OrderTerms,
    readonly kind: FirmOrderKind,
    readonly deptType: string,
    readonly account: Account | undefined,
    private readonly truth: TruthRecorder,
  ) {
    truth.hold(lc)
  }

  /** Shares not yet filled. */
  get leaves(): number {
    return this.terms.quantity - this.filled
  }

  /** Average fill price in cents. */
  get averagePrice(): number {
    return this.filled > 0 ? this.notional / this.filled : 0
  }

  /** The order's key fields (orderKeyDate, orderID, and symbol, optionID or a package's underlying). */
  key(): {
    orderKeyDate: Timestamp
    orderID: string
    symbol?: string
    optionID?: string
    underlying?: string
  } {
    return { orderKeyDate: this.keyDate, orderID: this.orderID, [instrumentField(this.sym)]: this.sym.symbol }
  }

  applyFill(shares: number, priceCents: number, t: number): void {
    this.filled += shares
    this.notional += shares * priceCents
    this.inbound?.route.from.applyFill(shares, priceCents, t)
    this.parent?.applyFill(shares, priceCents, t)
    this.listener?.onFill?.(this, shares, priceCents, t)
  }

  routeEnded(route: Route, t: number): void {
    route.live = false
    if (this.route === route) this.route = undefined
    if (this.busy || this.closed) return
    this.end(t)
  }

  /** Ends the order (filled, expired or cancelled) and tells whoever sent it. */
  end(t: number): void {
    if (this.closed) return
    this.closed = true
    this.listener?.onEnd?.(this, t)
    if (this.inbound) this.inbound.route.from.routeEnded(this.inbound.route, t)
    this.truth.release(this.lc)
  }
}
