// Starts the decoding worker the way the main thread runs: the compiled bundle when the command runs
// from it, else the TypeScript sources through tsx.
if (process.env.OPENCAT_BUNDLED === '1') {
  await import('../../dist/decode-worker.mjs')
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./decode-worker.ts')
}
