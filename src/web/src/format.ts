/**
 * Values as people read them: the formatters the command line uses (src/query/display-format.ts, pure
 * functions bundled as they are), and a few the views need on top of them. Instants are Eastern Time with
 * the zone shown (EST or EDT) everywhere.
 */
import { parseCatTimestamp } from '../../common/time/cat-timestamp.ts'
import { formatEtInstant } from '../../query/display-format.ts'

export {
  easternZone,
  formatCatDate,
  formatDecimal,
  formatEtClock,
  formatEtInstant,
  formatEtIso,
  formatPriceText,
  formatQuantityText,
  groupThousands,
} from '../../query/display-format.ts'

/** A count with thousands grouped ('1234567' → '1,234,567'); null or undefined gives '—'. */
export function formatCount(n: number | string | bigint | null | undefined): string {
  if (n === null || n === undefined || n === '') return '—'
  const s = String(n)
  return /^-?\d+$/.test(s) ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : s
}

/** A CAT date (20260302) or ISO date as YYYY-MM-DD, for URLs and date inputs. */
export function isoDate(date: number | string): string {
  const s = String(date)
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s
}

/** A duration in milliseconds, short ('850 ms', '1.2 s'). */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/**
 * A CAT timestamp as the API gives it (Eastern Time, '20260302T093000.123456'), shown with its date, the
 * digits the reporter wrote and the zone: '2026-03-02 09:30:00.123456 EST'. Text that is not one is returned.
 */
export function formatCatTimestampText(ts: string): string {
  const p = parseCatTimestamp(ts, false)
  return p.ok ? formatEtInstant(p.ns, p.digits) : ts
}

/** Only the time of day of a CAT timestamp: '09:30:00.123456'. */
export function catClock(ts: string): string {
  const m = /^\d{8}[T ](\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(ts)
  return m ? `${m[1]}:${m[2]}:${m[3]}${m[4] ?? ''}` : ts
}
