/**
 * Checks a simulated day against itself and its truth: metadata hashes and record counts, every record decodes
 * cleanly unless a fault labels it, every route has its counterpart, exchange books never cross when
 * replayed from the exchange events, fills never exceed order quantities, and the truth lifecycles obey
 * the link rule. Returns the problems found (none for a correct day).
 */
import type { Timestamp, Values } from '../../codec/index.ts'
import { checkMetadata, type DayRecord, readMetadata, readRecords, readTruth } from './read-day.ts'

/** A line of truth/lifecycles.ndjson. */
export interface TruthLifecycle {
  readonly id: string
  readonly symbol: string
  readonly events: readonly { reporter: string; firmROEID: string; type: string; eventTimestamp: string }[]
  readonly links: readonly {
    from: { reporter: string; firmROEID: string }
    to: { reporter: string; firmROEID: string }
    kind: string
  }[]
}

/** A line of truth/faults.ndjson. */
export interface TruthFault {
  readonly kind: string
  readonly stage: 'ingestion' | 'linkage' | 'integrity'
  readonly reporter: string
  readonly file?: string
  readonly line?: number
  readonly firmROEID?: string
  readonly codes: readonly number[]
  readonly counterparty?: { reporter: string; firmROEID?: string; codes: readonly number[] }
  readonly detail: string
}

/** What verifyDay found. */
export interface DayReport {
  /** For each record an ingestion fault labels (by file:line): the codes the codec found in it. */
  readonly decodedFaults: ReadonlyMap<string, readonly number[]>
  readonly records: number
  readonly lifecycles: number
  readonly problems: string[]
  /** Records by type. */
  readonly types: Record<string, number>
  readonly faults: readonly TruthFault[]
}

const INCOMING: Readonly<Record<string, readonly string[]>> = {
  MEOR: ['route'],
  EXOR: ['route'],
  MEOA: ['accept'],
  EXOA: ['accept'],
  MEOC: ['cancel'],
  MECOC: ['cancel'],
  MECR: ['cancel'],
  MEMR: ['modify'],
  MEIM: ['modify'],
  MEIC: ['cancel'],
  MEOCR: ['request'],
  MEORS: ['supplement'],
  MEMRS: ['supplement'],
  MECRS: ['supplement'],
  MEOMR: ['request'],
  MEIMR: ['request'],
  MEICR: ['request'],
  EXOC: ['cancel'],
  // A received modification also accepts the sender's new route.
  MEOM: ['modify', 'accept'],
  MECOM: ['modify'],
  EXOM: ['modify', 'accept'],
  MEOJ: ['modify'],
  MEOE: ['modify'],
  MEIR: ['internalRoute'],
  MECO: ['child'],
  MENOS: ['supplement'],
  MEOMS: ['supplement'],
  EXOT: ['execution'],
  MEOT: ['execution'],
  // An options exchange's acceptance of a package into its complex order book.
  EXCA: ['accept'],
  // A trade's further side (v4.1): the trade's supplement, and an execution of the order it names.
  MEOTS: ['supplement', 'execution'],
  MEOF: ['fill'],
  MEFA: ['modify', 'fill'],
  MEOFS: ['supplement', 'fill'],
  TRFT: ['report'],
}

const OUTSIDE_LIFECYCLES = new Set([
  'EXQT',
  'MEPA',
  'MOPA',
  'EXTS',
  'MEAA',
  'MOAA',
  // Quotes and every event on a quote's key, of stocks, option series and packages.
  ...['NQ', 'NQS', 'RQ', 'RQS', 'QR', 'QC', 'QM', 'QS'].flatMap((t) =>
    ['ME', 'MO', 'ML'].map((p) => `${p}${t}`),
  ),
])

/**
 * Option and multi-leg events follow the rules of their equity counterparts (MOOR, MLOR those of MEOR, ...);
 * a package's Order Supplement (MLOS) those of a supplement.
 */
function role(type: string): string {
  if (type === 'MLOS') return 'MENOS'
  return type.startsWith('MO') || type.startsWith('ML') ? `ME${type.slice(2)}` : type
}

function str(v: Values[string] | undefined): string {
  return v === undefined ? '' : String(v)
}

