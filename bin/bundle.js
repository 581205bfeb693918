// The compiled form of the `opencat` command: one ES module per entry under dist/, built from src/ by
// esbuild. Loading a single JavaScript file takes a fraction of compiling some 240 TypeScript modules
// at every start, which is what a command run once per file, per script step or per test pays.
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

function newestSource(dir) {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p))
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs)
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

/** Builds every entry into dist/, each written aside and renamed, so concurrent builds never tear. */
export async function buildBundle() {
  const { build } = await import('esbuild')
  mkdirSync(DIST, { recursive: true })
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const aside = join(DIST, `${name}.${process.pid}.tmp.mjs`)
    try {
      await build({
        entryPoints: [entry],
        outfile: aside,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        plugins: [sourceUrls],
        logLevel: 'error',
        banner: { js: '// Built from src/ by bin/bundle.js; do not edit.' },
      })
      renameSync(aside, join(DIST, `${name}.mjs`))
    } finally {
      rmSync(aside, { force: true })
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle()
  process.stdout.write(
    `built ${Object.keys(ENTRIES).join(', ')} into ${relative(process.cwd(), DIST) || '.'}\n`,
  )
}
