/**
 * The portal's access-log appends, grouped: every request's entries (those its route logged and the
 * request's own line) are handed over together, and entries handed over while an append is due wait for it
 * and go in the same one (one hold of the lock, one write, one signed head), so hundreds of requests
 * answered at once cost a few appends, not hundreds. A request is answered only once its append is written;
 * if the append fails, every request in it fails with it.
 *
 * Appends are spaced by at least the time the last one took: under load the server spends at most about
 * half its time appending, and the rest answering; alone, a request waits for the next turn of the event
 * loop only.
 */
import { logAccessEntries, type TimedAccessEntry } from '../store/access-log.ts'
import type { RepoPaths } from '../store/paths.ts'

interface Pending {
  readonly entries: readonly TimedAccessEntry[]
  readonly done: () => void
  readonly failed: (e: unknown) => void
}

/** A grouped writer of the access log of the repository at `paths`. */
export function accessLogWriter(paths: RepoPaths) {
  let pending: Pending[] = []
  let scheduled = false
  let lastEnd = 0
  let lastTook = 0

  function flush(): void {
    scheduled = false
    const batch = pending
    pending = []
    const start = performance.now()
    try {
      logAccessEntries(
        paths,
        batch.flatMap((p) => p.entries),
      )
    } catch (e) {
      for (const p of batch) p.failed(e)
      return
    } finally {
      lastEnd = performance.now()
      lastTook = lastEnd - start
    }
    for (const p of batch) p.done()
  }

  return {
    /** Appends one request's entries, in order; resolves once they are in the log. */
    write(entries: readonly TimedAccessEntry[]): Promise<void> {
      if (entries.length === 0) return Promise.resolve()
      return new Promise<void>((done, failed) => {
        pending.push({ entries, done, failed })
        if (scheduled) return
        scheduled = true
        const wait = lastEnd + lastTook - performance.now()
        if (wait > 0) setTimeout(flush, wait)
        else setImmediate(flush)
      })
    },
  }
}
