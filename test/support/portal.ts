/**
 * Talking to the real portal as its users do: accounts made with `opencat user` and `opencat token`, a
 * sign-in with password and the current TOTP code, and HTTPS requests that trust only the certificate the
 * portal serves (checked against the fingerprint it printed).
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { checkServerIdentity, type TLSSocket } from 'node:tls'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { fromBase32, totpCode } from '../../src/access/index.ts'
import { runCli, startCli } from './cli.ts'

/** A person's credentials as `opencat user add --json` printed them. */
export interface PersonCredentials {
  readonly user: string
  readonly password: string
  readonly totpSecret: string
}

/** Adds a person with roles (and a reporter's IMIDs) through the CLI. */
export async function addPerson(
  repo: string,
  user: string,
  roles: readonly string[],
  imids: readonly string[] = [],
  submitters: readonly string[] = [],
): Promise<PersonCredentials> {
  const r = await runCli([
    'user',
    'add',
    user,
    '--repo',
    repo,
    ...roles.flatMap((x) => ['--role', x]),
    ...imids.flatMap((x) => ['--imid', x]),
    ...submitters.flatMap((x) => ['--submitter', x]),
    '--json',
  ])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as PersonCredentials
}

/** Adds a machine account with roles (and a reporter's IMIDs and submitters) and gives it an API token, through the CLI. */
export async function addMachineToken(
  repo: string,
  user: string,
  roles: readonly string[],
  imids: readonly string[] = [],
  submitters: readonly string[] = [],
): Promise<string> {
  const added = await runCli([
    'user',
    'add',
    user,
    '--repo',
    repo,
    '--machine',
    ...roles.flatMap((x) => ['--role', x]),
    ...imids.flatMap((x) => ['--imid', x]),
    ...submitters.flatMap((x) => ['--submitter', x]),
  ])
  expect(added.code, added.stderr).toBe(0)
  const t = await runCli(['token', 'create', '--repo', repo, '--user', user, '--json'])
  expect(t.code, t.stderr).toBe(0)
  return (JSON.parse(t.stdout) as { token: string }).token
}

/** The TOTP code of a secret at an instant (now by default). */
export function codeOf(secret: string, atMs = Date.now()): string {
  return totpCode(fromBase32(secret) ?? Buffer.alloc(0), atMs / 1000)
}

/** An answer: status, headers, text, and for HTTPS what the TLS handshake settled. */
export interface Answer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
  /** The body's bytes (files: Parquet, CSV). */
  readonly body: Buffer
  readonly tls?: { readonly protocol: string | null; readonly fingerprint: string }
  json<T = Record<string, unknown>>(): T
}

/** Options of one request. */
export interface RequestOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string | Buffer
  /** TLS protocol bounds, to check what the server refuses. */
  readonly maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'
  /** OpenSSL cipher list (a client offering old protocols needs `DEFAULT@SECLEVEL=0`). */
  readonly ciphers?: string
}

/** A client of one portal: its base URL and the certificate (PEM) it trusts. */
export class PortalClient {
  /** Credentials sent with every request: a session cookie and its CSRF token, or a bearer token. */
  cookie: string | undefined
  csrf: string | undefined
  bearer: string | undefined

  constructor(
    readonly url: string,
    readonly ca: string | undefined,
  ) {}

  /** The same portal, without credentials. */
  anonymous(): PortalClient {
    return new PortalClient(this.url, this.ca)
  }

  /** The same portal, as a machine with an API token. */
  withToken(token: string): PortalClient {
    const c = new PortalClient(this.url, this.ca)
    c.bearer = token
    return c
  }

  /** Signs in as a person with the current TOTP code (or `code`); keeps the cookie and CSRF token. */
  async signIn(who: PersonCredentials, code = codeOf(who.totpSecret)): Promise<Answer> {
    const res = await this.send('POST', '/api/session', {
      user: who.user,
      password: who.password,
      totp: code,
    })
    if (res.status === 200) {
      const set = [res.headers['set-cookie'] ?? []].flat()
      this.cookie = set.map((c) => c.split(';')[0]).join('; ')
      this.csrf = res.json<{ csrfToken: string }>().csrfToken
    }
    return res
  }

