/**
 * The regulator portal's HTTP server: the JSON API (one file per area under routes/) and the web UI's
 * static files. Binds to 127.0.0.1 unless told otherwise. Each request opens the repository read-only
 * and closes it again (kept for a few seconds between bursts), so writers are never locked out for long.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { openRepository, type Repository } from '../store/repository.ts'
import { sendError, sendJson } from './http-error.ts'
import type { Route } from './route.ts'
import { customerRoute } from './routes/customer.ts'
import { lifecycleRoute } from './routes/lifecycle.ts'
import { bookRoute, nbboRoute } from './routes/market.ts'
import { reportCardRoute } from './routes/report-card.ts'
import { summaryRoute } from './routes/summary.ts'

/** Every API route. */
export const ROUTES: readonly Route[] = [
  summaryRoute,
  lifecycleRoute,
  customerRoute,
  reportCardRoute,
  bookRoute,
  nbboRoute,
]

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', 'web')
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}

/** Options of the portal server. */
export interface ServerOptions {
  readonly repo: string
  /** @default 127.0.0.1 */
  readonly host?: string
  /** 0 picks a free port. @default 8480 */
  readonly port?: number
  /** How long an idle repository connection is kept, ms. @default 3000 */
  readonly keepOpenMs?: number
  readonly log?: (line: string) => void
}

/** A running portal. */
export interface Portal {
  readonly server: Server
  readonly url: string
  close(): Promise<void>
}

/** Starts the portal. */
export async function startPortal(options: ServerOptions): Promise<Portal> {
  const log = options.log ?? (() => {})
  let repo: Promise<Repository> | undefined
  let closer: NodeJS.Timeout | undefined
  let busy = 0
  const acquire = (): Promise<Repository> => {
    clearTimeout(closer)
    busy++
    repo ??= openRepository(options.repo)
    return repo
  }
  const release = () => {
    busy--
    if (busy > 0) return
    closer = setTimeout(async () => {
      if (busy > 0 || !repo) return
      const open = repo
      repo = undefined
      ;(await open).close()
    }, options.keepOpenMs ?? 3000)
    closer.unref()
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => sendError(res, e, log))
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/api')
      return sendJson(res, 200, {
        routes: ROUTES.map((r) => ({ method: r.method, path: r.path, summary: r.summary })),
      })
    const route = ROUTES.find((r) => r.path === url.pathname)
    if (route) {
      if (req.method !== route.method) return sendJson(res, 405, { error: 'MethodNotAllowed', status: 405 })
      const user = String(req.headers['x-opencat-user'] ?? 'portal')
      try {
        const r = await acquire()
        return sendJson(res, 200, await route.handle({ query: url.searchParams, user, repo: r }))
      } finally {
        release()
      }
    }
    if (url.pathname.startsWith('/api/'))
      throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no API route ${url.pathname}`)
    const file = normalize(url.pathname === '/' ? '/index.html' : url.pathname)
    if (file.includes('..')) throw new OpenCatError('OCAT_ERR_NOT_FOUND', 'no such page')
    let body: Buffer
    try {
      body = readFileSync(join(WEB, file))
    } catch {
      throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no page ${url.pathname}`)
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8480, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    server,
    url: `http://${address.address}:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      clearTimeout(closer)
      const open = repo
      repo = undefined
      if (open) (await open).close()
    },
  }
}
