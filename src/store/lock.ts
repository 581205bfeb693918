/**
 * An exclusive repository lock between processes: a lock file created with O_EXCL holding the owner's
 * pid. A lock whose process is gone is stale and taken over. Waiting is polite: it retries and says so.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { OpenCatError } from '../common/errors.ts'

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryTake(path: string): boolean {
  try {
    const fd = openSync(path, 'wx')
    writeSync(fd, `${process.pid}\n`)
    closeSync(fd)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  let pid = Number.NaN
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
  } catch {
    return false
  }
  if (Number.isInteger(pid) && (pid === process.pid || ownerAlive(pid))) return false
  // The owner died (kill -9 included): the lock is stale.
  try {
    unlinkSync(path)
  } catch {
    return false
  }
  return tryTake(path)
}

/** Takes the lock, waiting up to `timeoutMs`; returns the release function. */
export async function acquireLock(
  path: string,
  timeoutMs: number,
  onWait?: (waitedMs: number) => void,
): Promise<() => void> {
  const start = Date.now()
  let notified = false
  while (!tryTake(path)) {
    const waited = Date.now() - start
    if (waited > timeoutMs) {
      throw new OpenCatError('OCAT_ERR_REPO_LOCKED', `the repository is locked by another process (${path})`)
    }
    if (!notified && waited > 500) {
      onWait?.(waited)
      notified = true
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return () => {
    try {
      unlinkSync(path)
    } catch {
      // Already gone: nothing to release.
    }
  }
}
