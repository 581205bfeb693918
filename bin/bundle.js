// The compiled form of the `opencat` command: ES modules under dist/, built from src/ by esbuild. Loading
// JavaScript takes a fraction of compiling some 240 TypeScript modules at every start, which is what a
// command run once per file, per script step or per test pays. The build is split: each command's module,
// the engine's (the DuckDB API, bundled so it loads without resolving its hundred files) and what they
// share are chunks loaded when first imported, so a command compiles only the code it runs.
// The bundle is rebuilt whenever a source file is newer than it, so it can never run stale code.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = join(ROOT, 'src')
export const DIST = join(ROOT, 'dist')

/** The entries: the command itself and the decoding worker it starts. */
const ENTRIES = {
  opencat: join(SRC, 'cli', 'main.ts'),
  'decode-worker': join(SRC, 'validate', 'decode-worker.ts'),
}

// Every command runs this check first: a path made by concatenation rather than join() (which normalizes)
// halves its time.
function newestSource(dir) {
  let newest = 0
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.endsWith('.test.ts')) {
      const modified = statSync(`${e.parentPath}/${e.name}`).mtimeMs
      if (modified > newest) newest = modified
    }
  }
  return newest
}

function builtAt(name) {
  try {
    return statSync(join(DIST, `${name}.mjs`)).mtimeMs
  } catch {
    return -1
  }
}

/** True when every entry is built and newer than every source file. */
export function bundleIsFresh() {
  const newest = Math.max(newestSource(SRC), statSync(join(ROOT, 'package-lock.json')).mtimeMs)
  return Object.keys(ENTRIES).every((name) => builtAt(name) >= newest)
}

// Modules find their SQL, web assets and worker boot files next to their source: in the bundle each
// module's import.meta.url is replaced by the URL of its own source file, relative to the bundle.
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      const rel = relative(DIST, args.path).split('\\').join('/')
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' }
    })
  },
}

// Packages stay where npm put them, except the engine's API (plain JavaScript over the native binding,
// which stays external): bundled, it loads in half the time.
const BUNDLED_PACKAGES = /^@duckdb\/node-api(\/|$)/
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true },
    )
  },
}

/**
 * The event store's columns, derived from the catalogue by src/store/event-columns.ts: computed here, from the
 * sources being built, and written into the build (src/store/store-columns.ts), so a command opening a
 * repository does not resolve every catalogue version to learn them. A build is made whenever a source is
 * newer than it, so they are never those of an earlier catalogue.
 */
export async function storeColumns(build) {
  const out = await (build ?? (await import('esbuild')).build)({
    entryPoints: [join(SRC, 'store', 'event-columns.ts')],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalPackages],
    logLevel: 'error',
  })
  const code = Buffer.from(out.outputFiles[0].contents).toString('base64')
  const { EVENT_COLUMNS } = await import(`data:text/javascript;base64,${code}`)
  return EVENT_COLUMNS.map(({ name, sqlType }) => ({ name, sqlType }))
}

/** The engine's API, bundled alone (dist/engine.cjs). */
const ENGINE = 'engine.cjs'

/** A chunk no entry of a build newer than this many ms refers to is removed by the next build. */
const CHUNK_GRACE_MS = 24 * 3600_000

/**
 * Builds every entry and its chunks into dist/: written aside, then renamed into place, chunks first
 * (named by their content, so a running command never sees one change) and entries last, so concurrent
 * builds never tear. Chunks of earlier builds stay a day for commands still running from them.
 */
export async function buildBundle() {
  const { build } = await import('esbuild')
  mkdirSync(DIST, { recursive: true })
  const aside = join(DIST, `.build-${process.pid}`)
  rmSync(aside, { recursive: true, force: true })
  try {
    await build({
      entryPoints: ENTRIES,
      outdir: aside,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      plugins: [externalPackages, sourceUrls],
      logLevel: 'error',
      define: { OPENCAT_STORE_COLUMNS: JSON.stringify(await storeColumns(build)) },
      // The bundled engine API is CommonJS: its require() of the native binding needs a require here.
      banner: {
        js: "// Built from src/ by bin/bundle.js; do not edit.\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
      },
    })
    // The engine's API on its own, as CommonJS: loaded through a script with V8's code cache (see
    // src/store/engine-code-cache.ts), it starts without compiling its functions again at every command.
    await build({
      stdin: { contents: "module.exports = require('@duckdb/node-api')", resolveDir: ROOT },
      outfile: join(aside, ENGINE),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      plugins: [externalPackages],
      logLevel: 'error',
      banner: { js: '// Built from the engine package by bin/bundle.js; do not edit.' },
    })
    const built = readdirSync(aside)
    const entries = Object.keys(ENTRIES).map((name) => `${name}.mjs`)
    for (const f of built.filter((f) => !entries.includes(f))) renameSync(join(aside, f), join(DIST, f))
    for (const f of entries) renameSync(join(aside, f), join(DIST, f))
    const now = Date.now()
    for (const f of readdirSync(DIST)) {
      // Code caches are named by the engine file's time and size: those of an earlier file are never read.
      if (f.startsWith(`${ENGINE}.`) && f.endsWith('.cache')) rmSync(join(DIST, f), { force: true })
      if (!f.startsWith('chunk-') || built.includes(f)) continue
      const p = join(DIST, f)
      if (now - statSync(p).mtimeMs > CHUNK_GRACE_MS) rmSync(p, { force: true })
    }
  } finally {
    rmSync(aside, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle()
  process.stdout.write(
    `built ${Object.keys(ENTRIES).join(', ')} into ${relative(process.cwd(), DIST) || '.'}\n`,
  )
}
