/**
 * Signed-in sessions of the portal: kept in the server's memory (a restart signs everyone out), each
 * found by a random id sent as an HttpOnly, Secure, SameSite=Strict cookie, and carrying its own CSRF token
 * that every state-changing request signed in by that cookie must echo in the `x-csrf-token` header.
 * A session ends after `idleMs` without a request, after `maxMs` in all, or at sign-out.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Identity } from '../access/index.ts'

/** The session cookie's name. */
export const SESSION_COOKIE = 'opencat_session'
/** The header a state-changing request carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token'

/** Session lifetimes. */
export interface SessionPolicy {
  /** Without a request for this long, a session ends, ms. @default 1800000 (30 minutes) */
  readonly idleMs?: number
  /** A session ends this long after sign-in whatever happens, ms. @default 28800000 (8 hours) */
  readonly maxMs?: number
}

/** One signed-in session. */
export interface Session {
  readonly identity: Identity
  readonly csrfToken: string
  readonly startedMs: number
  readonly expiresMs: number
  lastSeenMs: number
}

/** What a route may do with sessions: sign the caller in or out, and see the current one. */
export interface SessionControl {
  readonly current: Session | undefined
  /** Starts a session for an identity; the cookie goes with the answer. */
  signIn(identity: Identity): Session
  /** Ends the current session and clears its cookie. */
  signOut(): void
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex')

/** The sessions of one running portal. */
export class SessionStore {
  readonly idleMs: number
  readonly maxMs: number
  // Keyed by the id's hash, so a lookup's timing says nothing of ids held.
  readonly #sessions = new Map<string, Session>()

  constructor(policy: SessionPolicy = {}) {
    this.idleMs = policy.idleMs ?? 30 * 60_000
    this.maxMs = policy.maxMs ?? 8 * 3_600_000
  }

  /** Starts a session; returns its id (for the cookie) and the session. */
  create(identity: Identity, nowMs = Date.now()): { id: string; session: Session } {
    this.#sweep(nowMs)
    const id = randomBytes(32).toString('base64url')
    const session: Session = {
      identity,
      csrfToken: randomBytes(32).toString('base64url'),
      startedMs: nowMs,
      expiresMs: nowMs + this.maxMs,
      lastSeenMs: nowMs,
    }
    this.#sessions.set(hashOf(id), session)
    return { id, session }
  }

  /** The live session of an id, marked as seen now; undefined when unknown or expired. */
  find(id: string | undefined, nowMs = Date.now()): Session | undefined {
    if (!id) return undefined
    const key = hashOf(id)
    const session = this.#sessions.get(key)
    if (!session) return undefined
    if (nowMs >= session.expiresMs || nowMs - session.lastSeenMs >= this.idleMs) {
      this.#sessions.delete(key)
      return undefined
    }
    session.lastSeenMs = nowMs
    return session
  }

  /** Ends a session. */
  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(hashOf(id))
  }

  #sweep(nowMs: number): void {
    for (const [key, s] of this.#sessions)
      if (nowMs >= s.expiresMs || nowMs - s.lastSeenMs >= this.idleMs) this.#sessions.delete(key)
  }
}

/** Whether a request's CSRF header matches its session's token. */
export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  const given = Buffer.from(header)
  const expected = Buffer.from(session.csrfToken)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
