// Builds the compiled `opencat` and the portal's web UI once before the test files start, rather than in
// whichever of their child processes first finds them stale; and gives the run a temporary folder of its
// own, removed when the run ends, so that the repositories, days and browsers the tests make in the
// system's temporary folder never outlive the run (a test that stops halfway leaves nothing either).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBundle, bundleIsFresh } from '../../bin/bundle.js'
import { buildWeb, webIsFresh } from '../../bin/web.js'

export default async function setup(): Promise<() => void> {
  if (process.env.OPENCAT_FROM_SOURCE !== '1' && !bundleIsFresh()) await buildBundle()
  if (!webIsFresh()) await buildWeb()
  // The test workers and every command they start inherit TMPDIR, and os.tmpdir() follows it.
  const root = mkdtempSync(join(tmpdir(), 'opencat-tests-'))
  process.env.TMPDIR = root
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 3 })
}
