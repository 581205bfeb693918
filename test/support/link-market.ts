/**
 * A small market written by hand for linkage tests: firms and an exchange report events through a few
 * verbs (new order, route, accept, modify, cancel, execute, ...). Every verb records the links the
 * linker must find (the edge rule of docs/linkage.md), so a scenario carries its own truth; `write`
 * produces one submission per reporter from the fixture's valid base records.
 */
import { join } from 'node:path'
import { BASE, DATE } from './fixtures.ts'
import { writeSubmission } from './submission.ts'

/** CRD of each fixture IMID (IMIDs in routes are written CRD:MPID). */
export const CRD: Record<string, number> = { ALDR: 104001, BRCH: 104002, BRCX: 104002 }
/** Submitter of each fixture reporter. */
export const SUBMITTER: Record<string, string> = {
  ALDR: '104001',
  BRCH: '104002',
  BRCX: '104002',
  NSDQ: '900001',
  FINRA: '900002',
}

/** An event of the scenario. */
export interface Ev {
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly record: Record<string, unknown>
  /** For key-establishing events: the key other events refer to. */
  readonly key?: { orderKeyDate: string; orderID: string; symbol: string }
  /** For exchange orders: the exchange order id. */
  readonly exchangeOrderID?: string
}

/** A link the linker must find. */
export interface TruthLink {
  readonly from: Ev
  readonly to: Ev
  readonly kind: string
}

/** `CRD:MPID` of a fixture firm. */
export function imid(mpid: string): string {
  return `${CRD[mpid]}:${mpid}`
}

/** A scenario under construction. */
export class LinkMarket {
  readonly events: Ev[] = []
  readonly links: TruthLink[] = []
  private seq = 0

  constructor(readonly date: string = DATE) {}

  /** HHMMSS.fff of the date → CAT timestamp text. */
  at(hms: string): string {
    return `${this.date}T${hms}`
  }

  private roe(reporter: string): string {
    return `${this.date}_${reporter}${(++this.seq).toString().padStart(4, '0')}`
  }

  /** Adds an event; `record` overrides the type's base record. */
  add(reporter: string, type: string, record: Record<string, unknown>, extra: Partial<Ev> = {}): Ev {
    const exchange = type.startsWith('EX') || type === 'TRFT'
    const base = { ...BASE[type] }
    const firmROEID =
      (record.firmROEID as string | undefined) ??
      (record.recordID as string | undefined) ??
      this.roe(reporter)
    const rec: Record<string, unknown> = exchange
      ? { actionType: 'NEW', ...base, type, exchange: reporter, ...record, recordID: firmROEID }
      : {
          actionType: 'NEW',
          manualFlag: false,
          ...base,
          type,
          CATReporterIMID: reporter,
          ...record,
          firmROEID,
        }
    for (const [k, v] of Object.entries(rec)) if (v === undefined) delete rec[k]
    const tif = rec.timeInForce as Record<string, unknown> | undefined
    if (tif && 'DAY' in tif && !('timeInForce' in record)) rec.timeInForce = { DAY: Number(this.date) }
    const ev: Ev = { reporter, firmROEID, type, record: rec, ...extra }
    this.events.push(ev)
    return ev
  }

  /** Records an expected link. */
  link(from: Ev, to: Ev, kind: string): void {
    this.links.push({ from, to, kind })
  }

  /** A new order (MENO) of a firm. */
  newOrder(
    firm: string,
    o: {
      orderID: string
      at: string
      symbol?: string
      side?: string
      quantity?: number
      price?: number
      keyAt?: string
      record?: Record<string, unknown>
    },
  ): Ev {
    const key = { orderKeyDate: this.at(o.keyAt ?? o.at), orderID: o.orderID, symbol: o.symbol ?? 'XYZ' }
    return this.add(
      firm,
      'MENO',
      {
        ...key,
        eventTimestamp: this.at(o.at),
        side: o.side ?? 'B',
        quantity: o.quantity ?? 500,
        price: o.price ?? 10.01,
        ...o.record,
      },
      { key },
    )
  }

