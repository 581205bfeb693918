/**
 * Progress for long CLI work: a redrawn bar on a terminal, a line every few seconds otherwise, nothing
 * when quiet. Rates are per second of wall time.
 */

/** What a long-running stage reports to. */
export interface Progress {
  /** Sets the amount done (of `total`, when known). */
  update(done: number, note?: string): void
  /** Ends the bar and prints a final line. */
  finish(note?: string): void
}

/** A progress reporter that prints nothing (library use, --json, tests). */
export const SILENT: Progress = { update() {}, finish() {} }

/** A progress reporter writing to stderr. */
export function progressBar(label: string, total: number | undefined, unit: string): Progress {
  const tty = process.stderr.isTTY === true
  const start = Date.now()
  let last = 0
  let done = 0
  const line = (note?: string) => {
    const secs = (Date.now() - start) / 1000
    const rate = secs > 0 ? Math.round(done / secs) : 0
    const pct = total ? ` ${((100 * done) / total).toFixed(0).padStart(3)}%` : ''
    const bar = total && tty ? ` [${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}]` : ''
    return `${label}${bar}${pct} ${done.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''} ${unit} · ${rate.toLocaleString('en-US')} ${unit}/s · ${secs.toFixed(1)} s${note ? ` · ${note}` : ''}`
  }
  return {
    update(n, note) {
      done = n
      const now = Date.now()
      if (now - last < (tty ? 200 : 5000)) return
      last = now
      if (tty) process.stderr.write(`\r${line(note)}\x1b[K`)
      else process.stderr.write(`${line(note)}\n`)
    },
    finish(note) {
      process.stderr.write(`${tty ? '\r' : ''}${line(note)}${tty ? '\x1b[K' : ''}\n`)
    },
  }
}
