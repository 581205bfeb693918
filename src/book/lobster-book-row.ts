/**
 * One line of a LOBSTER orderbook file: per level, ask price, ask size, bid price, bid size (level 1 first);
 * prices in dollars × 10000; empty levels written as 9999999999 / -9999999999 with size 0.
 */
import type { BookDepth } from './order-book.ts'
import { QUANTITY_SCALE } from './price.ts'

/** LOBSTER's placeholder price of an empty ask level. */
export const LOBSTER_EMPTY_ASK = 9999999999
/** LOBSTER's placeholder price of an empty bid level. */
export const LOBSTER_EMPTY_BID = -9999999999

/** One occupied level: price in dollars × 10000, displayed size. */
export interface LobsterLevel {
  readonly price: number
  readonly size: number
}

/** One row of an orderbook file: occupied levels only, best first. */
export interface LobsterBookRow {
  /** Levels the file has per side (N of a level-N file). */
  readonly levels: number
  readonly asks: LobsterLevel[]
  readonly bids: LobsterLevel[]
}

/** Parses one orderbook line; undefined when it is not 4·N integers. */
export function parseLobsterBookRow(text: string): LobsterBookRow | undefined {
  const cells = text.split(',')
  if (cells.length === 0 || cells.length % 4 !== 0) return undefined
  const asks: LobsterLevel[] = []
  const bids: LobsterLevel[] = []
  for (let i = 0; i < cells.length; i += 4) {
    const ap = Number(cells[i])
    const as = Number(cells[i + 1])
    const bp = Number(cells[i + 2])
    const bs = Number(cells[i + 3])
    if (!Number.isInteger(ap) || !Number.isInteger(as) || !Number.isInteger(bp) || !Number.isInteger(bs))
      return undefined
    if (ap !== LOBSTER_EMPTY_ASK && as !== 0) asks.push({ price: ap, size: as })
    if (bp !== LOBSTER_EMPTY_BID && bs !== 0) bids.push({ price: bp, size: bs })
  }
  return { levels: cells.length / 4, asks, bids }
}

/** Parses a whole orderbook file; the 1-based numbers of malformed lines are listed. */
export function parseLobsterBook(text: string): { rows: LobsterBookRow[]; badLines: number[] } {
  const rows: LobsterBookRow[] = []
  const badLines: number[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]
    if (raw === '' && i === lines.length - 1) break
    const row = parseLobsterBookRow(raw)
    if (row === undefined) badLines.push(i + 1)
    else rows.push(row)
  }
  return { rows, badLines }
}

/** Writes a row in LOBSTER's layout with `levels` levels, padding with the empty-level placeholders. */
export function formatLobsterBookRow(row: Pick<LobsterBookRow, 'asks' | 'bids'>, levels: number): string {
  const cells: number[] = []
  for (let i = 0; i < levels; i++) {
    const a = row.asks[i]
    const b = row.bids[i]
    cells.push(
      a ? a.price : LOBSTER_EMPTY_ASK,
      a ? a.size : 0,
      b ? b.price : LOBSTER_EMPTY_BID,
      b ? b.size : 0,
    )
  }
  return cells.join(',')
}

/** A book's top `levels` levels as a LOBSTER row (prices must be whole multiples of $0.0001, sizes whole shares). */
export function lobsterRowOf(depth: BookDepth, levels: number): LobsterBookRow {
  const conv = (l: { price: bigint; size: bigint }) => ({
    price: Number(l.price / 10_000n),
    size: Number(l.size / QUANTITY_SCALE),
  })
  return { levels, asks: depth.asks.slice(0, levels).map(conv), bids: depth.bids.slice(0, levels).map(conv) }
}
