import { describe, expect, it } from 'vitest'
import { nyseCalendar } from '../common/time/index.ts'
import { Rng } from './rng.ts'
import { ArrivalClock, HOUR, MINUTE, tradingHours } from './trading-hours.ts'

describe('trading hours and arrivals', () => {
  it('ends the day 15 minutes after the close, early closes included', () => {
    const cal = nyseCalendar(2025, 2027)
    expect(tradingHours(cal, 20260302).end).toBe(16 * HOUR + 15 * MINUTE)
    expect(tradingHours(cal, 20261127).close).toBe(13 * HOUR)
  })

  it('draws exactly N arrival times, in order, inside the day, busiest at the open and the close', () => {
    const hours = tradingHours(nyseCalendar(2025, 2027), 20260302)
    const clock = new ArrivalClock(hours, 20000, new Rng(3))
    const times: number[] = []
    for (let t = clock.next(); t !== undefined; t = clock.next()) times.push(t)
    expect(times).toHaveLength(20000)
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1])
    expect(times[0]).toBeGreaterThanOrEqual(hours.preOpen)
    expect(times.at(-1)!).toBeLessThan(hours.end)
    const inWindow = (from: number) => times.filter((t) => t >= from && t < from + 15 * MINUTE).length
    const open = inWindow(hours.open)
    const midday = inWindow(12 * HOUR + 30 * MINUTE)
    const close = inWindow(hours.close - 15 * MINUTE)
    expect(open).toBeGreaterThan(2 * midday)
    expect(close).toBeGreaterThan(2 * midday)
  })
})
