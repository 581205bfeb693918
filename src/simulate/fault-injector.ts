/**
 * Reporting faults, injected on request and labelled in truth/faults.ndjson with the CAT codes the
 * repository should return: record-level ingestion errors (one code each), duplicate keys and record ids,
 * out-of-sequence events, broken route links (routedOrderID mismatch, wrong destination, a missing
 * acceptance, a wrong exchange session), a route modification or cancellation naming no route, the linkage
 * consequences of a rejected key-establishing record, reporter clock drift, and file-integrity faults on
 * extra files.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Timestamp, Values } from '../codec/index.ts'
import { bzip2Writer } from '../common/bzip2.ts'
import { formatCatTimestamp, previousTradingDay } from '../common/time/index.ts'
import type { FirmOrder, Route, RouteDest } from './firm-order.ts'
import type { PendingRecord, RecordHook } from './record-sink.ts'
import { metadataText, type RecordLocation, type ReporterStream, sha256File } from './reporter-stream.ts'
import type { Rng } from './rng.ts'
import type { Sim } from './sim.ts'
import type { TradeReportFaultKind } from './trade-reports.ts'
import type { TruthEvent } from './truth-recorder.ts'
import type { Firm } from './world.ts'

/** A record-level fault: when it applies, and what it does to the values or the encoded line. */
interface RecordFault {
  readonly kind: string
  readonly codes: (rec: PendingRecord, inj: FaultInjector) => number[]
  readonly applies: (rec: PendingRecord) => boolean
  readonly apply: (rec: PendingRecord, inj: FaultInjector) => ((line: string) => string) | undefined
  readonly detail: string
}

/** Kinds of route faults. */
export type RouteFaultKind = 'routedOrderIdMismatch' | 'wrongDestination' | 'missingAccept' | 'wrongSession'

const REQUIRED_SKIP = new Set([
  'actionType',
  'type',
  'firmROEID',
  'eventTimestamp',
  'orderID',
  'symbol',
  'optionID',
  'orderKeyDate',
])

function has(rec: PendingRecord, field: string): boolean {
  return rec.event.byName.has(field)
}

function leaf(rec: PendingRecord): boolean {
  return rec.ctx.faultable === 'leaf'
}

function faultable(rec: PendingRecord): boolean {
  return rec.ctx.faultable === 'leaf' || rec.ctx.faultable === 'key'
}

/** Replaces one field's raw text in an encoded line (JSON by name, CSV by position). */
function replaceRaw(line: string, rec: PendingRecord, csv: boolean, field: string, raw: string): string {
  const f = rec.event.byName.get(field)!
  if (csv) {
    const cells = line.split(',')
    cells[f.position - 1] = raw
    return cells.join(',')
  }
  return line.replace(new RegExp(`"${field}":("[^"]*"|[^,}]*)`), `"${field}":${raw}`)
}

