/** The order batches run in on two engine connections: two at once, store-reading ones alone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../store/database.ts'
import { BatchLanes } from './batch-lanes.ts'

let first: Database
let second: Database
beforeAll(async () => {
  first = await Database.open(':memory:')
  second = await first.connect()
})
afterAll(() => {
  second?.close()
  first?.close()
})

/** A batch that runs a query on its lane, then waits until the test lets it finish. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}

describe('BatchLanes', () => {
  it('runs two batches at once, holds a third until one ends, and runs a store-reading batch alone', async () => {
    const lanes = new BatchLanes<number>([first, second])
    const log: string[] = []
    const gates = [gate(), gate(), gate()]
    const work = (n: number) => async (lane: Database) => {
      log.push(`start ${n} on ${lane === first ? 'first' : 'second'}`)
      const row = await lane.one<{ x: number }>(`SELECT ${n} * 10 AS x`)
      await gates[n]?.opened
      log.push(`end ${n}`)
      return row!.x
    }
    await lanes.start(0, false, work(0))
    await lanes.start(1, false, work(1))
    const third = lanes.free()
    let freed = false
    void third.then(() => {
      freed = true
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(freed).toBe(false)
    gates[1].open()
    await third
    await lanes.start(2, false, work(2))
    // A batch reading the store waits for batches 0 and 2, then runs on the first lane by itself.
    const alone = lanes.start(3, true, work(3))
    await new Promise((r) => setTimeout(r, 20))
    expect(log).not.toContain('start 3 on first')
    gates[0].open()
    gates[2].open()
    await alone
    const results = await lanes.done()
    expect(results).toEqual([0, 10, 20, 30])
    expect(log.slice(0, 2).sort()).toEqual(['start 0 on second', 'start 1 on first'])
    expect(log.indexOf('start 3 on first')).toBeGreaterThan(log.indexOf('end 0'))
    expect(log.indexOf('start 3 on first')).toBeGreaterThan(log.indexOf('end 2'))
    expect(log.at(-1)).toBe('end 3')
  })

  it('gives the first failure when the batches are done, after the others have finished', async () => {
    const lanes = new BatchLanes<number>([first, second])
    let finished = false
    await lanes.start(0, false, async (lane) => {
      await lane.run('SELECT * FROM no_such_table')
      return 0
    })
    await lanes.start(1, false, async () => {
      await new Promise((r) => setTimeout(r, 20))
      finished = true
      return 1
    })
    await expect(lanes.done()).rejects.toThrow(/no_such_table/)
    expect(finished).toBe(true)
    await lanes.settle()
  })
})
