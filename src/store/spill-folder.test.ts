import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureRepository } from '../../test/support/ingest.ts'
import { openRepository } from './repository.ts'

const MARKER = 'SPILLMARKER'

/** Fills a temporary table well past a 100 MB limit, so the engine spills it; what its spill files hold. */
async function spillOf(root: string): Promise<{ folders: string[]; bytes: number; plain: number }> {
  const repo = await openRepository(root)
  try {
    await repo.db.run(`SET memory_limit = '100MB'; SET threads = 1`)
    await repo.db.run(
      `CREATE TEMP TABLE filler AS SELECT '${MARKER}' || i AS s, random() AS r FROM range(5000000) t(i)`,
    )
    const spill = join(root, 'spill')
    const folders = readdirSync(spill)
    let bytes = 0
    let plain = 0
    for (const folder of folders)
      for (const f of readdirSync(join(spill, folder))) {
        const b = readFileSync(join(spill, folder, f))
        bytes += b.length
        if (b.includes(MARKER)) plain++
      }
    return { folders, bytes, plain }
  } finally {
    repo.close()
  }
}

describe("the engine's spill folder", () => {
  it("spills into the repository's own folder, encrypted with the store, and removes it on close", async () => {
    for (const encrypted of [true, false]) {
      const root = (await fixtureRepository({ encrypted })).paths.root
      const seen = await spillOf(root)
      expect(seen.folders).toEqual([expect.stringMatching(new RegExp(`^p${process.pid}-[0-9]+$`))])
      expect(seen.bytes).toBeGreaterThan(10_000_000)
      // A plain store's spill holds the text as it is: what shows the encrypted one is not.
      if (encrypted) expect(seen.plain).toBe(0)
      else expect(seen.plain).toBeGreaterThan(0)
      expect(readdirSync(join(root, 'spill'))).toEqual([])
    }
  }, 120_000)

  it("lets a writer remove the folders of processes that are gone, not a live one's", async () => {
    const repo = await fixtureRepository()
    const root = repo.paths.root
    repo.close()
    // No process has pid 2^22 + 1 on Linux (pid_max is at most 2^22).
    const gone = join(root, 'spill', `p${2 ** 22 + 1}-0`)
    const live = join(root, 'spill', `p${process.pid}-999`)
    for (const d of [gone, live]) mkdirSync(d, { recursive: true })
    const reader = await openRepository(root)
    reader.close()
    expect(existsSync(gone)).toBe(true)
    const writer = await openRepository(root, { write: true })
    writer.close()
    expect(existsSync(gone)).toBe(false)
    expect(existsSync(live)).toBe(true)
  }, 60_000)
})
