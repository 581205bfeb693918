/**
 * Where a linkage run keeps its work tables: `opencat link --work-storage disk` (a compressed scratch file
 * in the work folder) and `memory` give the same run, file for file, as the `auto` run `opencat submit`
 * made; `auto` follows the engine's memory limit; a bad value is a usage error.
 */
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LINKAGE_FILES, type LinkageTable } from '../../src/link/index.ts'
import { runDir, runFiles } from '../../src/link/linkage-layout.ts'
import { chooseWorkStorage, WORK_BYTES_PER_VERSION } from '../../src/link/work-database.ts'
import { literal } from '../../src/store/database.ts'
import { openRepository, type Repository } from '../../src/store/repository.ts'
import { parquetRead } from '../../src/store/store-cipher.ts'
import { runCli } from '../support/cli.ts'
import { simulatedRepository } from '../support/simulated-day.ts'

const DATE = 20260302
let repoDir: string
const summaries = new Map<string, Record<string, unknown>>()

const link = (storage: string) =>
  runCli([
    'link',
    '--repo',
    repoDir,
    '--date',
    '2026-03-02',
    '--full',
    '--at',
    '2026-03-02T20:00:00',
    '--work-storage',
    storage,
    '--json',
  ])

beforeAll(async () => {
  ;({ repoDir } = await simulatedRepository({ orders: 400 }))
  for (const storage of ['disk', 'memory']) {
    const r = await link(storage)
    if (r.code !== 0) throw new Error(`opencat link --work-storage ${storage} failed: ${r.stderr}`)
    summaries.set(storage, JSON.parse(r.stdout))
  }
}, 300_000)

describe('opencat link --work-storage', () => {
  let repo: Repository
  beforeAll(async () => {
    repo = await openRepository(repoDir)
  })
  afterAll(() => repo?.close())

  /** Every row of a run's table, in one order. */
  const rowsOf = async (run: number, table: LinkageTable) => {
    const files = runFiles(runDir(repo.paths, DATE, run), table)
    if (files.length === 0) return []
    return repo.db.all(
      `SELECT * FROM ${parquetRead(repo.db, `[${files.map(literal).join(', ')}]`, ['union_by_name = true', 'hive_partitioning = false'])} ORDER BY ALL`,
    )
  }

  it('says where each run kept its work tables and leaves no scratch file behind', () => {
    expect(summaries.get('disk')).toMatchObject({ run: 2, mode: 'full', workStorage: 'disk' })
    expect(summaries.get('memory')).toMatchObject({ run: 3, mode: 'full', workStorage: 'memory' })
    expect(readdirSync(repo.paths.work).filter((f) => f.startsWith('linkage-'))).toEqual([])
  })

  it('gives the same counts on disk as in memory', () => {
    const disk = summaries.get('disk')!
    const memory = summaries.get('memory')!
    expect(Number(disk.events)).toBeGreaterThan(1000)
    for (const key of ['events', 'rejected', 'links', 'byType', 'errorsByCode', 'namedByCode', 'lifecycles'])
      expect(disk[key], key).toEqual(memory[key])
  })

  it('writes the same files, row for row, as the automatic run of opencat submit made', async () => {
    for (const table of Object.keys(LINKAGE_FILES) as LinkageTable[]) {
      const first = await rowsOf(1, table)
      expect(await rowsOf(2, table), `${table} on disk`).toEqual(first)
      expect(await rowsOf(3, table), `${table} in memory`).toEqual(first)
    }
    expect((await rowsOf(1, 'members')).length).toBeGreaterThan(1000)
  })

  it('refuses a storage it does not know', async () => {
    const r = await link('tape')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toMatchObject({
      code: 'OCAT_ERR_CLI_USAGE',
      message: '--work-storage must be auto, memory or disk, got tape',
    })
  })
})

describe('automatic work storage', () => {
  it('puts the work tables on disk when in memory they would pass half the engine limit', async () => {
    const repo = await openRepository(repoDir)
    try {
      await repo.db.run(`SET memory_limit = '100MB'`)
      const limit = 100e6
      const half = Math.floor(limit / 2 / WORK_BYTES_PER_VERSION)
      // The engine may round the limit it keeps: stay clear of the exact boundary.
      expect(await chooseWorkStorage(repo.db, 'auto', half - 1000)).toBe('memory')
      expect(await chooseWorkStorage(repo.db, 'auto', half + 1000)).toBe('disk')
      expect(await chooseWorkStorage(repo.db, 'memory', half * 10)).toBe('memory')
      expect(await chooseWorkStorage(repo.db, 'disk', 1)).toBe('disk')
    } finally {
      repo.close()
    }
  })
})
