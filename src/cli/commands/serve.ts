/** `opencat serve`: the regulator portal (web UI and JSON API) over a repository, HTTPS by default. */
import { OpenCatError } from '../../common/errors.ts'
import { dateToIso } from '../../common/time/index.ts'
import { type Portal, startPortal } from '../../server/server.ts'
import { type Command, type CommandIO, flag, optStr, type ParsedArgs, str } from '../command.ts'
import { outdatedDayIndexes } from './reindex.ts'
import { SUMMARIES } from './summaries.ts'

/** The portal options the serve and demo commands share. */
export const PORTAL_OPTIONS = {
  port: { type: 'string', value: 'N', description: 'Port (0 picks a free one)', default: '8480' },
  host: { type: 'string', value: 'ADDR', description: 'Address to listen on', default: '127.0.0.1' },
  cert: { type: 'string', value: 'FILE', description: 'TLS certificate (PEM); with --key' },
  key: { type: 'string', value: 'FILE', description: 'TLS private key (PEM); with --cert' },
  'insecure-http': {
    type: 'boolean',
    description: 'Serve plain HTTP instead of HTTPS (loopback addresses only)',
  },
  'allow-host': {
    type: 'string',
    value: 'NAME',
    description: 'A DNS name the Host header may carry besides loopback names and ADDR (repeatable)',
    multiple: true,
  },
  connections: {
    type: 'string',
    value: 'N',
    description: 'Repository connections answering requests at once (one account holds at most N-1)',
    default: '4',
  },
  'queue-per-account': {
    type: 'string',
    value: 'N',
    description:
      'Requests of one account that may wait for a connection; more are refused (429, Retry-After)',
    default: '500',
  },
  'slow-ms': {
    type: 'string',
    value: 'MS',
    description:
      "A route most of whose recent requests took this long waits in the slow lane (at most half the connections), after quick ones; a question answered before (a symbol's day, a customer, the summary) is quick, then goes by its latest time",
    default: '150',
  },
  'market-memory': {
    type: 'string',
    value: 'EVENTS',
    description: 'Book events kept in memory for the book and NBBO routes (0: read the store every time)',
    default: '1000000',
  },
  'upload-limit': {
    type: 'string',
    value: 'MB',
    description: 'Largest file a reporter may upload (POST /api/files)',
    default: '1024',
  },
  'sql-memory-limit': {
    type: 'string',
    value: 'MB',
    description:
      'Memory one SQL query or extract may hold (it may spill 4× as much to a private temporary folder)',
    default: '1024',
  },
} as const

/**
 * Starts the portal from parsed options (--port, --host, --cert, --key, --insecure-http, --allow-host,
 * --upload-limit, --sql-memory-limit).
 */
export async function startPortalFromArgs(repo: string, args: ParsedArgs, io: CommandIO): Promise<Portal> {
  const port = Number(optStr(args, 'port'))
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--port must be a port number')
  const cert = optStr(args, 'cert')
  const key = optStr(args, 'key')
  if ((cert === undefined) !== (key === undefined))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--cert and --key go together')
  const insecure = flag(args, 'insecure-http')
  if (insecure && cert !== undefined)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      '--insecure-http serves no certificate: leave out --cert/--key',
    )
  const allow = args.options['allow-host']
  const count = (name: string, least: number) => {
    const n = Number(optStr(args, name))
    if (!Number.isInteger(n) || n < least)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--${name} must be a whole number ≥ ${least}`)
    return n
  }
  const megabytes = (name: string) => {
    const n = Number(optStr(args, name))
    if (!(Number.isFinite(n) && n > 0))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--${name} must be a positive number of MB`)
    return n
  }
  return startPortal({
    repo,
    port,
    host: optStr(args, 'host') ?? '127.0.0.1',
    ...(cert !== undefined && key !== undefined ? { tls: { certFile: cert, keyFile: key } } : {}),
    insecureHttp: insecure,
    allowHosts: allow === undefined ? [] : Array.isArray(allow) ? allow.map(String) : [String(allow)],
    connections: count('connections', 1),
    queuePerAccount: count('queue-per-account', 1),
    slowMs: count('slow-ms', 0),
    marketMemoryEvents: count('market-memory', 0),
    uploadLimit: Math.floor(megabytes('upload-limit') * 1024 * 1024),
    sqlMemoryLimitMb: megabytes('sql-memory-limit'),
    log: (l) => io.stderr.write(`${l}\n`),
  })
}

