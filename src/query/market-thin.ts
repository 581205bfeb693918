/**
 * A market window thinned to what a chart of it can show: a busy symbol's whole day holds hundreds of
 * thousands of quote changes, more than a chart has pixels. The window is cut into equal spans, and in each
 * span a series keeps the steps that shape its line: the first and the last, and those holding the span's
 * highest and lowest bid and offer (and the first step without a bid or an offer, where the line breaks),
 * and every step where the market's state changes (crossed, locked), so its spells are all there. Every step
 * kept is a step of the full series, unchanged; trades are thinned the same way by price. The engine thins the
 * rows it reads from a day index by the same rule (`sql/market-thin.sql`).
 */

/** What thinning reads of a step or a trade: when, and its prices (none where it has none). */
export interface Priced {
  readonly ns: bigint
  readonly bid: bigint | undefined
  readonly ask: bigint | undefined
  /** The market's state the step puts in force, for a series whose every change of state is kept. */
  readonly state?: string
}

/** Steps per span a series holds before it is thinned (at most 8 are kept). */
export const STEPS_PER_SPAN = 8

/** The span (0 … spans-1) of the window `fromNs`…`toNs` an instant falls in. */
function spanOf(ns: bigint, fromNs: bigint, toNs: bigint, spans: number): number {
  const k = Number(((ns - fromNs) * BigInt(spans)) / (toNs - fromNs + 1n))
  return Math.min(spans - 1, Math.max(0, k))
}

/**
 * The items (in time order) a chart of `spans` spans over the window needs: all of them when there are no
 * more than `perSpan` per span on average; otherwise, in each span, the first, the last, those with the
 * highest and lowest bid and ask, and the first without a bid and without an ask (at most 8 per span), and
 * every item whose state differs from the one before it.
 */
export function thinned<T>(
  items: readonly T[],
  priced: (item: T) => Priced,
  fromNs: bigint,
  toNs: bigint,
  spans: number,
  perSpan = STEPS_PER_SPAN,
): T[] {
  if (items.length <= perSpan * spans) return [...items]
  const p = items.map(priced)
  const keep = new Uint8Array(items.length)
  for (let i = 1; i < p.length; i++) if (p[i].state !== p[i - 1].state) keep[i] = 1
  let start = 0
  while (start < p.length) {
    const span = spanOf(p[start].ns, fromNs, toNs, spans)
    let end = start + 1
    while (end < p.length && spanOf(p[end].ns, fromNs, toNs, spans) === span) end++
    keep[start] = 1
    keep[end - 1] = 1
    for (const side of ['bid', 'ask'] as const) {
      let high = -1
      let low = -1
      let none = -1
      for (let i = start; i < end; i++) {
        const v = p[i][side]
        if (v === undefined) {
          if (none < 0) none = i
        } else {
          if (high < 0 || v > (p[high][side] as bigint)) high = i
          if (low < 0 || v < (p[low][side] as bigint)) low = i
        }
      }
      for (const i of [high, low, none]) if (i >= 0) keep[i] = 1
    }
    start = end
  }
  return items.filter((_, i) => keep[i] === 1)
}
