/**
 * The shape of an API route: a method, a path, who may call it, the JSON schemas of what it takes and
 * answers (they validate requests and make the OpenAPI document), and a handler. One file per route (or per
 * small area) under routes/, listed in routes/index.ts.
 */
import { createReadStream, openSync, type ReadStream } from 'node:fs'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { Action, Identity, Resource } from '../access/index.ts'
import type { RepoPaths } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import type { SessionControl } from './sessions.ts'

/** A JSON schema (draft 7, as Fastify validates and OpenAPI 3 describes). */
export type JsonSchema = Readonly<Record<string, unknown>>

/**
 * Who may call a route: anyone (`open`: sign-in, health, the OpenAPI document), any signed-in identity,
 * or an identity `authorize()` allows the action to, on the resource the request names.
 */
export type RouteAccess =
  | { readonly kind: 'open' }
  | { readonly kind: 'signed-in' }
  | {
      readonly kind: 'action'
      readonly action: Action
      /** The reporter or submitter the request is about, for reporters' scopes. */
      readonly resource?: (query: URLSearchParams) => Resource
    }

/** The portal's limits a handler applies (set when the portal starts). */
export interface PortalLimits {
  /** Memory one SQL query or extract may hold, MB. */
  readonly sqlMemoryLimitMb: number
  /** Largest uploaded file, bytes. */
  readonly uploadBytes: number
}

/** What a handler gets. */
export interface RouteContext {
  readonly query: URLSearchParams
  /** The parsed, schema-checked JSON body (POST routes). */
  readonly body: unknown
  /** Who is asking; undefined only on open routes called without credentials. */
  readonly identity: Identity | undefined
  /** The identity's name, or `anonymous`. */
  readonly user: string
  /** The repository, opened read-only for this request (routes with `repository: false` get none). */
  readonly repo: Repository
  readonly paths: RepoPaths
  /** Signing in and out (the session route). */
  readonly session: SessionControl
  readonly limits: PortalLimits
  /** The request's body, unread, and its headers (upload routes: the body is the file). */
  readonly upload: { readonly body: Readable; readonly headers: IncomingHttpHeaders }
}

/** One API route. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  readonly summary: string
  readonly access: RouteAccess
  /** Schema of the query string (an object of string parameters). */
  readonly querystring?: JsonSchema
  /** Schema of the JSON body. */
  readonly body?: JsonSchema
  /** Schema of the 200 answer. */
  readonly response: JsonSchema
  /** False for routes that never read the repository's catalogue (no connection is opened). */
  readonly repository?: false
  /**
   * The body is a file (application/octet-stream), handed to the handler unread as `upload.body`, not
   * parsed, held in memory or limited by the JSON body limit (the handler applies `limits.uploadBytes`).
   */
  readonly upload?: true
  /** Requests per minute per caller, when tighter than the portal's default (sign-in). */
  readonly perMinute?: number
  /**
   * What a request reads, when its cost depends on it (a symbol's day, a customer): the connection pool
   * puts a question answered before in the quick lane after its first answer (which is kept in memory),
   * then in the lane its latest answer's time calls for, not the route's.
   */
  question?(query: URLSearchParams): string | undefined
  handle(ctx: RouteContext): Promise<unknown>
}

/** Open to anyone. */
export const OPEN: RouteAccess = { kind: 'open' }
/** Any signed-in identity. */
export const SIGNED_IN: RouteAccess = { kind: 'signed-in' }
/** Allowed to `action` (on the resource the query names). */
export function allowed(action: Action, resource?: (query: URLSearchParams) => Resource): RouteAccess {
  return resource ? { kind: 'action', action, resource } : { kind: 'action', action }
}

/**
 * An answer that is a file, not JSON: streamed to the client under its name. The file is opened and then
 * disposed of at once (the open descriptor keeps it readable until the stream ends), so nothing is left
 * behind however the request ends.
 */
export class FileAnswer {
  constructor(
    readonly file: string,
    readonly fileName: string,
    readonly contentType: string,
    readonly dispose: () => void,
  ) {}

  /** The open stream, the file already removed. */
  open(): ReadStream {
    const fd = openSync(this.file, 'r')
    this.dispose()
    return createReadStream('', { fd })
  }
}
