/** `opencat import lobster`: loads a LOBSTER message file as a venue's exchange events. */
import { OpenCatError } from '../../common/errors.ts'
import { isoToDate } from '../../common/time/cat-date.ts'
import { importLobsterFile } from '../../pipeline/lobster-files.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const importCommand: Command = {
  name: 'import',
  summary: SUMMARIES.import,
  usage:
    'import lobster --repo DIR --venue V --symbol S --date YYYY-MM-DD --messages FILE [--book FILE] [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    venue: {
      type: 'string',
      value: 'V',
      description: 'Exchange ID the events belong to (in the reference data)',
      required: true,
    },
    symbol: { type: 'string', value: 'S', description: 'Symbol (in the symbol master)', required: true },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'Trading date of the file', required: true },
    messages: { type: 'string', value: 'FILE', description: 'LOBSTER message file', required: true },
    book: {
      type: 'string',
      value: 'FILE',
      description:
        'LOBSTER orderbook file: the stored book is reconciled with every row (without it the book is approximate)',
    },
  },
  details:
    'Types: 1 new order → EXOA, 2 partial cancel and 3 delete → EXOC, 4 and 5 executions → EXOT (5 hidden), 7 halt → EXTS.\n' +
    'Orders first seen in a delete or execution rested before the file started and are seeded. A level-N message file\n' +
    'leaves out orders that leave the top N levels: with --book, adjustments (EXOA/EXOC, recordIDs with ~adj) make the\n' +
    'stored book equal every orderbook row; without it the book is approximate. The symbol must be in the symbol\n' +
    'master (opencat reference --load). See docs/formats/lobster.md.',
  async run(args, io) {
    if (args.positionals[0] !== 'lobster')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'the only import is: import lobster')
    const date = isoToDate(str(args, 'date'))
    if (date === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--date must be YYYY-MM-DD')
    const repo = await openRepository(str(args, 'repo'), {
      write: true,
      onWait: (m) => io.stderr.write(`${m}\n`),
    })
    try {
      const book = optStr(args, 'book')
      const s = await importLobsterFile(repo, {
        venue: str(args, 'venue'),
        symbol: str(args, 'symbol'),
        date,
        messages: str(args, 'messages'),
        ...(book ? { book } : {}),
      })
      const approximate =
        'no orderbook file: the stored book is approximate. A level-N message file leaves out orders that leave the top N levels, so some that are gone stay in the book, which may even cross; import with --book FILE for the exact book'
      if (flag(args, 'json'))
        io.stdout.write(
          `${JSON.stringify({
            messages: s.messages,
            records: s.records,
            seeds: s.seeds,
            adjustments: s.adjustments,
            approximate: s.approximate,
            ...(s.approximate ? { notice: approximate } : {}),
            accepted: s.submit.accepted,
            rejected: s.submit.rejected,
            errorsByCode: s.submit.errorsByCode,
          })}\n`,
        )
      else {
        io.stdout.write(
          `${s.messages.toLocaleString('en-US')} LOBSTER messages → ${s.records.toLocaleString('en-US')} exchange records (${s.seeds} orders resting before the file seeded, ${s.adjustments.toLocaleString('en-US')} adjustments to the orderbook file)\n` +
            `${s.submit.accepted.toLocaleString('en-US')} accepted, ${s.submit.rejected} rejected${
              Object.keys(s.submit.errorsByCode).length
                ? ` (${Object.entries(s.submit.errorsByCode)
                    .map(([c, n]) => `${c}×${n}`)
                    .join(' ')})`
                : ''
            }\n` +
            (s.approximate ? `${approximate}\n` : ''),
        )
      }
      return 0
    } finally {
      repo.close()
    }
  },
}
