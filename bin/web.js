// The built web UI of the portal: src/web bundled by Vite into dist/web, which the server serves. Like the
// command's bundle (bundle.js), it is rebuilt whenever a file it was built from is newer than the build, so
// `npm start` on a fresh checkout and the browser tests never serve a stale or missing UI.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const WEB_SRC = join(ROOT, 'src', 'web')
export const WEB_DIST = join(ROOT, 'dist', 'web')
/** Written last by a build: its time is the build's. */
const STAMP = join(WEB_DIST, '.inputs.json')

function newestIn(dir) {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestIn(p) : statSync(p).mtimeMs)
  }
  return newest
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

/** True when dist/web exists and is newer than src/web, the lock file and every module the build read. */
export function webIsFresh() {
  if (!existsSync(STAMP)) return false
  const built = statSync(STAMP).mtimeMs
  let inputs
  try {
    inputs = JSON.parse(readFileSync(STAMP, 'utf8'))
  } catch {
    return false
  }
  const newest = Math.max(
    newestIn(WEB_SRC),
    mtime(join(ROOT, 'package-lock.json')),
    ...inputs.map((f) => mtime(join(ROOT, f))),
  )
  return built >= newest
}

/** Builds the UI into dist/web: written aside and swapped in, so a concurrent build or reader never sees half. */
export async function buildWeb() {
  const { build } = await import('vite')
  const aside = join(ROOT, 'dist', `web.${process.pid}.tmp`)
  const old = join(ROOT, 'dist', `web.${process.pid}.old`)
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  try {
    await build({
      configFile: join(WEB_SRC, 'vite.config.ts'),
      build: { outDir: aside, emptyOutDir: true },
      logLevel: 'warn',
    })
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old)
    renameSync(aside, WEB_DIST)
  } finally {
    rmSync(aside, { recursive: true, force: true })
    rmSync(old, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWeb()
  process.stdout.write(`built the web UI into ${relative(process.cwd(), WEB_DIST) || '.'}\n`)
}
