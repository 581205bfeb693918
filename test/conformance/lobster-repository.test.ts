/**
 * LOBSTER through the whole repository and the command line: every sample message file in
 * ../shared/data/lobster/ (the ZIPs unpacked) imported with its orderbook file by `opencat import lobster`,
 * stored through intake, and read back: the stored book equals LOBSTER's own orderbook row at every message's
 * time, on every level the file shows. The full check replays the stored events (as the book module reads
 * them) to every message; the book view (checkpoints and roll-forward, what `opencat book` and the portal
 * answer) is checked at 6 instants per file (each view call rolls forward from a checkpoint over the store), and `opencat book` itself at 12:00. Without the orderbook
 * file the import says the book is approximate, and a crossed book says so. Exports give back the messages.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  formatLobsterBookRow,
  lobsterRowOf,
  OrderBook,
  parseLobsterTime,
  readBookEvents,
} from '../../src/book/index.ts'
import { etWallToUtcNs } from '../../src/common/time/eastern.ts'
import { exportLobsterFiles } from '../../src/pipeline/lobster-files.ts'
import '../../src/pipeline/stage-views.ts'
import { bookView } from '../../src/query/market.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { writeReference } from '../support/fixtures.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

const DIR = ['data', 'lobster']
const dir = sharedFile(...DIR)
const unzipWorks = !spawnSync('unzip', ['-v']).error
const DATE = 20120621
const ISO = '2012-06-21'
const MIDNIGHT = etWallToUtcNs(2012, 6, 21, 0, 0, 0)
const NOON = etWallToUtcNs(2012, 6, 21, 12, 0, 0)

interface Sample {
  name: string
  ticker: string
  level: number
  messages: string
  book: string
}

function samplesIn(folder: string): Sample[] {
  return readdirSync(folder)
    .map((f) => /^([A-Z]+)_2012-06-21_34200000_57600000_message_(\d+)\.csv$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      name: `${m[1]} level ${m[2]}`,
      ticker: m[1],
      level: Number(m[2]),
      messages: join(folder, m[0]),
      book: join(folder, m[0].replace('_message_', '_orderbook_')),
    }))
    .filter((s) => existsSync(s.book))
}

const samples: Sample[] = []
if (dir) {
  samples.push(...samplesIn(dir))
  if (unzipWorks) {
    const scratch = mkdtempSync(join(tmpdir(), 'opencat-lobster-zip-'))
    for (const zip of readdirSync(dir).filter((f) => f.endsWith('.zip'))) {
      const out = join(scratch, zip.replace('.zip', ''))
      if (spawnSync('unzip', ['-o', '-q', join(dir, zip), '-d', out]).status === 0)
        samples.push(...samplesIn(out))
    }
  }
}

/** A fresh repository whose reference data lists `symbol` on NSDQ since 2010. */
function newRepo(symbols: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'opencat-lobster-repo-'))
  writeReference(
    join(root, 'ref'),
    symbols.map((symbol) => ({ symbol, listing: 'NSDQ' })),
  )
  return root
}

async function init(root: string): Promise<string> {
  const repoDir = join(root, 'repo')
  ;(await initRepository(repoDir, join(root, 'ref'))).close()
  return repoDir
}

function importArgs(repoDir: string, s: Sample, symbol = s.ticker): string[] {
  return ['import', 'lobster', '--repo', repoDir, '--venue', 'NSDQ', '--symbol', symbol, '--date', ISO]
}