/** What a user needs to reach the portal and trust its certificate. */
export function describePortal(portal: Portal): string {
  const lines = [
    `OpenCAT portal on ${portal.url}  (API: ${portal.url}/api, OpenAPI: ${portal.url}/openapi.json)`,
  ]
  const c = portal.certificate
  if (c) {
    const origin =
      c.origin === 'given' ? 'given' : c.origin === 'made' ? 'self-signed, made now' : 'self-signed'
    lines.push(`certificate SHA-256 fingerprint ${c.fingerprint} (${origin}: ${c.certFile})`)
  } else lines.push('plain HTTP on a loopback address: no certificate')
  return `${lines.join('\n')}\n`
}

/** Waits for Ctrl-C or SIGTERM, then closes the portal. */
export function servedUntilStopped(portal: Portal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      portal.close().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

export const serveCommand: Command = {
  name: 'serve',
  summary: SUMMARIES.serve,
  usage:
    'serve --repo DIR [--port N] [--host ADDR] [--cert FILE --key FILE] [--insecure-http] [--allow-host NAME]… [--connections N] [--queue-per-account N] [--slow-ms MS] [--market-memory EVENTS] [--upload-limit MB] [--sql-memory-limit MB]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...PORTAL_OPTIONS,
  },
  details:
    'HTTPS (TLS 1.2 or later). Without --cert/--key a self-signed certificate is made on first run and kept\n' +
    'in the key folder (DIR-keys/portal-cert.pem); its SHA-256 fingerprint is printed so it can be checked.\n' +
    'Plain HTTP only with --insecure-http, and only on a loopback address. Callers sign in (POST /api/session:\n' +
    'user, password, TOTP code) or send an API token (Authorization: Bearer); accounts come from `opencat user`\n' +
    'and `opencat token`. The API is described at /openapi.json. Every request is written to the access log\n' +
    'before it is answered (the entries of requests answered together in one append).\n' +
    'Under load, requests wait for one of --connections connections in two lanes, quick and slow routes (by\n' +
    'their recent times), so slow questions do not hold up quick ones; each account has its own queue, served\n' +
    "in turn, and beyond --queue-per-account waiting requests gets 429 with Retry-After. A symbol's day of book\n" +
    'events and its NBBO are kept in memory (up to --market-memory events) until the store changes.\n' +
    'Stop with Ctrl-C.',
  async run(args, io) {
    // Pages are right without a fresh day index but slow: say so before serving, with the remedy.
    const outdated = await outdatedDayIndexes(str(args, 'repo'))
    if (outdated.length > 0)
      io.stderr.write(
        `warning: the day index of ${outdated.map(dateToIso).join(', ')} is out of date (made by another OpenCAT version, or before the latest change): pages of ${outdated.length === 1 ? 'that date' : 'those dates'} read the store directly, more slowly, until \`opencat reindex --repo ${str(args, 'repo')}\`\n`,
      )
    const portal = await startPortalFromArgs(str(args, 'repo'), args, io)
    if (flag(args, 'json'))
      io.stdout.write(
        `${JSON.stringify({ url: portal.url, fingerprint: portal.certificate?.fingerprint ?? null, certFile: portal.certificate?.certFile ?? null })}\n`,
      )
    else io.stdout.write(`${describePortal(portal)}Ctrl-C to stop\n`)
    await servedUntilStopped(portal)
    return 0
  },
}
