/**
 * How a day index build is written (src/store/day-index-write.ts): the linkage run's `day-index` pass runs
 * once the run's work tables are given back, the pass's trace times each part of the build, and the NBBO
 * part (src/book/nbbo-day-index.ts) writes the same series, venues' quotes and book checkpoints whatever the
 * number of buckets it reads them in.
 */
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BOOK_CHECKPOINTS_PART } from '../../src/book/checkpoints-day-index.ts'
import { NBBO_PART, nbboDayIndexPart, VENUE_QUOTES_PART } from '../../src/book/nbbo-day-index.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { linkDate } from '../../src/link/index.ts'
import { KEY_NUM_SQL } from '../../src/link/lifecycle-keys.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { writeTimeline } from '../../src/query/timeline-day-index.ts'
import { currentFilesScan, dayIndexBuildDir, latestDayIndex } from '../../src/store/day-index.ts'
import { registerDayIndexPart, writeDayIndex } from '../../src/store/day-index-write.ts'
import { initRepository, openRepository } from '../../src/store/repository.ts'
import { parquetRead, parquetWriteOptions } from '../../src/store/store-cipher.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const DATE = 20260302
let repoDir: string
/** The engine's databases each build written in this file saw while its parts were written. */
const attached: string[][] = []

// A part of every build written in this process: it writes nothing and notes the databases attached.
registerDayIndexPart({
  name: 'probe',
  async write(build) {
    const rows = await build.repo.db.all<{ d: string }>(
      'SELECT database_name AS d FROM duckdb_databases() ORDER BY d',
    )
    attached.push(rows.map((r) => r.d))
    return 0
  },
})

/** When set, the part written beside fails once it has read the build. */
let besideFails = false
/** What the part written beside read of the build's current versions, on its own connection, per build. */
const besideCounts: number[] = []

// A part of every build written in this process, written beside the store's parts: it counts the build's
// current versions on its connection, then writes nothing (or fails, when a test asks it to).
registerDayIndexPart({
  name: 'beside-probe',
  beside: true,
  async write(build) {
    const row = await build.repo.db.one<{ n: string }>(
      `SELECT count(*)::VARCHAR AS n FROM ${build.currentAll()}`,
    )
    besideCounts.push(Number(row?.n))
    if (besideFails) throw new Error('the part written beside failed')
    return 0
  },
})

/** The Parquet files under `dir`, at any depth, by name. */
function parquetFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(dir, f))
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, faults: 0.02, seed: 43 })
  repoDir = join(day, '..', 'repo-day-index-parts')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: isoOrCatToNs('2026-03-02T20:00:00') })
  repo.close()
}, 240_000)

describe('a linkage run’s day index', () => {
  it('is written once the run’s work tables are given back, and its trace times every part', async () => {
    const repo = await openRepository(repoDir, { write: true })
    try {
      const lines: string[] = []
      attached.length = 0
      await linkDate(repo, DATE, { mode: 'full', trace: (l) => lines.push(l) })
      expect(attached).toHaveLength(1)
      expect(attached[0]).not.toContain('lk')
      const parts = lines
        .filter((l) => l.startsWith('day-index '))
        .map((l) => /^day-index (\S+) \d+\.\d{3} s$/.exec(l)?.[1])
      // The parts written beside the store's parts start after the lifecycle rows, and are done whenever.
      const beside = ['nbbo', 'beside-probe']
      expect(parts.filter((p) => !beside.includes(p!))).toEqual([
        'source',
        'resolve',
        'columns',
        'current',
        'lifecycles',
        'customers',
        'identifiers',
        'counts',
        'timeline',
        'probe',
      ])
      for (const name of beside) {
        expect(parts.filter((p) => p === name)).toHaveLength(1)
        expect(parts.indexOf(name)).toBeGreaterThan(parts.indexOf('lifecycles'))
      }
    } finally {
      repo.close()
    }
  })

  it('keeps the work tables through the day-index pass when asked to keep them', async () => {
    const repo = await openRepository(repoDir, { write: true })
    try {
      attached.length = 0
      await linkDate(repo, DATE, { mode: 'full', keepWorkTables: true })
      expect(attached).toHaveLength(1)
      expect(attached[0]).toContain('lk')
    } finally {
      repo.close()
    }
  })
})

