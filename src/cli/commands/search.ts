/** `opencat search`: one box for any key — lifecycle id, record or order id, symbol, reporter, customer. */
import { OpenCatError } from '../../common/errors.ts'
import { formatCatDate, formatEtInstant } from '../../query/display-format.ts'
import { SEARCH_LIMIT, type SearchHit, search } from '../../query/search.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { eventDate } from '../event-date.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const searchCommand: Command = {
  name: 'search',
  summary: SUMMARIES.search,
  usage: 'search --repo DIR [--token T | --operator] --date D [--limit N] [--json] QUERY',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    date: { type: 'string', value: 'D', description: 'Event date, YYYY-MM-DD or YYYYMMDD', required: true },
    limit: {
      type: 'string',
      value: 'N',
      description: 'Records given at most',
      default: String(SEARCH_LIMIT),
    },
  },
  details:
    'Hits are typed (kind): lifecycle (a CAT lifecycle id), event (a record whose firmROEID/recordID, orderID,\n' +
    'priorOrderID, routedOrderID, parentOrderID, buy/sellOrderID, tradeID, tapeTradeID, quote ids or\n' +
    'fulfillmentID is the key, with its lifecycles), symbol, reporter (IMID, Exchange ID or CRD) and customer\n' +
    '(FDID, CCID or large trader id, with the accounts; no PII). Nothing found is an empty list.',
  async run(args, io) {
    const query = args.positionals.join(' ').trim()
    if (query === '') throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give something to search for')
    const date = eventDate(str(args, 'date'))
    const limit = Number(optStr(args, 'limit'))
    authorizedIdentity(args, 'lifecycle.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const result = await search(repo, query, date, limit)
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(result)}\n`)
        return 0
      }
      io.stdout.write(
        `${result.hits.length} hit${result.hits.length === 1 ? '' : 's'} for "${result.query}" on ${formatCatDate(date)}${result.truncated ? ' (more records match: raise --limit)' : ''}\n`,
      )
      for (const h of result.hits) io.stdout.write(`  ${hitLine(h)}\n`)
      return 0
    } finally {
      repo.close()
    }
  },
}

function hitLine(h: SearchHit): string {
  switch (h.kind) {
    case 'lifecycle':
      return `lifecycle  ${h.lifecycleId}  ${h.symbol ?? ''}  ${h.events} events across ${h.reporters.join(', ')}`
    case 'event':
      return `event      ${h.reporter.padEnd(6)} ${h.firmROEID}  ${h.type.padEnd(5)} ${formatEtInstant(h.eventNs, 6)}  ${h.symbol ?? ''}  (${h.matchedOn.join(', ')})  ${h.lifecycleIds.join(', ') || 'no lifecycle'}`
    case 'symbol':
      return `symbol     ${h.symbol}  ${h.name} (${h.listing})  ${h.records} records`
    case 'reporter':
      return `reporter   ${h.reporter}  ${h.role}  ${h.name}${h.crd ? `  CRD ${h.crd}` : ''}  ${h.records} records`
    case 'customer':
      return `customer   ${h.ccid}  by ${h.matchedOn}  ${h.accounts.map((a) => `${a.firm} FDID ${a.fdid}`).join('; ')}`
  }
}