const RECORD_FAULTS: readonly RecordFault[] = [
  {
    kind: 'invalidSide',
    detail: 'side is not one of B, SL, SS, SX',
    codes: () => [2095],
    applies: (r) => leaf(r) && r.values.side !== undefined,
    apply: (r) => {
      r.values.side = 'Buy'
      return undefined
    },
  },
  {
    kind: 'quantityTrailingZero',
    detail: 'Real Quantity written with a trailing zero in the fraction',
    codes: () => [2076],
    applies: (r) =>
      leaf(r) && typeof r.values.quantity === 'string' && !String(r.values.quantity).includes('.'),
    apply: (r) => {
      r.values.quantity = `${r.values.quantity}.0`
      return undefined
    },
  },
  {
    kind: 'priceOnMarketOrder',
    detail: 'a price on an MKT order (cross-field rule)',
    codes: () => [2067],
    applies: (r) => faultable(r) && r.values.orderType === 'MKT' && has(r, 'price'),
    apply: (r) => {
      r.values.price = '10.00'
      return undefined
    },
  },
  {
    kind: 'badTimestamp',
    detail: 'eventTimestamp is not a valid timestamp (hour 25)',
    codes: () => [2027],
    // An ATS record's seqNum order is checked against its timestamp, so a bad one would add 2092.
    applies: (r) => leaf(r) && r.values.seqNum === undefined,
    apply: (r, inj) => {
      const ts = r.values.eventTimestamp as Timestamp
      const text = formatCatTimestamp(ts.ns, ts.digits)
      const bad = `${text.slice(0, 9)}25${text.slice(11)}`
      return (line) => replaceRaw(line, r, inj.csv, 'eventTimestamp', inj.csv ? bad : `"${bad}"`)
    },
  },
  {
    kind: 'secondsOnlyTimestamp',
    detail: 'an electronic event timestamped to the second only (precision rule)',
    codes: () => [2027],
    applies: (r) => leaf(r) && r.values.manualFlag === false,
    apply: (r) => {
      const ts = r.values.eventTimestamp as Timestamp
      r.values.eventTimestamp = { ns: ts.ns - (ts.ns % 1_000_000_000n), digits: 0, form: 'string' }
      return undefined
    },
  },
  {
    kind: 'firmROEIDDate',
    detail: 'the date in firmROEID is not the event date',
    codes: () => [2033],
    applies: (r) => leaf(r),
    apply: (r, inj) => {
      const id = String(r.values.firmROEID)
      r.values.firmROEID = `${inj.previousDate}${id.slice(8)}`
      return undefined
    },
  },
  {
    kind: 'unknownField',
    detail: 'a field the event type does not define',
    codes: () => [2133],
    applies: (r) => leaf(r),
    apply: (_r, inj) => (line) => (inj.csv ? `${line},EXTRA` : `${line.slice(0, -1)},"remark":"late entry"}`),
  },
  {
    kind: 'brokenLine',
    detail: 'the line is not valid JSON (truncated) or has too few CSV positions',
    codes: () => [2134],
    applies: (r) => leaf(r),
    apply: (_r, inj) => (line) => (inj.csv ? line.split(',').slice(0, 4).join(',') : line.slice(0, -1)),
  },
  {
    kind: 'recordTooLong',
    detail: 'the line is longer than 8,190 bytes (padding that is otherwise harmless)',
    codes: () => [2132],
    applies: (r) => leaf(r),
    apply: (_r, inj) => (line) => {
      const pad = ' '.repeat(8200)
      const i = line.indexOf(',') + 1
      return inj.csv ? line.slice(0, i) + pad + line.slice(i) : `{${pad}${line.slice(1)}`
    },
  },
  {
    kind: 'unknownSymbol',
    detail: 'a symbol that is not in the symbol master (reference data)',
    codes: () => [2096],
    applies: (r) => faultable(r) && r.values.symbol !== undefined,
    apply: (r) => {
      r.values.symbol = 'ZZQXV'
      return undefined
    },
  },
  {
    kind: 'missingRequiredField',
    detail: 'a required field is left out',
    codes: (r, inj) => [r.event.byName.get(inj.missingField)!.spec.code],
    applies: (r) => faultable(r) && requiredCandidates(r).length > 0,
    apply: (r, inj) => {
      inj.missingField = inj.rng.pick(requiredCandidates(r))
      delete r.values[inj.missingField]
      return undefined
    },
  },
  {
    kind: 'reporterImidMismatch',
    detail: "CATReporterIMID is another firm's IMID, not the file's",
    codes: () => [2011],
    applies: (r) => leaf(r) && r.values.CATReporterIMID !== undefined,
    apply: (r, inj) => {
      r.values.CATReporterIMID = inj.otherImid(r.reporter)
      return undefined
    },
  },
  {
    kind: 'dayNotEventDate',
    detail: 'timeInForce DAY is neither the event date nor the next trading day',
    codes: () => [2101],
    applies: (r) =>
      faultable(r) && (r.values.timeInForce as Record<string, unknown> | undefined)?.DAY !== undefined,
    apply: (r, inj) => {
      r.values.timeInForce = { DAY: inj.previousDate }
      return undefined
    },
  },
  {
    kind: 'errorROEIDOnNew',
    detail: 'errorROEID on a NEW record',
    codes: () => [2026],
    applies: (r) => leaf(r),
    apply: (r) => {
      r.values.errorROEID = '4711'
      return undefined
    },
  },
  {
    kind: 'leavesAboveQuantity',
    detail: 'leavesQty greater than quantity',
    codes: () => [2040],
    applies: (r) => leaf(r) && r.values.leavesQty !== undefined && r.values.quantity !== undefined,
    apply: (r) => {
      r.values.leavesQty = String(Math.floor(Number(r.values.quantity)) + 100)
      return undefined
    },
  },
]

