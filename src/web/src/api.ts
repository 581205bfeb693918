/**
 * The UI's only way to the server: the documented JSON API (docs/api.md), with the session cookie (sent by
 * the browser) and, on state-changing requests, the session's CSRF token. Failures become ApiError with the
 * API's OCAT_ERR_ code and message.
 */

/** A failed request: the HTTP status and the API's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrfToken: string | undefined
let onSignedOut: () => void = () => {}

/** The CSRF token of the signed-in cookie session (undefined when signed out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token
}

/** What to do when the server says the session is gone (401). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler
}

type Params = Record<string, string | number | undefined | null>

/** The query string of the given parameters, without empty ones. */
export function queryString(params: Params = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    throw new ApiError(res.status, 'OCAT_ERR_HTTP', `the server answered ${res.status} without JSON`)
  }
  if (!res.ok) {
    const b = body as { code?: string; message?: string }
    if (res.status === 401) onSignedOut()
    throw new ApiError(res.status, b.code ?? 'OCAT_ERR_HTTP', b.message ?? `HTTP ${res.status}`)
  }
  return body as T
}

/** GET an API route with query parameters. */
export async function get<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  return answer<T>(
    await fetch(`${path}${queryString(params)}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    }),
  )
}

/** A state-changing request (POST, DELETE) with a JSON body and the CSRF token. */
export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (csrfToken) headers['x-csrf-token'] = csrfToken
  if (body !== undefined) headers['content-type'] = 'application/json'
  return answer<T>(
    await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  )
}
