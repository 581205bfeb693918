/** `opencat customer`: everything one customer did, across every broker, with lifecycle IDs, page by page. */
import { OpenCatError } from '../../common/errors.ts'
import { dateToIso, isoToDate } from '../../common/time/cat-date.ts'
import { formatCatTimestamp } from '../../common/time/cat-timestamp.ts'
import {
  CUSTOMER_LIMIT,
  CUSTOMER_MAX_LIMIT,
  type CustomerSelector,
  customerActivity,
} from '../../query/customer.ts'
import { checkPiiReveal, revealPii } from '../../query/pii.ts'
import { logAccess } from '../../store/access-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

function selector(args: Parameters<Command['run']>[0]): CustomerSelector {
  const ccid = optStr(args, 'ccid')
  const reporter = optStr(args, 'reporter')
  const fdid = optStr(args, 'fdid')
  const ltid = optStr(args, 'ltid')
  const given = [ccid, fdid ?? reporter, ltid].filter((x) => x !== undefined).length
  if (given !== 1 || (fdid === undefined) !== (reporter === undefined)) {
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      'name the customer by exactly one of --ccid C, --reporter IMID --fdid F, or --ltid L',
    )
  }
  if (ccid) return { ccid }
  if (ltid) return { ltid }
  return { reporter: reporter!, fdid: fdid! }
}

function date(args: Parameters<Command['run']>[0], name: string): number {
  const d = isoToDate(str(args, name))
  if (d === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--${name} must be YYYY-MM-DD`)
  return d
}

export const customerCommand: Command = {
  name: 'customer',
  summary: SUMMARIES.customer,
  usage:
    'customer --repo DIR [--token T | --operator] (--ccid C | --reporter IMID --fdid F | --ltid L) --from D1 --to D2 [--limit N --after CURSOR | --all] [--reveal-pii --reason R] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    ccid: { type: 'string', value: 'C', description: 'CAT Customer ID' },
    reporter: { type: 'string', value: 'IMID', description: 'Broker IMID (with --fdid)' },
    fdid: { type: 'string', value: 'F', description: "The broker's Firm Designated ID of the account" },
    ltid: { type: 'string', value: 'L', description: 'Large trader ID' },
    from: { type: 'string', value: 'YYYY-MM-DD', description: 'First event date', required: true },
    to: { type: 'string', value: 'YYYY-MM-DD', description: 'Last event date', required: true },
    limit: {
      type: 'string',
      value: 'N',
      description: `Events per page, 1 to ${CUSTOMER_MAX_LIMIT}`,
      default: String(CUSTOMER_LIMIT),
    },
    after: {
      type: 'string',
      value: 'CURSOR',
      description: "Start after this cursor (the previous page's next)",
    },
    all: { type: 'boolean', description: 'Every event of the range in one answer (no pages)' },
    'reveal-pii': {
      type: 'boolean',
      description: 'Also show names and addresses (a regulator holding the pii entitlement; logged)',
    },
    reason: {
      type: 'string',
      value: 'TEXT',
      description: 'Why PII is revealed (required with --reveal-pii)',
    },
  },
  details:
    'Events are the current version of each record naming one of the accounts, in eventTimestamp order\n' +
    '(ties by version id), a page at a time: each page ends with the cursor of the next one (next; null on\n' +
    'the last page), and following the cursors gives every event of the range exactly once. Every page\n' +
    'gives the totals of the whole range (events, by broker, by product) and its chart (position from\n' +
    'executions and orders by price, per interval of the range); --all gives every event in one answer.',
  async run(args, io) {
    const sel = selector(args)
    const after = optStr(args, 'after')
    if (flag(args, 'all') && after !== undefined)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--all gives every event: it takes no --after')
    const page = {
      limit: flag(args, 'all') ? ('all' as const) : Number(optStr(args, 'limit')),
      ...(after !== undefined ? { after } : {}),
    }
    const from = date(args, 'from')
    const to = date(args, 'to')
    const identity = authorizedIdentity(args, 'customer.read')
    const reveal = flag(args, 'reveal-pii')
    const reason = optStr(args, 'reason')
    const repo = await openRepository(str(args, 'repo'), { keysDir: process.env.OPENCAT_KEYS })
    try {
      // Refused before anything is read, as the portal does: asking without the entitlement shows nothing.
      if (reveal) checkPiiReveal(repo, identity, Object.values(sel).join(':'), reason)
      const activity = await customerActivity(repo, sel, from, to, page)
      logAccess(repo.paths, {
        user: identity.user,
        action: 'customer',
        subject: activity.ccids.join(','),
        rows: activity.events.length,
      })
      const pii = reveal ? activity.ccids.flatMap((c) => revealPii(repo, identity, c, reason)) : undefined
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify({ ...activity, ...(pii ? { pii } : {}) })}\n`)
        return 0
      }
      io.stdout.write(
        `Customer ${activity.ccids.join(', ')} · ${dateToIso(from)} to ${dateToIso(to)}\n\nAccounts\n`,
      )
      for (const a of activity.accounts) {
        io.stdout.write(
          `  ${a.firm} (CRD ${a.crd}, ${a.imids.join('/')})  FDID ${a.fdid}  ${a.role}  since ${dateToIso(a.from)}${a.to ? ` until ${dateToIso(a.to)}` : ''}${a.ltids.length ? `  LTID ${a.ltids.join(', ')}` : ''}\n`,
        )
      }
      const counts = (list: { name: string; events: number }[]) =>
        list.map((c) => `${c.name} ${c.events}`).join(', ')
      const by =
        activity.total > 0
          ? ` (${counts(activity.brokers.map((b) => ({ name: b.reporter, events: b.events })))}; ${counts(activity.products.map((p) => ({ name: p.product, events: p.events })))})`
          : ''
      io.stdout.write(`\n${activity.total} events${by}\n`)
      if (activity.events.length > 0)
        io.stdout.write(
          `events ${activity.offset + 1} to ${activity.offset + activity.events.length}${activity.next ? `; next page: --after ${activity.next}` : '; last page'}\n`,
        )
      for (const e of activity.events) {
        io.stdout.write(
          `  ${formatCatTimestamp(BigInt(e.eventNs), 6)}  ${e.reporter.padEnd(6)} ${e.type.padEnd(5)} ${String(e.symbol ?? '').padEnd(6)} ${String(e.side ?? '').padEnd(3)} ${String(e.quantity ?? '').padStart(10)} @ ${String(e.price ?? '').padEnd(12)} ${e.lifecycleIds.join(',')}\n`,
        )
      }
      if (pii)
        for (const p of pii) io.stdout.write(`\nPII (${p.ccid}, CRD ${p.crd}): ${JSON.stringify(p.fields)}\n`)
      return 0
    } finally {
      repo.close()
    }
  },
}
