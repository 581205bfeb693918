/**
 * Values as people read them: the formatters the command line uses (src/query/display-format.ts, pure
 * functions bundled as they are), and a few the views need on top of them. Instants are Eastern Time with
 * the zone shown (EST or EDT) everywhere.
 */
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
