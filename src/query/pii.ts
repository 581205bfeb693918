/**
 * Revealing customer PII: only to users holding the `pii` entitlement (access.json in the repository),
 * only with a stated reason, and every reveal written to the access log (who, when, which CCID, why).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { readVault, type VaultRecord } from '../identity/index.ts'
import { logAccess } from '../store/access-log.ts'
import type { Repository } from '../store/repository.ts'

/** Roles of a user per the repository's access.json (`{"users": {"name": ["analyst", "pii"]}}`). */
export function rolesOf(repo: Repository, user: string): string[] {
  const path = join(repo.paths.root, 'access.json')
  if (!existsSync(path)) return []
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { users?: Record<string, string[]> }
  return doc.users?.[user] ?? []
}

/** The vault's records of a CCID, for an entitled user with a reason; logged. */
export function revealPii(
  repo: Repository,
  ccid: string,
  who: { user: string; reason?: string },
): VaultRecord[] {
  if (!rolesOf(repo, who.user).includes('pii') || !who.reason?.trim()) {
    logAccess(repo.paths, {
      user: who.user,
      action: 'pii-reveal-refused',
      subject: ccid,
      ...(who.reason ? { reason: who.reason } : {}),
    })
    throw new OpenCatError(
      'OCAT_ERR_PII_NOT_ENTITLED',
      `user ${who.user} may not reveal PII${who.reason?.trim() ? '' : ' (and --reason is required)'}`,
    )
  }
  const records = repo.settings.piiVault ? readVault(repo.paths, (id) => repo.keys().vaultKey(id), ccid) : []
  logAccess(repo.paths, {
    user: who.user,
    action: 'pii-reveal',
    subject: ccid,
    reason: who.reason,
    rows: records.length,
    pii: true,
  })
  return records
}
