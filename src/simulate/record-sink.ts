/**
 * Where every simulated record goes: encoded through the codec (JSON or positional CSV), written to its
 * reporter's stream, counted, and offered to the fault injector first.
 */
import type { Catalogue, EventSpec } from '../catalogue/index.ts'
import { encodeCsvRecord, encodeJsonRecord, type Timestamp, type Values } from '../codec/index.ts'
import type { RecordLocation, ReporterStream } from './reporter-stream.ts'
import type { TruthEvent } from './truth-recorder.ts'

/** What the simulation knows about a record that a fault may need. */
export interface EmitContext {
  /** The event that established the order key this record refers to (secondary events). */
  readonly key?: TruthEvent
  /** Key events of the orders a trade or fulfillment names. */
  readonly refs?: readonly TruthEvent[]
  /**
   * Which ingestion faults the record may take: `leaf` (nothing links from it and it is no route
   * counterpart: a fault affects it alone), `key` (it establishes an order key; records that refer to the
   * key then get linkage errors, which are labelled too). Absent: none (routes and their counterparts).
   */
  readonly faultable?: 'leaf' | 'key'
  /** The record is not reported at all (a missing-acceptance fault); it still becomes a truth event. */
  readonly drop?: boolean
}

/** A record about to be written; a fault may change its values or its encoded line. */
export interface PendingRecord {
  readonly reporter: string
  readonly event: EventSpec
  values: Values
  readonly ctx: EmitContext
}

/** Receives every record before and after encoding (the fault injector). */
export interface RecordHook {
  /** May change values; may return a rewrite of the encoded line, or ask for the record to be dropped. */
  before(
    rec: PendingRecord,
    stream: ReporterStream,
  ): { rewrite?: (line: string) => string; drop?: boolean } | undefined
  /** Told where the record went (undefined when dropped), with the truth event it became. */
  after(rec: PendingRecord, where: RecordLocation | undefined, event: TruthEvent): void
}

/** Counts and encodes records into reporters' streams. */
export class RecordSink {
  readonly countsByType = new Map<string, number>()
  readonly countsByReporter = new Map<string, number>()
  total = 0
  hook: RecordHook | undefined

  constructor(
    private readonly cat: Catalogue,
    private readonly format: 'json' | 'csv',
    readonly streams: ReadonlyMap<string, ReporterStream>,
  ) {}

  /** The catalogue layout of an event type (throws on a type this file version lacks: a simulator bug). */
  spec(type: string): EventSpec {
    const event = this.cat.events.get(type)
    if (!event) throw new Error(`simulate: no ${type} in file version ${this.cat.version}`)
    return event
  }

  /** True when the file version has the event type (MEPA is v4 only). */
  has(type: string): boolean {
    return this.cat.events.has(type)
  }

  /** Encodes and writes one record; returns the truth event it is. */
  emit(reporter: string, type: string, values: Values, ctx: EmitContext = {}): TruthEvent {
    const stream = this.streams.get(reporter)
    if (!stream) throw new Error(`simulate: no stream for reporter ${reporter}`)
    const rec: PendingRecord = { reporter, event: this.spec(type), values, ctx }
    const change = this.hook?.before(rec, stream)
    let where: RecordLocation | undefined
    if (!change?.drop) {
      let line =
        this.format === 'json'
          ? encodeJsonRecord(this.cat, rec.event, rec.values)
          : encodeCsvRecord(rec.event, rec.values)
      if (change?.rewrite) line = change.rewrite(line)
      where = this.write(stream, reporter, type, line)
    }
    const id = (rec.values.firmROEID ?? rec.values.recordID) as string
    const event: TruthEvent = { reporter, id, type, ts: (rec.values.eventTimestamp as Timestamp).ns }
    this.hook?.after(rec, where, event)
    return event
  }

  private write(stream: ReporterStream, reporter: string, type: string, line: string): RecordLocation {
    this.total++
    this.countsByType.set(type, (this.countsByType.get(type) ?? 0) + 1)
    this.countsByReporter.set(reporter, (this.countsByReporter.get(reporter) ?? 0) + 1)
    return stream.write(line)
  }

  /** Writes a record no truth event stands for (a fault's extra record), bypassing the hook. */
  extra(reporter: string, type: string, values: Values): RecordLocation {
    const event = this.spec(type)
    const line =
      this.format === 'json' ? encodeJsonRecord(this.cat, event, values) : encodeCsvRecord(event, values)
    return this.write(this.streams.get(reporter)!, reporter, type, line)
  }

  /** A promise for every stream that is backed up to drain, if any is. */
  blocked(): Promise<unknown> | undefined {
    const waits: Promise<void>[] = []
    for (const s of this.streams.values()) {
      const b = s.blocked
      if (b) waits.push(b)
    }
    return waits.length > 0 ? Promise.all(waits) : undefined
  }
}
