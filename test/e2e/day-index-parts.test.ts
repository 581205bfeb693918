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
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { currentFilesScan, latestDayIndex } from '../../src/store/day-index.ts'
import { registerDayIndexPart } from '../../src/store/day-index-write.ts'
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
      expect(parts).toEqual([
        'source',
        'resolve',
        'columns',
        'current',
        'lifecycles',
        'customers',
        'identifiers',
        'counts',
        'nbbo',
        'timeline',
        'probe',
      ])
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
      const files = readdirSync(join(build.dir, 'current'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.parquet'))
        .map((f) => join(build.dir, 'current', f))
      const all = currentFilesScan(repo, files)
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
