/** `opencat simulate`: writes a simulated trading day (CAT files, reference data and truth) into a folder. */
import { OpenCatError } from '../../common/errors.ts'
import { progressBar } from '../../common/progress.ts'
import { ABUSE_KINDS, PRODUCTS, parseAbuseList, parseProducts, simulateDay } from '../../simulate/index.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const v = Number(text)
  if (text.trim() === '' || !Number.isFinite(v))
    throw new OpenCatError('OCAT_ERR_SIM_OPTIONS', `--${name} must be a number, got ${text}`)
  return v
}

/** The `simulate` command (registered in commands/index.ts). */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: SUMMARIES.simulate,
  usage:
    'simulate --out DIR --date YYYY-MM-DD --seed N --orders N [--firms N] [--exchanges N] [--symbols N] ' +
    '[--customers N] [--format json|csv] [--file-version V] [--faults RATE] [--abuse KIND,...] [--clock-drift MS] ' +
    '[--records-per-file N] [--products LIST] [--json]',
  options: {
    out: {
      type: 'string',
      value: 'DIR',
      description: 'Folder to write (reference/, submissions/, truth/)',
      required: true,
    },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'Trading day to simulate', required: true },
    seed: {
      type: 'string',
      value: 'N',
      description: 'Random seed; the same seed gives the same files',
      required: true,
    },
    orders: { type: 'string', value: 'N', description: 'Orders arriving during the day', required: true },
    firms: { type: 'string', value: 'N', description: 'Broker-dealers (5-200)', default: '8' },
    exchanges: { type: 'string', value: 'N', description: 'Exchanges (1-14)', default: '3' },
    symbols: {
      type: 'string',
      value: 'N',
      description: 'Symbols (at most one per 20 orders)',
      default: '200',
    },
    customers: { type: 'string', value: 'N', description: 'Customers (default: orders / 10, 20-200,000)' },
    format: { type: 'string', value: 'json|csv', description: 'Data file format', default: 'json' },
    'file-version': {
      type: 'string',
      value: 'V',
      description: 'CAT file version: 2.2.1, 4.0.0 or 4.1.0',
      default: '4.0.0',
    },
    faults: {
      type: 'string',
      value: 'RATE',
      description: 'Fraction of records and routes given a labelled fault',
      default: '0',
    },
    abuse: {
      type: 'string',
      value: 'KIND,...',
      description: `Manipulation to inject: ${ABUSE_KINDS.join(', ')} or all`,
    },
    'clock-drift': { type: 'string', value: 'MS', description: "One firm's clock runs this many ms off" },
    'records-per-file': {
      type: 'string',
      value: 'N',
      description: "Split a reporter's data files at N records",
      default: '1000000',
    },
    products: {
      type: 'string',
      value: 'LIST',
      description: `What the day trades: ${PRODUCTS.join(', ')} (options need --file-version 4.1.0)`,
      default: 'equities',
    },
  },
  details:
    'Output layout, truth formats, fault and abuse kinds: docs/formats/simulation.md (customer files:\n' +
    'docs/formats/cais.md). Everything but the timing in truth/summary.json is identical for the same options.',
  async run(args, io) {
    const json = flag(args, 'json')
    const orders = number('orders', str(args, 'orders'))!
    const summary = await simulateDay({
      out: str(args, 'out'),
      date: str(args, 'date'),
      seed: str(args, 'seed'),
      orders,
      firms: number('firms', optStr(args, 'firms')),
      exchanges: number('exchanges', optStr(args, 'exchanges')),
      symbols: number('symbols', optStr(args, 'symbols')),
      customers: number('customers', optStr(args, 'customers')),
      format: optStr(args, 'format') as 'json' | 'csv',
      fileVersion: optStr(args, 'file-version'),
      faults: number('faults', optStr(args, 'faults')),
      abuse: parseAbuseList(optStr(args, 'abuse') ?? ''),
      clockDriftMs: number('clock-drift', optStr(args, 'clock-drift')),
      recordsPerFile: number('records-per-file', optStr(args, 'records-per-file')),
      products: parseProducts(optStr(args, 'products') ?? 'equities'),
      progress: json ? undefined : progressBar('simulate', orders, 'orders'),
    })
    if (json) {
      io.stdout.write(`${JSON.stringify(summary)}\n`)
      return 0
    }
    const top = Object.entries(summary.eventsByType)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(' · ')
    io.stdout.write(
      `${summary.events.toLocaleString('en-US')} events in ${summary.lifecycles.toLocaleString('en-US')} lifecycles ` +
        `(${summary.run.eventsPerSecond.toLocaleString('en-US')} events/s, ${summary.run.seconds} s, peak ${summary.run.peakRssMB} MB)\n` +
        `${top}\n` +
        `faults: ${summary.faults.total} · manipulations: ${summary.manipulations.total} · ` +
        `customers: ${summary.customers.persons} with ${summary.customers.accounts} accounts\n` +
        `written to ${str(args, 'out')}/ (reference/, submissions/, truth/)\n`,
    )
    return 0
  },
}
