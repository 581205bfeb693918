/**
 * The trading day the views look at: taken from a URL's `date` parameter when it has one, otherwise the
 * latest date the repository holds (GET /api/summary, for those allowed it).
 */
import { get } from './api.ts'
import { isoDate } from './format.ts'

export const day = $state<{ date: string; dates: string[] }>({ date: '', dates: [] })

/** Loads the repository's dates once signed in; keeps a date already chosen. */
export async function loadDates(): Promise<void> {
  try {
    const s = await get<{ dates: { event_date: number }[] }>('/api/summary')
    day.dates = s.dates.map((d) => isoDate(d.event_date))
    if (!day.date && day.dates.length > 0) day.date = day.dates[day.dates.length - 1]
  } catch {
    // Not everyone may read the summary; they pick a date themselves.
  }
}

/** Makes a URL's date the current one. */
export function useDate(date: string | null | undefined): void {
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) day.date = date
}
