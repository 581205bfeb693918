/**
 * Eastern Time (America/New_York) conversions, computed from the US DST rules in dst-transitions.ts so results
 * never depend on the machine's time-zone database.
 *
 * Wall-clock times that are ambiguous or impossible are resolved like this:
 * - the repeated fall-back hour (01:00-01:59:59.999999999 on the fall-back Sunday) is read as its
 *   FIRST occurrence, in EDT (UTC-4); the second occurrence cannot be written as an ET wall time at all;
 * - the skipped spring hour (02:00-02:59:59.999999999 on the spring-forward Sunday) is read as EST (UTC-5),
 *   so 02:30 becomes 07:30 UTC, i.e. 03:30 EDT, just after the jump.
 */
import { dateFromDays, daysFromCivil } from './days-from-civil.ts'
import { dstTransitions } from './dst-transitions.ts'

const NS = 1_000_000_000n
const EST_SEC = -300 * 60
const EDT_SEC = -240 * 60
const NEVER = 1e9

/** An instant's Eastern wall-clock fields; month and day are 1-based, weekday 0 is Sunday. */
export interface EtParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  nanos: number
  weekday: number
}

/** Offset of Eastern Time from UTC at an instant, in minutes: -240 (EDT) or -300 (EST). */
export function etOffsetMinutes(utcNs: bigint): number {
  return offsetSecondsAt(floorSeconds(utcNs)) / 60
}

/** UTC ns of an ET wall time (fracNs 0-999999999); skipped times read as EST, repeated ones as EDT (see above). */
export function etWallToUtcNs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fracNs: number | bigint = 0,
): bigint {
  const secOfDay = hour * 3600 + minute * 60 + second
  if (typeof fracNs === 'number') return etWallNs(year, month, day, secOfDay, fracNs)
  return etWallNs(year, month, day, secOfDay, 0) + fracNs
}

/** Eastern wall-clock fields of an instant given as UTC nanoseconds. */
export function utcNsToEtParts(ns: bigint): EtParts {
  const utcSec = floorSeconds(ns)
  const nanos = Number(ns - BigInt(utcSec) * NS)
  const local = utcSec + offsetSecondsAt(utcSec)
  const days = Math.floor(local / 86400)
  const sod = local - days * 86400
  const date = dateFromDays(days)
  return {
    year: Math.floor(date / 10000),
    month: Math.floor(date / 100) % 100,
    day: date % 100,
    hour: Math.floor(sod / 3600),
    minute: Math.floor(sod / 60) % 60,
    second: sod % 60,
    nanos,
    weekday: (((days + 4) % 7) + 7) % 7,
  }
}

/** Offset of Eastern Time from UTC, in seconds, at a whole Unix second. */
export function offsetSecondsAt(utcSec: number): number {
  const year = Math.floor(dateFromDays(Math.floor(utcSec / 86400)) / 10000)
  const t = dstTransitions(year)
  return utcSec >= t.startUtcSec && utcSec < t.endUtcSec ? EDT_SEC : EST_SEC
}

/** Unix seconds (floored) of an instant in nanoseconds. */
export function floorSeconds(ns: bigint): number {
  const q = ns / NS
  return Number(ns < 0n && q * NS !== ns ? q - 1n : q)
}

/** What one ET calendar day needs for wall-to-UTC conversion: where its offset changes, and its UTC midnights. */
interface EtDay {
  /** Second of the wall-clock day from which `afterNs` applies. */
  switchSec: number
  /** UTC nanoseconds of wall-clock 00:00 of the day under the offset before and after the switch. */
  beforeNs: bigint
  afterNs: bigint
}

// Parsing converts every timestamp of every record, and a file's timestamps sit on a handful of dates.
const dayCache = new Map<number, EtDay>()
const DAY_CACHE_LIMIT = 4096
let lastKey = -1
let lastDay: EtDay | undefined

/**
 * UTC nanoseconds of an Eastern wall-clock time given as date fields, second of day and nanoseconds (the hot
 * path of parsing: one cached lookup and one bigint addition, since secOfDay * 1e9 + fracNs is exact in a double).
 */
export function etWallNs(year: number, month: number, day: number, secOfDay: number, fracNs: number): bigint {
  const key = year * 10000 + month * 100 + day
  let info: EtDay | undefined
  if (key === lastKey) info = lastDay!
  else {
    info = dayCache.get(key)
    if (info === undefined) {
      if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear()
      info = etDay(year, month, day, key)
      dayCache.set(key, info)
    }
    lastKey = key
    lastDay = info
  }
  return (secOfDay < info.switchSec ? info.beforeNs : info.afterNs) + BigInt(secOfDay * 1e9 + fracNs)
}

function etDay(year: number, month: number, day: number, key: number): EtDay {
  const days = daysFromCivil(year, month, day)
  const t = dstTransitions(year)
  const midnight = (offsetSec: number) => BigInt(days * 86400 - offsetSec) * NS
  const est = midnight(EST_SEC)
  const edt = midnight(EDT_SEC)
  // Spring: wall times before 03:00 use EST, so the skipped 02:xx lands after the jump.
  if (key === t.startDate) return { switchSec: 3 * 3600, beforeNs: est, afterNs: edt }
  // Fall: wall times before 02:00 use EDT, so the repeated 01:xx is its first occurrence.
  if (key === t.endDate) return { switchSec: 2 * 3600, beforeNs: edt, afterNs: est }
  const only = key > t.startDate && key < t.endDate ? edt : est
  return { switchSec: NEVER, beforeNs: only, afterNs: only }
}
