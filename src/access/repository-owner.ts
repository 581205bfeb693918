/**
 * The repository owner: the operating-system user who owns the repository folder may act without an
 * account (`--operator`), as operator and regulator — whoever owns the folder can read every file in it
 * anyway, so this grants nothing the file system does not. It never holds the pii entitlement.
 */
import { statSync } from 'node:fs'
import { userInfo } from 'node:os'
import { OpenCatError } from '../common/errors.ts'
import type { RepoPaths } from '../store/paths.ts'
import type { Identity } from './roles.ts'

/** The owner's identity, or a refusal when this process does not run as the folder's owner. */
export function repositoryOwner(paths: RepoPaths): Identity {
  const owner = statSync(paths.root).uid
  const me = process.getuid?.()
  if (me === undefined || me !== owner)
    throw new OpenCatError(
      'OCAT_ERR_AUTH_FORBIDDEN',
      `--operator is only for the owner of ${paths.root} (uid ${owner}); this process runs as uid ${me ?? 'unknown'}: use --token`,
    )
  return {
    user: `os:${userInfo().username}`,
    roles: ['operator', 'regulator'],
    scopes: [],
    via: 'repository-owner',
  }
}