function requiredCandidates(r: PendingRecord): string[] {
  return r.event.fields
    .filter(
      (f) =>
        f.include === 'R' &&
        !REQUIRED_SKIP.has(f.name) &&
        f.spec.type.kind !== 'boolean' &&
        f.name !== 'reservedForFutureUse' &&
        r.values[f.name] !== undefined,
    )
    .map((f) => f.name)
}

const KEY_CONSEQUENCE: Readonly<Record<string, number>> = { MEOT: 3502, MOOT: 3502, MEOF: 3503, MOOF: 3503 }

/** Route modifications and cancellations: they name the route they change by its routedOrderID. */
const ROUTE_CHANGES = new Set(['MEMR', 'MOMR', 'MLMR', 'MECR', 'MOCR', 'MLCR'])
/** Events that name a fulfillment's key before the side orders they carry. */
const FULFILLMENT_KEYED = new Set(['MEFA', 'MOFA', 'MEOFS', 'MOOFS'])
/** Events that name a trade's key before the side order they carry (v4.1 trade supplements). */
const TRADE_KEYED = new Set(['MEOTS'])
/** Supplements that continue their event and carry its timestamp (3602 when it differs). */
const TIMED_SUPPLEMENTS = new Set(['MEOTS', 'MEOMS', 'MOOMS'])

/** Injects and labels faults; a no-op when the fault rate is 0 and no clock drifts. */
export class FaultInjector implements RecordHook {
  private readonly counts = new Map<string, number>()
  private readonly byCode = new Map<string, number>()
  private readonly broken = new Map<TruthEvent, string>()
  private readonly lastId = new Map<string, { id: string; where: RecordLocation }>()
  private readonly routeFaults = new Map<Route, RouteFaultKind>()
  private pending: { kind: string; dropRecord?: boolean; extra?: boolean } | undefined
  readonly csv: boolean
  readonly previousDate: number
  /** The field the last missing-field fault left out. */
  missingField = ''
  total = 0

  constructor(
    private readonly sim: Sim,
    readonly rng: Rng,
    private readonly rate: number,
  ) {
    this.csv = sim.options.format === 'csv'
    this.previousDate = previousTradingDay(sim.options.calendar, sim.date)
  }

  /** An IMID of another firm (for the CATReporterIMID fault). */
  otherImid(reporter: string): string {
    const firms = this.sim.world.firms
    const other = firms.find((f) => f.imid !== reporter && f.atsImid !== reporter)!
    return other.imid
  }

  private count(kind: string, codes: readonly number[]): void {
    this.total++
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
    for (const c of codes) this.byCode.set(String(c), (this.byCode.get(String(c)) ?? 0) + 1)
  }

  /** Writes one fault line and counts it. */
  label(fault: {
    kind: string
    stage: 'ingestion' | 'linkage' | 'integrity'
    reporter: string
    file?: string
    line?: number
    firmROEID?: string
    codes: number[]
    counterparty?: { reporter: string; firmROEID?: string; codes: number[] }
    detail: string
  }): void {
    this.count(fault.kind, fault.codes)
    this.sim.truth.line('faults', fault)
  }

  /** Counts of injected faults by kind and by code (for the summary). */
  tallies(): { total: number; byKind: Record<string, number>; byCode: Record<string, number> } {
    const sorted = (m: Map<string, number>) =>
      Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    return { total: this.total, byKind: sorted(this.counts), byCode: sorted(this.byCode) }
  }

  /** Exchanges of the day's other markets (options exchanges): participants, not firms. */
  private readonly otherExchanges = new Set<string>()

  /** Takes another market's exchanges as participants, whose records get no firm faults. */
  addExchanges(ids: Iterable<string>): void {
    for (const id of ids) this.otherExchanges.add(id)
  }

  private isFirm(reporter: string): boolean {
    return (
      !this.sim.parts.venues.has(reporter) &&
      !this.otherExchanges.has(reporter) &&
      reporter !== this.sim.world.tradeReporting.id
    )
  }

  /** Picks the least-used applicable kind so every kind shows up even on small days. */
  private choose<T extends { kind: string }>(options: readonly T[]): T | undefined {
    let best: T | undefined
    let bestCount = Number.POSITIVE_INFINITY
    for (const o of options) {
      const n = this.counts.get(o.kind) ?? 0
      if (n < bestCount) {
        best = o
        bestCount = n
      }
    }
    return best
  }

