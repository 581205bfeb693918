/**
 * The access log (`log/access.ndjson`): every read the portal or the command line answers — queries,
 * summaries, report cards, refusals and not-found requests included — and every PII reveal, appended as
 * one JSON line that carries its sequence number and the hash of the line before it, so removing or
 * editing a line breaks the chain. It names customers by CCID only, never by personal data.
 *
 * Appends are serialized across processes by a lock (`log/access.lock`), and the head is read under it,
 * so concurrent writers never fork the chain. The chain alone is unkeyed — whoever can write the file
 * could cut its tail or rewrite and re-chain it — so it is anchored with the signing key kept outside the
 * repository folder: after every append the latest head (sequence number and hash) is signed into
 * `access-log.head.json` in the key folder, and every 64th entry carries a signature of its own head.
 * `verifyAccessLog` checks all of it and names the first break.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { repositoryKeyDir, signingKeyFile } from './key-ring.ts'
import { withLockSync } from './lock.ts'
import type { RepoPaths } from './paths.ts'

/** One logged access. */
export interface AccessEntry {
  readonly user: string
  readonly action: string
  readonly subject: string
  readonly reason?: string
  readonly rows?: number
  readonly pii?: boolean
  /** How the request ended: an HTTP status, or a command's exit status. */
  readonly status?: number
  /** The OpenCAT failure code of a request that failed (OCAT_ERR_NOT_FOUND, …). */
  readonly error?: string
}

/** A logged entry as stored. */
export type LoggedEntry = AccessEntry & { readonly at: string; readonly seq?: number }

/** Every this many entries, an entry carries a signature of its head. */
export const CHECKPOINT_EVERY = 64
const GENESIS = '0'.repeat(64)
const HEAD_FILE = 'access-log.head.json'

function logPath(paths: RepoPaths): string {
  return join(paths.log, 'access.ndjson')
}

function headMessage(seq: number, hash: string): Buffer {
  return Buffer.from(`opencat-access-head-v1\n${seq}\n${hash}`)
}

const hashOf = (body: object) => createHash('sha256').update(JSON.stringify(body)).digest('hex')

/** The last complete line of the log (cutting off a line a killed writer left half-written). */
function lastLine(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  const fd = openSync(path, 'r+')
  try {
    let size = fstatSync(fd).size
    let span = Math.min(size, 65_536)
    for (;;) {
      const buf = Buffer.alloc(span)
      readSync(fd, buf, 0, span, size - span)
      const end = buf.lastIndexOf(0x0a)
      if (end < 0 && span < size) {
        span = Math.min(size, span * 4)
        continue
      }
      if (end < span - 1) {
        ftruncateSync(fd, size - span + end + 1)
        size = size - span + end + 1
        span = end + 1
        if (end < 0) return undefined
        continue
      }
      const start = end > 0 ? buf.lastIndexOf(0x0a, end - 1) : -1
      if (start < 0 && span < size) {
        span = Math.min(size, span * 4)
        continue
      }
      return buf.subarray(start + 1, end).toString('utf8')
    }
  } finally {
    closeSync(fd)
  }
}

/** Sequence number and hash of the log's last entry (entries of earlier versions carry no number). */
function head(path: string): { seq: number; hash: string } {
  const last = lastLine(path)
  if (!last) return { seq: 0, hash: GENESIS }
  const entry = JSON.parse(last) as { seq?: number; hash: string }
  const seq = entry.seq ?? readFileSync(path, 'utf8').trimEnd().split('\n').length
  return { seq, hash: entry.hash }
}

