/**
 * The portal under load: a simulated day submitted and linked into a repository, `opencat serve` (HTTPS,
 * trusting only the certificate it printed), regulator tokens, then `--concurrent` requests at once (a mix
 * of lifecycles, book, NBBO, a customer's day and the summary, spread over `--accounts` tokens) on
 * loopback. Per route: p50/p99/max under load, errors, and the time the same request takes alone.
 * `node bin/run-ts.js bench/portal-load.bench.ts [--orders 3000] [--concurrent 300] [--accounts 6] [--json]`
 * `--keep DIR` builds the repository into DIR once and reuses it on later runs; `--against CHECKOUT` serves
 * the same repository from another checkout of OpenCAT too (`before`, against `now`), `--rounds N` times in
 * turn, so a comparison is made in one run on one machine load; `--profile DIR` writes the server's CPU
 * profiles there; `--routes lifecycle,book,nbbo,customer,summary` sends only those routes' requests.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { isoOrCatToNs } from '../src/common/time/parse-instant.ts'
import { linkDate } from '../src/link/index.ts'
import { KEY_NUM_SQL } from '../src/link/lifecycle-keys.ts'
import '../src/pipeline/stage-views.ts'
import { submitFiles } from '../src/pipeline/submit.ts'
import { simulateDay } from '../src/simulate/index.ts'
import { refreshDayIndexes } from '../src/store/day-index-write.ts'
import { initRepository, openRepository } from '../src/store/repository.ts'
import { type BenchRow, numberArg, peakRssMB, report, stringArg } from './harness.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'opencat.js')
const DATE = 20260302

function cli(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Request paths of each route, several distinct ones so the load is not one cached answer. */
async function buildRepository(root: string, orders: number): Promise<Record<string, string[]>> {
  const day = join(root, 'day')
  await simulateDay({ out: day, date: '2026-03-02', seed: 11, orders })
  const repo = await initRepository(join(root, 'repo'), join(day, 'reference'))
  try {
    const at = isoOrCatToNs('2026-03-02T20:00:00')
    await submitFiles(repo, [join(day, 'submissions')], { nowNs: at })
    await linkDate(repo, DATE, { nowNs: at })
    const orderRows = await repo.db.all<{ r: string; id: string }>(
      `SELECT _reporter AS r, firmROEID AS id FROM current_events WHERE _type = 'MENO' ORDER BY _event_ns LIMIT 40`,
    )
    const market = await repo.db.all<{ venue: string; symbol: string; ns: string }>(
      `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
       WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 10`,
    )
    const accounts = await repo.db.all<{ r: string; fdid: string }>(
      `SELECT DISTINCT _reporter AS r, firmDesignatedID AS fdid FROM current_events
       WHERE firmDesignatedID IS NOT NULL ORDER BY ALL LIMIT 20`,
    )
    const q = encodeURIComponent
    return {
      lifecycle: orderRows.map((o) => `/api/lifecycle?reporter=${q(o.r)}&firmROEID=${q(o.id)}`),
      book: market.map((m) => `/api/book?venue=${q(m.venue)}&symbol=${q(m.symbol)}&at=${m.ns}`),
      nbbo: market.map((m) => `/api/nbbo?symbol=${q(m.symbol)}&at=${m.ns}`),
      customer: accounts.map(
        (a) => `/api/customer?reporter=${q(a.r)}&fdid=${q(a.fdid)}&from=2026-03-02&to=2026-03-02`,
      ),
      summary: ['/api/summary'],
    }
  } finally {
    repo.close()
  }
}