  before(rec: PendingRecord): { rewrite?: (line: string) => string; drop?: boolean } | undefined {
    this.pending = undefined
    if (rec.ctx.drop) {
      this.pending = { kind: 'missingAccept', dropRecord: true }
      return { drop: true }
    }
    // Route changes are few: they get faults five times as often, naming no route first of all; so do the
    // few supplements that carry their event's timestamp.
    const changesRoute = ROUTE_CHANGES.has(rec.event.type)
    const rare = changesRoute || TIMED_SUPPLEMENTS.has(rec.event.type)
    const rate = rare ? Math.min(1, 5 * this.rate) : this.rate
    if (this.rate <= 0 || !this.isFirm(rec.reporter) || !this.rng.chance(rate)) return undefined
    const options: { kind: string }[] = changesRoute ? [{ kind: 'routeNotFound' }] : []
    options.push(...RECORD_FAULTS.filter((f) => f.applies(rec)))
    if (leaf(rec) && this.lastId.has(rec.reporter)) options.push({ kind: 'duplicateFirmROEID' })
    if (leaf(rec) && rec.ctx.key && rec.values.eventTimestamp) options.push({ kind: 'outOfSequence' })
    if (rec.event.type === 'MENO') options.push({ kind: 'duplicateOrderKey' })
    if (TIMED_SUPPLEMENTS.has(rec.event.type) && rec.ctx.key) options.push({ kind: 'supplementTimestamp' })
    const chosen = this.choose(options)
    if (!chosen) return undefined
    this.pending = { kind: chosen.kind }
    if (chosen.kind === 'duplicateFirmROEID') {
      rec.values.firmROEID = this.lastId.get(rec.reporter)!.id
      return undefined
    }
    if (chosen.kind === 'supplementTimestamp') {
      // Later than the event it continues, so never out of sequence as well.
      const ts = rec.values.eventTimestamp as Timestamp
      const ns = ts.ns + BigInt(2 + this.rng.int(400)) * 1_000_000n
      rec.values.eventTimestamp = { ns, digits: ts.digits, form: 'string' }
      return undefined
    }
    if (chosen.kind === 'outOfSequence') {
      const key = rec.ctx.key!
      const back = BigInt(51 + this.rng.int(450)) * 1_000_000n
      const ts = rec.values.eventTimestamp as Timestamp
      const q = 10n ** BigInt(9 - ts.digits)
      let ns = key.ts - back
      ns -= ns % q
      if (ns < this.sim.dayBase) {
        this.pending = undefined
        return undefined
      }
      rec.values.eventTimestamp = { ns, digits: ts.digits, form: 'string' }
      return undefined
    }
    if (chosen.kind === 'duplicateOrderKey') {
      this.pending = { kind: 'duplicateOrderKey', extra: true }
      return undefined
    }
    if (chosen.kind === 'routeNotFound') {
      // A modification names the route it changes in priorRoutedOrderID (its own routedOrderID is the
      // receiver's key); a cancellation in routedOrderID.
      const field = rec.values.priorRoutedOrderID !== undefined ? 'priorRoutedOrderID' : 'routedOrderID'
      rec.values[field] = `${rec.values[field]}X`
      return undefined
    }
    const rewrite = (chosen as RecordFault).apply(rec, this)
    return rewrite ? { rewrite } : {}
  }

