/** `opencat serve`: the regulator portal (web UI and JSON API) over a repository. */
import { OpenCatError } from '../../common/errors.ts'
import { startPortal } from '../../server/server.ts'
import { type Command, optStr, str } from '../command.ts'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the regulator portal (web UI and JSON API) on a repository',
  usage: 'serve --repo DIR [--port N] [--host ADDR]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    port: { type: 'string', value: 'N', description: 'Port (0 picks a free one)', default: '8480' },
    host: { type: 'string', value: 'ADDR', description: 'Address to listen on', default: '127.0.0.1' },
  },
  details: 'The API is listed at /api. Every query is written to the access log. Stop with Ctrl-C.',
  async run(args, io) {
    const port = Number(optStr(args, 'port'))
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', '--port must be a port number')
    const portal = await startPortal({
      repo: str(args, 'repo'),
      port,
      host: optStr(args, 'host')!,
      log: (l) => io.stderr.write(`${l}\n`),
    })
    io.stdout.write(`OpenCAT portal on ${portal.url}  (API: ${portal.url}/api) — Ctrl-C to stop\n`)
    await new Promise<void>((resolve) => {
      const stop = () => {
        portal.close().then(resolve)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    return 0
  },
}
