import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { recordOf } from '../../test/support/arbitrary-record.ts'
import { CATALOGUES } from '../catalogue/index.ts'
import { decodeCsvRecord, decodeJsonRecord } from './decode.ts'
import { encodeCsvRecord, encodeJsonRecord } from './encode.ts'

// Objects from the decoder have null prototypes; compare plain data.
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)))
}

for (const cat of CATALOGUES) {
  describe(`round trips of every event type, file version ${cat.version}`, () => {
    for (const event of cat.events.values()) {
      it(`${event.type}: JSON encode then decode gives back the same values, with no findings`, () => {
        fc.assert(
          fc.property(recordOf(event, cat), (values) => {
            const line = encodeJsonRecord(cat, event, values)
            const back = decodeJsonRecord(line, cat)
            expect(back.findings).toEqual([])
            expect(back.type).toBe(event.type)
            expect(plain(back.values)).toEqual(plain(values))
          }),
          { numRuns: 60 },
        )
      })
      it(`${event.type}: CSV encode then decode gives back the same values, with no findings`, () => {
        fc.assert(
          fc.property(recordOf(event, cat), (values) => {
            const line = encodeCsvRecord(event, values)
            expect(line.split(',')).toHaveLength(event.fields.length)
            const back = decodeCsvRecord(line, cat)
            expect(back.findings).toEqual([])
            expect(plain(back.values)).toEqual(plain(values))
          }),
          { numRuns: 60 },
        )
      })
    }
  })
}