function num(v: Values[string] | undefined): number {
  return v === undefined ? 0 : Number(v)
}

interface BookOrder {
  side: 'B' | 'S'
  price: number | undefined
  remaining: number
  quantity: number
  filled: number
}

interface Book {
  orders: Map<string, BookOrder>
  quotes: Map<string, { bid?: [number, number]; ask?: [number, number]; seq: number }>
  lastTs: bigint
}

/** Replays one exchange's events, checking fills against quantities and that the book never crosses. */
class BookReplay {
  private readonly books = new Map<string, Book>()
  private seq = 0
  constructor(private readonly problems: string[]) {}

  private book(symbol: string): Book {
    let b = this.books.get(symbol)
    if (!b) {
      b = { orders: new Map(), quotes: new Map(), lastTs: 0n }
      this.books.set(symbol, b)
    }
    return b
  }

  private checkCross(exchange: string, symbol: string, b: Book): void {
    let bid = Number.NEGATIVE_INFINITY
    let ask = Number.POSITIVE_INFINITY
    for (const o of b.orders.values()) {
      if (o.remaining <= 0 || o.price === undefined) continue
      if (o.side === 'B') bid = Math.max(bid, o.price)
      else ask = Math.min(ask, o.price)
    }
    for (const q of b.quotes.values()) {
      if (q.bid && q.bid[1] > 0) bid = Math.max(bid, q.bid[0])
      if (q.ask && q.ask[1] > 0) ask = Math.min(ask, q.ask[0])
    }
    if (bid >= ask)
      this.problems.push(`${exchange} ${symbol}: book crossed (${bid} >= ${ask}) at ${b.lastTs}`)
  }

  apply(exchange: string, v: Values): void {
    const symbol = str(v.symbol)
    const b = this.book(symbol)
    const ts = (v.eventTimestamp as Timestamp).ns
    if (ts !== b.lastTs) {
      if (b.lastTs !== 0n) this.checkCross(exchange, symbol, b)
      b.lastTs = ts
    }
    const price = v.price === undefined ? undefined : Math.round(Number(v.price) * 100)
    switch (v.type) {
      case 'EXOA': {
        const q = num(v.quantity)
        const side = v.side === 'B' ? 'B' : 'S'
        b.orders.set(str(v.orderID), { side, price, remaining: q, quantity: q, filled: 0 })
        break
      }
      case 'EXOT': {
        const q = num(v.quantity)
        for (const [idField, leavesField, side] of [
          ['buyOrderID', 'buyLeavesQty', 'B'],
          ['sellOrderID', 'sellLeavesQty', 'S'],
        ] as const) {
          const leaves = num(v[leavesField])
          if (v[idField] !== undefined) {
            const o = b.orders.get(str(v[idField]))
            if (!o) {
              this.problems.push(`${exchange} EXOT ${v.recordID}: unknown order ${v[idField]}`)
              continue
            }
            o.filled += q
            if (o.filled > o.quantity)
              this.problems.push(`${exchange} order ${v[idField]}: filled ${o.filled} > ${o.quantity}`)
            o.remaining = leaves
          } else {
            // Equal quotes at one price fill in time priority: the earliest posted first.
            const quote = [...b.quotes.values()]
              .filter((x) => {
                const s = side === 'B' ? x.bid : x.ask
                return s !== undefined && s[0] === price && s[1] - q === leaves
              })
              .sort((x, y) => x.seq - y.seq)[0]
            if (!quote) this.problems.push(`${exchange} EXOT ${v.recordID}: no quote matches the quote side`)
            else if (side === 'B') quote.bid![1] = leaves
            else quote.ask![1] = leaves
          }
        }
        break
      }
      case 'EXOC': {
        const o = b.orders.get(str(v.orderID))
        if (!o) this.problems.push(`${exchange} EXOC ${v.recordID}: unknown order ${v.orderID}`)
        else {
          if (num(v.cancelQty) !== o.remaining) {
            this.problems.push(`${exchange} EXOC ${v.recordID}: cancels ${v.cancelQty} of ${o.remaining}`)
          }
          o.remaining = 0
        }
        break
      }
      case 'EXOM': {
        const prior = str(v.priorOrderID ?? v.orderID)
        const o = b.orders.get(prior)
        if (!o) {
          this.problems.push(`${exchange} EXOM ${v.recordID}: unknown order ${prior}`)
          break
        }
        if (v.priorOrderID !== undefined) b.orders.delete(prior)
        o.price = price
        o.quantity = num(v.quantity)
        o.remaining = num(v.leavesQty)
        if (o.filled + o.remaining !== o.quantity) {
          this.problems.push(
            `${exchange} EXOM ${v.recordID}: leaves ${o.remaining} + filled ${o.filled} != ${o.quantity}`,
          )
        }
        b.orders.set(str(v.orderID), o)
        break
      }
      case 'EXOR': {
        const o = b.orders.get(str(v.orderID))
        if (o) o.remaining = 0
        break
      }
      case 'EXQT': {
        const party = str(v.routingParty)
        if (num(v.bidQty) === 0 && num(v.askQty) === 0) b.quotes.delete(party)
        else {
          b.quotes.set(party, {
            bid: [Math.round(Number(v.bidPrice) * 100), num(v.bidQty)],
            ask: [Math.round(Number(v.askPrice) * 100), num(v.askQty)],
            seq: ++this.seq,
          })
        }
        break
      }
    }
    // Each finished order leaves the replay so memory stays small.
    if (v.type === 'EXOC' || v.type === 'EXOT' || v.type === 'EXOR') {
      for (const id of [v.orderID, v.buyOrderID, v.sellOrderID]) {
        if (id !== undefined && (b.orders.get(str(id))?.remaining ?? 1) === 0) b.orders.delete(str(id))
      }
    }
  }