function writeHead(keysDir: string, key: string, seq: number, hash: string, atNs: bigint): void {
  const signature = sign(null, headMessage(seq, hash), createPrivateKey(readFileSync(key))).toString('base64')
  const file = join(keysDir, HEAD_FILE)
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ seq, hash, at: atNs.toString(), signature })}\n`, {
    mode: 0o600,
  })
  renameSync(`${file}.tmp`, file)
}

/** An entry with the instant it was asked to be logged (ns). */
export interface TimedAccessEntry {
  readonly entry: AccessEntry
  readonly atNs: bigint
}

/**
 * Where `logAccess` calls go while `collectAccessLog` runs: entries of that repository are kept for the
 * caller to write, with the rest of its request's, in one append.
 */
const collecting = new AsyncLocalStorage<{ readonly root: string; readonly into: TimedAccessEntry[] }>()

/**
 * Runs `fn` with every `logAccess` call it makes for the repository of `paths` collected into `into` instead
 * of appended at once. The caller must append them (`logAccessEntries`) before it answers anyone: a server
 * logging a request's entries in one append with the request's own line.
 */
export function collectAccessLog<T>(paths: RepoPaths, into: TimedAccessEntry[], fn: () => T): T {
  return collecting.run({ root: paths.root, into }, fn)
}

/** Appends an entry to the access log and signs the new head. */
export function logAccess(
  paths: RepoPaths,
  entry: AccessEntry,
  atNs = BigInt(Date.now()) * 1_000_000n,
): void {
  const collector = collecting.getStore()
  if (collector?.root === paths.root) collector.into.push({ entry, atNs })
  else logAccessEntries(paths, [{ entry, atNs }])
}

/**
 * Appends entries in their order under one hold of the lock, in one write, and signs the new head once: the
 * chain, the sequence numbers and the checkpoint signatures are those of appending them one by one.
 */
export function logAccessEntries(paths: RepoPaths, entries: readonly TimedAccessEntry[]): void {
  if (entries.length === 0) return
  mkdirSync(paths.log, { recursive: true })
  const path = logPath(paths)
  const keysDir = repositoryKeyDir(paths)
  // A repository of an earlier version keeps its key inside until its first write moves it out; its reads
  // are logged and signed all the same (audit verify trusts only the key folder's key).
  const key =
    existsSync(signingKeyFile(keysDir)) || !existsSync(paths.receiptKey)
      ? signingKeyFile(keysDir)
      : paths.receiptKey
  withLockSync(join(paths.log, 'access.lock'), 60_000, () => {
    let { seq, hash } = head(path)
    let privateKey: KeyObject | undefined
    const lines: string[] = []
    for (const { entry, atNs } of entries) {
      seq++
      const body = { seq, at: atNs.toString(), ...entry, prev: hash }
      hash = hashOf(body)
      const line: Record<string, unknown> = { ...body, hash }
      if (seq % CHECKPOINT_EVERY === 0) {
        privateKey ??= createPrivateKey(readFileSync(key))
        line.signature = sign(null, headMessage(seq, hash), privateKey).toString('base64')
      }
      lines.push(`${JSON.stringify(line)}\n`)
    }
    const fd = openSync(path, 'a')
    try {
      writeSync(fd, lines.join(''))
    } finally {
      closeSync(fd)
    }
    writeHead(keysDir, key, seq, hash, entries[entries.length - 1].atNs)
  })
}

/** The outcome of checking the access log. */
export interface AccessLogVerdict {
  readonly ok: boolean
  /** Entries that follow the chain, up to the first break. */
  readonly entries: number
  /** Entries the signed head outside the repository covers. */
  readonly signedEntries: number
  readonly checkpoints: number
  /** The first problem: the line it is on (1-based; 0 for the log as a whole) and what is wrong. */
  readonly firstBreak?: { readonly line: number; readonly problem: string }
}

/** Reads the access log and checks its chain; `brokenAt` is the first line that does not follow. */
export function readAccessLog(paths: RepoPaths): { entries: LoggedEntry[]; brokenAt?: number } {
  const { entries, firstBreak } = walk(paths, undefined)
  return { entries, ...(firstBreak && firstBreak.line > 0 ? { brokenAt: firstBreak.line } : {}) }
}

/**
 * Checks the access log: every line follows the chain, carries its sequence number, every checkpoint's
 * signature holds, and the signed head in the key folder names the last entry (so a cut tail or a rewritten,
 * re-chained log shows).
 */
export function verifyAccessLog(paths: RepoPaths, keysDir = repositoryKeyDir(paths)): AccessLogVerdict {
  const keyFile = signingKeyFile(keysDir)
  if (!existsSync(keyFile))
    return {
      ok: false,
      entries: 0,
      signedEntries: 0,
      checkpoints: 0,
      firstBreak: { line: 0, problem: `no signing key in ${keysDir}` },
    }
  const publicKey = createPublicKey(createPrivateKey(readFileSync(keyFile)))
  const w = walk(paths, publicKey)
  const headPath = join(keysDir, HEAD_FILE)
  let signed: { seq: number; hash: string; signature: string } | undefined
  if (existsSync(headPath)) signed = JSON.parse(readFileSync(headPath, 'utf8'))
  const verdict = (problem?: { line: number; problem: string }): AccessLogVerdict => ({
    ok: problem === undefined,
    entries: w.entries.length,
    signedEntries: signed?.seq ?? 0,
    checkpoints: w.checkpoints,
    ...(problem ? { firstBreak: problem } : {}),
  })
  if (w.firstBreak) return verdict(w.firstBreak)
  const count = w.entries.length
  if (!signed) {
    return count === 0
      ? verdict()
      : verdict({
          line: 0,
          problem: `no signed head in ${headPath}: the log's ${count} entries are not anchored`,
        })
  }
  let valid = false
  try {
    valid = verify(
      null,
      headMessage(signed.seq, signed.hash),
      publicKey,
      Buffer.from(signed.signature, 'base64'),
    )
  } catch {
    valid = false
  }
  if (!valid) return verdict({ line: 0, problem: `the signed head in ${headPath} does not verify` })
  if (signed.seq > count)
    return verdict({
      line: count + 1,
      problem: `the log ends after ${count} entries but its signed head covers ${signed.seq}: entries were cut from its end`,
    })
  if (w.hashes[signed.seq - 1] !== signed.hash)
    return verdict({
      line: signed.seq,
      problem: `entry ${signed.seq} is not the one the signed head names: the log was rewritten`,
    })
  if (count > signed.seq)
    return verdict({
      line: signed.seq + 1,
      problem: `entries ${signed.seq + 1}-${count} follow the signed head without being signed`,
    })
  return verdict()
}

