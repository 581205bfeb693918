/**
 * Hostile input at ingestion and customer intake, through the real `opencat submit` on a repository holding
 * a simulated day: corrupt, truncated and empty bzip2 files, lines of 50 and 150 MB without a newline, a
 * few hundred bytes that expand to a million rejected records, customer files that expand to 400 MB and
 * 1.1 GB, and an empty customer pair. Each gets its code, later files are not held up, and every run exits
 * by itself within a generous time limit and under a bound on the command's peak memory. The bombs are
 * made here, by compressing a repeated pattern through a stream.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CAT_CODES, CUSTOMER_CODE } from '../../src/catalogue/index.ts'
import { bunzip2Buffer, bunzip2File, bzip2Buffer, bzip2Writer } from '../../src/common/bzip2.ts'
import { peakOf, runCli, startCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

/** No hostile run may take longer than this (a 150 MB line once kept a submit busy for over 300 s). */
const TIME_LIMIT_S = 240
/** Nor may the command's peak resident memory pass this (a million rejects once took over 1.1 GB). */
const PEAK_RSS_LIMIT_MB = 1024
/** A million rejects in particular stay far below it (they once took 730–990 MB, and now about 350). */
const REJECTS_PEAK_RSS_LIMIT_MB = 512
const AT = '2026-03-02T18:00:00'
// A case makes its inputs, then runs submit (twice at most) within the limit.
const CASE_TIMEOUT_MS = (2 * TIME_LIMIT_S + 120) * 1000
const DATE = '20260302'
const MB = 1024 * 1024

const root = mkdtempSync(join(tmpdir(), 'opencat-hostile-ingest-'))
const repo = join(root, 'repo')
let day: string
let submitter: string
let reporter: string
let crd: string
let goodLines: string[]
const worst = { seconds: 0, slowest: '', peakMB: 0, largest: '' }

interface Summary {
  files: {
    name: string
    status: string
    codes: number[]
    records?: number
    rejected?: number
    retry?: boolean
  }[]
}

interface Run {
  code: number | null
  summary: Summary
  stderr: string
  seconds: number
  peakMB: number
}

/** Runs `opencat submit --json` on a folder, timing it and polling its peak memory until it exits. */
async function submit(what: string, folder: string): Promise<Run> {
  const started = process.hrtime.bigint()
  const { child, done } = startCli(['submit', '--repo', repo, '--at', AT, '--json', folder])
  let peakMB = 0
  const poll = setInterval(() => {
    peakMB = Math.max(peakMB, peakOf(child.pid!))
  }, 20)
  // Killed only if it overruns the limit; the assertion below then fails.
  const guard = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_S * 1000)
  const out = await done
  clearInterval(poll)
  clearTimeout(guard)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (seconds > worst.seconds) Object.assign(worst, { seconds, slowest: what })
  if (peakMB > worst.peakMB) Object.assign(worst, { peakMB, largest: what })
  console.log(`${what}: ${seconds.toFixed(1)} s, peak ${peakMB.toFixed(0)} MB`)
  expect(out.signal, `${what} must exit by itself within ${TIME_LIMIT_S} s`).toBeNull()
  expect(out.code, out.stderr).toBe(0)
  expect(seconds).toBeLessThan(TIME_LIMIT_S)
  if (peakMB > 0) expect(peakMB, `${what}: peak memory`).toBeLessThan(PEAK_RSS_LIMIT_MB)
  return { code: out.code, summary: JSON.parse(out.stdout) as Summary, stderr: out.stderr, seconds, peakMB }
}

/**
 * bzip2 of `pattern` repeated to `bytes` bytes, written to `path` through the compressor as a stream of
 * compressed blocks: one block of up to 16 MiB is compressed once and written as often as needed (bzip2
 * streams concatenate), so a gigabyte bomb takes seconds to make.
 */
async function bzip2Pattern(path: string, pattern: string, bytes: number): Promise<Buffer> {
  const unit = pattern.repeat(Math.max(1, Math.floor((16 * MB) / pattern.length)))
  const out = createWriteStream(path)
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain')
  }
  const block = bytes >= unit.length ? bzip2Buffer(unit) : Buffer.alloc(0)
  let left = bytes
  for (; left >= unit.length; left -= unit.length) await write(block)
  if (left > 0) await write(bzip2Buffer(unit.slice(0, left)))
  out.end()
  await once(out, 'close')
  return readFileSync(path)
}