  after(rec: PendingRecord, where: RecordLocation | undefined, event: TruthEvent): void {
    const pending = this.pending
    this.pending = undefined
    const isFirm = this.isFirm(rec.reporter)
    if (where && isFirm) this.lastId.set(rec.reporter, { id: event.id, where })
    this.consequences(rec, event)
    if (!pending || pending.dropRecord) return
    const base = {
      stage: 'ingestion' as const,
      reporter: rec.reporter,
      file: where?.file,
      line: where?.line,
      firmROEID: event.id,
    }
    if (pending.kind === 'duplicateFirmROEID') {
      this.label({
        ...base,
        kind: 'duplicateFirmROEID',
        stage: 'linkage',
        codes: [3002],
        detail:
          'firmROEID repeats an earlier record of the same reporter and date; OpenCAT labels the later one (the digest does not say whether both are rejected)',
      })
      return
    }
    if (pending.kind === 'supplementTimestamp') {
      this.label({
        ...base,
        kind: 'supplementTimestamp',
        stage: 'linkage',
        codes: [3602],
        detail: `timestamped a few milliseconds after the event it supplements (${rec.ctx.key!.reporter} ${rec.ctx.key!.id})`,
      })
      return
    }
    if (pending.kind === 'outOfSequence') {
      this.label({
        ...base,
        kind: 'outOfSequence',
        stage: 'linkage',
        codes: [3601],
        detail: `timestamped more than 50 ms before the event that established its key (${rec.ctx.key!.reporter} ${rec.ctx.key!.id})`,
      })
      return
    }
    if (pending.kind === 'duplicateOrderKey') {
      this.duplicateKey(rec, event)
      return
    }
    if (pending.kind === 'routeNotFound') {
      this.label({
        ...base,
        kind: 'routeNotFound',
        stage: 'linkage',
        codes: [3501],
        detail: `${rec.event.type} names a routedOrderID no route of ${rec.reporter} carries under its order key date`,
      })
      return
    }
    const fault = RECORD_FAULTS.find((f) => f.kind === pending.kind)!
    const codes = fault.codes(rec, this)
    const detail =
      fault.kind === 'missingRequiredField' ? `${fault.detail}: ${this.missingField}` : fault.detail
    this.label({ ...base, kind: fault.kind, codes, detail })
    if (rec.ctx.faultable === 'key') this.broken.set(event, fault.kind)
  }

  /** A record whose key (or a trade side's order) was established by a rejected record. */
  private consequences(rec: PendingRecord, event: TruthEvent): void {
    if (this.broken.size === 0) return
    const refs = rec.ctx.refs ?? (rec.ctx.key ? [rec.ctx.key] : [])
    for (const ref of refs) {
      const cause = this.broken.get(ref)
      if (!cause) continue
      // An amended fulfillment (or a fulfillment's supplement) names the fulfillment first (its prior or own
      // key: 3501), then its side orders (3503); a trade's supplement the trade, then its side's order (3502).
      const amendsSide = FULFILLMENT_KEYED.has(rec.event.type) && ref !== refs[0]
      const tradeSide = TRADE_KEYED.has(rec.event.type) && ref !== refs[0]
      const code = amendsSide ? 3503 : tradeSide ? 3502 : (KEY_CONSEQUENCE[rec.event.type] ?? 3501)
      this.label({
        kind: 'keyNotFound',
        stage: 'linkage',
        reporter: rec.reporter,
        firmROEID: event.id,
        codes: [code],
        detail: `refers to the order key of ${ref.reporter} ${ref.id}, which was rejected (${cause}) or never reported`,
      })
      return
    }
  }

  /** Writes a second MENO with the same order key right after the first: both get 3004. */
  private duplicateKey(rec: PendingRecord, event: TruthEvent): void {
    const sim = this.sim
    const values: Values = Object.assign({}, rec.values)
    values.firmROEID = sim.roeid(rec.reporter)
    values.quantity = String(Math.max(1, Math.round(Number(values.quantity) || 1)) + 100)
    const second = sim.sink.extra(rec.reporter, 'MENO', values)
    const detail =
      'two MENO records share one order key (orderKeyDate, IMID, symbol, orderID); all of them are rejected'
    this.label({
      kind: 'duplicateOrderKey',
      stage: 'linkage',
      reporter: rec.reporter,
      firmROEID: event.id,
      codes: [3004],
      detail,
    })
    this.label({
      kind: 'duplicateOrderKey',
      stage: 'linkage',
      reporter: rec.reporter,
      firmROEID: String(values.firmROEID),
      codes: [3004],
      detail: `${detail} (the extra record, at ${second.file}:${second.line}, is not part of any lifecycle)`,
    })
    this.broken.set(event, 'duplicateOrderKey')
  }

  /** Decides whether a new route gets a linkage fault (F routes: id mismatch, wrong destination, no accept; E: session). */
  routeFault(dest: 'E' | 'F'): RouteFaultKind | undefined {
    if (this.rate <= 0 || !this.rng.chance(this.rate)) return undefined
    const kinds: { kind: RouteFaultKind }[] =
      dest === 'E'
        ? [{ kind: 'wrongSession' }]
        : [{ kind: 'routedOrderIdMismatch' }, { kind: 'wrongDestination' }, { kind: 'missingAccept' }]
    return this.choose(kinds)!.kind
  }