  /** A firm's quote (MENQ) sent to another firm with a routedQuoteID. */
  quote(
    firm: string,
    o: { quoteID: string; to: string; routedQuoteID: string; at: string; record?: Record<string, unknown> },
  ): Ev {
    return this.add(firm, 'MENQ', {
      manualFlag: undefined,
      quoteKeyDate: this.at(o.at),
      quoteID: o.quoteID,
      symbol: 'XYZ',
      eventTimestamp: this.at(o.at),
      senderIMID: imid(firm),
      destination: imid(o.to),
      routedQuoteID: o.routedQuoteID,
      onlyOneQuoteFlag: false,
      bidPrice: 10,
      bidQty: 100,
      askPrice: 10.02,
      askQty: 100,
      firmDesignatedID: 'PROP1',
      accountHolderType: 'O',
      unsolicitedInd: 'N',
      ...o.record,
    })
  }

  /**
   * The receiving firm's Quote Received (MEQR) of a quote. Quotes belong to no lifecycle: the pair shows in
   * the route pairs, not as a link.
   */
  quoteReceived(quote: Ev, o: { quoteID: string; at: string; record?: Record<string, unknown> }): Ev {
    const receiver = String(quote.record.destination).split(':')[1]
    return this.add(receiver, 'MEQR', {
      manualFlag: undefined,
      quoteKeyDate: this.at(o.at),
      quoteID: o.quoteID,
      symbol: quote.record.symbol,
      receivedQuoteID: quote.record.routedQuoteID,
      eventTimestamp: this.at(o.at),
      receiverIMID: quote.record.destination,
      senderIMID: quote.record.senderIMID,
      onlyOneQuoteFlag: false,
      bidPrice: quote.record.bidPrice,
      bidQty: quote.record.bidQty,
      askPrice: quote.record.askPrice,
      askQty: quote.record.askQty,
      unsolicitedInd: 'N',
      ...o.record,
    })
  }

  /** A route (MEOR) of the order whose key `order` established, to a firm (F) or an exchange (E). */
  route(
    order: Ev,
    o: {
      to: string
      routedOrderID?: string
      at: string
      session?: string
      rejected?: boolean
      record?: Record<string, unknown>
      noLink?: boolean
    },
  ): Ev {
    const exchange = o.to === 'NSDQ' || o.to === 'NYSE'
    const ev = this.add(order.reporter, 'MEOR', {
      ...order.key,
      eventTimestamp: this.at(o.at),
      senderIMID: imid(order.reporter),
      destination: exchange ? o.to : imid(o.to),
      destinationType: exchange ? 'E' : 'F',
      routedOrderID: o.routedOrderID,
      session: exchange ? (o.session ?? 'S1') : undefined,
      side: order.record.side,
      quantity: order.record.quantity,
      price: order.record.price,
      routeRejectedFlag: o.rejected ?? false,
      ...o.record,
    })
    if (!o.noLink) this.link(order, ev, 'route')
    return ev
  }

  /** The receiving firm accepts a route (MEOA) under its own order id. */
  accept(
    route: Ev,
    o: { orderID: string; at: string; record?: Record<string, unknown>; noLink?: boolean },
  ): Ev {
    const firm = String(route.record.destination).split(':')[1]
    const key = { orderKeyDate: this.at(o.at), orderID: o.orderID, symbol: String(route.record.symbol) }
    const ev = this.add(
      firm,
      'MEOA',
      {
        ...key,
        eventTimestamp: this.at(o.at),
        receiverIMID: route.record.destination,
        senderIMID: route.record.senderIMID,
        senderType: 'F',
        routedOrderID: route.record.routedOrderID,
        side: route.record.side,
        quantity: route.record.quantity,
        price: route.record.price,
        ...o.record,
      },
      { key },
    )
    if (!o.noLink) this.link(route, ev, 'accept')
    return ev
  }

  /** The exchange accepts a route (EXOA). */
  exchangeAccept(
    route: Ev,
    o: { orderID: string; at: string; record?: Record<string, unknown>; noLink?: boolean },
  ): Ev {
    const ev = this.add(
      String(route.record.destination),
      'EXOA',
      {
        orderID: o.orderID,
        symbol: route.record.symbol,
        eventTimestamp: this.at(o.at),
        routingParty: route.record.senderIMID,
        routedOrderID: route.record.routedOrderID,
        session: route.record.session,
        side: route.record.side,
        quantity: route.record.quantity,
        displayQty: route.record.quantity,
        price: route.record.price,
        ...o.record,
      },
      { exchangeOrderID: o.orderID },
    )
    if (!o.noLink) this.link(route, ev, 'accept')
    return ev
  }

