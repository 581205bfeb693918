import { describe, expect, it } from 'vitest'
import { nbboDayIndexPart } from '../book/nbbo-day-index.ts'
import { NBBO_FOLDERS } from './stage-views.ts'

describe('the day index parts the stages register', () => {
  it('name the NBBO part by the folders its module writes, without loading it', () => {
    expect(NBBO_FOLDERS.name).toBe(nbboDayIndexPart.name)
    expect([...NBBO_FOLDERS.companions]).toEqual([...(nbboDayIndexPart.companions ?? [])])
  })
})
