/** `opencat audit verify`: checks the access log's chain, its signed checkpoints and its signed head. */
import { OpenCatError } from '../../common/errors.ts'
import { verifyAccessLog } from '../../store/access-log.ts'
import { repositoryKeyDir } from '../../store/key-ring.ts'
import { RepoPaths } from '../../store/paths.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const auditCommand: Command = {
  name: 'audit',
  summary: SUMMARIES.audit,
  usage: 'audit verify --repo DIR [--keys KEYDIR] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    keys: {
      type: 'string',
      value: 'KEYDIR',
      description:
        'The key folder holding the signing key and the signed head (default: the one chosen at init)',
    },
  },
  details:
    'Every read the portal or the command line answers is in log/access.ndjson, one hash-chained line each.\n' +
    'The check walks the chain, verifies the signature every 64th entry carries, and compares the last entry\n' +
    'with the head signed into the key folder after every append, so lines cut from the end or a log rewritten\n' +
    'and re-chained are found. Exit status 0 when the log verifies, 1 with the first break otherwise.',
  async run(args, io) {
    if (args.positionals[0] !== 'verify' || args.positionals.length !== 1)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the only audit action is: audit verify --repo DIR')
    // Opening checks that DIR is a repository of a version this code reads; the log is read from its files.
    const repo = await openRepository(str(args, 'repo'))
    const paths = new RepoPaths(repo.paths.root)
    repo.close()
    const keysDir = optStr(args, 'keys') ?? repositoryKeyDir(paths)
    const v = verifyAccessLog(paths, keysDir)
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(v)}\n`)
    else {
      io.stdout.write(
        `access log: ${v.entries} entries in an unbroken chain, ${v.checkpoints} signed checkpoints, signed head at entry ${v.signedEntries}\n`,
      )
      io.stdout.write(
        v.firstBreak
          ? `NOT verified: ${v.firstBreak.line > 0 ? `line ${v.firstBreak.line}: ` : ''}${v.firstBreak.problem}\n`
          : 'verified\n',
      )
    }
    return v.ok ? 0 : 1
  },
}
