/** `opencat user`: the repository's accounts — add, list, disable, reset, grant roles, and check a sign-in. */
import {
  addUser,
  authenticate,
  authorize,
  disableUser,
  grantUser,
  listUsers,
  type NewCredentials,
  type Role,
  repositoryOwner,
  repositoryPaths,
  resetUser,
} from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { logAccess } from '../../store/access-log.ts'
import type { RepoPaths } from '../../store/paths.ts'
import { type Command, type CommandIO, flag, optStr, type ParsedArgs, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

const ACTIONS = ['add', 'list', 'disable', 'reset', 'grant', 'check'] as const

const list = (args: ParsedArgs, name: string): string[] => {
  const v = args.options[name]
  return v === undefined ? [] : Array.isArray(v) ? v : [String(v)]
}

function scopesOf(args: ParsedArgs): string[] {
  return [
    ...list(args, 'imid').map((i) => `imid:${i}`),
    ...list(args, 'submitter').map((s) => `submitter:${s}`),
  ]
}

/** User management is the operator's: here, the owner of the repository folder. */
function asOperator(paths: RepoPaths): void {
  const decision = authorize(repositoryOwner(paths), 'users.manage')
  if (!decision.allowed) throw new OpenCatError('OCAT_ERR_AUTH_FORBIDDEN', decision.reason)
}

function printCredentials(io: CommandIO, c: NewCredentials): void {
  io.stdout.write('  shown once — store them now:\n')
  if (c.password) io.stdout.write(`  password     ${c.password}\n`)
  io.stdout.write(`  TOTP secret  ${c.totpSecret}\n  otpauth URI  ${c.otpauthUri}\n`)
}

export const userCommand: Command = {
  name: 'user',
  summary: SUMMARIES.user,
  usage:
    'user (add|list|disable|reset|grant|check) [NAME] --repo DIR [--machine] [--role R]… [--imid IMID]… [--submitter ID]… [--totp CODE] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    machine: {
      type: 'boolean',
      description: 'add: a machine account (API tokens only, no password or TOTP)',
    },
    role: {
      type: 'string',
      value: 'R',
      multiple: true,
      description: 'add, grant: reporter, regulator, pii (with regulator) or operator; repeat for several',
    },
    imid: {
      type: 'string',
      value: 'IMID',
      multiple: true,
      description: "add, grant: a reporter's IMID in scope",
    },
    submitter: {
      type: 'string',
      value: 'ID',
      multiple: true,
      description: "add, grant: a reporter's submitter ID in scope",
    },
    totp: { type: 'string', value: 'CODE', description: 'check: the current TOTP code' },
  },
  details:
    'add, reset: a person gets a password (OPENCAT_PASSWORD, or generated) and a TOTP secret with its otpauth://\n' +
    'URI, printed once; the store keeps an scrypt hash. grant replaces roles and scopes. disable refuses the\n' +
    "account's sign-ins and tokens from now on. reset sets new credentials and lifts a lockout (5 failed\n" +
    'sign-ins lock an account for 15 minutes). check signs in with OPENCAT_PASSWORD and --totp as the portal\n' +
    'will, counting failures, and is written to the access log. Every action but check is for the operating-\n' +
    'system user owning the repository folder. Accounts live in DIR/accounts/accounts.json (mode 0600).',
  async run(args, io) {
    const [action, name, ...extra] = args.positionals
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]) || extra.length > 0)
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `user actions: ${ACTIONS.join(', ')} (e.g. user add NAME --repo DIR)`,
      )
    if (action !== 'list' && !name)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `user ${action} needs a user NAME`)
    const paths = repositoryPaths(str(args, 'repo'))
    const json = flag(args, 'json')
    const password = process.env.OPENCAT_PASSWORD
    if (action === 'check') return check(paths, name, password, optStr(args, 'totp'), json, io)
    asOperator(paths)
    const roles = list(args, 'role') as Role[]
    switch (action) {
      case 'add': {
        const kind = flag(args, 'machine') ? 'machine' : 'person'
        const made = addUser(paths, name, {
          kind,
          roles,
          scopes: scopesOf(args),
          ...(kind === 'person' && password !== undefined ? { password } : {}),
        })
        if (json) io.stdout.write(`${JSON.stringify({ kind, ...made })}\n`)
        else {
          io.stdout.write(`user ${name} added (${kind}${roles.length ? `, ${roles.join(', ')}` : ''})\n`)
          if ('totpSecret' in made) printCredentials(io, made)
        }
        return 0
      }
      case 'list': {
        const users = listUsers(paths)
        if (json) io.stdout.write(`${JSON.stringify(users)}\n`)
        else
          for (const u of users)
            io.stdout.write(
              `${u.user.padEnd(20)} ${u.kind.padEnd(8)} ${(u.roles.join(',') || '-').padEnd(22)} ${(u.scopes.join(',') || '-').padEnd(24)} ${u.disabled ? 'DISABLED' : u.locked ? 'LOCKED' : 'active'}  tokens: ${u.tokens.map((t) => `${t.id}${t.revoked ? ' (revoked)' : ''}`).join(', ') || '-'}\n`,
            )
        return 0
      }
      case 'disable':
        disableUser(paths, name)
        io.stdout.write(
          json ? `${JSON.stringify({ user: name, disabled: true })}\n` : `user ${name} disabled\n`,
        )
        return 0
      case 'reset': {
        const made = resetUser(paths, name, password)
        if (json) io.stdout.write(`${JSON.stringify(made)}\n`)
        else {
          io.stdout.write(`user ${name}: new credentials, lockout lifted\n`)
          printCredentials(io, made)
        }
        return 0
      }
      default: {
        const scopes = scopesOf(args)
        grantUser(paths, name, roles, scopes)
        io.stdout.write(
          json
            ? `${JSON.stringify({ user: name, roles, scopes })}\n`
            : `user ${name}: roles ${roles.join(', ') || '-'}, scopes ${scopes.join(', ') || '-'}\n`,
        )
        return 0
      }
    }
  },
}

function check(
  paths: RepoPaths,
  user: string,
  password: string | undefined,
  totp: string | undefined,
  json: boolean,
  io: CommandIO,
): number {
  if (password === undefined || totp === undefined)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'user check needs the password in OPENCAT_PASSWORD and --totp CODE',
    )
  const r = authenticate({ paths }, { user, password, totp })
  logAccess(paths, {
    user,
    action: 'sign-in',
    subject: 'cli user check',
    status: r.ok ? 0 : 1,
    ...(r.ok ? {} : { error: 'OCAT_ERR_AUTH_REFUSED', reason: r.refusal }),
  })
  if (!r.ok)
    throw new OpenCatError('OCAT_ERR_AUTH_REFUSED', `sign-in refused for ${user}: ${r.refusal}`, {
      refusal: r.refusal,
    })
  if (json) io.stdout.write(`${JSON.stringify(r.identity)}\n`)
  else io.stdout.write(`signed in as ${user} (${r.identity.roles.join(', ') || 'no role'})\n`)
  return 0
}
