/**
 * The repository lock under contention: when its holder died (kill -9), eight processes racing to take
 * it over never hold it at the same time, trial after trial; a live holder is never displaced.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../support/shared.ts'

const RUN_TS = join(PROJECT_ROOT, 'bin', 'run-ts.js')
const CONTENDER = join(PROJECT_ROOT, 'test', 'support', 'lock-contender.ts')

/** Starts a contender; resolves `ready` once it waits for the go file, `done` with what it printed. */
function contender(
  lock: string,
  marker: string,
  go: string,
): { ready: Promise<void>; done: Promise<string> } {
  const child = spawn(process.execPath, [RUN_TS, CONTENDER, lock, marker, go], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let onReady: () => void = () => {}
  const ready = new Promise<void>((r) => {
    onReady = r
  })
  child.stdout.on('data', (d) => {
    out += d
    if (out.startsWith('ready\n')) onReady()
  })
  child.stderr.on('data', (d) => {
    out += d
  })
  const done = new Promise<string>((resolve) =>
    child.on('close', (code) => {
      onReady()
      resolve(`${out.replace(/^ready\n/, '').trim()}${code ? ` exit ${code}` : ''}`)
    }),
  )
  return { ready, done }
}

/** The pid of a process that has just ended (as a holder killed with -9 leaves behind). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(String(r.stdout))
}

describe('taking over a dead holder’s lock', () => {
  it('eight racing processes never hold it at once (repeated trials)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opencat-lock-'))
    const outcomes: string[] = []
    for (let trial = 0; trial < 12; trial++) {
      const lock = join(dir, `trial-${trial}.lock`)
      const marker = join(dir, `trial-${trial}.inside`)
      const go = join(dir, `trial-${trial}.go`)
      writeFileSync(lock, `${deadPid()}\n`)
      const racers = Array.from({ length: 8 }, () => contender(lock, marker, go))
      await Promise.all(racers.map((r) => r.ready))
      writeFileSync(go, '')
      outcomes.push(...(await Promise.all(racers.map((r) => r.done))))
      expect(existsSync(lock), `trial ${trial} left the lock held`).toBe(false)
    }
    expect(outcomes.filter((o) => o !== 'alone')).toEqual([])
    expect(outcomes).toHaveLength(96)
  }, 240_000)
})