  /** A firm cancels the order whose key `order` holds (MEOC). */
  cancel(order: Ev, o: { at: string; record?: Record<string, unknown> }): Ev {
    const ev = this.add(order.reporter, 'MEOC', {
      ...order.key,
      eventTimestamp: this.at(o.at),
      cancelQty: order.record.quantity,
      leavesQty: 0,
      ...o.record,
    })
    this.link(order, ev, 'cancel')
    return ev
  }

  /**
   * A firm modifies an order (MEOM): with `newOrderID` it replaces the key (priorOrderID) and the MEOM
   * becomes the key event; `from` names the route a received modification came on.
   */
  modify(
    order: Ev,
    o: { at: string; newOrderID?: string; price?: number; from?: Ev; record?: Record<string, unknown> },
  ): Ev {
    const key = o.newOrderID
      ? { orderKeyDate: this.at(o.at), orderID: o.newOrderID, symbol: order.key!.symbol }
      : order.key!
    const received = o.from
      ? {
          receiverIMID: o.from.record.destination,
          senderIMID: o.from.record.senderIMID,
          senderType: 'F',
          routedOrderID: o.from.record.routedOrderID,
        }
      : {}
    const ev = this.add(
      order.reporter,
      'MEOM',
      {
        ...key,
        priorOrderKeyDate: o.newOrderID ? order.key!.orderKeyDate : undefined,
        priorOrderID: o.newOrderID ? order.key!.orderID : undefined,
        eventTimestamp: this.at(o.at),
        side: order.record.side,
        price: o.price ?? order.record.price,
        quantity: order.record.quantity,
        leavesQty: order.record.quantity,
        ...received,
        ...o.record,
      },
      o.newOrderID ? { key } : { key: order.key },
    )
    this.link(order, ev, 'modify')
    if (o.from) this.link(o.from, ev, 'accept')
    return ev
  }

  /** The exchange cancels an order it holds (EXOC). */
  exchangeCancel(exo: Ev, o: { at: string; record?: Record<string, unknown> }): Ev {
    const ev = this.add(exo.reporter, 'EXOC', {
      orderID: exo.exchangeOrderID,
      symbol: exo.record.symbol,
      eventTimestamp: this.at(o.at),
      side: exo.record.side,
      price: exo.record.price,
      cancelQty: exo.record.quantity,
      leavesQty: 0,
      ...o.record,
    })
    this.link(exo, ev, 'cancel')
    return ev
  }

  /** The exchange routes an order out through a member (EXOR). */
  exchangeRoute(
    exo: Ev,
    o: { to: string; routedOrderID: string; at: string; record?: Record<string, unknown> },
  ): Ev {
    const ev = this.add(exo.reporter, 'EXOR', {
      orderID: exo.exchangeOrderID,
      symbol: exo.record.symbol,
      eventTimestamp: this.at(o.at),
      side: exo.record.side,
      price: exo.record.price,
      quantity: exo.record.quantity,
      orderType: 'LMT',
      timeInForce: { IOC: true },
      routingParty: imid(o.to),
      routedOrderID: o.routedOrderID,
      ...o.record,
    })
    this.link(exo, ev, 'route')
    return ev
  }

  /** A firm accepts an exchange's outbound route (MEOA with senderType E). */
  acceptFromExchange(
    exor: Ev,
    o: { orderID: string; at: string; record?: Record<string, unknown>; noLink?: boolean },
  ): Ev {
    const firm = String(exor.record.routingParty).split(':')[1]
    const key = { orderKeyDate: this.at(o.at), orderID: o.orderID, symbol: String(exor.record.symbol) }
    const ev = this.add(
      firm,
      'MEOA',
      {
        ...key,
        eventTimestamp: this.at(o.at),
        receiverIMID: exor.record.routingParty,
        senderIMID: exor.reporter,
        senderType: 'E',
        routedOrderID: exor.record.routedOrderID,
        side: exor.record.side,
        quantity: exor.record.quantity,
        price: exor.record.price,
        ...o.record,
      },
      { key },
    )
    if (!o.noLink) this.link(exor, ev, 'accept')
    return ev
  }