  finish(exchange: string): void {
    for (const [symbol, b] of this.books) this.checkCross(exchange, symbol, b)
    this.books.clear()
  }
}

/** Checks a simulated day folder; returns every problem found. */
export async function verifyDay(dir: string): Promise<DayReport> {
  const problems: string[] = []
  const faults = await readTruth<TruthFault>(dir, 'faults.ndjson')
  const lifecycles = await readTruth<TruthLifecycle>(dir, 'lifecycles.ndjson')
  const faultAt = new Set(faults.filter((f) => f.file).map((f) => `${f.file}:${f.line}`))
  const faultOn = new Set(faults.filter((f) => f.firmROEID).map((f) => `${f.reporter}|${f.firmROEID}`))
  for (const f of faults)
    if (f.counterparty?.firmROEID) faultOn.add(`${f.counterparty.reporter}|${f.counterparty.firmROEID}`)
  const drifting = new Set(faults.filter((f) => f.kind === 'clockDrift').map((f) => f.reporter))
  // Files an integrity fault made are rejected whole: they hold no records and are checked by intake tests.
  const integrity = new Set(faults.filter((f) => f.stage === 'integrity').map((f) => f.file))
  const metas = (await readMetadata(dir)).filter((m) => !m.files.some((f) => integrity.has(f.fileName)))
  problems.push(...(await checkMetadata(dir, metas)))

  const seen = new Map<string, { type: string; ts: bigint }>()
  const types: Record<string, number> = {}
  const sent = new Map<string, string>()
  const received = new Map<string, string>()
  const quantities = new Map<string, number>()
  const trades = new Map<string, Record<'buyDetails' | 'sellDetails', Values[string] | undefined>>()
  const firmFills = new Map<string, number>()
  const replay = new BookReplay(problems)
  let records = 0
  let exchange = ''
  const decodedFaults = new Map<string, number[]>()
  const labelled = (r: DayRecord, id: string) =>
    faultAt.has(`${r.file}:${r.line}`) || faultOn.has(`${r.reporter}|${id}`)
  for await (const r of readRecords(dir, metas, problems)) {
    records++
    const v = r.decoded.values
    const id = str(v.firmROEID ?? v.recordID)
    if (faultAt.has(`${r.file}:${r.line}`))
      decodedFaults.set(
        `${r.file}:${r.line}`,
        r.decoded.findings.map((f) => f.code),
      )
    if (r.decoded.findings.length > 0) {
      if (!labelled(r, id)) {
        problems.push(`${r.file}:${r.line}: unlabelled findings ${JSON.stringify(r.decoded.findings)}`)
      }
      continue
    }
    const type = str(v.type)
    types[type] = (types[type] ?? 0) + 1
    const key = `${r.reporter}|${id}`
    if (seen.has(key) && !labelled(r, id)) problems.push(`${r.file}:${r.line}: duplicate record id ${key}`)
    seen.set(key, { type, ts: (v.eventTimestamp as Timestamp).ns })
    if (type.startsWith('EX')) {
      if (exchange !== r.reporter) {
        if (exchange) replay.finish(exchange)
        exchange = r.reporter
      }
      replay.apply(r.reporter, v)
    }
    collectRoutes(r.reporter, type, v, key, sent, received)
    collectFirmFills(r.reporter, type, v, quantities, firmFills, trades)
  }
  if (exchange) replay.finish(exchange)
  for (const [k, fills] of firmFills) {
    const q = quantities.get(k)
    if (q !== undefined && fills > q) problems.push(`order ${k}: filled ${fills} > quantity ${q}`)
  }
  for (const [routeKey, who] of sent) {
    if (!received.has(routeKey) && !faultOn.has(who))
      problems.push(`route ${who} (${routeKey}) has no counterpart`)
  }
  for (const [routeKey, who] of received) {
    if (!sent.has(routeKey) && !faultOn.has(who))
      problems.push(`accepted order ${who} (${routeKey}) has no route`)
  }
  checkLifecycles(lifecycles, seen, faultOn, drifting, problems)
  return { records, lifecycles: lifecycles.length, problems, types, faults, decodedFaults }
}

