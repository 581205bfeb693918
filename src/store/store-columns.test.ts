import { describe, expect, it } from 'vitest'
import { storeColumns as builtColumns } from '../../bin/bundle.js'
import { EVENT_COLUMNS } from './event-columns.ts'
import { storeColumns } from './store-columns.ts'

const expected = EVENT_COLUMNS.map(({ name, sqlType }) => ({ name, sqlType }))

describe('the event store columns the views declare', () => {
  it('are the catalogue-derived columns, in storage order, when running the sources', async () => {
    expect((await storeColumns()).map(({ name, sqlType }) => ({ name, sqlType }))).toEqual(expected)
  })

  it('are computed from the sources being built when the compiled command is built', async () => {
    // The build writes these into the compiled command; it is made again whenever a source is newer.
    expect(await builtColumns()).toEqual(expected)
  })
})
