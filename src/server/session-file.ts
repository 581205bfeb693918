/**
 * The portal's sessions on disk, so a restart does not sign everyone out: `accounts/sessions.json` (mode
 * 0600, in the private accounts folder), replaced whole under `accounts/sessions.lock`. It holds, per
 * session, only the SHA-256 of the session id (the cookie's secret never touches the disk), the account's
 * name, the sign-in, last-seen and expiry instants, and the SHA-256 of the CSRF token. Whoever reads the
 * file can neither present a cookie nor forge a CSRF token from it. Entries past their expiry are dropped
 * whenever the file is written.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { accountsDir, type Identity, readAccounts } from '../access/index.ts'
import { replaceFileDurably } from '../common/durable-file.ts'
import { withLockSync } from '../store/lock.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type SessionPolicy, SessionStore } from './sessions.ts'

/** The session file's format version. */
export const SESSION_FILE_FORMAT = 1

/** One session as stored, keyed by the hash of its id. */
export interface StoredSession {
  readonly user: string
  readonly via: 'password' | 'token' | 'repository-owner'
  /** hex SHA-256 of the CSRF token. */
  readonly csrfHash: string
  readonly startedMs: number
  readonly expiresMs: number
  readonly lastSeenMs: number
}

interface SessionsDoc {
  readonly format: number
  readonly sessions: Record<string, StoredSession>
}

/** The sessions file of a repository. */
export class SessionFile {
  readonly file: string
  readonly #lock: string
  #seenMtimeMs = -1

  constructor(paths: RepoPaths) {
    this.file = join(accountsDir(paths), 'sessions.json')
    this.#lock = join(accountsDir(paths), 'sessions.lock')
  }

  /** Every stored session; an unreadable or foreign file counts as none (everyone signs in again). */
  read(): Record<string, StoredSession> {
    if (!existsSync(this.file)) return {}
    try {
      this.#seenMtimeMs = statSync(this.file).mtimeMs
      const doc = JSON.parse(readFileSync(this.file, 'utf8')) as SessionsDoc
      if (doc.format !== SESSION_FILE_FORMAT || typeof doc.sessions !== 'object') return {}
      return doc.sessions
    } catch {
      return {}
    }
  }

  /** Whether another process wrote the file since this one last read it. */
  changed(): boolean {
    try {
      return statSync(this.file).mtimeMs !== this.#seenMtimeMs
    } catch {
      return false
    }
  }

  /**
   * Applies changes under the lock, on what the file holds now (another portal on the same repository may
   * have written it): sets or removes (undefined) sessions by key, and drops expired ones.
   */
  update(changes: ReadonlyMap<string, StoredSession | undefined>, nowMs: number, idleMs: number): void {
    withLockSync(this.#lock, 10_000, () => {
      const sessions: Record<string, StoredSession> = { ...this.read() }
      for (const [key, s] of changes) {
        if (s) sessions[key] = s
        else delete sessions[key]
      }
      for (const [key, s] of Object.entries(sessions))
        if (nowMs >= s.expiresMs || nowMs - s.lastSeenMs >= idleMs) delete sessions[key]
      const doc: SessionsDoc = { format: SESSION_FILE_FORMAT, sessions }
      replaceFileDurably(this.file, `${JSON.stringify(doc)}\n`)
      this.#seenMtimeMs = statSync(this.file).mtimeMs
    })
  }
}

/** The sessions of a portal over a repository, kept in its session file. */
export function persistentSessions(paths: RepoPaths, policy: SessionPolicy = {}): SessionStore {
  return new SessionStore(policy, {
    file: new SessionFile(paths),
    identityOf(user: string, via: Identity['via']): Identity | undefined {
      const { users } = readAccounts(paths)
      const account = Object.hasOwn(users, user) ? users[user] : undefined
      if (!account || account.disabledNs !== undefined) return undefined
      return { user, roles: account.roles, scopes: account.scopes, via }
    },
  })
}
