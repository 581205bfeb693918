import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CalendarParse, parseCalendarFile, serializeCalendar } from './calendar-file.ts'
import { nyseCalendar } from './nyse-calendar.ts'

function errorsOf(json: unknown): string[] {
  const r = parseCalendarFile(json)
  if (r.ok) throw new Error('expected the calendar file to be rejected')
  return r.errors
}

const good = {
  version: 1,
  holidays: ['2026-01-01', '2026-07-03'],
  earlyCloses: { '2026-11-27': '13:00', '2026-12-24': '13:00' },
}

describe('parseCalendarFile', () => {
  it('reads the documented layout', () => {
    const r = parseCalendarFile(good)
    expect(r).toEqual({
      ok: true,
      calendar: {
        holidays: new Set([20260101, 20260703]),
        earlyCloses: new Map([
          [20261127, '13:00'],
          [20261224, '13:00'],
        ]),
      },
    })
  })

  it('treats earlyCloses as optional', () => {
    const r = parseCalendarFile({ version: 1, holidays: [] })
    expect(r.ok && r.calendar.earlyCloses.size).toBe(0)
  })

  it.each([null, 42, 'calendar', [], true])('rejects a top level that is not an object: %j', (json) => {
    expect(errorsOf(json)).toEqual([expect.stringMatching(/must be a JSON object/)])
  })

  it('requires version 1', () => {
    expect(errorsOf({ ...good, version: 2 })).toEqual(['version must be 1, got 2'])
    expect(errorsOf({ holidays: [] })).toEqual(['version must be 1, got nothing'])
    expect(errorsOf({ ...good, version: '1' })).toEqual(['version must be 1, got "1"'])
  })

  it('requires holidays to be an array', () => {
    expect(errorsOf({ version: 1 })[0]).toMatch(/holidays must be an array .* got nothing/)
    expect(errorsOf({ version: 1, holidays: '2026-01-01' })[0]).toMatch(/holidays must be an array/)
  })

  it('names each bad holiday by index', () => {
    const errors = errorsOf({ version: 1, holidays: ['2026-01-01', '2026-02-30', 20260101, '2026-1-19'] })
    expect(errors).toEqual([
      'holidays[1]: "2026-02-30" is not a valid "YYYY-MM-DD" date',
      'holidays[2]: 20260101 is not a valid "YYYY-MM-DD" date',
      'holidays[3]: "2026-1-19" is not a valid "YYYY-MM-DD" date',
    ])
  })

  it('rejects a weekend holiday, pointing at the observed weekday instead', () => {
    expect(errorsOf({ version: 1, holidays: ['2026-07-04'] })).toEqual([
      'holidays[0]: 2026-07-04 is a Saturday; list the weekday on which the exchanges close',
    ])
  })

  it('rejects a holiday listed twice', () => {
    expect(errorsOf({ version: 1, holidays: ['2026-01-01', '2026-01-01'] })).toEqual([
      'holidays[1]: 2026-01-01 is listed more than once',
    ])
  })

  it('rejects early closes that are malformed, on closed days, or not before 16:00', () => {
    const errors = errorsOf({
      version: 1,
      holidays: ['2026-12-25'],
      earlyCloses: {
        '2026-11-27': '13:0',
        '2026-11-30': '16:30',
        '2026-12-01': 1300,
        '2026-12-02': '25:00',
        '2026-12-25': '13:00',
        '2026-11-28': '13:00',
        '27-11-2026': '13:00',
      },
    })
    expect(errors).toEqual([
      'earlyCloses["2026-11-27"]: "13:0" is not a close time "HH:MM" before 16:00',
      'earlyCloses["2026-11-30"]: "16:30" is not a close time "HH:MM" before 16:00',
      'earlyCloses["2026-12-01"]: 1300 is not a close time "HH:MM" before 16:00',
      'earlyCloses["2026-12-02"]: "25:00" is not a close time "HH:MM" before 16:00',
      'earlyCloses["2026-12-25"]: 2026-12-25 is also listed as a holiday',
      'earlyCloses["2026-11-28"]: 2026-11-28 is a Saturday, when the exchanges are closed anyway',
      'earlyCloses["27-11-2026"]: key is not a valid "YYYY-MM-DD" date',
    ])
  })

  it('rejects earlyCloses that is not an object', () => {
    expect(errorsOf({ version: 1, holidays: [], earlyCloses: [['2026-11-27', '13:00']] })[0]).toMatch(
      /earlyCloses must be an object/,
    )
  })

  it('rejects unknown keys, catching typos', () => {
    expect(errorsOf({ version: 1, holiday: [] })).toContain(
      'unknown key "holiday" (expected version, holidays, earlyCloses)',
    )
  })

  it('reports every problem at once', () => {
    expect(errorsOf({ version: 0, holidays: ['x', 'y'], extra: 1 })).toHaveLength(4)
  })

  it('returns errors rather than throwing on values JSON.parse never makes', () => {
    const cyclic: Record<string, unknown> = { version: 1 }
    cyclic.holidays = [cyclic]
    expect(errorsOf(cyclic)).toEqual(['holidays[0]: an object is not a valid "YYYY-MM-DD" date'])
    expect(errorsOf({ version: 10n, holidays: [] })).toEqual(['version must be 1, got a bigint'])
    const hostile = {
      version: 1,
      get holidays(): never {
        throw new Error('boom')
      },
    }
    expect(errorsOf(hostile)).toEqual(['calendar file could not be read: boom'])
  })

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }), (json) => {
        const r: CalendarParse = parseCalendarFile(json)
        return r.ok || r.errors.length > 0
      }),
      { numRuns: 2000 },
    )
  })
})

describe('serializeCalendar', () => {
  it('writes the documented layout, sorted', () => {
    const text = serializeCalendar({
      holidays: new Set([20260703, 20260101]),
      earlyCloses: new Map([
        [20261224, '13:00'],
        [20261127, '13:00'],
      ]),
    })
    expect(JSON.parse(text)).toEqual(good)
    expect(text.indexOf('2026-01-01')).toBeLessThan(text.indexOf('2026-07-03'))
    expect(text.indexOf('2026-11-27')).toBeLessThan(text.indexOf('2026-12-24'))
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('round-trips the generated NYSE calendar through the file layout', () => {
    const cal = nyseCalendar(2000, 2030)
    const r = parseCalendarFile(JSON.parse(serializeCalendar(cal)))
    expect(r).toEqual({ ok: true, calendar: cal })
  })
})
