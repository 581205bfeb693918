/**
 * Locates the shared reference material (official CAT schema, error codes, LOBSTER data) that lives
 * beside the project, in `../shared/`. Tests that need it skip with a clear message when it is absent.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root (the folder holding package.json). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The shared reference folder: $OPENCAT_SHARED or ../shared next to the project. */
export const SHARED_ROOT = process.env.OPENCAT_SHARED ?? resolve(PROJECT_ROOT, '..', 'shared')

const warned = new Set<string>()

/**
 * Absolute path of a shared file, or undefined when it is not on this machine. A missing file is also
 * reported on stderr as the test file is collected: vitest's summary counts skipped tests but does not
 * print their names, so the reason and the OPENCAT_SHARED hint would otherwise go unseen.
 */
export function sharedFile(...parts: string[]): string | undefined {
  const p = join(SHARED_ROOT, ...parts)
  if (existsSync(p)) return p
  if (!warned.has(p)) {
    warned.add(p)
    console.warn(missingShared(...parts))
  }
  return undefined
}

/** The reason a test skips when a shared file is missing. */
export function missingShared(...parts: string[]): string {
  return `skipped: reference file ${join(SHARED_ROOT, ...parts)} is not on this machine (set OPENCAT_SHARED to its folder)`
}
