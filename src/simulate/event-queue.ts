/**
 * The discrete-event clock: a binary heap of pending actions ordered by time, then by the order they were
 * scheduled (so equal times run deterministically).
 */

interface Entry {
  readonly t: number
  readonly seq: number
  readonly run: () => void
}

/** A time-ordered queue of actions; times are nanoseconds since the trading date's midnight (ET). */
export class EventQueue {
  private readonly heap: Entry[] = []
  private seq = 0
  /** Time of the action running now. */
  now = 0

  /** Pending actions. */
  get size(): number {
    return this.heap.length
  }

  /** Schedules an action; a time in the past runs at the current time. */
  at(t: number, run: () => void): void {
    const entry = { t: Math.max(Math.round(t), this.now), seq: this.seq++, run }
    const heap = this.heap
    let i = heap.length
    heap.push(entry)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!less(entry, heap[parent])) break
      heap[i] = heap[parent]
      i = parent
    }
    heap[i] = entry
  }

  /** Time of the next action, if any. */
  peek(): number | undefined {
    return this.heap.length > 0 ? this.heap[0].t : undefined
  }

  /** Runs the next action; false when none is left. */
  step(): boolean {
    const heap = this.heap
    if (heap.length === 0) return false
    const top = heap[0]
    const last = heap.pop()!
    if (heap.length > 0) {
      let i = 0
      const n = heap.length
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && less(heap[r], heap[l]) ? r : l
        if (!less(heap[c], last)) break
        heap[i] = heap[c]
        i = c
      }
      heap[i] = last
    }
    this.now = top.t
    top.run()
    return true
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}