function collectRoutes(
  reporter: string,
  recordType: string,
  v: Values,
  who: string,
  sent: Map<string, string>,
  received: Map<string, string>,
): void {
  const symbol = str(v.symbol ?? v.optionID)
  const type = role(recordType)
  const rid = str(v.routedOrderID)
  const routeKey =
    v.destinationType === 'E'
      ? `E|${v.destination}|${symbol}|${v.senderIMID}|${rid}|${v.session}`
      : v.destinationType === 'F'
        ? `F|${v.destination}|${symbol}|${v.senderIMID}|${rid}`
        : undefined
  if (type === 'MEOR' || type === 'MEMR') {
    if (v.routeRejectedFlag === true) return
    if (routeKey) sent.set(routeKey, who)
  } else if ((type === 'MEORS' || type === 'MEMRS') && v.routeRejectedFlag === true) {
    // A rejection reported afterwards answers its route as an acceptance would.
    if (routeKey) received.set(routeKey, who)
  } else if (type === 'EXOR') {
    sent.set(`F|${v.routingParty}|${symbol}|${reporter}|${rid}`, who)
  } else if ((type === 'EXOA' || type === 'EXOM' || type === 'EXCA') && v.routedOrderID !== undefined) {
    received.set(`E|${reporter}|${symbol}|${v.routingParty}|${rid}|${v.session}`, who)
  } else if ((type === 'MEOA' || type === 'MEOM') && v.routedOrderID !== undefined) {
    received.set(`F|${v.receiverIMID}|${symbol}|${v.senderIMID}|${rid}`, who)
  }
}

function collectFirmFills(
  reporter: string,
  recordType: string,
  v: Values,
  quantities: Map<string, number>,
  fills: Map<string, number>,
  trades: Map<string, Record<'buyDetails' | 'sellDetails', Values[string] | undefined>>,
): void {
  const type = role(recordType)
  const sym = v.symbol ?? v.optionID
  if (type === 'MENO' || type === 'MEOA' || type === 'MEOM' || type === 'MECO' || type === 'MEIR') {
    quantities.set(`${reporter}|${sym}|${v.orderID}`, num(v.quantity))
    if (v.priorOrderID !== undefined) {
      const prior = `${reporter}|${sym}|${v.priorOrderID}`
      fills.set(`${reporter}|${sym}|${v.orderID}`, fills.get(prior) ?? 0)
    }
    return
  }
  const add = (details: Values[string] | undefined, q: number) => {
    for (const d of (details as Record<string, unknown>[] | undefined) ?? []) {
      if (d.orderID === undefined) continue
      const k = `${reporter}|${sym}|${d.orderID}`
      fills.set(k, (fills.get(k) ?? 0) + q)
    }
  }
  if (type === 'MEOT') {
    add(v.buyDetails, num(v.quantity))
    add(v.sellDetails, num(v.quantity))
    trades.set(`${reporter}|${sym}|${v.tradeID}`, {
      buyDetails: v.buyDetails,
      sellDetails: v.sellDetails,
    })
  } else if (type === 'MEOTS') {
    // A further order of a trade: its own share, which is no longer the trade's first order on its side.
    const trade = trades.get(`${reporter}|${sym}|${v.tradeID}`)
    for (const field of ['buyDetails', 'sellDetails'] as const) {
      const [d] = (v[field] as Record<string, unknown>[] | undefined) ?? []
      if (d === undefined) continue
      add(v[field], num(d.quantity as number))
      add(trade?.[field], -num(d.quantity as number))
    }
  } else if (type === 'MEOF') add(v.clientDetails, num(v.quantity))
}