  /** An execution on the exchange between two of its orders (EXOT). */
  execute(buy: Ev, sell: Ev, o: { at: string; quantity?: number; record?: Record<string, unknown> }): Ev {
    const ev = this.add(buy.reporter, 'EXOT', {
      tradeID: `T${this.seq + 1}`,
      symbol: buy.record.symbol,
      eventTimestamp: this.at(o.at),
      price: buy.record.price,
      quantity: o.quantity ?? 100,
      buyOrderID: buy.exchangeOrderID,
      sellOrderID: sell.exchangeOrderID,
      buyLeavesQty: 0,
      sellLeavesQty: 0,
      ...o.record,
    })
    this.link(buy, ev, 'execution')
    this.link(sell, ev, 'execution')
    return ev
  }

  /** A firm's trade (MEOT) between two of its orders, reported to a TRF (FINRA's TRFT follows unless `reported: false`). */
  trade(buy: Ev, sell: Ev, o: { at: string; record?: Record<string, unknown>; reported?: boolean }): Ev {
    const side = (k: Ev, s: string) => [
      { orderKeyDate: k.key!.orderKeyDate, orderID: k.key!.orderID, side: s },
    ]
    const ev = this.add(buy.reporter, 'MEOT', {
      tradeKeyDate: this.at(o.at),
      tradeID: `TR${this.seq + 1}`,
      tapeTradeID: `TAPE${this.seq + 1}`,
      symbol: buy.key!.symbol,
      eventTimestamp: this.at(o.at),
      buyDetails: side(buy, 'B'),
      sellDetails: side(sell, 'SL'),
      ...o.record,
    })
    this.link(buy, ev, 'execution')
    this.link(sell, ev, 'execution')
    if (o.reported !== false) this.tradeReport(ev)
    return ev
  }

  /**
   * FINRA's report of a firm's trade (TRFT), as the firm entered it at the facility: a `report` link from
   * the MEOT unless `record` makes them disagree (then pass `link: false`).
   */
  tradeReport(meot: Ev, o: { record?: Record<string, unknown>; link?: boolean } = {}): Ev {
    const ev = this.add('FINRA', 'TRFT', {
      symbol: meot.record.symbol,
      eventTimestamp: meot.record.eventTimestamp,
      marketCenterID: meot.record.marketCenterID,
      tapeTradeID: meot.record.tapeTradeID,
      quantity: meot.record.quantity,
      price: meot.record.price,
      rptngExctgMPID: meot.reporter,
      rptngCapacity: 'P',
      rptngSideCode: 'SL',
      ...o.record,
    })
    if (o.link !== false) this.link(meot, ev, 'report')
    return ev
  }

  /** Writes one submission per reporter (firms' OrderEvents, exchanges' ExchangeEvents) into `dir`. */
  write(
    dir: string,
    options: { number?: number; only?: (e: Ev) => boolean; doneForDay?: boolean } = {},
  ): string[] {
    const by = new Map<string, Ev[]>()
    for (const e of this.events.filter(options.only ?? (() => true)))
      by.set(e.reporter, [...(by.get(e.reporter) ?? []), e])
    const out: string[] = []
    for (const [reporter, evs] of by) {
      const exchange = reporter === 'NSDQ' || reporter === 'NYSE' || reporter === 'FINRA'
      const sub = writeSubmission(join(dir, reporter), {
        submitter: SUBMITTER[reporter],
        reporter,
        date: this.date,
        number: options.number ?? 1,
        kind: exchange ? 'ExchangeEvents' : 'OrderEvents',
        lines: evs.map((e) => JSON.stringify(e.record)),
        doneForDay: options.doneForDay ?? true,
      })
      out.push(sub.data, sub.meta)
    }
    return out
  }
}

/** `reporter firmROEID` of an event, for comparing links. */
export function tag(e: { reporter: string; firmROEID: string }): string {
  return `${e.reporter} ${e.firmROEID}`
}
