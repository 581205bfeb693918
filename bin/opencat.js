#!/usr/bin/env node
// Entry point of the `opencat` command. It runs the compiled bundle (dist/, rebuilt from src/ whenever a
// source is newer); where the bundle cannot be built it loads the TypeScript sources through tsx.
// OPENCAT_FROM_SOURCE=1 always takes the TypeScript sources.
import { buildBundle, bundleIsFresh } from './bundle.js'

async function bundled() {
  if (process.env.OPENCAT_FROM_SOURCE === '1') return false
  try {
    if (!bundleIsFresh()) await buildBundle()
    return true
  } catch (e) {
    process.stderr.write(`opencat: running from source (the bundle could not be built: ${e.message})\n`)
    return false
  }
}

// Commands that serve the portal serve the built web UI (dist/web, rebuilt when src/web is newer); other
// commands do not load what checks it.
if (['serve', 'demo'].includes(process.argv[2])) {
  const { buildWeb, webIsFresh } = await import('./web.js')
  if (!webIsFresh()) {
    try {
      await buildWeb()
    } catch (e) {
      process.stderr.write(`opencat: the web UI could not be built: ${e.message}\n`)
    }
  }
}

if (await bundled()) {
  // The decoding worker follows the main thread: bundled here, so bundled there.
  process.env.OPENCAT_BUNDLED = '1'
  await import('../dist/opencat.mjs')
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
