/** `opencat nbbo`: the NBBO of a symbol at an instant, and where an order stood against it. */
import { orderVersusNbbo } from '../../book/nbbo-at.ts'
import { formatPrice, parsePrice } from '../../book/price.ts'
import { OpenCatError } from '../../common/errors.ts'
import { dateToIso } from '../../common/time/cat-date.ts'
import { formatCatTimestamp } from '../../common/time/cat-timestamp.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { nbboView } from '../../query/market.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { eventDate } from '../event-date.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const nbboCommand: Command = {
  name: 'nbbo',
  summary: SUMMARIES.nbbo,
  usage:
    'nbbo --repo DIR [--token T | --operator] (--symbol S --at TIME | --reporter R --firm-roe-id ID [--date YYYY-MM-DD]) [--json]',
  details:
    'A crossed NBBO (bid above offer) or a locked one (bid equal to offer) is flagged: CROSSED or LOCKED in\n' +
    "the text, crossed/locked in JSON. A firmROEID is unique within a reporter's event date: one the\n" +
    'reporter used on several dates needs --date (the command says which dates hold it).',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    symbol: { type: 'string', value: 'S', description: 'Symbol' },
    at: {
      type: 'string',
      value: 'TIME',
      description: 'YYYY-MM-DDTHH:MM:SS[.f] Eastern Time, or a CAT timestamp',
    },
    reporter: { type: 'string', value: 'R', description: 'Reporter of an order event' },
    'firm-roe-id': {
      type: 'string',
      value: 'ID',
      description: 'firmROEID (or exchange recordID) of the order event',
    },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: "The order event's event date (needed when the firmROEID is on several dates)",
    },
  },
  async run(args, io) {
    authorizedIdentity(args, 'market.read')
    const repo = await openRepository(str(args, 'repo'))
    try {
      const fmt = (p: bigint | undefined) => (p === undefined ? '—' : formatPrice(p))
      const reporter = optStr(args, 'reporter')
      const roe = optStr(args, 'firm-roe-id')
      if (reporter && roe) {
        const date = optStr(args, 'date')
        const rows = await repo.db.all<{
          symbol: string
          side: string
          price: string | null
          ns: string
          d: number
        }>(
          `SELECT symbol, side, CAST(price AS VARCHAR) AS price, CAST(_event_ns AS VARCHAR) AS ns, event_date AS d
           FROM current_events WHERE _reporter = $1 AND _roe_id = $2${date ? ' AND event_date = $3' : ''}
           ORDER BY event_date, _event_ns LIMIT 10`,
          date ? [reporter, roe, eventDate(date)] : [reporter, roe],
        )
        const dates = [...new Set(rows.map((r) => Number(r.d)))]
        if (dates.length > 1)
          throw new OpenCatError(
            'OCAT_ERR_CLI_USAGE',
            `${reporter} reported ${roe} on ${dates.length} event dates (${dates.map(dateToIso).join(', ')}): give --date`,
          )
        const row = rows[0]
        if (!row?.side)
          throw new OpenCatError(
            'OCAT_ERR_NOT_FOUND',
            `no order event ${reporter} ${roe} with a side${date ? ` on ${date}` : ''}`,
          )
        const side = row.side === 'B' ? 'B' : 'S'
        const price = row.price === null ? undefined : parsePrice(row.price)
        const r = await orderVersusNbbo(repo, {
          symbol: row.symbol,
          side,
          ...(price !== undefined ? { price } : {}),
          ns: BigInt(row.ns),
        })
        const out = {
          order: {
            reporter,
            firmROEID: roe,
            symbol: row.symbol,
            side: row.side,
            price: row.price,
            at: formatCatTimestamp(BigInt(row.ns)),
          },
          nbbo: r.nbbo
            ? {
                bid: fmt(r.nbbo.bidPrice),
                ask: fmt(r.nbbo.askPrice),
                bidVenues: r.nbbo.bidVenues,
                askVenues: r.nbbo.askVenues,
              }
            : null,
          marketable: r.marketable,
          fromSameSide: r.distance?.fromSameSide === undefined ? null : formatPrice(r.distance.fromSameSide),
          toOppositeSide:
            r.distance?.toOppositeSide === undefined ? null : formatPrice(r.distance.toOppositeSide),
        }
        if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(out)}\n`)
        else {
          io.stdout.write(
            `${reporter} ${roe}: ${row.side} ${row.symbol} @ ${row.price ?? 'MKT'} at ${out.order.at} ET\n` +
              `NBBO just before: ${out.nbbo ? `${out.nbbo.bid} × ${out.nbbo.ask}` : 'none'}\n` +
              `marketable: ${out.marketable ? 'yes' : 'no'}${out.toOppositeSide !== null ? `; ${out.toOppositeSide} from the opposite side, ${out.fromSameSide} better than its own side` : ''}\n`,
          )
        }
        return 0
      }
      const symbol = optStr(args, 'symbol')
      const at = optStr(args, 'at')
      if (!symbol || !at)
        throw new OpenCatError(
          'OCAT_ERR_CLI_USAGE',
          'give --symbol and --at, or --reporter and --firm-roe-id',
        )
      const out = await nbboView(repo, symbol, isoOrCatToNs(at))
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(out)}\n`)
      else
        io.stdout.write(
          out.bid !== null || out.ask !== null
            ? `${symbol} at ${out.at} ET: ${out.bidSize} @ ${out.bid ?? '—'} (${out.bidVenues.join(',')})  ×  ${out.askSize} @ ${out.ask ?? '—'} (${out.askVenues.join(',')})${out.crossed ? '  CROSSED (bid above offer)' : out.locked ? '  LOCKED (bid equals offer)' : ''}\n`
            : `${symbol}: no quotes by ${out.at}\n`,
        )
      return 0
    } finally {
      repo.close()
    }
  },
}
