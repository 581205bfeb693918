/**
 * Hostile input at acknowledgement and integrity, through the real `opencat submit` on a repository holding
 * a simulated day: links to secrets, pipes, a name too long for the file system, a full inbox, a read-only
 * inbox, other bytes under a name already taken, and a metadata file naming 400,000 files. Each hostile file
 * gets its own feedback with its code or message, the rest of its batch is processed, and every run ends
 * within a generous time limit and under a bound on the command's peak memory.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bzip2Buffer } from '../../src/common/bzip2.ts'
import { peakOf, startCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

/** No single hostile run may take longer than this (a metadata file once held the lock for 590 s). */
const TIME_LIMIT_S = 60
/** Nor may the command's peak resident memory pass this. */
const PEAK_RSS_LIMIT_MB = 1024
const AT = '2026-03-02T18:00:00'

const root = mkdtempSync(join(tmpdir(), 'opencat-hostile-'))
const repo = join(root, 'repo')
const keys = `${repo}-keys`
let day: string
/** Time and peak memory of every hostile run, for the closing line. */
const runs: { what: string; seconds: number; peakMB: number }[] = []

interface Run {
  code: number | null
  stdout: string
  stderr: string
  seconds: number
  peakMB: number
}

/** Runs `opencat ARGS`, timing it and polling its peak memory until it exits. */
async function measured(_what: string, args: string[]): Promise<Run> {
  const started = process.hrtime.bigint()
  const { child, done } = startCli(args)
  let peakMB = 0
  const poll = setInterval(() => {
    peakMB = Math.max(peakMB, peakOf(child.pid!))
  }, 10)
  const out = await done
  clearInterval(poll)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return { ...out, seconds, peakMB }
}

/** `opencat submit --json` of the given files and folders, within the time and memory bounds. */
async function submit(what: string, inputs: string[], extra: string[] = []): Promise<Summary> {
  const r = await measured(what, ['submit', '--repo', repo, '--at', AT, '--json', ...extra, ...inputs])
  runs.push({ what, seconds: r.seconds, peakMB: r.peakMB })
  expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(r.seconds).toBeLessThan(TIME_LIMIT_S)
  expect(r.peakMB).toBeGreaterThan(0)
  expect(r.peakMB).toBeLessThan(PEAK_RSS_LIMIT_MB)
  return JSON.parse(r.stdout) as Summary
}

interface Outcome {
  fileId: number
  name: string
  status: string
  codes: number[]
  note?: string
  retry?: boolean
}
interface Summary {
  files: Outcome[]
}

function outcome(s: Summary, name: string): Outcome {
  const o = s.files.find((f) => f.name === name)
  expect(o, `${name} in ${JSON.stringify(s.files.map((f) => f.name))}`).toBeDefined()
  return o!
}

const SUBMITTER = '150563'
const REPORTER = 'ALDE'
const stem = (n: number) => `${SUBMITTER}_${REPORTER}_20260302_OrderEvents_${String(n).padStart(6, '0')}`
const feedbackDir = () => join(repo, 'feedback', SUBMITTER, 'feedback')
const feedbackOf = (name: string) => JSON.parse(readFileSync(join(feedbackDir(), name), 'utf8'))

/**
 * Writes a well-formed data file and its metadata file under file number `n` into `dir`: the day's own
 * records of the reporter, so the pair is ingested like any other. Returns the data file's name.
 */
function goodPair(dir: string, n: number): string {
  mkdirSync(dir, { recursive: true })
  const src = join(day, 'submissions', SUBMITTER)
  const data = readFileSync(join(src, `${stem(1)}.json.bz2`))
  const meta = JSON.parse(readFileSync(join(src, `${stem(1)}.meta.json`), 'utf8'))
  const name = `${stem(n)}.json.bz2`
  writeFileSync(join(dir, name), data)
  meta.doneForDay = false
  meta.files[0].fileName = name
  writeFileSync(join(dir, `${stem(n)}.meta.json`), JSON.stringify(meta))
  return name
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

/** True when any file under the repository (inbox, feedback, store, catalogue) holds `needle`. */
function repositoryHolds(needle: Buffer): boolean {
  return filesUnder(repo).some((f) => readFileSync(f).includes(needle))
}

/** Runs a command as root; false when the system refuses it (no privilege, unsupported file system). */
function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Skips a test, saying why on stderr too (vitest's summary counts skipped tests without naming them). */
function skipBecause(ctx: { skip: (note?: string) => void }, reason: string): void {
  console.warn(reason)
  ctx.skip(reason)
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 3000, seed: 7 })
  const init = await measured('init', [
    'init',
    '--repo',
    repo,
    '--reference',
    join(day, 'reference'),
    '--json',
  ])
  expect(init.code, init.stdout + init.stderr).toBe(0)
  const first = await measured('the simulated day', [
    'submit',
    '--repo',
    repo,
    '--at',
    AT,
    '--json',
    join(day, 'submissions'),
  ])
  expect(first.code, first.stderr).toBe(0)
  const summary = JSON.parse(first.stdout) as Summary
  expect(summary.files.filter((f) => f.status === 'rejected')).toEqual([])
}, 180_000)

