/**
 * A symbol's trading day as the market routes ask for it again and again: every venue's book events (with
 * their store keys) from one scan of the store, and the NBBO series over them. Once a date is in the store
 * they only change with the next submission or file delete, so they are kept in this process's memory (never
 * on disk: reads never write) under the store's events version, and rebuilt when that version moves.
 *
 * The memory is bounded by a budget of book events held, least recently used out first. Long-running readers
 * (the portal) set one; the budget is 0 otherwise (a command answers one question and exits), and callers
 * then read the store per question, as they do for a day larger than the whole budget.
 */

import type { Repository } from '../store/repository.ts'
import { eventsVersion } from '../store/store-version.ts'
import { buildNbbo, mergeBookEvents, type NbboSeries } from './nbbo.ts'
import { readSymbolBookEvents, type StoredBookEvents } from './stored-events.ts'

/** One symbol's day of book events over every venue. */
export interface SymbolDay {
  /** Venues with book events of the symbol that day, in `venuesOf`'s order. */
  readonly venues: readonly string[]
  /** A venue's events of the day, or undefined for a venue without any. */
  events(venue: string): StoredBookEvents | undefined
  /** The NBBO over every venue (built on first use). */
  nbbo(): NbboSeries
  /** Book events held. */
  readonly size: number
}

/** Book events the portal keeps in memory by default (a few hundred bytes each). */
export const DEFAULT_SYMBOL_DAY_EVENTS = 1_000_000

let budget = 0
let held = 0
/** Kept days by key, least recently used first. */
const KEPT = new Map<string, SymbolDay>()
const BUILDING = new Map<string, Promise<SymbolDay>>()
/** Days found larger than the whole budget (read per question instead). */
const TOO_BIG = new Set<string>()

/** Sets how many book events this process keeps (0: none, every question reads the store). */
export function setSymbolDayBudget(events: number): void {
  budget = Math.max(0, Math.floor(events))
  TOO_BIG.clear()
  evict()
}

/**
 * The day of `symbol` on `date` (ET YYYYMMDD), from memory when the store has not changed since it was read;
 * undefined when this process keeps no days or this one does not fit (the caller reads the store itself).
 */
export async function symbolDay(
  repo: Repository,
  symbol: string,
  date: number,
): Promise<SymbolDay | undefined> {
  if (budget === 0) return undefined
  const prefix = dayPrefix(repo, symbol, date)
  const key = prefix + (await eventsVersion(repo))
  if (TOO_BIG.has(key)) return undefined
  const kept = touch(key)
  if (kept) return kept
  // Concurrent readers of one day (a portal under load) wait for one build instead of each reading it.
  const building = BUILDING.get(key)
  if (building) return building
  const build = buildSymbolDay(repo, symbol, date)
  BUILDING.set(key, build)
  try {
    const day = await build
    for (const k of [...KEPT.keys()]) if (k.startsWith(prefix)) forget(k)
    if (day.size > budget) TOO_BIG.add(key)
    else {
      KEPT.set(key, day)
      held += day.size
      evict()
    }
    return day
  } finally {
    BUILDING.delete(key)
  }
}

/**
 * The day of `symbol` on `date` when this process keeps it already (and the store has not changed since);
 * never reads the store for it: for a question another source answers more cheaply than reading the day.
 */
export async function keptSymbolDay(
  repo: Repository,
  symbol: string,
  date: number,
): Promise<SymbolDay | undefined> {
  if (budget === 0) return undefined
  return touch(dayPrefix(repo, symbol, date) + (await eventsVersion(repo)))
}

/** The start of a kept day's key: the store's events version follows it. */
function dayPrefix(repo: Repository, symbol: string, date: number): string {
  return `${repo.paths.root}\n${symbol}\n${date}\n`
}

/** A kept day, now the most recently used. */
function touch(key: string): SymbolDay | undefined {
  const kept = KEPT.get(key)
  if (kept) {
    KEPT.delete(key)
    KEPT.set(key, kept)
  }
  return kept
}

async function buildSymbolDay(repo: Repository, symbol: string, date: number): Promise<SymbolDay> {
  const byVenue = await readSymbolBookEvents(repo, symbol, date)
  let series: NbboSeries | undefined
  let size = 0
  for (const e of byVenue.values()) size += e.events.length
  return {
    venues: [...byVenue.keys()],
    events: (venue) => byVenue.get(venue),
    nbbo() {
      series ??= buildNbbo(mergeBookEvents([...byVenue.values()].map((e) => e.events)))
      return series
    },
    size,
  }
}

function forget(key: string): void {
  const day = KEPT.get(key)
  if (!day) return
  KEPT.delete(key)
  held -= day.size
}

function evict(): void {
  for (const key of KEPT.keys()) {
    if (held <= budget) return
    forget(key)
  }
}
