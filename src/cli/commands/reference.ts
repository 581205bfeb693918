/** `opencat reference`: loads new reference data (reporters, symbols, calendar) into a repository. */
import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../../common/errors.ts'
import { loadReference, readReferenceFolder } from '../../store/reference-data.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const referenceCommand: Command = {
  name: 'reference',
  summary: SUMMARIES.reference,
  usage: 'reference --repo DIR --load REFDIR [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    load: {
      type: 'string',
      value: 'REFDIR',
      description: 'Folder in the layout of docs/formats/reference.md',
      required: true,
    },
  },
  details: 'The previous reference files are kept under reference/history/<time>/ in the repository.',
  async run(args, io) {
    const data = readReferenceFolder(str(args, 'load'))
    const repo = await openRepository(str(args, 'repo'), { write: true })
    try {
      const history = join(repo.paths.reference, 'history', new Date().toISOString().replaceAll(':', '-'))
      mkdirSync(history, { recursive: true })
      for (const f of ['reporters.json', 'symbols.json', 'calendar.json']) {
        cpSync(join(repo.paths.reference, f), join(history, f))
        cpSync(join(str(args, 'load'), f), join(repo.paths.reference, f))
      }
      await loadReference(repo.db, data)
      const summary = {
        firms: data.firms.length,
        exchanges: data.exchanges.length,
        submitters: data.submitters.length,
        symbols: data.symbols.length,
      }
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(summary)}\n`)
      else
        io.stdout.write(
          `reference loaded: ${summary.firms} firms, ${summary.exchanges} exchanges, ${summary.submitters} submitters, ${summary.symbols} symbols\n`,
        )
      return 0
    } catch (e) {
      if (e instanceof OpenCatError) throw e
      throw new OpenCatError('OCAT_ERR_REFERENCE_INVALID', (e as Error).message, {}, { cause: e })
    } finally {
      repo.close()
    }
  },
}
