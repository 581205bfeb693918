/**
 * The regulator portal's HTTP server: the JSON API (one file per area under routes/) and the web UI's
 * static files. Binds to 127.0.0.1 unless told otherwise. Each request opens the repository read-only
 * and closes it again (kept for a few seconds between bursts), so writers are never locked out for long.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'
import { logAccess } from '../store/access-log.ts'
import { RepoPaths } from '../store/paths.ts'
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
  const paths = new RepoPaths(resolve(options.repo))
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => sendError(res, e, log))
  })
  /**
   * Every API request is written to the access log before it is answered, whatever the answer: data,
   * a refusal, not found, or an internal error. A request that cannot be logged is not answered.
   */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return serveStatic(res, url)
    let answer: { status: number; body: unknown } | undefined
    let failure: unknown
    try {
      answer = await answerApi(req, url)
    } catch (e) {
      failure = e
    }
    logAccess(paths, {
      user: String(req.headers['x-opencat-user'] ?? 'portal'),
      action: `${req.method ?? 'GET'} ${url.pathname}`,
      subject: url.search.replace(/^\?/, ''),
      status: answer?.status ?? (failure instanceof OpenCatError ? failure.status : 500),
      ...(failure === undefined
        ? {}
        : { error: failure instanceof OpenCatError ? failure.code : 'OCAT_ERR_INTERNAL' }),
    })
    if (answer === undefined) throw failure
    sendJson(res, answer.status, answer.body)
  }
  async function answerApi(req: IncomingMessage, url: URL): Promise<{ status: number; body: unknown }> {
    if (url.pathname === '/api')
      return {
        status: 200,
        body: { routes: ROUTES.map((r) => ({ method: r.method, path: r.path, summary: r.summary })) },
      }
    const route = ROUTES.find((r) => r.path === url.pathname)
    if (!route) throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no API route ${url.pathname}`)
    if (req.method !== route.method) return { status: 405, body: { error: 'MethodNotAllowed', status: 405 } }
    const user = String(req.headers['x-opencat-user'] ?? 'portal')
    try {
      const r = await acquire()
      return { status: 200, body: await route.handle({ query: url.searchParams, user, repo: r }) }
    } finally {
      release()
    }
  }
  function serveStatic(res: ServerResponse, url: URL): void {
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
