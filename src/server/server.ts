/**
 * The regulator portal's server (Fastify): the JSON API (one file per route under routes/), the OpenAPI
 * document generated from the routes' schemas at /openapi.json, and the web UI's static files.
 *
 * HTTPS by default (TLS 1.2 at least), with given certificate files or the repository's self-signed one;
 * plain HTTP only when asked and only on a loopback address. Every request is checked in this order: its
 * Host header (loopback names, the bound address, allowed names: no DNS rebinding), who is asking (an API
 * token in `Authorization: Bearer`, or the session cookie), whether the route is open to it (anonymous
 * callers get 401 everywhere but sign-in, health, the OpenAPI document and the sign-in page), the CSRF
 * token of a cookie session on a state-changing request, the rate limit of the account (or address), and
 * the route's schema. Every API request is written to the access log under the authenticated identity
 * before it is answered, whatever the answer; a request that cannot be logged is not answered.
 * Requests read the repository through a small pool of read-only connections (connection-pool.ts: in
 * parallel, fair between accounts), opened for a burst and closed a few seconds after it, so writers are
 * never locked out for long.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type {} from '@fastify/cookie'
import type {} from '@fastify/swagger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  authenticateToken,
  authorize,
  type Identity,
  repositoryPaths,
  SQL_MEMORY_LIMIT_MB,
} from '../access/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { collectAccessLog, type TimedAccessEntry } from '../store/access-log.ts'
import type { Repository } from '../store/repository.ts'
import { accessLogWriter } from './access-log-writer.ts'
import { connectionPool } from './connection-pool.ts'
import { allowedHostNames, hostNameOf, isLoopback } from './host-check.ts'
import { failureOf, INTERNAL_ANSWER, jsonText } from './http-error.ts'
import { FileAnswer, type PortalLimits, type Route, type RouteAccess, SIGNED_IN } from './route.ts'
import { ROUTES } from './routes/index.ts'
import { signInRoute } from './routes/session.ts'
import { arrayOf, ERROR_ANSWER, object, params } from './schemas.ts'
import { persistentSessions } from './session-file.ts'
import {
  CSRF_HEADER,
  csrfMatches,
  SESSION_COOKIE,
  type Session,
  type SessionControl,
  type SessionPolicy,
} from './sessions.ts'
import { givenCertificate, type PortalCertificate, selfSignedCertificate } from './tls.ts'
import { UPLOAD_BODY, UPLOAD_LIMIT_BYTES } from './upload.ts'
import { webFiles } from './web-files.ts'

export { ROUTES } from './routes/index.ts'

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity
    portalSession?: Session
    sessionId?: string
    failureCode?: string
  }
  interface FastifyContextConfig {
    access?: RouteAccess
  }
}

/** Options of the portal server. */
export interface ServerOptions {
  readonly repo: string
  /** @default 127.0.0.1 */
  readonly host?: string
  /** 0 picks a free port. @default 8480 */
  readonly port?: number
  /** Certificate and key files (PEM); without them the repository's self-signed certificate is used. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string }
  /** Plain HTTP, only on a loopback address. @default false */
  readonly insecureHttp?: boolean
  /** Host names besides loopback names and the bound address that the Host header may carry. */
  readonly allowHosts?: readonly string[]
  /** How long idle repository connections are kept, ms. @default 3000 */
  readonly keepOpenMs?: number
  /** Repository connections answering requests at once. @default 4 */
  readonly connections?: number
  /** Connections one account may hold at once. @default connections - 1 (at least 1) */
  readonly connectionsPerAccount?: number
  /** Requests of one account that may wait for a connection before more are refused (429). @default 500 */
  readonly queuePerAccount?: number
  /** A route whose recent requests mostly took this long (ms) waits in the slow lane. @default 150 */
  readonly slowMs?: number
  /** Book events kept in memory for the book and NBBO routes (0: read the store every time). @default 1000000 */
  readonly marketMemoryEvents?: number
  readonly sessions?: SessionPolicy
  /** Requests per minute per account (per address for anonymous requests). @default 600 */
  readonly perMinute?: number
  /** Sign-in attempts per minute per address. @default 20 */
  readonly signInPerMinute?: number
  /** Largest request body, bytes. @default 262144 */
  readonly bodyLimit?: number
  /** Largest uploaded file (POST /api/files), bytes. @default 1 GiB */
  readonly uploadLimit?: number
  /** Memory one SQL query or extract may hold, MB. @default 1024 */
  readonly sqlMemoryLimitMb?: number
  readonly log?: (line: string) => void
}

