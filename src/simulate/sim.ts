/**
 * The running simulation's shared state: options, cast, clock, randomness, record sink, truth, fair
 * values, venues and counters. Every part of the model takes a Sim.
 */
import type { Catalogue } from '../catalogue/index.ts'
import type { Timestamp } from '../codec/index.ts'
import type { AtsVenue } from './ats-venue.ts'
import type { Brokerage } from './brokerage.ts'
import type { AccountBook } from './customers.ts'
import { EventQueue } from './event-queue.ts'
import type { ExchangeVenue } from './exchange-venue.ts'
import type { FairValues } from './fair-value.ts'
import type { FaultInjector } from './fault-injector.ts'
import type { ResolvedOptions } from './options.ts'
import type { OrderFlow } from './order-flow.ts'
import type { Quoting } from './quoting.ts'
import type { RecordSink } from './record-sink.ts'
import type { Rng } from './rng.ts'
import type { TradingHours } from './trading-hours.ts'
import type { Lifecycle, TruthRecorder } from './truth-recorder.ts'
import type { Firm, Sym, World } from './world.ts'

/** A reporter's clock: the fraction digits it writes and its drift. */
export interface ReporterClock {
  readonly digits: 3 | 6 | 9
  readonly driftNs: number
}

/** Exchanges keep nanosecond clocks with no drift worth modelling (100 µs tolerance). */
export const EXCHANGE_CLOCK: ReporterClock = { digits: 9, driftNs: 0 }

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

/** Late-bound parts of the model, set once they are built (they refer to the Sim themselves). */
export interface SimParts {
  readonly venues: ReadonlyMap<string, ExchangeVenue>
  readonly ats: ReadonlyMap<string, AtsVenue>
  readonly brokerage: Brokerage
  readonly quoting: Quoting
  readonly flow: OrderFlow
}

/** The state every part of the model shares. */
export class Sim {
  readonly queue: EventQueue
  private readonly counters: Map<string, number>
  private readonly dateText: string
  parts!: SimParts
  /** The fault injector, when faults or clock drift were asked for. */
  faults: FaultInjector | undefined
  /** Tallies for the summary. */
  readonly stats: {
    arrivals: number
    executions: number
    internalized: number
    atsTrades: number
    rejectedRoutes: number
  }

  constructor(
    readonly options: ResolvedOptions,
    readonly cat: Catalogue,
    readonly world: World,
    readonly accounts: AccountBook,
    readonly sink: RecordSink,
    readonly truth: TruthRecorder,
    readonly rng: Rng,
    readonly hours: TradingHours,
    /** UTC ns of the trading date's midnight in ET (no DST change happens on a trading day). */
    readonly dayBase: bigint,
    readonly fair: FairValues,
    /**
     * Another market of the same day (options beside equities): its clock, counters and tallies are shared,
     * so both markets' events interleave in time and every reporter's ids stay unique.
     */
    shared?: Sim,
  ) {
    this.dateText = String(options.date)
    this.queue = shared?.queue ?? new EventQueue()
    this.counters = shared?.counters ?? new Map<string, number>()
    this.stats = shared?.stats ?? {
      arrivals: 0,
      executions: 0,
      internalized: 0,
      atsTrades: 0,
      rejectedRoutes: 0,
    }
  }

  /** The trading date as YYYYMMDD. */
  get date(): number {
    return this.options.date
  }

  /** The next number of a counter (1, 2, ...). */
  next(scope: string): number {
    const n = (this.counters.get(scope) ?? 0) + 1
    this.counters.set(scope, n)
    return n
  }

  /** A fresh firmROEID / recordID for a reporter: `<event date>_<id>`. */
  roeid(reporter: string): string {
    return `${this.dateText}_${this.next(`roe:${reporter}`).toString(36).padStart(7, '0')}`
  }

  /** A fresh id with a prefix, unique within its scope (order ids, routed order ids, trade ids, ...). */
  id(scope: string, prefix: string): string {
    return `${prefix}${this.next(scope).toString(36).toUpperCase()}`
  }

  /** Runs `fn` at time t, keeping the lifecycle open until then. */
  at(t: number, lc: Lifecycle | undefined, fn: () => void): void {
    if (lc) this.truth.hold(lc)
    this.queue.at(t, () => {
      try {
        fn()
      } finally {
        if (lc) this.truth.release(lc)
      }
    })
  }

  /** The timestamp a reporter writes for time t: its drift added, truncated to its digits. */
  stamp(clock: ReporterClock, t: number): Timestamp {
    const q = POW10[9 - clock.digits]
    let local = Math.round(t + clock.driftNs)
    local -= local % q
    return { ns: this.dayBase + BigInt(local), digits: clock.digits, form: 'string' }
  }

  /** The orderKeyDate a firm writes for a key assigned at t (the date alone for some firms). */
  keyDate(firm: Firm, t: number): Timestamp {
    if (firm.keyDateOnly) return { ns: this.dayBase, digits: 0, form: 'string' }
    return this.stamp(firm, t)
  }

  /** A firm's network latency to another party, in ns (≥ 1 ms, so coarse clocks still show the order). */
  latency(): number {
    return 1_000_000 + Math.floor(this.rng.exp(600_000))
  }

  /** A latency inside one firm (desk to desk, order to route), in ns. */
  internal(): number {
    return 20_000 + Math.floor(this.rng.exp(300_000))
  }

  /** Latency from a firm to an exchange's gateway, in ns. */
  toExchange(): number {
    return 150_000 + Math.floor(this.rng.exp(250_000))
  }

  /** A symbol by index. */
  symbol(i: number): Sym {
    return this.world.symbols[i]
  }
}
