/** `opencat keys`: rotates the CCID key (re-keying every customer) or the vault master key (re-wrapping). */
import { OpenCatError } from '../../common/errors.ts'
import { rekeyCustomers, rewrapSealedFiles } from '../../identity/index.ts'
import { rotateKey } from '../../store/key-ring.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, str } from '../command.ts'

export const keysCommand: Command = {
  name: 'keys',
  summary:
    'Rotate the CCID key (and re-key every customer) or the vault master key (and re-wrap every sealed file)',
  usage: 'keys rotate --repo DIR --kind ccid|vault [--keys KEYDIR] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    kind: { type: 'string', value: 'ccid|vault', description: 'Which key to rotate', required: true },
    keys: {
      type: 'string',
      value: 'KEYDIR',
      description: 'The key folder (default: the one chosen at init)',
    },
  },
  async run(args, io) {
    if (args.positionals[0] !== 'rotate')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the only keys action is: keys rotate')
    const kind = str(args, 'kind')
    if (kind !== 'ccid' && kind !== 'vault')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--kind must be ccid or vault')
    const keysDir = args.options.keys as string | undefined
    let repo = await openRepository(str(args, 'repo'), { write: true, ...(keysDir ? { keysDir } : {}) })
    const dir = repo.keys().dir
    repo.close()
    const ring = rotateKey(dir, kind)
    repo = await openRepository(str(args, 'repo'), { write: true, keysDir: dir })
    try {
      const done = kind === 'ccid' ? await rekeyCustomers(repo) : rewrapSealedFiles(repo)
      const current = kind === 'ccid' ? ring.ccid.id : ring.vault.id
      if (flag(args, 'json'))
        io.stdout.write(
          `${JSON.stringify({ kind, key: current, [kind === 'ccid' ? 'rekeyedPairs' : 'rewrappedFiles']: done })}\n`,
        )
      else
        io.stdout.write(
          `${kind} key is now ${current}; ${done} ${kind === 'ccid' ? 'customer file pairs re-keyed' : 'sealed files re-wrapped'}\n`,
        )
      return 0
    } finally {
      repo.close()
    }
  },
}
