/** `opencat init`: creates a repository folder from reference data. */
import { initRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const initCommand: Command = {
  name: 'init',
  summary: SUMMARIES.init,
  usage: 'init --repo DIR --reference REFDIR [--json]',
  options: {
    repo: {
      type: 'string',
      value: 'DIR',
      description: 'Folder for the new repository (new or empty)',
      required: true,
    },
    reference: {
      type: 'string',
      value: 'REFDIR',
      description: 'Folder with reporters.json, symbols.json, calendar.json (docs/formats/reference.md)',
      required: true,
    },
    keys: {
      type: 'string',
      value: 'KEYDIR',
      description: 'Folder for the CCID and vault keys, outside the repository (default: DIR-keys beside it)',
    },
    'pii-vault': {
      type: 'boolean',
      description:
        "Keep customers' personal data, encrypted, in the PII vault (off: it is dropped once CCIDs are made)",
    },
    plain: {
      type: 'boolean',
      description:
        'Do not encrypt the Parquet store and the catalogue (by default they are, with a data key kept in the key folder; docs/formats/repository.md)',
    },
  },
  async run(args, io) {
    const repo = await initRepository(str(args, 'repo'), str(args, 'reference'), optStr(args, 'keys'), {
      piiVault: flag(args, 'pii-vault'),
      encrypted: !flag(args, 'plain'),
    })
    const counts = await repo.db.one<Record<string, string>>(
      `SELECT (SELECT count(*) FROM ref_firms) AS firms, (SELECT count(*) FROM ref_imids) AS imids,
              (SELECT count(*) FROM ref_exchanges) AS exchanges, (SELECT count(*) FROM ref_submitters) AS submitters,
              (SELECT count(*) FROM ref_symbols) AS symbols`,
    )
    const root = repo.paths.root
    repo.close()
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ repo: root, reference: counts })}\n`)
    else {
      io.stdout.write(
        `Created repository ${root}\n  ${counts?.firms} firms (${counts?.imids} IMIDs), ${counts?.exchanges} exchanges, ${counts?.submitters} submitters, ${counts?.symbols} symbols\n` +
          `Next: opencat submit --repo ${root} FILE_OR_FOLDER...\n`,
      )
    }
    return 0
  },
}