afterAll(() => {
  for (const r of runs)
    console.log(`hostile intake: ${r.what}: ${r.seconds.toFixed(2)} s, peak RSS ${r.peakMB.toFixed(0)} MB`)
  rmSync(root, { recursive: true, force: true })
})

describe('hostile input at acknowledgement and integrity', () => {
  it('refuses links, pipes and linked folders without reading them, and echoes nothing of their targets', async () => {
    const dir = join(root, 'links')
    mkdirSync(dir)
    const secret = join(root, 'secret.txt')
    const marker = `TOP-SECRET-${createHash('sha256').update(root).digest('hex')}`
    writeFileSync(secret, `${marker}\n`)
    const vaultKey = join(keys, 'vault-v1.key')
    expect(existsSync(vaultKey)).toBe(true)
    symlinkSync(secret, join(dir, `${stem(201)}.json`))
    symlinkSync(vaultKey, join(dir, `${SUBMITTER}_${SUBMITTER}_20260302_CAISData_000201.json.bz2`))
    symlinkSync(secret, join(dir, `${stem(201)}.meta.json`))
    // A folder reached only through a link is not walked: the good pair inside it is never received.
    const hidden = join(root, 'hidden')
    const hiddenName = goodPair(hidden, 202)
    symlinkSync(hidden, join(dir, 'linked-folder'))
    // A named pipe with nothing writing to it would block a plain open for ever.
    execFileSync('mkfifo', [join(dir, `${stem(203)}.json`)])
    const good = goodPair(dir, 204)

    const s = await submit('links and pipes', [dir])
    for (const name of [
      `${stem(201)}.json`,
      `${SUBMITTER}_${SUBMITTER}_20260302_CAISData_000201.json.bz2`,
      `${stem(201)}.meta.json`,
    ]) {
      const o = outcome(s, name)
      expect(o).toMatchObject({ status: 'rejected', codes: [] })
      expect(o.note).toMatch(/symbolic link/)
    }
    expect(outcome(s, 'linked-folder').note).toMatch(/symbolic link/)
    expect(outcome(s, `${stem(203)}.json`).note).toMatch(/named pipe, not a regular file/)
    expect(s.files.map((f) => f.name)).not.toContain(hiddenName)
    expect(outcome(s, good).status).toBe('ingested')

    const ack = feedbackOf(`${stem(201)}.ack.json`)
    expect(ack).toMatchObject({ stage: 'FILE_ACKNOWLEDGEMENT', status: 'Failure', severity: 'Error' })
    expect(ack.messages.join(' ')).toMatch(/symbolic link/)
    expect(ack.receipt).toBeUndefined()
    expect(repositoryHolds(Buffer.from(marker))).toBe(false)
    expect(repositoryHolds(readFileSync(vaultKey).subarray(0, 32))).toBe(false)
  })

  it('echoes a failed record of a file that is not CAT data only up to the record length limit', async () => {
    const dir = join(root, 'long-line')
    mkdirSync(dir)
    const marker = `NOT-A-RECORD-${'x'.repeat(64)}`
    const line = `${marker}${createHash('sha512').update('seed').digest('hex').repeat(8000)}`
    const data = bzip2Buffer(`${line}\n`)
    const name = `${stem(211)}.json.bz2`
    writeFileSync(join(dir, name), data)
    writeFileSync(
      join(dir, `${stem(211)}.meta.json`),
      JSON.stringify({
        type: 'META',
        doneForDay: false,
        fileGenerationDate: 20260302,
        reporter: REPORTER,
        submitter: Number(SUBMITTER),
        fileVersion: '4.0.0',
        files: [
          { fileName: name, recordCount: 1, compressedHash: createHash('sha256').update(data).digest('hex') },
        ],
      }),
    )
    const s = await submit('one 1 MB line', [dir])
    expect(outcome(s, name).status).toBe('ingested')
    const errorFile = join(repo, 'feedback', SUBMITTER, 'errors', `${stem(211)}.ingestion.error.json.bz2`)
    const text = execFileSync('bzip2', ['-dc', errorFile]).toString()
    const lines = text.trim().split('\n')
    expect(lines).toHaveLength(1)
    const record: string = JSON.parse(lines[0]).errorRecord
    expect(record.startsWith(marker)).toBe(true)
    expect(Buffer.byteLength(record)).toBeLessThanOrEqual(8190)
    expect(line.length).toBeGreaterThan(1_000_000)
  })

  it('answers a 250-character name with its own ack error and processes the rest of the batch', async () => {
    const dir = join(root, 'long-name')
    mkdirSync(dir)
    const suffix = '_OrderEvents_000001.json.bz2'
    const prefix = `${SUBMITTER}_${REPORTER}_20260302_`
    const long = `${prefix}${'G'.repeat(250 - prefix.length - suffix.length)}${suffix}`
    expect(long).toHaveLength(250)
    writeFileSync(join(dir, long), 'not bzip2')
    const good = goodPair(dir, 221)
    const s = await submit('a 250-character name', [dir])
    const o = outcome(s, long)
    expect(o.status).toBe('rejected')
    const ackError = readdirSync(feedbackDir()).find((f) => f.startsWith(long.slice(0, 100)))
    expect(ackError).toMatch(/^150563_ALDE_20260302_G+~[0-9a-f]{16}\.ack\.error$/)
    expect(o.note).toContain(`its ack error is ${ackError}`)
    expect(outcome(s, good).status).toBe('ingested')
  })

  it('refuses the file a full inbox cannot hold, with a clear message, and processes the rest', async (ctx) => {
    const dir = join(root, 'full-disk')
    mkdirSync(dir)
    const big = `${stem(231)}.json.bz2`
    // Bytes that do not compress, so the file takes its full size wherever it goes.
    writeFileSync(
      join(dir, big),
      Buffer.concat(
        Array.from({ length: 65_536 }, (_, i) => createHash('sha512').update(`big${i}`).digest()),
      ),
    )
    const good = goodPair(dir, 232)
    const inbox = join(repo, 'inbox')
    const saved = join(root, 'inbox-saved')
    mkdirSync(saved)
    execFileSync('cp', ['-a', `${inbox}/.`, saved])
    // tmpfs counts whole pages: room for what the inbox holds, the good pair and a margin, not the 4 MiB file.
    const pages = (n: number) => Math.ceil(Math.max(n, 1) / 4096) * 4096
    const used = filesUnder(saved).reduce((n, f) => n + pages(readFileSync(f).length), 0)
    const size = used + pages(readFileSync(join(dir, good)).length) + 1024 * 1024
    if (!tryRun('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', inbox])) {
      skipBecause(
        ctx,
        'skipped: mounting a small tmpfs over the inbox was refused (needs root and mount rights)',
      )
      return
    }
    let s: Summary
    try {
      execFileSync('cp', ['-a', `${saved}/.`, inbox])
      expect(readFileSync(join(dir, big)).length).toBeGreaterThan(size - used)
      s = await submit('a full inbox', [dir], ['--no-link'])
      execFileSync('cp', ['-a', `${inbox}/.`, saved])
    } finally {
      execFileSync('umount', [inbox])
    }
    execFileSync('cp', ['-a', `${saved}/.`, inbox])
    const o = outcome(s, big)
    expect(o).toMatchObject({ status: 'rejected', codes: [] })
    expect(o.note).toMatch(/^not received: the repository's disk is full \(ENOSPC\)/)
    const ack = feedbackOf(`${stem(231)}.ack.json`)
    expect(ack).toMatchObject({ status: 'Failure', severity: 'Error' })
    expect(ack.messages[0]).toMatch(/disk is full/)
    expect(outcome(s, good).status).toBe('ingested')
    // Once there is room again, the same file is received: a refusal for want of space is not a receipt.
    const again = await submit('the same file once there is room', [join(dir, big)], ['--no-link'])
    expect(outcome(again, big)).toMatchObject({ status: 'received', codes: [] })
    expect(outcome(again, big).retry).toBeUndefined()
  })

  it('refuses every file of a batch sent to a read-only inbox, each with its message, without a stack trace', async (ctx) => {
    const dir = join(root, 'read-only')
    const good = goodPair(dir, 241)
    const inbox = join(repo, 'inbox')
    // Root ignores permission bits; the immutable attribute binds root too.
    if (!tryRun('chattr', ['+i', inbox])) {
      skipBecause(
        ctx,
        'skipped: chattr +i on the inbox was refused (needs root and a file system with attributes)',
      )
      return
    }
    let s: Summary
    try {
      s = await submit('a read-only inbox', [dir], ['--no-link'])
    } finally {
      execFileSync('chattr', ['-i', inbox])
    }
    for (const name of [good, `${stem(241)}.meta.json`]) {
      const o = outcome(s, name)
      expect(o).toMatchObject({ status: 'rejected', codes: [] })
      expect(o.note).toMatch(
        /^not received: the repository refused the write \(operation not permitted\) \(EPERM\)/,
      )
    }
    const after = await submit('the same batch once writable', [dir])
    expect(outcome(after, good).status).toBe('ingested')
  })

  it('stops with OCAT_ERR_REPO_STORAGE, not a stack trace, when feedback cannot be written, and resumes after', async (ctx) => {
    const dir = join(root, 'feedback-unwritable')
    const good = goodPair(dir, 261)
    if (!tryRun('chattr', ['+i', feedbackDir()])) {
      skipBecause(
        ctx,
        'skipped: chattr +i on the feedback folder was refused (needs root and a file system with attributes)',
      )
      return
    }
    let r: Run
    try {
      r = await measured('an unwritable feedback folder', [
        'submit',
        '--repo',
        repo,
        '--at',
        AT,
        '--json',
        dir,
      ])
    } finally {
      execFileSync('chattr', ['-i', feedbackDir()])
    }
    runs.push({ what: 'an unwritable feedback folder', seconds: r.seconds, peakMB: r.peakMB })
    expect(r.code).toBe(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.seconds).toBeLessThan(TIME_LIMIT_S)
    const error = JSON.parse(r.stdout)
    expect(error).toMatchObject({ code: 'OCAT_ERR_REPO_STORAGE', status: 507 })
    expect(error.message).toMatch(/\(operation not permitted\) \(EPERM\) writing .*feedback/)
    const again = await submit('the same batch once feedback can be written', [dir])
    expect(outcome(again, good).status).toBe('ingested')
    expect(feedbackOf(`${stem(261)}.ack.json`).receipt).toBeDefined()
  })

  it('refuses a customer file over the size limit with 1108 without reading it', async () => {
    const dir = join(root, 'big-customer-file')
    mkdirSync(dir)
    const name = `${SUBMITTER}_${SUBMITTER}_20260302_CAISData_000271.json.bz2`
    const fd = openSync(join(dir, name), 'w')
    ftruncateSync(fd, 65 * 1024 ** 2)
    closeSync(fd)
    const good = goodPair(dir, 272)
    const s = await submit('a 65 MiB customer file', [dir])
    expect(outcome(s, name)).toMatchObject({ status: 'rejected', codes: [1108] })
    expect(outcome(s, name).note).toMatch(/a customer file is at most 64 MiB; this one has 65 MiB/)
    expect(outcome(s, good).status).toBe('ingested')
    expect(readdirSync(join(repo, 'inbox')).some((f) => f.includes('CAISData_000271'))).toBe(false)
  })

  it('refuses other bytes under a taken name with 1103, keeps the first receipt byte-identical, and keeps retries idempotent', async () => {
    const first = `${stem(1)}.json.bz2`
    const ackName = `${stem(1)}.ack.json`
    const before = readFileSync(join(feedbackDir(), ackName))
    expect(JSON.parse(before.toString()).receipt).toBeDefined()
    const dir = join(root, 'duplicate')
    mkdirSync(dir)
    const original = readFileSync(join(day, 'submissions', SUBMITTER, first))
    writeFileSync(join(dir, first), Buffer.concat([original, Buffer.from('changed')]))
    const s = await submit('other bytes under a taken name', [dir])
    expect(outcome(s, first)).toMatchObject({ status: 'rejected', codes: [1103] })
    expect(readFileSync(join(feedbackDir(), ackName)).equals(before)).toBe(true)
    const refusal = feedbackOf(`${stem(1)}.ack_000001.json`)
    expect(refusal).toMatchObject({ status: 'Failure', severity: 'Error', code: [1103], fileName: first })
    expect(refusal.receipt).toBeUndefined()

    // The same refused bytes again, and the day's own file again: retries, nothing new written.
    const feedbackBefore = readdirSync(feedbackDir()).sort()
    const again = await submit(
      'retries',
      [join(dir, first), join(day, 'submissions', SUBMITTER, first)],
      ['--no-link'],
    )
    expect(again.files.map((f) => [f.status, f.retry])).toEqual([
      ['ingested', true],
      ['rejected', true],
    ])
    expect(readdirSync(feedbackDir()).sort()).toEqual(feedbackBefore)
    expect(readFileSync(join(feedbackDir(), ackName)).equals(before)).toBe(true)
  })

  it('refuses a metadata file beyond 100 data files or 1 MiB with 1108, without a query per entry', async () => {
    const dir = join(root, 'big-meta')
    mkdirSync(dir)
    const meta = (n: number) => ({
      type: 'META',
      doneForDay: false,
      fileGenerationDate: 20260302,
      reporter: REPORTER,
      submitter: Number(SUBMITTER),
      fileVersion: '4.0.0',
      files: Array.from({ length: n }, (_, i) => ({
        fileName: `${stem(100_000 + i)}.json.bz2`,
        recordCount: 1,
        compressedHash: 'A'.repeat(64),
      })),
    })
    const huge = `${stem(251)}.meta.json`
    writeFileSync(join(dir, huge), JSON.stringify(meta(400_000)))
    const over = `${stem(252)}.meta.json`
    writeFileSync(join(dir, over), JSON.stringify(meta(101)))
    // 100 blocks naming files never sent: each block gets 1122, all found in one pass.
    const full = `${stem(253)}.meta.json`
    writeFileSync(join(dir, full), JSON.stringify(meta(100)))
    const good = goodPair(dir, 254)
    expect(readFileSync(join(dir, huge)).length).toBeGreaterThan(40_000_000)

    const s = await submit('a metadata file naming 400,000 files', [dir])
    expect(outcome(s, huge)).toMatchObject({ status: 'rejected', codes: [1108] })
    expect(outcome(s, huge).note).toMatch(/at most 1,048,576 bytes/)
    expect(outcome(s, over)).toMatchObject({ status: 'rejected', codes: [1108] })
    expect(outcome(s, over).note).toMatch(/lists at most 100 data files; this one lists 101/)
    const integrity = feedbackOf(`${stem(252)}.meta.integrity.json`)
    expect(integrity).toMatchObject({ stage: 'FILE_INTEGRITY', status: 'Failure', code: [1108] })
    expect(outcome(s, full).codes).toEqual(Array(100).fill(1122))
    expect(outcome(s, good).status).toBe('ingested')
  })

  it('pairs a data file a metadata file lists twice once, and refuses the repeated block with 1103', async () => {
    const dir = join(root, 'listed-twice')
    const good = goodPair(dir, 271)
    const metaName = `${stem(271)}.meta.json`
    const meta = JSON.parse(readFileSync(join(dir, metaName), 'utf8'))
    meta.files = [meta.files[0], meta.files[0]]
    writeFileSync(join(dir, metaName), JSON.stringify(meta))

    const s = await submit('a metadata file listing one data file twice', [dir])
    expect(s.files.filter((f) => f.name === good)).toHaveLength(1)
    expect(outcome(s, good).status).toBe('ingested')
    expect(outcome(s, metaName).codes).toEqual([1103])
    const mine = readdirSync(feedbackDir()).filter((f) => f.startsWith(`${stem(271)}.`))
    const integrity = mine
      .filter((f) => f.includes('integrity'))
      .map(feedbackOf)
      .filter((f) => f.fileName === metaName)
    expect(integrity).toMatchObject([
      { stage: 'FILE_INTEGRITY', status: 'Failure', errorDetails: [{ blockFileName: good, code: [1103] }] },
    ])
    // Paired and ingested once: one ingestion feedback for the data file, and it is a success.
    const ingestion = mine.filter((f) => f.includes('.ingestion')).map(feedbackOf)
    expect(ingestion).toMatchObject([{ status: 'Success', fileName: good }])
  })
})