function num(n: number): string {
  return String(n).padStart(6, '0')
}

/** Writes a data file's bytes under its name, with truthful metadata (hash, record count). */
function dataFile(dir: string, n: number, body: Buffer, records: number): string {
  mkdirSync(dir, { recursive: true })
  const name = `${submitter}_${reporter}_${DATE}_OrderEvents_${num(n)}.json.bz2`
  writeFileSync(join(dir, name), body)
  const meta = {
    type: 'META',
    doneForDay: false,
    fileGenerationDate: Number(DATE),
    reporter,
    submitter: Number(submitter),
    fileVersion: '4.0.0',
    files: [
      {
        fileName: name,
        recordCount: records,
        compressedHash: createHash('sha256').update(body).digest('hex').toUpperCase(),
      },
    ],
  }
  writeFileSync(
    join(dir, `${submitter}_${reporter}_${DATE}_OrderEvents_${num(n)}.meta.json`),
    JSON.stringify(meta),
  )
  return name
}

function outcome(run: Run, name: string): Summary['files'][number] {
  const f = run.summary.files.find((x) => x.name === name)
  expect(f, `${name} in the summary`).toBeDefined()
  return f!
}

function feedback(base: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(repo, 'feedback', submitter, 'feedback', `${base}.ingestion.json`), 'utf8'),
  )
}

/** The lines of an error data file, streamed (it may hold a million). */
async function errorLines(
  base: string,
  keep = 3,
): Promise<{ count: number; first: Record<string, unknown>[] }> {
  let count = 0
  let pending = ''
  const first: Record<string, unknown>[] = []
  const r = await bunzip2File(
    join(repo, 'feedback', submitter, 'errors', `${base}.ingestion.error.json.bz2`),
    async (out) => {
      out.setEncoding('utf8')
      for await (const chunk of out as AsyncIterable<string>) {
        const parts = (pending + chunk).split('\n')
        pending = parts.pop()!
        for (const p of parts) {
          if (count < keep) first.push(JSON.parse(p))
          count++
        }
      }
    },
  )
  expect(r.ok).toBe(true)
  return { count, first }
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 3000 })
  const init = await runCli(['init', '--repo', repo, '--reference', join(day, 'reference'), '--json'])
  expect(init.code, init.stderr).toBe(0)
  const first = await runCli(['submit', '--repo', repo, '--at', AT, '--json', join(day, 'submissions')])
  expect(first.code, first.stderr).toBe(0)
  // The hostile files come from the first simulated firm, under file numbers its day did not use.
  const folder = readdirSync(join(day, 'submissions')).sort()[0]
  const names = readdirSync(join(day, 'submissions', folder))
  const orders = names.find((n) => /_OrderEvents_000001\.json\.bz2$/.test(n))!
  ;[submitter, reporter] = orders.split('_')
  crd = names.find((n) => n.includes('_CAISData_'))!.split('_')[1]
  const text = bunzip2Buffer(readFileSync(join(day, 'submissions', folder, orders)))
  expect(text.ok).toBe(true)
  goodLines = text.ok ? text.data.toString('utf8').trim().split('\n').slice(0, 5) : []
}, 300_000)

afterAll(() => {
  console.log(
    `worst hostile runs: ${worst.seconds.toFixed(1)} s (${worst.slowest}), peak ${worst.peakMB.toFixed(0)} MB (${worst.largest})`,
  )
})

