/**
 * An exclusive lock between processes: a lock file holding the owner's pid and a token no other lock
 * ever had. It is created whole (written aside, then hard-linked into place, which fails if the lock
 * exists), so a reader never sees a half-written owner. A lock whose process is gone (kill -9 included)
 * is stale and taken over, atomically: among processes racing for a dead owner's lock, only the one that
 * creates the claim file named after that owner's token may remove the stale lock, it re-verifies the
 * token under its claim, and then everyone competes for the free lock by the same atomic link. Waiting is
 * polite: it retries and says so.
 */
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { OpenCatError } from '../common/errors.ts'

/** Who holds a lock. */
interface Holder {
  readonly pid: number
  readonly token: string
}

/** Whether a process of this pid runs (one of another user counts: it cannot be signalled, but it runs). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}

/** The holder a lock or claim file names; undefined when the file is gone. */
function readHolder(path: string): Holder | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined
    throw e
  }
  const [pid, token] = text.split('\n')
  const n = Number.parseInt(pid ?? '', 10)
  // Lock files of earlier versions hold only a pid (and, cut short by a crash, nothing at all).
  return { pid: Number.isInteger(n) ? n : -1, token: token?.trim() || `pid-${pid?.trim() || 'none'}` }
}

function dead(path: string, h: Holder): boolean {
  if (h.pid === process.pid) return false
  if (h.pid > 0) return !processAlive(h.pid)
  // No pid at all: an earlier version crashed between creating the file and writing it, or is about to write.
  try {
    return Date.now() - statSync(path).mtimeMs > 5000
  } catch {
    return false
  }
}

/** Creates `path` holding this process as owner, only if it does not exist; returns the token or undefined. */
function create(path: string): string | undefined {
  const token = randomUUID()
  const aside = `${path}.${process.pid}.${token}.tmp`
  writeFileSync(aside, `${process.pid}\n${token}\n`)
  try {
    linkSync(aside, path)
    return token
  } catch (e) {
    if (code(e) !== 'EEXIST') throw e
    return undefined
  } finally {
    removeQuietly(aside)
  }
}

/**
 * A claim whose claimant died (killed in the microseconds a takeover takes) would block takeovers for
 * ever; it is moved aside, checked to be the one judged dead, and removed.
 */
function clearDeadClaim(claim: string): void {
  const h = readHolder(claim)
  if (!h || !dead(claim, h)) return
  const aside = `${claim}.${randomUUID()}.dead`
  try {
    renameSync(claim, aside)
  } catch {
    return
  }
  const moved = readHolder(aside)
  if (moved && moved.pid !== h.pid) {
    // A live claimant's claim replaced the dead one meanwhile: give it back.
    try {
      linkSync(aside, claim)
    } catch {
      // Another claim exists again; the live claimant re-verifies the lock under it regardless.
    }
  }
  removeQuietly(aside)
}

/** Removes the lock of `stale` (a dead owner) if this process wins the claim to do so. */
function breakStale(path: string, stale: Holder): void {
  const claim = `${path}.break-${stale.token}`
  let fd: number
  try {
    fd = openSync(claim, 'wx')
  } catch (e) {
    if (code(e) !== 'EEXIST') throw e
    clearDeadClaim(claim)
    return
  }
  try {
    writeSync(fd, `${process.pid}\n`)
    closeSync(fd)
    // Under the claim nobody else removes this owner's lock; check it is still the one judged dead.
    if (readHolder(path)?.token !== stale.token) return
    const aside = `${path}.${stale.token}.stale`
    renameSync(path, aside)
    removeQuietly(aside)
  } finally {
    removeQuietly(claim)
  }
}

/** One attempt to take the lock; the token when taken. */
function tryTake(path: string): string | undefined {
  const token = create(path)
  if (token) return token
  const holder = readHolder(path)
  if (!holder) return create(path)
  if (!dead(path, holder)) return undefined
  breakStale(path, holder)
  return create(path)
}

function releaser(path: string, token: string): () => void {
  return () => {
    // Only a lock that is still ours is removed.
    if (readHolder(path)?.token === token) removeQuietly(path)
  }
}

function lockedError(path: string): OpenCatError {
  return new OpenCatError('OCAT_ERR_REPO_LOCKED', `the repository is locked by another process (${path})`)
}

/** Takes the lock, waiting up to `timeoutMs`; returns the release function. */
export async function acquireLock(
  path: string,
  timeoutMs: number,
  onWait?: (waitedMs: number) => void,
): Promise<() => void> {
  const start = Date.now()
  let notified = false
  for (;;) {
    const token = tryTake(path)
    if (token) return releaser(path, token)
    const waited = Date.now() - start
    if (waited > timeoutMs) throw lockedError(path)
    if (!notified && waited > 500) {
      onWait?.(waited)
      notified = true
    }
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80))
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** Runs `fn` holding the lock, waiting for it (blocking) up to `timeoutMs`; for short critical sections. */
export function withLockSync<T>(path: string, timeoutMs: number, fn: () => T): T {
  const start = Date.now()
  let token = tryTake(path)
  while (!token) {
    if (Date.now() - start > timeoutMs) throw lockedError(path)
    Atomics.wait(pause, 0, 0, 2 + Math.random() * 8)
    token = tryTake(path)
  }
  try {
    return fn()
  } finally {
    releaser(path, token)()
  }
}
