/**
 * Who runs a query command, and whether they may: the identity `opencat sql` takes (an API token, or the
 * repository owner), authorised by `authorize(identity, action, resource)` as the matching API route is.
 * With neither `--token` nor OPENCAT_TOKEN nor `--operator`, the caller is the repository owner when the
 * operating-system user owns the folder (as `--operator`), so the owner's scripts keep working; anyone
 * else must show a token. The identity found is what the access log records for the run.
 */
import { authenticateToken } from '../access/authenticate.ts'
import { repositoryOwner } from '../access/repository-owner.ts'
import { repositoryPaths } from '../access/repository-paths.ts'
import { type Action, authorize, type Identity, type Resource } from '../access/roles.ts'
import { OpenCatError } from '../common/errors.ts'
import { flag, type OptionSpec, optStr, type ParsedArgs, str } from './command.ts'

/** The options every query command takes to say who is asking. */
export const IDENTITY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  token: {
    type: 'string',
    value: 'T',
    description:
      'An API token (default: OPENCAT_TOKEN; without either, the repository owner as with --operator)',
  },
  operator: {
    type: 'boolean',
    description: 'Act as the repository owner (only for the operating-system user owning DIR)',
  },
}

// Per run: the identity, or who tried and was refused, for the access-log entry of the run.
const seen = new WeakMap<ParsedArgs, { identity?: Identity; attempted: string }>()

function tokenHolder(token: string, user: string | undefined): string {
  const id = /^ocat_([0-9a-f]{12})_/.exec(token)?.[1]
  return user ?? (id ? `token:${id}` : 'token:malformed')
}

/** The identity of this run: a token's account, or the repository owner; refused with a clear error. */
export function cliIdentity(args: ParsedArgs): Identity {
  const known = seen.get(args)?.identity
  if (known) return known
  const paths = repositoryPaths(str(args, 'repo'))
  const token = optStr(args, 'token') ?? process.env.OPENCAT_TOKEN
  const operator = flag(args, 'operator')
  if (operator && optStr(args, 'token') !== undefined)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give --token or --operator, not both')
  let identity: Identity
  if (operator || token === undefined || token === '') {
    seen.set(args, { attempted: `uid:${process.getuid?.() ?? '?'}` })
    try {
      identity = repositoryOwner(paths)
    } catch (e) {
      if (operator || !(e instanceof OpenCatError)) throw e
      throw new OpenCatError(
        'OCAT_ERR_AUTH_REFUSED',
        `who is asking? give --token T (or set OPENCAT_TOKEN): only the owner of ${paths.root} may go without one`,
      )
    }
  } else {
    const r = authenticateToken({ paths }, token)
    seen.set(args, { attempted: tokenHolder(token, r.ok ? undefined : r.user) })
    if (!r.ok)
      throw new OpenCatError('OCAT_ERR_AUTH_REFUSED', `the token is refused: ${r.refusal}`, {
        refusal: r.refusal,
      })
    identity = r.identity
  }
  seen.set(args, { identity, attempted: identity.user })
  return identity
}

/** The identity of this run, once `authorize` allows it `action` on `resource`; else a refusal. */
export function authorizedIdentity(args: ParsedArgs, action: Action, resource: Resource = {}): Identity {
  const identity = cliIdentity(args)
  const decision = authorize(identity, action, resource)
  if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason, { action })
  return identity
}

/** Who the access log names for this run: the identity, who tried, or that nobody was identified. */
export function runUser(args: ParsedArgs): string {
  return seen.get(args)?.attempted ?? 'unidentified'
}
