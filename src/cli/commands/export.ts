/** `opencat export lobster`: a venue's stored events of a symbol and date in LOBSTER's formats. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { exportLobsterFiles, lobsterFileNames } from '../../pipeline/lobster-files.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const exportCommand: Command = {
  name: 'export',
  summary: SUMMARIES.export,
  usage:
    'export lobster --repo DIR [--token T | --operator] --venue V --symbol S --date YYYY-MM-DD --out DIR [--levels N] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    venue: { type: 'string', value: 'V', description: 'Exchange ID', required: true },
    symbol: { type: 'string', value: 'S', description: 'Symbol', required: true },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'Event date', required: true },
    out: { type: 'string', value: 'DIR', description: 'Folder for the two files', required: true },
    levels: {
      type: 'string',
      value: 'N',
      description: 'Orderbook levels per side (0: messages only)',
      default: '10',
    },
  },
  async run(args, io) {
    if (args.positionals[0] !== 'lobster')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the only export is: export lobster')
    const date = isoToDate(str(args, 'date'))
    const levels = Number(optStr(args, 'levels'))
    if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--date must be YYYY-MM-DD')
    if (!Number.isInteger(levels) || levels < 0)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--levels must be a whole number')
    authorizedIdentity(args, 'market.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const symbol = str(args, 'symbol')
      const out = await exportLobsterFiles(repo, { venue: str(args, 'venue'), symbol, date, levels })
      const iso = str(args, 'date')
      const names = lobsterFileNames(symbol, iso, levels)
      const messages = join(str(args, 'out'), names.messages)
      writeFileSync(messages, out.messages.length > 0 ? `${out.messages.join('\n')}\n` : '')
      const files = [messages]
      if (levels > 0) {
        const orderbook = join(str(args, 'out'), names.orderbook)
        writeFileSync(orderbook, out.orderbook.length > 0 ? `${out.orderbook.join('\n')}\n` : '')
        files.push(orderbook)
      }
      if (flag(args, 'json'))
        io.stdout.write(`${JSON.stringify({ files, messages: out.messages.length, skipped: out.skipped })}\n`)
      else
        io.stdout.write(
          `${out.messages.length.toLocaleString('en-US')} messages written to ${files.join(' and ')}\n`,
        )
      return 0
    } finally {
      repo.close()
    }
  },
}
