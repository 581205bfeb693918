/**
 * Revealing a customer's PII through the portal: to a signed-in regulator holding the pii entitlement
 * (`authorize(identity, 'pii.reveal')`), with a stated reason, every reveal and every refusal logged with
 * who, which CCID and why.
 */
import { authorize, type Identity } from '../access/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { readVault, type VaultRecord } from '../identity/index.ts'
import { logAccess } from '../store/access-log.ts'
import type { Repository } from '../store/repository.ts'

/** The vault's records of a CCID for an entitled identity with a reason; logged either way. */
export function revealForIdentity(
  repo: Repository,
  identity: Identity,
  ccid: string,
  reason: string | undefined,
): VaultRecord[] {
  const decision = authorize(identity, 'pii.reveal')
  const why = reason?.trim()
  if (!decision.allowed || !why) {
    logAccess(repo.paths, {
      user: identity.user,
      action: 'pii-reveal-refused',
      subject: ccid,
      ...(why ? { reason: why } : {}),
    })
    throw new OpenCatError(
      'OCAT_ERR_PII_NOT_ENTITLED',
      decision.allowed ? 'revealing PII needs a reason' : decision.reason,
    )
  }
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
