// Builds the compiled `opencat` once before the test files start, rather than in whichever of their
// child processes first finds it stale.
import { buildBundle, bundleIsFresh } from '../../bin/bundle.js'

export default async function setup(): Promise<void> {
  if (process.env.OPENCAT_FROM_SOURCE !== '1' && !bundleIsFresh()) await buildBundle()
}