function checkLifecycles(
  lifecycles: readonly TruthLifecycle[],
  seen: ReadonlyMap<string, { type: string; ts: bigint }>,
  faultOn: ReadonlySet<string>,
  drifting: ReadonlySet<string>,
  problems: string[],
): void {
  const inLifecycle = new Set<string>()
  for (const lc of lifecycles) {
    const events = new Map<string, (typeof lc.events)[number]>()
    for (const e of lc.events) {
      const k = `${e.reporter}|${e.firmROEID}`
      events.set(k, e)
      inLifecycle.add(k)
      const rec = seen.get(k)
      if (!rec && !faultOn.has(k)) problems.push(`${lc.id}: event ${k} is not in any data file`)
      else if (rec && rec.ts !== BigInt(e.eventTimestamp) && !faultOn.has(k)) {
        problems.push(`${lc.id}: event ${k} has timestamp ${e.eventTimestamp}, the record ${rec.ts}`)
      }
    }
    const incoming = new Map<string, number>()
    for (const l of lc.links) {
      const from = `${l.from.reporter}|${l.from.firmROEID}`
      const to = `${l.to.reporter}|${l.to.firmROEID}`
      const a = events.get(from)
      const b = events.get(to)
      if (!a || !b) {
        problems.push(`${lc.id}: link ${from} -> ${to} leaves the lifecycle`)
        continue
      }
      // A received modification's accept comes besides its one incoming modify link; an amended
      // fulfillment's modify besides its fill, as an MEOF's, in each lifecycle.
      if (
        !(l.kind === 'accept' && (role(b.type) === 'MEOM' || b.type === 'EXOM')) &&
        !(l.kind === 'modify' && role(b.type) === 'MEFA')
      )
        incoming.set(to, (incoming.get(to) ?? 0) + 1)
      // A labelled duplicate record id makes two events share a name; the link checks cannot tell them apart.
      if (faultOn.has(to)) continue
      if (!(INCOMING[role(b.type)] ?? []).includes(l.kind))
        problems.push(`${lc.id}: ${b.type} ${to} linked as ${l.kind}`)
      const excused =
        drifting.has(a.reporter) || drifting.has(b.reporter) || faultOn.has(from) || faultOn.has(to)
      if (BigInt(a.eventTimestamp) > BigInt(b.eventTimestamp) && !excused) {
        problems.push(`${lc.id}: ${l.kind} link ${from} -> ${to} goes back in time`)
      }
    }
    lc.events.forEach((e, i) => {
      const k = `${e.reporter}|${e.firmROEID}`
      if (faultOn.has(k)) return
      const n = incoming.get(k) ?? 0
      if (i === 0 && n !== 0) problems.push(`${lc.id}: first event ${k} has ${n} incoming links`)
      if (i > 0 && n !== 1) problems.push(`${lc.id}: event ${k} (${e.type}) has ${n} incoming links`)
    })
  }
  for (const [k, rec] of seen) {
    if (!inLifecycle.has(k) && !OUTSIDE_LIFECYCLES.has(rec.type) && !faultOn.has(k)) {
      problems.push(`record ${k} (${rec.type}) is in no lifecycle`)
    }
  }
}
