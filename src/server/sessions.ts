/**
 * Signed-in sessions of the portal, each found by a random id sent as an HttpOnly, Secure, SameSite=Strict
 * cookie, and carrying its own CSRF token that every state-changing request signed in by that cookie must
 * echo in the `x-csrf-token` header. A session ends after `idleMs` without a request, after `maxMs` in all,
 * or at sign-out.
 *
 * Sessions are kept in memory and, given a session file (session-file.ts), on disk too, so they outlive a
 * restart of the portal: the disk holds hashes only. The CSRF token is derived from the session id by a
 * one-way hash, so a session restored from disk still knows its token when its cookie comes back, a page
 * can still read it after a reload, and the token (which page scripts see) reveals nothing of the id.
 * A restored session takes its account's current roles and scopes; a removed or disabled account's
 * sessions end. Last-seen instants reach the disk at most every minute (a quarter of `idleMs` when that is
 * shorter), so a restart may forgive that much idleness, never more.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Identity } from '../access/index.ts'
import type { SessionFile, StoredSession } from './session-file.ts'

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

/** Where sessions are kept besides memory, and how a restored session finds its account's identity. */
export interface SessionPersistence {
  readonly file: SessionFile
  /** The identity of an account now, or undefined when it is gone or disabled. */
  identityOf(user: string, via: Identity['via']): Identity | undefined
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const csrfOf = (id: string) =>
  createHash('sha256').update(`opencat-csrf-v1\n${id}`).digest().toString('base64url')

interface Held {
  readonly session: Session
  /** The last-seen instant the disk holds. */
  persistedSeenMs: number
}

/** The sessions of one running portal. */
export class SessionStore {
  readonly idleMs: number
  readonly maxMs: number
  readonly #persistence: SessionPersistence | undefined
  // Keyed by the id's hash, so a lookup's timing says nothing of ids held.
  readonly #sessions = new Map<string, Held>()
  #stored: Record<string, StoredSession> = {}

  constructor(policy: SessionPolicy = {}, persistence?: SessionPersistence) {
    this.idleMs = policy.idleMs ?? 30 * 60_000
    this.maxMs = policy.maxMs ?? 8 * 3_600_000
    this.#persistence = persistence
    if (persistence) this.#stored = persistence.file.read()
  }

  /** Starts a session; returns its id (for the cookie) and the session. */
  create(identity: Identity, nowMs = Date.now()): { id: string; session: Session } {
    this.#sweep(nowMs)
    const id = randomBytes(32).toString('base64url')
    const session: Session = {
      identity,
      csrfToken: csrfOf(id),
      startedMs: nowMs,
      expiresMs: nowMs + this.maxMs,
      lastSeenMs: nowMs,
    }
    const key = sha256(id)
    this.#sessions.set(key, { session, persistedSeenMs: nowMs })
    this.#write(key, session, nowMs)
    return { id, session }
  }

  /** The live session of an id, marked as seen now; undefined when unknown or expired. */
  find(id: string | undefined, nowMs = Date.now()): Session | undefined {
    if (!id) return undefined
    const key = sha256(id)
    if (this.#persistence?.file.changed()) {
      // Another portal on the repository signed someone in or out.
      this.#stored = this.#persistence.file.read()
      if (this.#sessions.has(key) && !Object.hasOwn(this.#stored, key)) this.#sessions.delete(key)
    }
    const held = this.#sessions.get(key) ?? this.#restore(id, key)
    if (!held) return undefined
    const { session } = held
    if (nowMs >= session.expiresMs || nowMs - session.lastSeenMs >= this.idleMs) {
      this.#sessions.delete(key)
      this.#write(key, undefined, nowMs)
      return undefined
    }
    session.lastSeenMs = nowMs
    if (nowMs - held.persistedSeenMs >= Math.min(60_000, this.idleMs / 4)) {
      held.persistedSeenMs = nowMs
      this.#write(key, session, nowMs)
    }
    return session
  }

  /** Ends a session. */
  delete(id: string | undefined, nowMs = Date.now()): void {
    if (!id) return
    const key = sha256(id)
    const known = this.#sessions.delete(key) || Object.hasOwn(this.#stored, key)
    if (known) this.#write(key, undefined, nowMs)
  }

  /** A session the disk holds, back in memory under its account's current identity. */
  #restore(id: string, key: string): Held | undefined {
    const p = this.#persistence
    const stored = Object.hasOwn(this.#stored, key) ? this.#stored[key] : undefined
    if (!p || !stored) return undefined
    const csrfToken = csrfOf(id)
    const identity = p.identityOf(stored.user, stored.via)
    if (!identity || sha256(csrfToken) !== stored.csrfHash) {
      this.#write(key, undefined, Date.now())
      return undefined
    }
    const held: Held = {
      session: {
        identity,
        csrfToken,
        startedMs: stored.startedMs,
        expiresMs: stored.expiresMs,
        lastSeenMs: stored.lastSeenMs,
      },
      persistedSeenMs: stored.lastSeenMs,
    }
    this.#sessions.set(key, held)
    return held
  }

  #write(key: string, session: Session | undefined, nowMs: number): void {
    const p = this.#persistence
    if (!p) return
    const stored: StoredSession | undefined = session && {
      user: session.identity.user,
      via: session.identity.via,
      csrfHash: sha256(session.csrfToken),
      startedMs: session.startedMs,
      expiresMs: session.expiresMs,
      lastSeenMs: session.lastSeenMs,
    }
    p.file.update(new Map([[key, stored]]), nowMs, this.idleMs)
    this.#stored = p.file.read()
  }

  #sweep(nowMs: number): void {
    for (const [key, { session: s }] of this.#sessions)
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
