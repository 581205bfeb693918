/** `opencat token`: API tokens for machines (and people's scripts) — create one (shown once) or revoke. */
import { authorize, createToken, repositoryOwner, repositoryPaths, revokeTokens } from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const tokenCommand: Command = {
  name: 'token',
  summary: SUMMARIES.token,
  usage:
    'token (create|revoke) --repo DIR --user NAME [--label TEXT] [--expires YYYY-MM-DD] [--id ID | --all] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    user: { type: 'string', value: 'NAME', description: 'The account the token acts as', required: true },
    label: { type: 'string', value: 'TEXT', description: 'create: what the token is for' },
    expires: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'create: the token is refused from this day on (UTC midnight); default never',
    },
    id: { type: 'string', value: 'ID', description: 'revoke: the token id (`opencat user list` shows them)' },
    all: { type: 'boolean', description: 'revoke: every token of the user' },
  },
  details:
    "A token reads ocat_<id>_<secret>; it acts with its user's roles and scopes as they are when it is used,\n" +
    'and is refused once revoked, expired, or its user disabled. Pass it to commands as OPENCAT_TOKEN (or\n' +
    '--token). For the operating-system user owning the repository folder.',
  async run(args, io) {
    const [action, ...extra] = args.positionals
    if ((action !== 'create' && action !== 'revoke') || extra.length > 0)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'token actions: create, revoke')
    const paths = repositoryPaths(str(args, 'repo'))
    const decision = authorize(repositoryOwner(paths), 'users.manage')
    if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason)
    const user = str(args, 'user')
    const json = flag(args, 'json')
    if (action === 'create') {
      const expires = optStr(args, 'expires')
      let expiresNs: bigint | undefined
      if (expires !== undefined) {
        if (isoToDate(expires) === null)
          throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--expires must be YYYY-MM-DD')
        expiresNs = BigInt(Date.parse(`${expires}T00:00:00Z`)) * 1_000_000n
      }
      const label = optStr(args, 'label')
      const made = createToken(paths, user, {
        ...(label ? { label } : {}),
        ...(expiresNs !== undefined ? { expiresNs } : {}),
      })
      if (json) io.stdout.write(`${JSON.stringify({ user, ...made })}\n`)
      else
        io.stdout.write(
          `token ${made.id} for ${user}${made.expires ? `, expires ${made.expires}` : ''} (shown once — store it now):\n${made.token}\n`,
        )
      return 0
    }
    const id = optStr(args, 'id')
    if ((id === undefined) === !flag(args, 'all'))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'token revoke needs --id ID or --all')
    const revoked = revokeTokens(paths, user, id ?? 'all')
    io.stdout.write(
      json
        ? `${JSON.stringify({ user, revoked })}\n`
        : `revoked ${revoked.length} token(s) of ${user}: ${revoked.join(', ') || '-'}\n`,
    )
    return 0
  },
}
