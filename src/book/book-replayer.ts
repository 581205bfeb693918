/**
 * "The book at instant T" for one venue and symbol: one pass over the day's events records a snapshot every
 * K events or T nanoseconds; a query restores the nearest snapshot at or before T and rolls forward.
 */
import type { BookEvent } from './book-event.ts'
import type { BookSnapshot } from './book-snapshot.ts'
import { OrderBook } from './order-book.ts'

/** Random access to one venue and symbol's events in `compareBookEvents` order; an array is one. */
export interface BookEventSource {
  readonly length: number
  at(index: number): BookEvent | undefined
}

/** When to take a checkpoint: whichever comes first. */
export interface CheckpointOptions {
  /** Events between checkpoints. @default 50_000 */
  everyEvents?: number
  /** Nanoseconds of event time between checkpoints. @default 300_000_000_000n (five minutes) */
  everyNs?: bigint
}

const DEFAULT_EVERY_EVENTS = 50_000
const DEFAULT_EVERY_NS = 300_000_000_000n

/**
 * Applies events (an iterable, or a source read by index) in order to a fresh book and hands a snapshot to
 * `sink` every so often (never for the empty book); the store can persist them as they come. Returns the
 * final book.
 * @example
 * const final = buildCheckpoints(events, { everyEvents: 100_000 }, (s) => snapshots.push(s))
 */
export function buildCheckpoints(
  events: Iterable<BookEvent> | BookEventSource,
  options: CheckpointOptions,
  sink: (snapshot: BookSnapshot) => void,
  book = new OrderBook(),
): OrderBook {
  const everyEvents = options.everyEvents ?? DEFAULT_EVERY_EVENTS
  const everyNs = options.everyNs ?? DEFAULT_EVERY_NS
  let lastCount = book.applied
  let lastNs: bigint | undefined
  const step = (ev: BookEvent) => {
    book.apply(ev)
    lastNs ??= ev.ns
    if (book.applied - lastCount >= everyEvents || ev.ns - lastNs >= everyNs) {
      sink(book.snapshot())
      lastCount = book.applied
      lastNs = ev.ns
    }
  }
  if (Symbol.iterator in events) for (const ev of events) step(ev)
  else for (let i = 0, ev = events.at(0); ev !== undefined; ev = events.at(++i)) step(ev)
  return book
}

/** Applies the source's events from `from` while they are at or before `ns`; returns the index reached. */
export function rollForward(book: OrderBook, source: BookEventSource, from: number, ns: bigint): number {
  let i = from
  for (let ev = source.at(i); ev !== undefined && ev.ns <= ns; ev = source.at(++i)) book.apply(ev)
  return i
}

/**
 * Checkpointed replay of one venue and symbol.
 * @example
 * const replayer = new BookReplayer(events, { everyEvents: 50_000 })
 * replayer.build()
 * replayer.bookAt(etWallToUtcNs(2012, 6, 21, 14, 45, 27, 123_000_000)).depth(5)
 */
export class BookReplayer {
  private readonly snapshots: BookSnapshot[] = []
  private readonly snapshotNs: bigint[] = []
  private built = false

  constructor(
    readonly source: BookEventSource,
    private readonly options: CheckpointOptions = {},
  ) {}

  /** The checkpoints taken (after `build`), oldest first. */
  get checkpoints(): readonly BookSnapshot[] {
    return this.snapshots
  }

  /** Replays every event once, taking checkpoints; returns the book after the last event. */
  build(): OrderBook {
    this.snapshots.length = 0
    this.snapshotNs.length = 0
    const first = this.source.at(0)
    const book = new OrderBook(first?.venue ?? '', first?.symbol ?? '')
    const final = buildCheckpoints(
      this.source,
      this.options,
      (s) => {
        this.snapshots.push(s)
        this.snapshotNs.push(BigInt(s.ns))
      },
      book,
    )
    this.built = true
    return final
  }

  /** Adds checkpoints taken elsewhere (e.g. read back from the store), in order. */
  load(snapshots: readonly BookSnapshot[]): void {
    for (const s of snapshots) {
      this.snapshots.push(s)
      this.snapshotNs.push(s.ns === '' ? -1n : BigInt(s.ns))
    }
    this.built = true
  }

  /** The book as of instant `ns` (UTC nanoseconds): every event at or before it applied. */
  bookAt(ns: bigint): OrderBook {
    if (!this.built) this.build()
    const book = this.restore(this.lastCheckpointAt(ns))
    rollForward(book, this.source, book.applied, ns)
    return book
  }

  /** The book after the first `count` events. */
  bookAfter(count: number): OrderBook {
    if (!this.built) this.build()
    let lo = 0
    let hi = this.snapshots.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.snapshots[mid].applied <= count) lo = mid + 1
      else hi = mid
    }
    const book = this.restore(lo - 1)
    for (let i = book.applied; i < count; i++) {
      const ev = this.source.at(i)
      if (ev === undefined) break
      book.apply(ev)
    }
    return book
  }

  /** Index of the last checkpoint taken at or before `ns`, or -1. */
  private lastCheckpointAt(ns: bigint): number {
    const times = this.snapshotNs
    let lo = 0
    let hi = times.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (times[mid] <= ns) lo = mid + 1
      else hi = mid
    }
    return lo - 1
  }

  private restore(index: number): OrderBook {
    if (index >= 0) return OrderBook.fromSnapshot(this.snapshots[index])
    const first = this.source.at(0)
    return new OrderBook(first?.venue ?? '', first?.symbol ?? '')
  }
}