function walk(
  paths: RepoPaths,
  publicKey: ReturnType<typeof createPublicKey> | undefined,
): {
  entries: LoggedEntry[]
  hashes: string[]
  checkpoints: number
  firstBreak?: { line: number; problem: string }
} {
  const path = logPath(paths)
  const entries: LoggedEntry[] = []
  const hashes: string[] = []
  let checkpoints = 0
  if (!existsSync(path)) return { entries, hashes, checkpoints }
  const text = readFileSync(path, 'utf8')
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  let prev = GENESIS
  const stop = (line: number, problem: string) => ({
    entries,
    hashes,
    checkpoints,
    firstBreak: { line, problem },
  })
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(lines[i])
    } catch {
      return stop(n, 'not a JSON entry')
    }
    const { hash, signature, ...body } = parsed as {
      hash: string
      signature?: string
      prev: string
      seq?: number
    }
    if (body.prev !== prev) return stop(n, `does not follow line ${i}: its prev is not that line's hash`)
    if (hashOf(body) !== hash) return stop(n, 'its hash does not match its content')
    if (body.seq !== undefined && body.seq !== n) return stop(n, `numbered ${body.seq}, expected ${n}`)
    if (publicKey && body.seq !== undefined && body.seq % CHECKPOINT_EVERY === 0) {
      let ok = false
      try {
        ok = verify(null, headMessage(n, hash), publicKey, Buffer.from(signature ?? '', 'base64'))
      } catch {
        ok = false
      }
      if (!ok) return stop(n, 'its checkpoint signature does not verify')
      checkpoints++
    }
    entries.push(body as unknown as LoggedEntry)
    hashes.push(hash)
    prev = hash
  }
  return { entries, hashes, checkpoints }
}
