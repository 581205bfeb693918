/**
 * Where the engine spills what does not fit its memory limit: a folder of the repository per open
 * (`spill/p<pid>-<n>`), so spills land on the repository's disk, private like the rest of it, and not in
 * whatever folder the command was started from. A writer's open removes the folders of processes that
 * are gone (killed before they could close).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processAlive } from './lock.ts'
import type { RepoPaths } from './paths.ts'

let opened = 0

/** A new spill folder for one open of the repository; outside it when the repository cannot be written. */
export function spillFolder(paths: RepoPaths): string {
  const name = `p${process.pid}-${opened++}`
  for (const parent of [paths.spill, join(tmpdir(), 'opencat-spill')]) {
    try {
      mkdirSync(parent, { recursive: true, mode: 0o700 })
      return join(parent, name)
    } catch {
      // A read-only repository: the next place.
    }
  }
  return join(tmpdir(), `opencat-spill-${name}`)
}

/** Removes the spill folders of processes that no longer run. */
export function removeStaleSpills(paths: RepoPaths): void {
  let names: string[]
  try {
    names = readdirSync(paths.spill)
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(/^p([0-9]+)-/.exec(name)?.[1])
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue
    rmSync(join(paths.spill, name), { recursive: true, force: true })
  }
}
