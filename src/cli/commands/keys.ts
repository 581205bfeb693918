/**
 * `opencat keys`: rotates the CCID key (re-keying every customer), the vault master key (re-wrapping) or
 * the store master key (re-wrapping the store's data key); protects the master keys with a passphrase or
 * a key command.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { OpenCatError } from '../../common/errors.ts'
import { rekeyCustomers, rewrapSealedFiles } from '../../identity/index.ts'
import { keyProvider, openKeyFile, type ProtectionKind } from '../../store/key-protection.ts'
import { masterKeyFiles, repositoryKeyDir, rotateKey, rotateStoreMaster } from '../../store/key-ring.ts'
import { RepoPaths } from '../../store/paths.ts'
import { openRepository } from '../../store/repository.ts'
import { rotateDataKey } from '../../store/store-rekey.ts'
import { type Command, flag, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

/** Re-seals every master key file of a key folder under another protection. */
function protectKeys(dir: string, kind: ProtectionKind, newSecretFile: string | undefined): number {
  const files = masterKeyFiles(dir)
  const keys = files.map((f) => openKeyFile(dir, f))
  if (kind === 'passphrase') {
    if (!newSecretFile)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--with passphrase needs --new-passphrase-file FILE')
    delete process.env.OPENCAT_KEY_PASSPHRASE
    process.env.OPENCAT_KEY_PASSPHRASE_FILE = newSecretFile
  }
  const provider = keyProvider(dir, kind, true)
  files.forEach((f, i) => {
    writeFileSync(`${f}.tmp`, provider.seal(keys[i]), { mode: 0o600 })
    // Checked before it replaces the key: a key sealed wrongly would be lost.
    if (!provider.open(readFileSync(`${f}.tmp`, 'utf8'), f).equals(keys[i]))
      throw new OpenCatError('OCAT_ERR_KEYS', `sealing ${f} did not round-trip`)
  })
  for (const f of files) writeFileSync(f, readFileSync(`${f}.tmp`), { mode: 0o600 })
  return files.length
}

export const keysCommand: Command = {
  name: 'keys',
  summary: SUMMARIES.keys,
  usage:
    "keys rotate --repo DIR --kind ccid|vault|store|store-data [--keys KEYDIR] [--json]\n       keys protect --repo DIR --with file|passphrase|command [--new-passphrase-file F] [--json]\n\nMaster keys protected by a passphrase need OPENCAT_KEY_PASSPHRASE or OPENCAT_KEY_PASSPHRASE_FILE on\nevery command (opencat keys also takes --passphrase-file); protected by a key command, OPENCAT_KEY_COMMAND\n(it prints the 256-bit key-encryption key). Without either the keys are plain hex files guarded by the\nkey folder's mode 0700.",
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    kind: {
      type: 'string',
      value: 'ccid|vault|store|store-data',
      description:
        'Which key to rotate: store re-wraps the data key under a new store master key (no file rewritten); store-data rewrites every store file and the catalogue under a new data key',
    },
    with: {
      type: 'string',
      value: 'file|passphrase|command',
      description: 'keys protect: the protection the master keys get',
    },
    'new-passphrase-file': {
      type: 'string',
      value: 'FILE',
      description: 'keys protect --with passphrase: the file holding the new passphrase',
    },
    'passphrase-file': {
      type: 'string',
      value: 'FILE',
      description: 'The file holding the current passphrase (else OPENCAT_KEY_PASSPHRASE)',
    },
    keys: {
      type: 'string',
      value: 'KEYDIR',
      description: 'The key folder (default: the one chosen at init)',
    },
  },
  async run(args, io) {
    const action = args.positionals[0]
    if (action !== 'rotate' && action !== 'protect')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'keys actions are: keys rotate, keys protect')
    const keysDir = args.options.keys as string | undefined
    if (args.options['passphrase-file'])
      process.env.OPENCAT_KEY_PASSPHRASE_FILE = String(args.options['passphrase-file'])
    if (action === 'protect') {
      const kind = str(args, 'with')
      if (kind !== 'file' && kind !== 'passphrase' && kind !== 'command')
        throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--with must be file, passphrase or command')
      const repo = await openRepository(str(args, 'repo'), { write: true, ...(keysDir ? { keysDir } : {}) })
      try {
        const n = protectKeys(repo.keysDir, kind, args.options['new-passphrase-file'] as string | undefined)
        if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ protection: kind, keys: n })}\n`)
        else io.stdout.write(`${n} master keys in ${repo.keysDir} are now protected by: ${kind}\n`)
        return 0
      } finally {
        repo.close()
      }
    }
    const kind = str(args, 'kind')
    if (kind !== 'ccid' && kind !== 'vault' && kind !== 'store' && kind !== 'store-data')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--kind must be ccid, vault, store or store-data')
    if (kind === 'store-data') {
      // Resolved without opening the repository: an interrupted rotation leaves a store no view can read.
      const dir = keysDir ?? repositoryKeyDir(new RepoPaths(resolve(str(args, 'repo'))))
      const done = await rotateDataKey(str(args, 'repo'), dir)
      if (flag(args, 'json'))
        io.stdout.write(`${JSON.stringify({ kind, key: done.key, rewrittenFiles: done.rewrittenFiles })}\n`)
      else
        io.stdout.write(
          `store data key is now ${done.key}; ${done.rewrittenFiles} store files and the catalogue rewritten under it\n`,
        )
      return 0
    }
    if (kind === 'store') {
      const repo = await openRepository(str(args, 'repo'), { write: true, ...(keysDir ? { keysDir } : {}) })
      try {
        const id = rotateStoreMaster(repo.keysDir)
        if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ kind, key: id, rewrappedFiles: 0 })}\n`)
        else
          io.stdout.write(`store master key is now ${id}; the data key re-wrapped, no store file rewritten\n`)
        return 0
      } finally {
        repo.close()
      }
    }
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