  /** A client signed in as a person, or fails the test. */
  async signedIn(who: PersonCredentials): Promise<PortalClient> {
    const c = this.anonymous()
    const res = await c.signIn(who)
    expect(res.status, res.text).toBe(200)
    return c
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, { headers })
  }

  /** A JSON request with the credentials and, for a cookie session, the CSRF token. */
  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  }

  request(path: string, options: RequestOptions = {}): Promise<Answer> {
    const url = new URL(path, this.url)
    const headers: Record<string, string> = {
      ...(this.cookie ? { cookie: this.cookie } : {}),
      ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
      ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }),
      ...options.headers,
    }
    const https = url.protocol === 'https:'
    return new Promise<Answer>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: options.method ?? 'GET',
          headers,
          agent: false,
          ...(https
            ? {
                ca: this.ca,
                // The certificate is checked against the address dialled, whatever Host header a test sends.
                checkServerIdentity: (_host: string, cert: Parameters<typeof checkServerIdentity>[1]) =>
                  checkServerIdentity(url.hostname, cert),
                // The portal's own certificate names localhost and the loopback addresses.
                ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
                ...(options.minVersion ? { minVersion: options.minVersion } : {}),
                ...(options.ciphers ? { ciphers: options.ciphers } : {}),
              }
            : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          const socket = res.socket as TLSSocket
          const tls = https
            ? {
                protocol: socket.getProtocol?.() ?? null,
                fingerprint: new X509Certificate(socket.getPeerX509Certificate?.()?.raw ?? Buffer.alloc(0))
                  .fingerprint256,
              }
            : undefined
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const body = Buffer.concat(chunks)
            const text = body.toString('utf8')
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              body,
              ...(tls ? { tls } : {}),
              json: <T>() => JSON.parse(text) as T,
            })
          })
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      if (options.body !== undefined) req.write(options.body)
      req.end()
    })
  }
}

/** A portal started with `opencat serve`: its URL, the fingerprint it printed, its certificate. */
export interface ServedPortal {
  readonly url: string
  readonly fingerprint: string | undefined
  readonly client: PortalClient
  readonly output: () => string
  stop(): Promise<{ code: number | null }>
}

/** Starts `opencat serve --repo DIR ARGS` and waits for the line naming its URL. */
export async function servePortal(repo: string, args: readonly string[] = []): Promise<ServedPortal> {
  const run = startCli(['serve', '--repo', repo, '--port', '0', ...args])
  let seen = ''
  const url = await new Promise<string>((resolve, reject) => {
    run.child.stdout!.on('data', (d) => {
      seen += d
      const m = /portal on (https?:\/\/\S+?)\s/.exec(seen)
      if (m && /Ctrl-C/.test(seen)) resolve(m[1])
    })
    run.done.then((r) => reject(new Error(`serve exited with ${r.code}: ${seen}${r.stderr}`)))
  })
  const fingerprint = /fingerprint ([0-9A-F:]{95})/.exec(seen)?.[1]
  const certFile = /fingerprint [0-9A-F:]+ \([^:]+: (.+)\)\n/.exec(seen)?.[1]
  const ca = certFile ? readFileSync(certFile, 'utf8') : undefined
  return {
    url,
    fingerprint,
    client: new PortalClient(url, ca),
    output: () => seen,
    async stop() {
      if (run.child.exitCode === null) run.child.kill('SIGTERM')
      return run.done
    },
  }
}

/** A client of an in-process portal acting as a machine account with roles (a regulator by default). */
export async function tokenClient(
  portal: { readonly url: string; readonly certificate?: { readonly cert: string } },
  repo: string,
  user: string,
  roles: readonly string[] = ['regulator'],
): Promise<PortalClient> {
  const token = await addMachineToken(repo, user, roles)
  return new PortalClient(portal.url, portal.certificate?.cert).withToken(token)
}

/**
 * A browser page opened on the portal (its self-signed certificate accepted) and signed in through the UI's
 * form; then on `start` (a path and hash, e.g. `/#/browse` or `/legacy/#market` for a tab of the first UI).
 */
export async function signedInPage(
  browser: Browser,
  url: string,
  who: PersonCredentials,
  start = '/',
): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  const page = await context.newPage()
  await page.goto(`${url}/`)
  await page.waitForSelector('#signin-form')
  await page.fill('#signin-form input[name="user"]', who.user)
  await page.fill('#signin-form input[name="password"]', who.password)
  await page.fill('#signin-form input[name="totp"]', codeOf(who.totpSecret))
  await page.click('#signin-form button[type="submit"]')
  await page.waitForSelector('#signout:not([hidden])')
  if (start !== '/') {
    await page.goto(`${url}${start}`)
    await page.waitForSelector('#signout:not([hidden])')
  }
  return page
}
