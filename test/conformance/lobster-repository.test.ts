/**
 * LOBSTER through the whole repository: real NASDAQ messages imported as exchange events (through intake),
 * stored, read back as books at given instants — equal to LOBSTER's own orderbook rows — and exported
 * again as the very same messages.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  importLobster,
  OrderBook,
  parseLobsterBook,
  parseLobsterMessages,
  parseLobsterTime,
  storedBookAt,
} from '../../src/book/index.ts'
import { etWallToUtcNs } from '../../src/common/time/eastern.ts'
import { exportLobsterFiles, importLobsterFile } from '../../src/pipeline/lobster-files.ts'
import '../../src/pipeline/stage-views.ts'
import { initRepository, type Repository } from '../../src/store/repository.ts'
import { writeReference } from '../support/fixtures.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

// The level-10 file, the largest sample. (LOBSTER's rows themselves are the oracle of the in-memory replay in
// lobster.test.ts; here the oracle is the same messages replayed without the repository in between.)
const ZIP = ['data', 'lobster', 'LOBSTER_SampleFile_GOOG_2012-06-21_10.zip']
const zip = sharedFile(...ZIP)
const unzipWorks = !spawnSync('unzip', ['-v']).error
const extracted = mkdtempSync(join(tmpdir(), 'opencat-lobster-zip-'))
if (zip && unzipWorks) spawnSync('unzip', ['-o', '-q', zip, '-d', extracted])
const messages = join(extracted, 'GOOG_2012-06-21_34200000_57600000_message_10.csv')
const book = join(extracted, 'GOOG_2012-06-21_34200000_57600000_orderbook_10.csv')
const ready = existsSync(messages) && existsSync(book)
let repo: Repository

describe.skipIf(!ready)('LOBSTER through the repository', () => {
  let lines: string[]
  let rows: string[]

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'opencat-lobster-repo-'))
    repo = await initRepository(
      join(root, 'repo'),
      writeReference(join(root, 'ref'), [{ symbol: 'GOOG', listing: 'NSDQ' }]),
    )
    lines = readFileSync(messages, 'utf8').trimEnd().split('\n')
    rows = readFileSync(book, 'utf8').trimEnd().split('\n')
    const s = await importLobsterFile(repo, { venue: 'NSDQ', symbol: 'GOOG', date: 20120621, messages, book })
    expect(s.submit.rejected).toBe(0)
  }, 300_000)

  afterAll(() => repo?.close())

  it('stores every message as an exchange record and accepts them all', async () => {
    const n = await repo.db.one<{ n: string }>(
      "SELECT count(*) AS n FROM current_events WHERE _reporter = 'NSDQ' AND symbol = 'GOOG'",
    )
    expect(Number(n?.n)).toBeGreaterThanOrEqual(lines.length)
  })

  it('exports the stored events as the very same LOBSTER messages', async () => {
    const out = await exportLobsterFiles(repo, { venue: 'NSDQ', symbol: 'GOOG', date: 20120621, levels: 0 })
    expect(out.messages.length).toBe(lines.length)
    expect(out.messages).toEqual(lines)
  })

  it('gives at any instant the same book as the messages replayed in memory (checkpoints, order, storage)', async () => {
    // The LOBSTER conformance test checks the in-memory replay against LOBSTER's own rows; this one checks
    // that storing, reading back and checkpointing change nothing.
    const imported = importLobster(parseLobsterMessages(lines.join('\n')).messages, {
      venue: 'NSDQ',
      symbol: 'GOOG',
      date: 20120621,
      firstRow: parseLobsterBook(rows[0]).rows[0],
    })
    const midnight = etWallToUtcNs(2012, 6, 21, 0, 0, 0)
    const times = lines.map((l) => midnight + BigInt(parseLobsterTime(l.split(',')[0])!))
    let checked = 0
    for (let k = 57; k < lines.length - 1 && checked < 40; k += Math.floor(lines.length / 41)) {
      const t = times[k]
      const memory = new OrderBook('NSDQ', 'GOOG')
      for (const ev of imported.events) if (ev.ns <= t) memory.apply(ev)
      const stored = await storedBookAt(repo, 'NSDQ', 'GOOG', t)
      expect(stored.depth(10), `book at message ${k + 1}`).toEqual(memory.depth(10))
      checked++
    }
    expect(checked).toBe(40)
  }, 120_000)
})

describe.skipIf(ready)('LOBSTER through the repository', () => {
  it.skip(
    zip ? 'skipped: the unzip program is not installed (apt-get install -y unzip)' : missingShared(...ZIP),
    () => {},
  )
})