/** A running portal. */
export interface Portal {
  readonly server: Server
  readonly url: string
  /** The certificate served (undefined over plain HTTP). */
  readonly certificate?: PortalCertificate
  close(): Promise<void>
}

/** GET /api: the routes, for a signed-in caller finding its way. */
const apiIndexRoute: Route = {
  method: 'GET',
  path: '/api',
  summary: 'The API routes with a one-line summary each',
  access: SIGNED_IN,
  repository: false,
  querystring: params({}),
  response: object({
    routes: arrayOf(
      object({ method: { type: 'string' }, path: { type: 'string' }, summary: { type: 'string' } }),
    ),
  }),
  async handle() {
    return {
      routes: [apiIndexRoute, ...ROUTES].map((r) => ({ method: r.method, path: r.path, summary: r.summary })),
    }
  },
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function refuseBind(host: string, options: ServerOptions): void {
  if (options.insecureHttp && !isLoopback(host))
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `plain HTTP is only for a loopback address (127.0.0.1, ::1, localhost), not ${host}: leave out --insecure-http to serve HTTPS`,
    )
}

/** Starts the portal. */
export async function startPortal(options: ServerOptions): Promise<Portal> {
  const log = options.log ?? (() => {})
  const host = options.host ?? '127.0.0.1'
  refuseBind(host, options)
  const paths = repositoryPaths(options.repo)
  const certificate = options.insecureHttp
    ? undefined
    : options.tls
      ? givenCertificate(options.tls.certFile, options.tls.keyFile)
      : await selfSignedCertificate(paths, host)
  const sessions = persistentSessions(paths, options.sessions)
  const hosts = allowedHostNames(host, options.allowHosts)
  const connections = Math.max(1, options.connections ?? 4)
  const repos = connectionPool(options.repo, {
    connections,
    perAccount: Math.max(1, options.connectionsPerAccount ?? connections - 1),
    queuePerAccount: options.queuePerAccount ?? 500,
    keepOpenMs: options.keepOpenMs ?? 3000,
    ...(options.slowMs !== undefined ? { slowMs: options.slowMs } : {}),
    ...(options.marketMemoryEvents !== undefined ? { symbolDayEvents: options.marketMemoryEvents } : {}),
  })
  const accessLog = accessLogWriter(paths)
  /** Entries a request's route logged, appended with the request's own line before it is answered. */
  const routeEntries = new WeakMap<FastifyRequest, TimedAccessEntry[]>()

  const common = {
    logger: false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    exposeHeadRoutes: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  } as const
  // The framework and its plugins load when a portal starts: every other command starts without them.
  const [
    { default: Fastify },
    { default: cookie },
    { default: helmet },
    { default: rateLimit },
    { default: swagger },
  ] = await Promise.all([
    import('fastify'),
    import('@fastify/cookie'),
    import('@fastify/helmet'),
    import('@fastify/rate-limit'),
    import('@fastify/swagger'),
  ])
  const app = (certificate
    ? Fastify({ ...common, https: { key: certificate.key, cert: certificate.cert, minVersion: 'TLSv1.2' } })
    : Fastify(common)) as unknown as FastifyInstance

  // An uploaded file is left unread for its route to stream (routes/files.ts); a JSON route refuses it.
  app.addContentTypeParser('application/octet-stream', (_req, _payload, done) => done(null, ''))
  const limits: PortalLimits = {
    sqlMemoryLimitMb: options.sqlMemoryLimitMb ?? SQL_MEMORY_LIMIT_MB,
    uploadBytes: options.uploadLimit ?? UPLOAD_LIMIT_BYTES,
  }

  app.decorateRequest('identity', undefined)
  app.decorateRequest('portalSession', undefined)
  app.decorateRequest('sessionId', undefined)
  app.decorateRequest('failureCode', undefined)

  await app.register(cookie)
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(certificate ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    hsts: certificate ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
  })
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute ?? 600,
    timeWindow: 60_000,
    // After identification (onRequest), so an account's requests count together from any address.
    hook: 'preHandler',
    keyGenerator: (req) => (req.identity ? `user:${req.identity.user}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      new OpenCatError(
        'OCAT_ERR_RATE_LIMITED',
        `too many requests: ${ctx.max} a minute; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
      ),
  })
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, so type lists and null (the engine's loosely typed values) are valid.
      openapi: '3.1.0',
      info: {
        title: 'OpenCAT regulator portal API',
        version: '1',
        description:
          'Sign in with POST /api/session (cookie session; send its csrfToken as x-csrf-token on state-changing requests), or send an API token as Authorization: Bearer TOKEN. Every request is access-logged.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  })

  app.addHook('onRequest', async (req) => {
    const name = hostNameOf(req.headers.host)
    if (name === undefined || !hosts.has(name))
      throw new OpenCatError(
        'OCAT_ERR_HTTP_HOST',
        `the portal does not answer for host ${JSON.stringify(req.headers.host ?? '')}`,
      )
    identify(req)
    const access =
      req.routeOptions.config.access ?? (req.url.startsWith('/api') ? SIGNED_IN : { kind: 'open' })
    checkAccess(req, access)
    refuseControlCharacters(req)
  })
  app.addHook('onSend', async (req, reply, payload) => {
    const path = req.url.split('?')[0]
    if (path === '/api' || path.startsWith('/api/')) {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
      await accessLog.write([
        ...(routeEntries.get(req) ?? []),
        {
          entry: {
            user: req.identity?.user ?? 'anonymous',
            action: `${req.method} ${path}`,
            subject: query,
            status: reply.statusCode,
            ...(req.failureCode ? { error: req.failureCode } : {}),
          },
          atNs: BigInt(Date.now()) * 1_000_000n,
        },
      ])
    }
    return payload
  })
  app.setErrorHandler((e, req, reply) => {
    const failure = failureOf(e)
    if (!failure) log(`internal error: ${(e as Error).stack ?? String(e)}`)
    req.failureCode = failure?.code ?? INTERNAL_ANSWER.code
    const body = failure ? failure.toJSON() : INTERNAL_ANSWER
    const retryAfter = failure?.context.retryAfterSeconds
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter))
    return reply
      .code(failure?.status ?? 500)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(jsonText(body))
  })
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    const route = [apiIndexRoute, ...ROUTES].find((r) => r.path === path)
    const failure = route
      ? new OpenCatError('OCAT_ERR_HTTP_METHOD', `${path} does not answer ${req.method}`)
      : new OpenCatError(
          'OCAT_ERR_NOT_FOUND',
          path.startsWith('/api') ? `no API route ${path}` : `no page ${path}`,
        )
    req.failureCode = failure.code
    return reply.code(failure.status).type('application/json; charset=utf-8').send(jsonText(failure.toJSON()))
  })

  /** Who is asking: a bearer token (checked, refused loudly when bad) or a live session cookie. */
  function identify(req: FastifyRequest): void {
    const auth = req.headers.authorization
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth)
      if (!m)
        throw new OpenCatError('OCAT_ERR_AUTH_REFUSED', 'the Authorization header must be "Bearer TOKEN"')
      const r = authenticateToken({ paths }, m[1])
      if (!r.ok) {
        req.failureCode = 'OCAT_ERR_AUTH_REFUSED'
        throw new OpenCatError('OCAT_ERR_AUTH_REFUSED', `the token is refused: ${r.refusal}`, {
          refusal: r.refusal,
        })
      }
      req.identity = r.identity
      return
    }
    const id = req.cookies[SESSION_COOKIE]
    const session = sessions.find(id)
    if (session) {
      req.identity = session.identity
      req.portalSession = session
      req.sessionId = id
    }
  }

  /** No parameter has a use for control characters (NUL above all): refused before any route reads one. */
  function refuseControlCharacters(req: FastifyRequest): void {
    if (!req.url.includes('?')) return
    for (const [name, value] of new URL(req.url, 'https://portal.invalid').searchParams)
      if (/[\u0000-\u001f\u007f]/.test(name + value))
        throw new OpenCatError(
          'OCAT_ERR_HTTP_REQUEST',
          `querystring ${JSON.stringify(name)}: a parameter may not hold control characters`,
        )
  }

  function checkAccess(req: FastifyRequest, access: RouteAccess): void {
    if (access.kind === 'open') return
    const identity = req.identity
    if (!identity)
      throw new OpenCatError(
        'OCAT_ERR_AUTH_REQUIRED',
        'sign in first (POST /api/session) or send Authorization: Bearer TOKEN',
      )
    // Cookies ride along on any request a browser sends; the CSRF token only on requests this origin's page made.
    if (
      req.portalSession &&
      !SAFE_METHODS.has(req.method) &&
      !csrfMatches(req.portalSession, req.headers[CSRF_HEADER])
    )
      throw new OpenCatError(
        'OCAT_ERR_CSRF',
        `a ${req.method} signed in by cookie needs the session's CSRF token in ${CSRF_HEADER}`,
      )
    if (access.kind !== 'action') return
    const query = new URL(req.url, 'https://portal.invalid').searchParams
    const decision = authorize(identity, access.action, access.resource?.(query))
    if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason)
  }

  function control(req: FastifyRequest, reply: FastifyReply): SessionControl {
    return {
      current: req.portalSession,
      signIn(identity) {
        sessions.delete(req.sessionId)
        const { id, session } = sessions.create(identity)
        reply.setCookie(SESSION_COOKIE, id, {
          httpOnly: true,
          secure: true,
          sameSite: 'strict',
          path: '/',
          maxAge: Math.floor(sessions.maxMs / 1000),
        })
        return session
      },
      signOut() {
        sessions.delete(req.sessionId)
        reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' })
      },
    }
  }

  for (const route of [apiIndexRoute, ...ROUTES]) {
    app.route({
      method: route.method,
      url: route.path,
      schema: {
        summary: route.summary,
        tags: [route.path === '/api/session' || route.path === '/api/health' ? 'session' : 'api'],
        ...(route.querystring ? { querystring: route.querystring } : {}),
        ...(route.body ? { body: route.body } : {}),
        ...(route.upload ? { body: UPLOAD_BODY } : {}),
        response: { 200: route.response, '4xx': ERROR_ANSWER },
        ...(route.access.kind === 'open' ? { security: [] } : {}),
      },
      config: {
        access: route.access,
        ...(route.perMinute
          ? {
              rateLimit: {
                max: route === signInRoute ? (options.signInPerMinute ?? route.perMinute) : route.perMinute,
                timeWindow: 60_000,
                keyGenerator: (req: FastifyRequest) => `ip:${req.ip}`,
              },
            }
          : {}),
      },
      handler: async (req, reply) => {
        const identity = req.identity
        const base = {
          query: new URL(req.url, 'https://portal.invalid').searchParams,
          body: req.body,
          identity,
          user: identity?.user ?? 'anonymous',
          paths,
          session: control(req, reply),
          limits,
          upload: { body: req.raw, headers: req.headers },
        }
        if (route.upload && req.headers['content-type']?.split(';')[0].trim() !== 'application/octet-stream')
          throw new OpenCatError(
            'OCAT_ERR_HTTP_REQUEST',
            'send the file as the body with content-type: application/octet-stream',
          )
        let answer: unknown
        const logged: TimedAccessEntry[] = []
        routeEntries.set(req, logged)
        if (route.repository === false)
          answer = await collectAccessLog(paths, logged, () =>
            route.handle({ ...base, repo: undefined as unknown as Repository }),
          )
        else {
          const account = identity ? `user:${identity.user}` : `ip:${req.ip}`
          const question = route.question?.(base.query)
          const repo = await repos.acquire(
            account,
            route.path,
            question === undefined ? undefined : `${route.path}?${question}`,
          )
          try {
            answer = await collectAccessLog(paths, logged, () => route.handle({ ...base, repo }))
          } finally {
            repos.release(account, repo)
          }
        }
        if (answer instanceof FileAnswer)
          return reply
            .code(200)
            .header('cache-control', 'no-store')
            .header('content-disposition', `attachment; filename="${answer.fileName}"`)
            .type(answer.contentType)
            .send(answer.open())
        return reply
          .code(200)
          .header('cache-control', 'no-store')
          .type('application/json; charset=utf-8')
          .send(jsonText(answer))
      },
    })
  }

  app.get('/openapi.json', { schema: { hide: true }, config: { access: { kind: 'open' } } }, async () =>
    app.swagger(),
  )
  // Only the files of the built UI are served, by name: no path a client sends reaches the disk.
  const web = webFiles()
  const serveFile = (path: string, reply: FastifyReply) => {
    const file = web.get(path)
    if (!file) return reply.callNotFound()
    return reply.type(file.type).header('cache-control', file.cacheControl).send(file.body)
  }
  app.get('/', { schema: { hide: true }, config: { access: { kind: 'open' } } }, async (_req, reply) =>
    serveFile('/index.html', reply),
  )
  // No access of its own: a path under /api that names no route is refused as any /api path is.
  app.get('/*', { schema: { hide: true } }, async (req, reply) => serveFile(req.url.split('?')[0], reply))

  try {
    await app.listen({ port: options.port ?? 8480, host })
  } catch (e) {
    await app.close()
    throw e
  }
  const address = app.server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    server: app.server as Server,
    url: `${certificate ? 'https' : 'http'}://${shown}:${address.port}`,
    ...(certificate ? { certificate } : {}),
    async close() {
      await app.close()
      await repos.closeNow()
    },
  }
}
