import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatCatTimestamp, meetsPrecision, parseCatTimestamp } from './cat-timestamp.ts'
import { dstTransitions } from './dst-transitions.ts'
import { etOffsetMinutes } from './eastern.ts'

/** UTC nanoseconds from UTC fields, through Date.UTC so the oracle shares no code with the parser. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, frac = 0n): bigint {
  return BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * 1_000_000n + frac
}

function ok(text: string, isJsonNumber = false) {
  const r = parseCatTimestamp(text, isJsonNumber)
  if (!r.ok) throw new Error(`expected ${text} to parse, got: ${r.reason}`)
  return r
}

function reasonOf(text: string, isJsonNumber = false): string {
  const r = parseCatTimestamp(text, isJsonNumber)
  if (r.ok) throw new Error(`expected ${text} to be rejected, got ${r.ns}`)
  return r.reason
}

const HOUR = 3_600_000_000_000n
const MIN_NS = utc(1970, 1, 1, 5, 0, 0)
const MAX_NS = utc(2200, 1, 1, 5, 0, 0) - 1n

describe('parseCatTimestamp, string form (spec §6.1 examples)', () => {
  it('accepts a timestamp without fraction and reads it as Eastern Time', () => {
    const r = ok('20190617T000120')
    expect(r).toEqual({ ok: true, ns: utc(2019, 6, 17, 4, 1, 20), digits: 0, form: 'string' })
  })

  it('accepts 3, 6 and 9 fraction digits and records how many were given', () => {
    expect(ok('20190617T000120.000')).toMatchObject({ ns: utc(2019, 6, 17, 4, 1, 20), digits: 3 })
    expect(ok('20170801T143031.123456')).toMatchObject({
      ns: utc(2017, 8, 1, 18, 30, 31, 123_456_000n),
      digits: 6,
    })
    expect(ok('20170107T213000.123456789')).toMatchObject({
      ns: utc(2017, 1, 8, 2, 30, 0, 123_456_789n),
      digits: 9,
    })
  })

  it("accepts a space as well as 'T' between date and time", () => {
    expect(ok('20190617 000120.123000000')).toEqual({
      ok: true,
      ns: utc(2019, 6, 17, 4, 1, 20, 123_000_000n),
      digits: 9,
      form: 'string',
    })
    expect(ok('20190617 000120.123').ns).toBe(ok('20190617T000120.123').ns)
  })

  it('accepts every fraction length from 1 to 9 and pads it to nanoseconds', () => {
    for (let n = 1; n <= 9; n++) {
      const r = ok('20190617T000120.' + '7'.repeat(n))
      expect(r.digits).toBe(n)
      expect(r.ns - utc(2019, 6, 17, 4, 1, 20)).toBe(BigInt('7'.repeat(n).padEnd(9, '0')))
    }
  })

  it('rejects a 4-digit time', () => {
    expect(reasonOf('20190617T0120')).toMatch(/6 digits/)
  })

  it('rejects a trailing dot', () => {
    expect(reasonOf('20190617T000120.')).toMatch(/fraction/)
  })

  it('rejects fraction digits run onto the time without a dot (ADEPT sample)', () => {
    expect(reasonOf('20200225T052042000')).toMatch(/6 digits/)
  })

  it.each([
    ['20190617t000120', /separated/],
    ['20190617-000120', /separated/],
    ['2019061T000120', /8 digits/],
    ['20190617T000120.1234567890', /25 characters/],
    ['20190617T000120.12a', /1 to 9 digits/],
    ['20190617T000120,123', /'\.'/],
    ['20190617T000120Z', /'\.'/],
    ['20191317T000120', /month/],
    ['20190017T000120', /month/],
    ['20190229T000120', /day/],
    ['20190431T000120', /day/],
    ['20190600T000120', /day/],
    ['20190617T240000', /hour/],
    ['20190617T006000', /minute/],
    ['20190617T000060', /second/],
    ['19691231T235959', /year/],
    ['22000101T000000', /year/],
    ['', /empty/],
    [' 20190617T000120', /8 digits/],
    ['20190617T000120 ', /'\.'/],
  ])('rejects %s', (text, reason) => {
    expect(reasonOf(text)).toMatch(reason)
  })

  it('accepts 29 February only in leap years', () => {
    expect(ok('20200229T120000').ns).toBe(utc(2020, 2, 29, 17, 0, 0))
    expect(ok('21000228T120000').ns).toBe(utc(2100, 2, 28, 17, 0, 0))
    expect(parseCatTimestamp('21000229T120000', false).ok).toBe(false)
  })

  it('accepts the first and last instants of the supported years', () => {
    expect(ok('19700101T000000').ns).toBe(MIN_NS)
    expect(ok('21991231T235959.999999999').ns).toBe(MAX_NS)
  })
})

describe('parseCatTimestamp, number form', () => {
  it('reads the spec example exactly, without going through a JS number', () => {
    const r = ok('1483842600123456789', true)
    expect(r).toEqual({ ok: true, ns: 1483842600123456789n, digits: 9, form: 'number' })
    // A double would have rounded this to ...456768.
    expect(BigInt(Number('1483842600123456789'))).not.toBe(r.ns)
  })

  it('is the same instant as the string example of §6.1', () => {
    expect(ok('1483842600123456789', true).ns).toBe(ok('20170107T213000.123456789').ns)
  })

  it('detects the number form in CSV from an all-digit text of 10+ characters', () => {
    expect(ok('1483842600123456789', false)).toMatchObject({ form: 'number', ns: 1483842600123456789n })
    expect(ok('1000000000', false)).toMatchObject({ form: 'number', ns: 1_000_000_000n })
    expect(parseCatTimestamp('123456789', false).ok).toBe(false)
    expect(parseCatTimestamp('20190617', false).ok).toBe(false)
  })

  it('accepts zero and the largest uint64', () => {
    expect(ok('0', true).ns).toBe(0n)
    expect(ok('18446744073709551615', true).ns).toBe(18446744073709551615n)
  })

  it.each([
    ['', /empty/],
    ['-1483842600123456789', /sign/],
    ['+1483842600123456789', /sign/],
    ['1483842600.123456789', /decimal point/],
    ['1.483842600123456789e18', /decimal point/],
    ['1483842600123456789e0', /exponent/],
    ['01483842600123456789', /leading zeros/],
    ['18446744073709551616', /uint64/],
    ['123456789012345678901', /uint64/],
    ['"1483842600123456789"', /only digits/],
    ['20190617T000120', /only digits/],
  ])('rejects the JSON number %s', (text, reason) => {
    expect(reasonOf(text, true)).toMatch(reason)
  })

  it('round-trips every uint64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n) => {
        const r = parseCatTimestamp(String(n), true)
        return r.ok && r.ns === n && r.form === 'number'
      }),
    )
  })
})

describe('parseCatTimestamp robustness', () => {
  it('never throws, whatever the text', () => {
    const pieces = fc.constantFrom('2019', '06', '17', 'T', ' ', '.', '000120', '9', '0', '-', '+', 'e', '')
    const texts = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
    )
    fc.assert(
      fc.property(texts, fc.boolean(), (text, json) => {
        const r = parseCatTimestamp(text, json)
        return r.ok ? typeof r.ns === 'bigint' : r.reason.length > 0
      }),
      { numRuns: 5000 },
    )
  })
})

describe('formatCatTimestamp', () => {
  it('writes Eastern Time with 9 digits and a T by default', () => {
    expect(formatCatTimestamp(1483842600123456789n)).toBe('20170107T213000.123456789')
  })

  it('truncates rather than rounds, and drops the dot for 0 digits', () => {
    const ns = utc(2019, 6, 17, 4, 1, 20, 999_999_999n)
    expect(formatCatTimestamp(ns, 3)).toBe('20190617T000120.999')
    expect(formatCatTimestamp(ns, 6, ' ')).toBe('20190617 000120.999999')
    expect(formatCatTimestamp(ns, 0)).toBe('20190617T000120')
  })

  it('uses EDT in summer and EST in winter', () => {
    expect(formatCatTimestamp(utc(2019, 7, 1, 13, 30, 0), 0)).toBe('20190701T093000')
    expect(formatCatTimestamp(utc(2019, 1, 2, 14, 30, 0), 0)).toBe('20190102T093000')
  })

  it('rejects a digit count outside 0-9', () => {
    expect(() => formatCatTimestamp(0n, 10)).toThrow(RangeError)
    expect(() => formatCatTimestamp(0n, -1)).toThrow(RangeError)
    expect(() => formatCatTimestamp(0n, 1.5)).toThrow(RangeError)
  })
})

describe('parse(format(ns)) round trip', () => {
  /** Whether ns falls in the second (EST) run of the repeated fall-back hour, which ET text cannot express. */
  const inRepeatedHour = (ns: bigint) => etOffsetMinutes(ns) === -300 && etOffsetMinutes(ns - HOUR) === -240

  const check = (ns: bigint, digits: number, sep: 'T' | ' ') => {
    const r = parseCatTimestamp(formatCatTimestamp(ns, digits, sep), false)
    const unit = 10n ** BigInt(9 - digits)
    const truncated = ns - (ns % unit)
    const expected = inRepeatedHour(ns) ? truncated - HOUR : truncated
    return r.ok && r.ns === expected && r.digits === digits
  }

  it('returns the same instant for any instant 1970-2199 at full precision', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_NS, max: MAX_NS }), (ns) => check(ns, 9, 'T')),
      {
        numRuns: 20_000,
      },
    )
  })

  it('returns the truncated instant for fewer digits and either separator', () => {
    const instant = fc.bigInt({ min: MIN_NS, max: MAX_NS })
    const sep = fc.constantFrom<'T' | ' '>('T', ' ')
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 9 }), sep, check))
  })

  it('holds within two hours of every DST transition', () => {
    const near = fc.record({
      year: fc.integer({ min: 1970, max: 2199 }),
      spring: fc.boolean(),
      delta: fc.bigInt({ min: -2n * HOUR, max: 2n * HOUR }),
    })
    fc.assert(
      fc.property(near, ({ year, spring, delta }) => {
        const t = dstTransitions(year)
        return check(BigInt(spring ? t.startUtcSec : t.endUtcSec) * 1_000_000_000n + delta, 9, 'T')
      }),
      { numRuns: 3000 },
    )
  })

  it('maps the second 01:30 of the fall-back day to the first (EDT) one', () => {
    const second = utc(2018, 11, 4, 6, 30, 0)
    expect(formatCatTimestamp(second, 0)).toBe('20181104T013000')
    expect(ok('20181104T013000').ns).toBe(utc(2018, 11, 4, 5, 30, 0))
  })
})

describe('meetsPrecision (error 2027)', () => {
  it('requires milliseconds of electronic events in the string form', () => {
    expect(meetsPrecision(ok('20190617T000120'), false)).toBe(false)
    expect(meetsPrecision(ok('20190617T000120.12'), false)).toBe(false)
    expect(meetsPrecision(ok('20190617T000120.000'), false)).toBe(true)
    expect(meetsPrecision(ok('20190617T000120.123456789'), false)).toBe(true)
  })

  it('accepts the number form of electronic events', () => {
    expect(meetsPrecision(ok('1560744080000000000', true), false)).toBe(true)
  })

  it('accepts whole seconds for manual events', () => {
    expect(meetsPrecision(ok('20190617T000120'), true)).toBe(true)
  })
})
