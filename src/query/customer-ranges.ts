/**
 * What describes a customer's events over a date range whole (totals, chart, and the order of its events),
 * kept in this process for the pages after the first: a page then reads its own versions, not the range's.
 * Kept under a digest of everything the description is computed from — the relation's SQL (which names the
 * day index builds it reads: a build is never changed, a new one gets a new folder), its parameters (the
 * rows resolved from the store for dates without a fresh build), the accounts, and the reference data that
 * maps reporters to firms — so a submission, a new build or a customer file gives a new key, never a stale
 * answer. Nothing is written anywhere.
 */
import { createHash } from 'node:crypto'

/** A range's description as the engine gave it, and its events' order as (time, version id) pairs. */
export interface CustomerRange {
  /** The range's columns of `customer-range.sql` other than the order. */
  readonly described: Readonly<Record<string, unknown>>
  readonly ns: BigInt64Array
  readonly ids: BigUint64Array
}

/** Kept ranges, least recently used first, and how many events they hold together. */
const KEPT = new Map<string, CustomerRange>()
let keptEvents = 0
/** Events kept at most (16 bytes each): the busiest customers of several days. */
const KEEP_EVENTS = 4_000_000

/** The key of a range computed from `inputs`. */
export function rangeKey(inputs: readonly string[]): string {
  const h = createHash('sha256')
  for (const i of inputs) h.update(`${i.length}:${i}`)
  return h.digest('hex')
}

/** The range kept under `key`, if any. */
export function keptRange(key: string): CustomerRange | undefined {
  const range = KEPT.get(key)
  if (range) {
    KEPT.delete(key)
    KEPT.set(key, range)
  }
  return range
}

/** Keeps a range, letting the least recently used go past the bound. */
export function keepRange(key: string, range: CustomerRange): void {
  if (range.ids.length > KEEP_EVENTS) return
  const old = KEPT.get(key)
  if (old) {
    KEPT.delete(key)
    keptEvents -= old.ids.length
  }
  KEPT.set(key, range)
  keptEvents += range.ids.length
  for (const [k, r] of KEPT) {
    if (keptEvents <= KEEP_EVENTS) break
    KEPT.delete(k)
    keptEvents -= r.ids.length
  }
}

/** How many of the range's events come at or before the cursor (time `ns`, version `id`). */
export function eventsThrough(range: CustomerRange, ns: bigint, id: bigint): number {
  let lo = 0
  let hi = range.ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const n = range.ns[mid]
    if (n < ns || (n === ns && range.ids[mid] <= id)) lo = mid + 1
    else hi = mid
  }
  return lo
}
