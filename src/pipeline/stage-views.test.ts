import { describe, expect, it } from 'vitest'
import { nbboDayIndexPart } from '../book/nbbo-day-index.ts'
import { NBBO_PART_SHAPE } from './stage-views.ts'

describe('the day index parts the stages register', () => {
  it('shape the NBBO part as its module does, without loading it', () => {
    expect(NBBO_PART_SHAPE.name).toBe(nbboDayIndexPart.name)
    expect([...NBBO_PART_SHAPE.companions]).toEqual([...(nbboDayIndexPart.companions ?? [])])
    expect(NBBO_PART_SHAPE.beside).toBe(nbboDayIndexPart.beside)
  })
})
