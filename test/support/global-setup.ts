// Builds the compiled `opencat` and the portal's web UI once before the test files start, rather than in
// whichever of their child processes first finds them stale.
import { buildBundle, bundleIsFresh } from '../../bin/bundle.js'
import { buildWeb, webIsFresh } from '../../bin/web.js'

export default async function setup(): Promise<void> {
  if (process.env.OPENCAT_FROM_SOURCE !== '1' && !bundleIsFresh()) await buildBundle()
  if (!webIsFresh()) await buildWeb()
}