describe('hostile data files', () => {
  it(
    'rejects corrupt, truncated and empty bzip2 files with 2153, and submit exits by itself',
    async () => {
      const dir = join(root, 'broken')
      const whole = bzip2Buffer(`${goodLines.join('\n')}\n`.repeat(200))
      const corrupt = Buffer.from(createHash('sha512').update('not bzip2').digest().toString('hex'))
      const files = [
        dataFile(dir, 101, corrupt, 1),
        dataFile(dir, 102, whole.subarray(0, Math.floor(whole.length / 2)), 1000),
        dataFile(dir, 103, Buffer.alloc(0), 0),
      ]
      const run = await submit('corrupt, truncated and empty bzip2', dir)
      for (const name of files) {
        expect(outcome(run, name)).toMatchObject({ status: 'rejected', codes: [2153] })
        expect(feedback(name.replace('.json.bz2', ''))).toMatchObject({ status: 'Failure', code: [2153] })
      }
    },
    CASE_TIMEOUT_MS,
  )

  it(
    'reads a 150 MB line without a newline in linear time, refuses it with 2132 once, and goes on with the next file',
    async () => {
      const dir = join(root, 'long150')
      const long = dataFile(dir, 111, await bzip2Pattern(join(root, 'long150.bz2'), 'a', 150 * MB), 1)
      const good = dataFile(dir, 112, bzip2Buffer(`${goodLines.join('\n')}\n`), goodLines.length)
      const run = await submit('one 150 MB line', dir)
      expect(outcome(run, long)).toMatchObject({ status: 'ingested', codes: [2132], records: 1, rejected: 1 })
      expect(outcome(run, good)).toMatchObject({ status: 'ingested', records: goodLines.length })
      const errors = await errorLines(long.replace('.json.bz2', ''))
      expect(errors.count).toBe(1)
      expect(errors.first[0].errorCode).toEqual([2132])
      // The error file echoes no more of it than a record may hold.
      expect(Buffer.byteLength(String(errors.first[0].errorRecord))).toBeLessThanOrEqual(8190)

      // Done once: a later submit does not take it up again, and ingests its own file.
      const next = join(root, 'after-long')
      const later = dataFile(next, 113, bzip2Buffer(`${goodLines[0]}\n`), 1)
      const again = await submit('the submit after it', next)
      expect(again.summary.files.map((f) => f.name)).not.toContain(long)
      expect(outcome(again, later)).toMatchObject({ status: 'ingested', records: 1 })
    },
    CASE_TIMEOUT_MS,
  )

  it(
    'refuses a 50 MB line among good records with 2132 alone, on its own line',
    async () => {
      const dir = join(root, 'long50')
      const path = join(root, 'long50.bz2')
      const { stream, done } = bzip2Writer(path, 9)
      stream.write(`${goodLines[0]}\n`)
      const block = Buffer.alloc(MB, 'x')
      for (let i = 0; i < 50; i++) {
        if (!stream.write(block)) await new Promise((resolve) => stream.once('drain', resolve))
      }
      stream.end(`\n${goodLines[1]}\n`)
      await done
      const name = dataFile(dir, 121, readFileSync(path), 3)
      const run = await submit('one 50 MB line between good ones', dir)
      expect(outcome(run, name)).toMatchObject({ status: 'ingested', codes: [2132], records: 3, rejected: 1 })
      const errors = await errorLines(name.replace('.json.bz2', ''))
      expect(errors.count).toBe(1)
      expect(errors.first[0]).toMatchObject({ errorCode: [2132] })
      expect(Number(errors.first[0].errorROEID) % 2 ** 32).toBe(2)
    },
    CASE_TIMEOUT_MS,
  )

  it(
    'keeps memory flat through a million rejected records from a file of a few hundred bytes',
    async () => {
      const dir = join(root, 'rejects')
      const body = await bzip2Pattern(join(root, 'rejects.bz2'), '{}\n', 3 * 1_000_000)
      expect(body.length).toBeLessThan(1000)
      const name = dataFile(dir, 131, body, 1_000_000)
      const run = await submit('a million rejected records', dir)
      expect(run.peakMB, 'a million rejected records: peak memory').toBeLessThan(REJECTS_PEAK_RSS_LIMIT_MB)
      expect(outcome(run, name)).toMatchObject({
        status: 'ingested',
        records: 1_000_000,
        rejected: 1_000_000,
      })
      const errors = await errorLines(name.replace('.json.bz2', ''))
      expect(errors.count).toBe(1_000_000)
      expect(errors.first[0]).toMatchObject({ errorRecord: '{}' })
      expect(feedback(name.replace('.json.bz2', ''))).toMatchObject({
        status: 'Failure',
        errorCount: 1_000_000,
      })
    },
    CASE_TIMEOUT_MS,
  )
})

