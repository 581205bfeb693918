/** How long each symbol's NBBO was crossed or locked during a day's regular hours, from the stored events. */
import { buildNbbo, marketStateOf, mergeBookEvents, readDayBookEvents } from '../../src/book/index.ts'
import { etWallToUtcNs } from '../../src/common/time/eastern.ts'
import type { Repository } from '../../src/store/repository.ts'

/** One symbol's time in each NBBO state between 09:30 and 16:00 ET (ns), and how often it became crossed. */
export interface NbboStateTime {
  readonly symbol: string
  readonly crossedNs: number
  readonly lockedNs: number
  readonly regularNs: number
  readonly crossings: number
}

/** Time crossed and locked per symbol with exchange events on `date` (YYYYMMDD), regular hours only. */
export async function nbboTimeInState(repo: Repository, date: number): Promise<NbboStateTime[]> {
  const y = Math.floor(date / 10000)
  const m = Math.floor(date / 100) % 100
  const d = date % 100
  const open = etWallToUtcNs(y, m, d, 9, 30, 0)
  const close = etWallToUtcNs(y, m, d, 16, 0, 0)
  const out: NbboStateTime[] = []
  for (const [symbol, venues] of await readDayBookEvents(repo, date)) {
    const { changes } = buildNbbo(mergeBookEvents([...venues.values()]))
    let crossedNs = 0
    let lockedNs = 0
    let crossings = 0
    let was = 'normal'
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]
      const state = marketStateOf(c.bidPrice, c.askPrice)
      if (state === 'crossed' && was !== 'crossed' && c.ns >= open && c.ns < close) crossings++
      was = state
      let from = c.ns
      if (from < open) from = open
      let to = changes[i + 1]?.ns ?? close
      if (to > close) to = close
      if (to <= from) continue
      if (state === 'crossed') crossedNs += Number(to - from)
      else if (state === 'locked') lockedNs += Number(to - from)
    }
    out.push({ symbol, crossedNs, lockedNs, regularNs: Number(close - open), crossings })
  }
  return out
}
