/**
 * One contender for a repository lock, run as its own process by the lock tests: says `ready`, waits
 * for the go file so that every contender asks at the same instant, takes the lock, proves it is alone inside (a marker file only one holder can
 * create), holds it briefly and lets go. Prints `overlap` when another holder was inside at the same time.
 * Usage: run-ts.js lock-contender.ts LOCK_PATH MARKER_PATH GO_PATH
 */
import { closeSync, existsSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { acquireLock } from '../../src/store/lock.ts'

const [lock, marker, go] = process.argv.slice(2)
writeSync(1, 'ready\n')
const tick = new Int32Array(new SharedArrayBuffer(4))
while (!existsSync(go)) Atomics.wait(tick, 0, 0, 1)
const release = await acquireLock(lock, 30_000)
let alone = true
try {
  closeSync(openSync(marker, 'wx'))
} catch {
  alone = false
}
await new Promise((r) => setTimeout(r, 20))
if (alone) unlinkSync(marker)
release()
writeSync(1, alone ? 'alone\n' : 'overlap\n')
