/**
 * The web UI's files as the portal serves them: everything the UI build wrote into dist/web (bin/web.js),
 * read once into memory and looked up by URL path, so only files of the build are ever served and no path
 * a client sends reaches the disk. A folder's index.html also answers for the folder (`/legacy/`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'

/** dist/web of the checkout, from the sources and from the compiled bundle alike. */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

/** One file of the build. */
export interface WebFile {
  readonly body: Buffer
  readonly type: string
  readonly cacheControl: string
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  )
}

/**
 * The built UI by URL path (`/index.html`, `/assets/index-3f2a.js`, `/legacy/`). Files whose names carry
 * their content's hash (under assets/) may be cached for good; pages are revalidated on each load.
 */
export function webFiles(dir = WEB_DIST): ReadonlyMap<string, WebFile> {
  let index: boolean
  try {
    index = statSync(join(dir, 'index.html')).isFile()
  } catch {
    index = false
  }
  if (!index)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `the web UI is not built (${dir} has no index.html): run node bin/web.js, or any opencat serve through bin/opencat.js`,
    )
  const files = new Map<string, WebFile>()
  for (const file of filesUnder(dir)) {
    const type = TYPES[extname(file)]
    const rel = relative(dir, file).split(sep).join('/')
    // Build records (.inputs.json) and anything of an unknown type stay private.
    if (type === undefined || rel.split('/').some((part) => part.startsWith('.'))) continue
    const served: WebFile = {
      body: readFileSync(file),
      type,
      cacheControl: rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    }
    files.set(`/${rel}`, served)
    if (rel === 'index.html' || rel.endsWith('/index.html'))
      files.set(`/${rel.slice(0, -'index.html'.length)}`, served)
  }
  return files
}