describe('the NBBO part of a build', () => {
  it('writes every symbol’s series and venues’ quotes in its bucket, the same rows read in one bucket or in several', async () => {
    const repo = await openRepository(repoDir, { write: true })
    try {
      const build = latestDayIndex(repo.paths, DATE)
      if (!build) throw new Error('the date has no day index')
      expect(build.manifest.parts.nbbo).toBeGreaterThan(0)
      const all = currentFilesScan(repo, parquetFilesUnder(join(build.dir, 'current')))
      const read = (dir: string, buckets: number, order: string) =>
        repo.db.all(
          `SELECT bucket = hash(symbol) % ${buckets} AS in_bucket, * EXCLUDE (bucket)
           FROM ${parquetRead(repo.db, `'${join(dir, '*', '*.parquet').replaceAll("'", "''")}'`, ['hive_partitioning = true'])}
           ORDER BY ${order}`,
        )
      const written = async (buckets: number) => {
        const dir = join(repo.paths.work, `nbbo-part-test-${buckets}`)
        mkdirSync(dir, { recursive: true })
        const companion = (name: string) => {
          mkdirSync(`${dir}-${name}`, { recursive: true })
          return `${dir}-${name}`
        }
        const rows = await nbboDayIndexPart.write({
          repo,
          eventDate: DATE,
          dir,
          buckets,
          current: (b) => `(SELECT * FROM ${all} WHERE hash(coalesce(symbol, '')) % ${buckets} = ${b})`,
          currentAll: () => all,
          lifecycles: () => undefined,
          encryption: parquetWriteOptions(repo.db),
          companion,
        })
        return {
          rows,
          nbbo: await read(dir, buckets, 'symbol, ns'),
          quotes: await read(companion(VENUE_QUOTES_PART), buckets, 'symbol, n'),
          books: await read(companion(BOOK_CHECKPOINTS_PART), buckets, 'symbol, venue'),
        }
      }
      const one = await written(1)
      const several = await written(7)
      expect(one.rows).toEqual({
        [NBBO_PART]: build.manifest.parts[NBBO_PART],
        [VENUE_QUOTES_PART]: build.manifest.parts[VENUE_QUOTES_PART],
        [BOOK_CHECKPOINTS_PART]: build.manifest.parts[BOOK_CHECKPOINTS_PART],
      })
      expect(one.books.length, 'no venue book in the build').toBeGreaterThan(0)
      expect(one.quotes.length, 'no venue quote in the build').toBeGreaterThan(0)
      expect(several.rows).toEqual(one.rows)
      expect(several.nbbo).toEqual(one.nbbo)
      expect(several.quotes).toEqual(one.quotes)
      expect(several.books).toEqual(one.books)
      const inBucket = (rows: unknown[]) => new Set(rows.map((r) => (r as { in_bucket: boolean }).in_bucket))
      expect(inBucket(several.nbbo)).toEqual(new Set([true]))
      expect(inBucket(several.quotes)).toEqual(new Set([true]))
      expect(inBucket(several.books)).toEqual(new Set([true]))
    } finally {
      repo.close()
    }
  })
})

describe('a part written beside the store’s parts', () => {
  it('reads the build on its own connection, and its failure fails the build, which the next write makes', async () => {
    const repo = await openRepository(repoDir, { write: true })
    try {
      besideCounts.length = 0
      await linkDate(repo, DATE, { mode: 'full' })
      const built = latestDayIndex(repo.paths, DATE)
      if (!built) throw new Error('the date has no day index')
      expect(besideCounts).toEqual([built.manifest.rows.current])
      expect(built.manifest.rows.current).toBeGreaterThan(0)
      // Its folders are in the manifest in the order the parts are registered, whichever was done first.
      expect(Object.keys(built.manifest.parts)).toEqual([
        NBBO_PART,
        VENUE_QUOTES_PART,
        BOOK_CHECKPOINTS_PART,
        'timeline',
        'probe',
        'beside-probe',
      ])

      besideFails = true
      await expect(linkDate(repo, DATE, { mode: 'full' })).rejects.toThrow('the part written beside failed')
      expect(latestDayIndex(repo.paths, DATE)?.dir).toBe(built.dir)

      besideFails = false
      const again = await writeDayIndex(repo, DATE, { keyNum: KEY_NUM_SQL })
      expect(again.written).toBe(true)
      expect(latestDayIndex(repo.paths, DATE)?.dir).toBe(dayIndexBuildDir(repo.paths, DATE, again.build))
      expect(again.build).toBeGreaterThan(Number(/build=0*([0-9]+)/.exec(built.dir)?.[1]))
      expect(again.manifest.rows.current).toBe(built.manifest.rows.current)
      expect(again.manifest.parts).toEqual(built.manifest.parts)
    } finally {
      besideFails = false
      repo.close()
    }
  })
})

describe('the timeline part of a build', () => {
  it('writes the same rows in the same time order, sorted whole or in time slices', async () => {
    const repo = await openRepository(repoDir, { write: true })
    try {
      const build = latestDayIndex(repo.paths, DATE)
      if (!build) throw new Error('the date has no day index')
      const current = currentFilesScan(repo, parquetFilesUnder(join(build.dir, 'current')))
      const lifecycleFiles = parquetFilesUnder(join(build.dir, 'lifecycles'))
      const written = async (rowsPerSlice: number) => {
        const dir = join(repo.paths.work, `timeline-test-${rowsPerSlice}`)
        const rows = await writeTimeline(
          {
            repo,
            eventDate: DATE,
            dir,
            buckets: build.manifest.currentBuckets,
            current: () => {
              throw new Error('the timeline reads every bucket at once')
            },
            currentAll: () => current,
            lifecycles: () =>
              parquetRead(repo.db, `[${lifecycleFiles.map((f) => `'${f}'`).join(', ')}]`, [
                'hive_partitioning = false',
              ]),
            encryption: parquetWriteOptions(repo.db),
            companion: () => {
              throw new Error('the timeline has no companion')
            },
          },
          rowsPerSlice,
        )
        const files = parquetFilesUnder(dir)
        // Every row as written, file after file in name order.
        const read = await repo.db.all<Record<string, unknown>>(
          `SELECT * EXCLUDE (filename, file_row_number) FROM ${parquetRead(
            repo.db,
            `[${files.map((f) => `'${f}'`).join(', ')}]`,
            ['filename = true', 'file_row_number = true'],
          )} ORDER BY filename, file_row_number`,
        )
        return { rows, files: files.length, read }
      }
      const whole = await written(Number.MAX_SAFE_INTEGER)
      const sliced = await written(Math.ceil(whole.rows / 5))
      expect(whole.files).toBe(1)
      expect(whole.rows).toBe(build.manifest.rows.current)
      expect(whole.rows).toBe(build.manifest.parts.timeline)
      expect(sliced.files).toBeGreaterThanOrEqual(3)
      expect(sliced.rows).toBe(whole.rows)
      expect(sliced.read).toEqual(whole.read)
      const times = whole.read.map((r) => BigInt(String(r._event_ns)))
      expect(times.every((t, i) => i === 0 || times[i - 1]! <= t)).toBe(true)
      expect(whole.read.some((r) => (r.lifecycle_ids as unknown[]).length > 0)).toBe(true)
    } finally {
      repo.close()
    }
  })
})