describe('hostile customer files', () => {
  const tid = JSON.stringify({ version: '2.0.0', tidRecordCount: 0, tidRecordList: [] })
  const caisName = (kind: 'CAISData' | 'CAISTID', n: number) =>
    `${submitter}_${crd}_${DATE}_${kind}_${num(n)}.json.bz2`

  async function bomb(n: number, expandedBytes: number, what: string): Promise<void> {
    const dir = join(root, `cais-${n}`)
    mkdirSync(dir, { recursive: true })
    const account =
      '{"firmDesignatedID":"A1","fdidType":"ACCOUNT","accountType":["INDIVIDUAL"],"fdidDate":20250101},'
    await bzip2Pattern(join(dir, caisName('CAISData', n)), account, expandedBytes)
    writeFileSync(join(dir, caisName('CAISTID', n)), bzip2Buffer(tid))
    const run = await submit(what, dir)
    for (const kind of ['CAISData', 'CAISTID'] as const)
      expect(outcome(run, caisName(kind, n))).toMatchObject({
        status: 'rejected',
        codes: [CUSTOMER_CODE.tooLarge],
      })
    const fb = JSON.parse(
      readFileSync(
        join(
          repo,
          'feedback',
          submitter,
          'feedback',
          `${caisName('CAISData', n).replace('.json.bz2', '')}.ingestion.json`,
        ),
        'utf8',
      ),
    )
    expect(fb).toMatchObject({ status: 'Failure', code: [CUSTOMER_CODE.tooLarge] })
    expect(fb.messages[0]).toContain('larger than the size limit')
  }

  it(
    'refuses a customer file that expands to 400 MB as too large, without reading it all',
    async () => {
      await bomb(2, 400 * MB, 'customer file of 400 MB expanded')
    },
    CASE_TIMEOUT_MS,
  )

  it(
    'refuses a customer file that expands to 1.1 GB as too large, not as invalid bzip2',
    async () => {
      await bomb(3, 1100 * MB, 'customer file of 1.1 GB expanded')
    },
    CASE_TIMEOUT_MS,
  )

  it(
    'answers an empty customer pair the same way in the registry, the summary and the feedback',
    async () => {
      const dir = join(root, 'cais-empty')
      mkdirSync(dir, { recursive: true })
      // Empty JSON documents, and files of no bytes at all.
      writeFileSync(join(dir, caisName('CAISData', 4)), bzip2Buffer('{}'))
      writeFileSync(join(dir, caisName('CAISTID', 4)), bzip2Buffer('{}'))
      writeFileSync(join(dir, caisName('CAISData', 5)), Buffer.alloc(0))
      writeFileSync(join(dir, caisName('CAISTID', 5)), Buffer.alloc(0))
      const run = await submit('empty customer pairs', dir)
      for (const [n, code] of [
        [4, CUSTOMER_CODE.notJson],
        [5, CUSTOMER_CODE.notBzip2],
      ] as const) {
        for (const kind of ['CAISData', 'CAISTID'] as const)
          expect(outcome(run, caisName(kind, n))).toMatchObject({ status: 'rejected', codes: [code] })
        const fb = feedback(caisName('CAISData', n).replace('.json.bz2', ''))
        expect(fb).toMatchObject({ status: 'Failure', code: [code] })
      }
      // The registry as a later submit reads it back: refused, not ingested.
      const again = await runCli(['submit', '--repo', repo, '--at', AT, '--json', dir])
      const files = (JSON.parse(again.stdout) as Summary).files
      expect(files).toHaveLength(4)
      for (const f of files) expect(f).toMatchObject({ status: 'rejected', retry: true })
    },
    CASE_TIMEOUT_MS,
  )

  it('numbers its own customer-file codes apart from every real CAIS code', () => {
    const own = [...CAT_CODES.values()].filter((c) => c.stage === 'customer')
    expect(own.length).toBeGreaterThan(0)
    for (const c of own) {
      expect(c.cais).toBe(true)
      expect(c.code < 22000 || c.code > 30999, `${c.code} ${c.title}`).toBe(true)
    }
  })
})
