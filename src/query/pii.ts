/**
 * Revealing customer PII, the one rule the CLI (`customer --reveal-pii`) and the portal both apply: only
 * to an identity `authorize(identity, 'pii.reveal')` allows (a regulator holding the account store's `pii`
 * entitlement), only with a stated reason, and every reveal and every refusal written to the access log
 * (who, which CCID, why).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { authorize, type Identity } from '../access/roles.ts'
import { OpenCatError } from '../common/errors.ts'
import { readVault, type VaultRecord } from '../identity/vault.ts'
import { logAccess } from '../store/access-log.ts'
import type { Repository } from '../store/repository.ts'

// Entitlements once lived in access.json; it is no longer read, and a refusal says so rather than
// leaving its owner to wonder why a listed user is turned away.
function deprecatedAccessFile(repo: Repository): string {
  return existsSync(join(repo.paths.root, 'access.json'))
    ? ' (access.json is no longer read: grant the entitlement with opencat user grant NAME --role regulator --role pii)'
    : ''
}

/** Throws, and logs the refusal, unless `identity` may reveal PII for the reason given. */
export function checkPiiReveal(
  repo: Repository,
  identity: Identity,
  subject: string,
  reason: string | undefined,
): string {
  const decision = authorize(identity, 'pii.reveal')
  const why = reason?.trim()
  if (decision.allowed && why) return why
  logAccess(repo.paths, {
    user: identity.user,
    action: 'pii-reveal-refused',
    subject,
    ...(why ? { reason: why } : {}),
  })
  throw new OpenCatError(
    'OCAT_ERR_PII_NOT_ENTITLED',
    decision.allowed
      ? 'revealing PII needs a reason (--reason)'
      : `${decision.reason}${deprecatedAccessFile(repo)}`,
  )
}

/** The vault's records of a CCID for an entitled identity with a reason; logged either way. */
export function revealPii(
  repo: Repository,
  identity: Identity,
  ccid: string,
  reason: string | undefined,
): VaultRecord[] {
  const why = checkPiiReveal(repo, identity, ccid, reason)
  const records = repo.settings.piiVault ? readVault(repo.paths, (id) => repo.keys().vaultKey(id), ccid) : []
  logAccess(repo.paths, {
    user: identity.user,
    action: 'pii-reveal',
    subject: ccid,
    reason: why,
    rows: records.length,
    pii: true,
  })
  return records
}
