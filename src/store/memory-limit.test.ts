import { describe, expect, it } from 'vitest'
import { Database } from './database.ts'
import {
  DEFAULT_ROW_GROUP,
  engineMemoryLimit,
  MIN_ROW_GROUP,
  memoryLimitBytes,
  parseByteSize,
  partitionedRowGroup,
  partitionedWriteSizes,
} from './memory-limit.ts'

describe('the engine memory limit', () => {
  it('reads the sizes the engine prints', () => {
    expect(parseByteSize('18.8 GiB')).toBeCloseTo(18.8 * 2 ** 30)
    expect(parseByteSize('4.0 GB')).toBe(4e9)
    expect(parseByteSize('95.3 MiB')).toBeCloseTo(95.3 * 2 ** 20)
    expect(parseByteSize('512 bytes')).toBe(512)
    // What the engine prints for no limit at all (memory_limit = '-1').
    expect(parseByteSize('16383.9 PiB')).toBeCloseTo(16383.9 * 2 ** 50)
    expect(() => parseByteSize('lots')).toThrow(/cannot read the size/)
  })

  it("takes the operator's limit from OPENCAT_MEMORY_LIMIT, and refuses one that is not a size", () => {
    expect(engineMemoryLimit({})).toBeUndefined()
    expect(engineMemoryLimit({ OPENCAT_MEMORY_LIMIT: ' ' })).toBeUndefined()
    expect(engineMemoryLimit({ OPENCAT_MEMORY_LIMIT: '4GB' })).toBe('4GB')
    expect(engineMemoryLimit({ OPENCAT_MEMORY_LIMIT: '1.5 GiB' })).toBe('1.5GiB')
    for (const bad of ['lots', '4', '4 elephants', '0GB', '512 bytes', '-1GB'])
      expect(() => engineMemoryLimit({ OPENCAT_MEMORY_LIMIT: bad }), bad).toThrow(
        /OPENCAT_MEMORY_LIMIT=.* is not a memory size/,
      )
  })

  it('opens every database under the limit OPENCAT_MEMORY_LIMIT sets', async () => {
    const before = process.env.OPENCAT_MEMORY_LIMIT
    process.env.OPENCAT_MEMORY_LIMIT = '300MB'
    try {
      const db = await Database.open(':memory:')
      try {
        // The engine prints its limit rounded (286.1 MiB).
        expect(Math.abs((await memoryLimitBytes(db)) - 3e8)).toBeLessThan(1e6)
      } finally {
        db.close()
      }
    } finally {
      if (before === undefined) delete process.env.OPENCAT_MEMORY_LIMIT
      else process.env.OPENCAT_MEMORY_LIMIT = before
    }
  })

  it('gives a partitioned write row groups whose open ones fit a quarter of the limit', () => {
    const limit = 4e9
    const group = partitionedRowGroup(limit, 64, 512, 2)
    expect(group).toBeLessThan(DEFAULT_ROW_GROUP)
    expect(64 * 2 * 512 * group).toBeLessThanOrEqual(limit / 4)
    expect(64 * 2 * 512 * (group + 1)).toBeGreaterThan(limit / 4)
    // Few partitions keep the engine's own group; very many stop at the least worth writing.
    expect(partitionedRowGroup(limit, 1, 512, 2)).toBe(DEFAULT_ROW_GROUP)
    expect(partitionedRowGroup(limit, 100_000, 512, 2)).toBe(MIN_ROW_GROUP)
  })

  it('sizes a write from the limit and threads the engine is set to', async () => {
    const db = await Database.open(':memory:')
    try {
      await db.run(`SET memory_limit = '1GB'; SET threads = 2`)
      const small = await partitionedWriteSizes(db, 100, 512)
      // The engine prints its limit rounded ('953.6 MiB').
      const limit = await memoryLimitBytes(db)
      expect(limit).toBeCloseTo(1e9, -6)
      expect(small.rowGroup).toBe(partitionedRowGroup(limit, 100, 512, 2))
      expect(small.flushRows).toBe(Math.floor((limit * 0.1) / (2 * 512)))
      await db.run(`SET memory_limit = '8GB'`)
      const large = await partitionedWriteSizes(db, 100, 512)
      expect(large.rowGroup).toBeGreaterThan(small.rowGroup)
      expect(large.flushRows).toBeGreaterThan(small.flushRows)
      // The engine's default caps what a thread holds, unless the write asks for a higher ceiling.
      expect(large.flushRows).toBe(524_288)
      const narrow = await partitionedWriteSizes(db, 100, 200, 2_097_152)
      expect(narrow.flushRows).toBe(Math.floor(((await memoryLimitBytes(db)) * 0.1) / (2 * 200)))
      expect(narrow.flushRows).toBeGreaterThan(524_288)
    } finally {
      db.close()
    }
  })
})