describe.skipIf(samples.length === 0)('LOBSTER through the repository and the command line', () => {
  it('finds every sample file, the ZIPs too when unzip works', () => {
    expect(samples.length).toBeGreaterThanOrEqual(unzipWorks ? 5 : 2)
  })

  for (const s of samples) {
    describe(s.name, () => {
      let repoDir: string
      let repo: Repository
      let lines: string[]
      let rows: string[]
      let summary: Record<string, unknown>

      beforeAll(async () => {
        repoDir = await init(newRepo([s.ticker]))
        lines = readFileSync(s.messages, 'utf8').trimEnd().split('\n')
        rows = readFileSync(s.book, 'utf8').trimEnd().split('\n')
        const r = await runCli([
          ...importArgs(repoDir, s),
          '--messages',
          s.messages,
          '--book',
          s.book,
          '--json',
        ])
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
        summary = JSON.parse(r.stdout) as Record<string, unknown>
        repo = await openRepository(repoDir)
      }, 600_000)

      afterAll(() => repo?.close())

      it('accepts every record, says the book is exact and stores the adjustments the orderbook file calls for', () => {
        expect(summary.rejected).toBe(0)
        expect(summary.approximate).toBe(false)
        expect(summary.notice).toBeUndefined()
        expect(summary.messages).toBe(lines.length)
        expect(summary.accepted).toBe(summary.records)
        expect(Number(summary.records)).toBe(
          lines.length + Number(summary.seeds) + Number(summary.adjustments),
        )
      })

      it("equals LOBSTER's orderbook row at every message's time, on every level the file shows", async () => {
        const { events } = await readBookEvents(repo, 'NSDQ', s.ticker, DATE)
        const book = new OrderBook('NSDQ', s.ticker)
        const times = lines.map((l) => MIDNIGHT + BigInt(parseLobsterTime(l.split(',')[0])!))
        const wrong: string[] = []
        let e = 0
        let checked = 0
        for (let k = 0; k < lines.length; k++) {
          // The book at a time holds every message of that nanosecond: compare after the last of them.
          if (k + 1 < lines.length && times[k + 1] === times[k]) continue
          while (e < events.length && events[e].ns <= times[k]) book.apply(events[e++])
          const got = formatLobsterBookRow(lobsterRowOf(book.depth(s.level), s.level), s.level)
          if (got !== rows[k] && wrong.length < 5) wrong.push(`message ${k + 1}: want ${rows[k]}, got ${got}`)
          if (book.isCrossed() && wrong.length < 5) wrong.push(`message ${k + 1}: crossed`)
          checked++
        }
        expect(wrong).toEqual([])
        expect(checked).toBeGreaterThan(lines.length / 3)
      }, 300_000)

      it('gives the same rows through the book view (checkpoints and roll-forward) at 6 instants', async () => {
        const times = lines.map((l) => MIDNIGHT + BigInt(parseLobsterTime(l.split(',')[0])!))
        const step = Math.max(1, Math.floor(lines.length / 6))
        let checked = 0
        for (let k = 7; k < lines.length; k += step) {
          let last = k
          while (last + 1 < lines.length && times[last + 1] === times[k]) last++
          const view = await bookView(repo, { venue: 'NSDQ', symbol: s.ticker, ns: times[k], depth: s.level })
          const level = (l: { price: string; size: string }) => ({
            price: Math.round(Number(l.price) * 10_000),
            size: Number(l.size),
          })
          const got = formatLobsterBookRow(
            { bids: view.bids.map(level), asks: view.asks.map(level) },
            s.level,
          )
          expect(got, `book view after message ${last + 1}`).toBe(rows[last])
          expect(view.crossed).toBe(false)
          checked++
        }
        expect(checked).toBeGreaterThanOrEqual(5)
      }, 300_000)

      it('answers `opencat book` at 12:00 with the row in force then', async () => {
        const times = lines.map((l) => MIDNIGHT + BigInt(parseLobsterTime(l.split(',')[0])!))
        let k = -1
        while (k + 1 < lines.length && times[k + 1] <= NOON) k++
        const r = await runCli([
          'book',
          '--repo',
          repoDir,
          '--venue',
          'NSDQ',
          '--symbol',
          s.ticker,
          '--at',
          '2012-06-21T12:00:00',
          '--depth',
          String(s.level),
          '--json',
        ])
        expect(r.code).toBe(0)
        const view = JSON.parse(r.stdout) as {
          bids: { price: string; size: string }[]
          asks: { price: string; size: string }[]
          crossed: boolean
        }
        const cells = rows[k].split(',').map(Number)
        expect(view.asks[0]).toMatchObject({ price: String(cells[0] / 10_000), size: String(cells[1]) })
        expect(view.bids[0]).toMatchObject({ price: String(cells[2] / 10_000), size: String(cells[3]) })
        expect(view.crossed).toBe(false)
      }, 60_000)

      it('exports the stored events as the very same LOBSTER messages (adjustments and seeds left out)', async () => {
        const out = await exportLobsterFiles(repo, {
          venue: 'NSDQ',
          symbol: s.ticker,
          date: DATE,
          levels: s.level,
        })
        expect(out.messages.length).toBe(lines.length)
        const differing = lines.map((l, i) => (l === out.messages[i] ? -1 : i + 1)).filter((i) => i > 0)
        expect(differing.slice(0, 5)).toEqual([])
      }, 120_000)
    })
  }

  describe('without the orderbook file', () => {
    const s = samples.find((x) => x.ticker === 'AMZN' && x.level === 1) ?? samples[0]
    let repoDir: string

    beforeAll(async () => {
      repoDir = await init(newRepo([s.ticker]))
    }, 120_000)

    it('says plainly that the stored book is approximate, and a crossed book is flagged as such', async () => {
      const r = await runCli([...importArgs(repoDir, s), '--messages', s.messages, '--json'])
      expect(r.code).toBe(0)
      const summary = JSON.parse(r.stdout) as Record<string, unknown>
      expect(summary.approximate).toBe(true)
      expect(String(summary.notice)).toMatch(/approximate/)
      const text = await runCli([
        'book',
        '--repo',
        repoDir,
        '--venue',
        'NSDQ',
        '--symbol',
        s.ticker,
        '--at',
        '2012-06-21T12:00:00',
      ])
      const json = await runCli([
        'book',
        '--repo',
        repoDir,
        '--venue',
        'NSDQ',
        '--symbol',
        s.ticker,
        '--at',
        '2012-06-21T12:00:00',
        '--json',
      ])
      const view = JSON.parse(json.stdout) as {
        bids: { price: string }[]
        asks: { price: string }[]
        crossed: boolean
        notice?: string
      }
      const crossed = Number(view.bids[0].price) > Number(view.asks[0].price)
      // Whatever the messages alone leave, a crossed book never goes unflagged.
      expect(view.crossed).toBe(crossed)
      if (crossed) {
        expect(view.notice).toMatch(/crossed book/)
        expect(text.stdout).toMatch(/CROSSED/)
      }
    }, 300_000)
  })

  describe('a symbol the symbol master does not have', () => {
    it('is refused before anything is written, with how to add it', async () => {
      const s = samples[0]
      const repoDir = await init(newRepo([]))
      const r = await runCli([...importArgs(repoDir, s), '--messages', s.messages, '--book', s.book])
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(new RegExp(`symbol ${s.ticker} is not in the symbol master`))
      expect(r.stderr).toMatch(/opencat reference --repo DIR --load REFDIR/)
      const repo = await openRepository(repoDir)
      try {
        const n = await repo.db.one<{ files: number; rejects: number }>(
          'SELECT (SELECT count(*) FROM files)::INTEGER AS files, (SELECT count(*) FROM rejects)::INTEGER AS rejects',
        )
        expect(n).toEqual({ files: 0, rejects: 0 })
      } finally {
        repo.close()
      }
    }, 120_000)
  })
})

describe.skipIf(samples.length > 0)('LOBSTER through the repository and the command line', () => {
  it.skip(missingShared(...DIR), () => {})
})