  /** Remembers a route's fault until its counterpart is reported. */
  attach(route: Route, kind: RouteFaultKind): void {
    this.routeFaults.set(route, kind)
  }

  /** The route fault of a route, if any. */
  faultOf(route: Route): RouteFaultKind | undefined {
    return this.routeFaults.get(route)
  }

  /** A destination IMID of another firm (wrong-destination fault). */
  wrongDestination(dest: RouteDest, sender: Firm): string {
    const firm = (dest as { firm: Firm }).firm
    // Never the sender itself: a route to oneself is refused at ingestion (2189), not left unlinked.
    const other = this.sim.world.firms.find((f) => f !== firm && f !== sender && f.role !== 'prop')!
    return `${other.crd}:${other.imid}`
  }

  /** Labels a faulted route once its counterpart record exists (or is known to be missing). */
  accepted(route: Route, accept: TruthEvent): void {
    const kind = this.routeFaults.get(route)
    if (!kind) return
    this.routeFaults.delete(route)
    const sender = route.sent
    const base = { kind, stage: 'linkage' as const }
    if (kind === 'wrongSession') {
      // Both records stay unlinked: the firm hears of its route (6009) and, named on the exchange's order
      // as its routingParty, of that order (7010); the exchange hears of its order (6009).
      const detail = 'the route names a session the exchange did not receive it on'
      this.label({ ...base, reporter: sender.reporter, firmROEID: sender.id, codes: [6009], detail })
      this.label({
        ...base,
        reporter: accept.reporter,
        firmROEID: accept.id,
        codes: [6009],
        counterparty: { reporter: sender.reporter, firmROEID: sender.id, codes: [7010] },
        detail,
      })
      return
    }
    if (kind === 'missingAccept') {
      this.label({
        ...base,
        reporter: sender.reporter,
        firmROEID: sender.id,
        codes: [8003],
        counterparty: { reporter: accept.reporter, firmROEID: accept.id, codes: [8004] },
        detail:
          'the receiver never reported its MEOA (the counterparty firmROEID is the record it left out, still in the lifecycle truth); its later events on that order get 3501',
      })
      this.broken.set(accept, 'missingAccept')
      return
    }
    const [s, r, detail] =
      kind === 'routedOrderIdMismatch'
        ? [8003, 9003, 'the receiver reported a different routedOrderID than the sender']
        : [8007, 9007, "the sender's destination is not the receiver's receiverIMID"]
    // The named code goes to the member the route names: the firm it was misaddressed to, if it was.
    const named =
      kind === 'wrongDestination'
        ? { reporter: this.wrongDestination(route.dest, (route.from as FirmOrder).firm).split(':')[1] }
        : { reporter: accept.reporter, firmROEID: accept.id }
    this.label({
      ...base,
      reporter: sender.reporter,
      firmROEID: sender.id,
      codes: [s],
      counterparty: { ...named, codes: [s + 1] },
      detail,
    })
    this.label({
      ...base,
      reporter: accept.reporter,
      firmROEID: accept.id,
      codes: [r],
      counterparty: { reporter: sender.reporter, firmROEID: sender.id, codes: [r + 1] },
      detail,
    })
  }

  /** Decides whether a quote sent to another firm arrives under another id (receivedQuoteID). */
  quoteRouteFault(): 'receivedQuoteIdMismatch' | undefined {
    if (this.rate <= 0 || !this.rng.chance(this.rate)) return undefined
    return this.choose([{ kind: 'receivedQuoteIdMismatch' as const }])!.kind
  }

  /** Labels both sides of a quote whose Quote Received carries another id than the quote sent. */
  quoteReceived(sent: TruthEvent, received: TruthEvent): void {
    const base = { kind: 'receivedQuoteIdMismatch', stage: 'linkage' as const }
    const detail = "the receiver's MEQR carries another receivedQuoteID than the sender's routedQuoteID"
    this.label({
      ...base,
      reporter: sent.reporter,
      firmROEID: sent.id,
      codes: [8003],
      counterparty: { reporter: received.reporter, firmROEID: received.id, codes: [8004] },
      detail,
    })
    this.label({
      ...base,
      reporter: received.reporter,
      firmROEID: received.id,
      codes: [9003],
      counterparty: { reporter: sent.reporter, firmROEID: sent.id, codes: [9004] },
      detail,
    })
  }