async function serve(
  bin: string,
  repo: string,
  profileDir?: string,
): Promise<{ child: ChildProcess; url: string; ca: string }> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []
  const child = spawn(process.execPath, [...profile, bin, 'serve', '--repo', repo, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let seen = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      seen += d
      const m = /portal on (https:\/\/\S+?)\s/.exec(seen)
      if (m && /Ctrl-C/.test(seen)) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen}`)))
  })
  const certFile = /fingerprint [0-9A-F:]+ \([^:]+: (.+)\)\n/.exec(seen)?.[1]
  if (!certFile) throw new Error(`serve printed no certificate file: ${seen}`)
  return { child, url, ca: readFileSync(certFile, 'utf8') }
}

/** One GET: its status and milliseconds. */
function get(agent: Agent, url: string, token: string): Promise<{ status: number; ms: number }> {
  const t = performance.now()
  return new Promise((resolve) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {}
    const req = request(url, { agent, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }))
    })
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t }))
    req.end()
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

/** One served portal: each route alone, then `concurrent` requests at once; a row per route. */
async function measureLoad(
  served: { url: string; ca: string },
  paths: Record<string, string[]>,
  tokens: readonly string[],
  concurrent: number,
  label: string,
): Promise<BenchRow[]> {
  const accounts = tokens.length
  // One TLS context for every connection (a context per connection costs the client as much as the
  // handshake itself), and the connections opened before the burst, as load tools do: the burst measures
  // answering, the line "connections" measures opening them.
  const agent = new Agent({
    secureContext: createSecureContext({ ca: served.ca }),
    keepAlive: true,
    maxSockets: concurrent,
  })
  // `--routes lifecycle,book`: only those routes' requests (the load is still `concurrent` requests).
  const only = stringArg('routes')?.split(',')
  const routes = Object.keys(paths).filter((r) => !only || only.includes(r))
  // Alone: each route's requests one after another (after a warm-up), median per route.
  const alone: Record<string, number> = {}
  for (const route of routes) {
    await get(agent, served.url + paths[route][0], tokens[0])
    const times: number[] = []
    for (const p of paths[route].slice(0, 5)) times.push((await get(agent, served.url + p, tokens[0])).ms)
    times.sort((a, b) => a - b)
    alone[route] = percentile(times, 50)
  }
  const c0 = performance.now()
  const opened = await Promise.all(
    Array.from({ length: concurrent }, () => get(agent, `${served.url}/api/health`, '')),
  )
  const connectSeconds = (performance.now() - c0) / 1000
  // Under load: all at once, routes and accounts interleaved.
  const jobs = Array.from({ length: concurrent }, (_, i) => {
    const route = routes[i % routes.length]
    const list = paths[route]
    return { route, path: list[Math.floor(i / routes.length) % list.length], token: tokens[i % accounts] }
  })
  const t0 = performance.now()
  const results = await Promise.all(
    jobs.map(async (j) => ({ ...j, ...(await get(agent, served.url + j.path, j.token)) })),
  )
  const wall = (performance.now() - t0) / 1000
  agent.destroy()
  const connecting: BenchRow = {
    bench: 'portal',
    case: `${label}: ${concurrent} connections opened at once`,
    items: concurrent,
    seconds: Number(connectSeconds.toFixed(3)),
    perSecond: Math.round(concurrent / connectSeconds),
    perSecondPerCore: 0,
    peakRssMB: peakRssMB(),
    note: `TLS handshakes and GET /api/health; errors ${opened.filter((o) => o.status !== 200).length}`,
  }
  return [
    connecting,
    ...routes.map((route) => {
      const mine = results.filter((r) => r.route === route)
      const times = mine.map((r) => r.ms).sort((a, b) => a - b)
      const errors = mine.filter((r) => r.status !== 200)
      const statuses = [...new Set(errors.map((e) => e.status))].join('/')
      return {
        bench: 'portal',
        case: `${label}: ${route} under ${concurrent} concurrent`,
        items: mine.length,
        seconds: Number((percentile(times, 99) / 1000).toFixed(3)),
        perSecond: Math.round(mine.length / wall),
        perSecondPerCore: 0,
        peakRssMB: peakRssMB(),
        note: `p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms, errors ${errors.length}${statuses ? ` (${statuses})` : ''}; alone ${alone[route].toFixed(0)} ms; ${accounts} accounts, all done in ${wall.toFixed(1)} s`,
      }
    }),
  ]
}

/** Builds, serves, measures. */
export async function benchPortalLoad(
  orders: number,
  concurrent: number,
  accounts: number,
): Promise<BenchRow[]> {
  const keep = stringArg('keep')
  const root = keep ?? mkdtempSync(join(tmpdir(), 'opencat-bench-portal-'))
  const repoDir = join(root, 'repo')
  const saved = join(root, 'load.json')
  let child: ChildProcess | undefined
  try {
    const reuse = keep !== undefined && existsSync(saved)
    if (keep) mkdirSync(keep, { recursive: true })
    const paths = reuse
      ? (JSON.parse(readFileSync(saved, 'utf8')).paths as Record<string, string[]>)
      : await buildRepository(root, orders)
    if (reuse) {
      // A kept repository may hold a day index of an earlier format, which readers pass by for the store's
      // exact path: brought up to date first (as a link run would), so pages are measured as served.
      const repo = await openRepository(repoDir, { write: true })
      try {
        await refreshDayIndexes(repo, [DATE], { keyNum: KEY_NUM_SQL })
      } finally {
        repo.close()
      }
    }
    const tokens: string[] = reuse ? (JSON.parse(readFileSync(saved, 'utf8')).tokens as string[]) : []
    for (let i = tokens.length; i < accounts; i++) {
      cli(['user', 'add', `load-${i}`, '--repo', repoDir, '--machine', '--role', 'regulator'])
      tokens.push(
        (
          JSON.parse(cli(['token', 'create', '--repo', repoDir, '--user', `load-${i}`, '--json'])) as {
            token: string
          }
        ).token,
      )
    }
    if (keep) writeFileSync(saved, JSON.stringify({ paths, tokens }))
    const servers: { label: string; bin: string }[] = [{ label: 'now', bin: BIN }]
    const against = stringArg('against')
    if (against) servers.unshift({ label: 'before', bin: join(against, 'bin', 'opencat.js') })
    const rows: BenchRow[] = []
    // Rounds alternate the servers, so a change in the machine's load falls on both alike.
    for (let round = 0; round < numberArg('rounds', 1); round++)
      for (const server of servers) {
        const served = await serve(server.bin, repoDir, stringArg('profile'))
        child = served.child
        try {
          rows.push(...(await measureLoad(served, paths, tokens, concurrent, server.label)))
        } finally {
          await stop(child)
        }
      }
    return rows
  } finally {
    if (child) await stop(child)
    if (!keep) {
      rmSync(root, { recursive: true, force: true })
      rmSync(`${repoDir}-keys`, { recursive: true, force: true })
    }
  }
}

if (process.argv[1]?.endsWith('portal-load.bench.ts'))
  report(
    await benchPortalLoad(numberArg('orders', 3000), numberArg('concurrent', 300), numberArg('accounts', 6)),
  )