  /** Decides whether a trade's report at the facility disagrees with the firm's MEOT. */
  tradeReportFault(): TradeReportFaultKind | undefined {
    if (this.rate <= 0 || !this.rng.chance(this.rate)) return undefined
    const kinds: { kind: TradeReportFaultKind }[] = [
      { kind: 'tapeTradeIdMismatch' },
      { kind: 'executionTimeMismatch' },
    ]
    return this.choose(kinds)!.kind
  }

  /** Labels a MEOT whose trade report disagrees: the firm hears of it twice, as reporter and as named. */
  tradeReported(kind: TradeReportFaultKind, trade: TruthEvent, report: TruthEvent): void {
    const [own, named, detail] =
      kind === 'tapeTradeIdMismatch'
        ? [4003, 5004, "the MEOT's tapeTradeID is not the id of the facility's trade report"]
        : [
            4005,
            5006,
            "the facility's trade report carries another execution time than the MEOT's eventTimestamp",
          ]
    this.label({
      kind,
      stage: 'linkage',
      reporter: trade.reporter,
      firmROEID: trade.id,
      codes: [own],
      // The named code goes to the firm the facility's report names (the same firm), about that report.
      counterparty: { reporter: trade.reporter, codes: [named] },
      detail: `${detail} (trade report ${report.reporter} ${report.id})`,
    })
  }

  /** Labels the firm whose clock drifts (every IMID it reports under). */
  clockDrift(firm: Firm, ms: number): void {
    for (const imid of [firm.imid, ...(firm.atsImid ? [firm.atsImid] : [])]) {
      this.label({
        kind: 'clockDrift',
        stage: 'linkage',
        reporter: imid,
        codes: [],
        detail: `every timestamp of this reporter is ${ms > 0 ? '+' : ''}${ms} ms off; its events can precede the events they follow at other reporters (no single CAT code; see the drift report)`,
      })
    }
  }

  /** Extra files that fail file integrity: empty data files, so no record is lost with them. */
  async integrityFaults(streams: readonly ReporterStream[]): Promise<void> {
    if (this.rate <= 0 || streams.length === 0) return
    const kinds = ['hashMismatch', 'recordCountMismatch', 'missingMetadata', 'missingDataFile'] as const
    for (let i = 0; i < kinds.length; i++) {
      const stream = streams[(i * 3 + this.rng.int(streams.length)) % streams.length]
      const c = stream.config
      const n = 900 + i
      const base = `${c.submitterId}_${c.reporter}_${c.date}_${c.kind}_${String(n).padStart(6, '0')}`
      const fileName = `${base}.${c.format}.bz2`
      const metaName = `${base}.meta.${c.format}`
      const kind = kinds[i]
      if (kind !== 'missingDataFile') {
        const w = bzip2Writer(join(c.dir, fileName), 9)
        w.stream.end()
        await w.done
      }
      const hash = kind === 'missingDataFile' ? '0'.repeat(64) : await sha256File(join(c.dir, fileName))
      const block = {
        fileName,
        recordCount: kind === 'recordCountMismatch' ? 1 : 0,
        compressedHash:
          kind === 'hashMismatch' ? `${hash.slice(0, 63)}${hash[63] === '0' ? '1' : '0'}` : hash,
      }
      if (kind !== 'missingMetadata') await writeFile(join(c.dir, metaName), metadataText(c, [block], true))
      const codes = {
        hashMismatch: [1115],
        recordCountMismatch: [2151],
        missingMetadata: [1121],
        missingDataFile: [1122],
      }[kind]
      const detail = {
        hashMismatch: 'the metadata lists a compressedHash that is not the SHA-256 of the file',
        recordCountMismatch: 'the metadata lists 1 record for an empty data file',
        missingMetadata:
          'a data file no metadata file lists (warning 1101 after 30 minutes, error 1121 after 2 hours)',
        missingDataFile: 'the metadata file lists a data file that was never sent',
      }[kind]
      this.label({ kind, stage: 'integrity', reporter: c.reporter, file: fileName, codes, detail })
    }
  }
}
