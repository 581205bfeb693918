/**
 * How fast the web UI's pages answer on a big day: the API requests behind the search, the day browser
 * and the lifecycle graph, timed one at a time over HTTPS on loopback against an in-process portal, for
 * a regulator's token. The day is the synthetic one of link.bench.ts (written straight into the store and
 * linked), or an existing linked repository (`--repo DIR`, such as one kept with link.bench.ts --keep).
 * Reports per page: the first request (cold: connections opened, files first read) and p50/p99/max of the
 * rest, each with a different key.
 * `node bin/run-ts.js bench/portal-pages.bench.ts [--repo DIR | --events N] [--requests 30] [--browse-requests N] [--json]`
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWeb, webIsFresh } from '../bin/web.js'
import '../src/pipeline/stage-views.ts'
import { startPortal } from '../src/server/server.ts'
import { type BenchRow, numberArg, peakRssMB, percentile, report, stringArg } from './harness.ts'
import { benchLink } from './link.bench.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'opencat.js')
const DATE = '2026-03-02'
// The synthetic day's names (link.bench.ts): firms F000…F039, symbols S0000…S3999, orders `${date}_N<i>`.
const FIRMS = 40
const SYMBOLS = 4000

function cli(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
}

function get(url: string, ca: string | undefined, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** A spread of distinct keys: the k-th of n over 0…size-1. */
function spread(k: number, size: number): number {
  return Math.floor((((k * 2654435761) % 4294967296) / 4294967296) * size)
}

export async function benchPortalPages(
  repoDir: string,
  requests: number,
  browseRequests = requests,
): Promise<BenchRow[]> {
  const user = `pages-${process.pid}`
  cli(['user', 'add', user, '--repo', repoDir, '--machine', '--role', 'regulator'])
  const token = (
    JSON.parse(cli(['token', 'create', '--repo', repoDir, '--user', user, '--json'])) as { token: string }
  ).token
  if (!webIsFresh()) await buildWeb()
  const portal = await startPortal({ repo: repoDir, port: 0 })
  const ca = portal.certificate?.cert
  const rows: BenchRow[] = []
  try {
    // The order ids of the synthetic day: the first firm's order k is `${date}_N<k>` reported by F<k % 40>.
    const order = (k: number) => {
      const i = spread(k, 1_000_000)
      return { reporter: `F${String(i % FIRMS).padStart(3, '0')}`, roe: `20260302_N${i}` }
    }
    const symbol = (k: number) => `S${String(spread(k, SYMBOLS)).padStart(4, '0')}`
    const firm = (k: number) => `F${String(k % FIRMS).padStart(3, '0')}`
    const firstPage = JSON.parse((await get(`${portal.url}/api/browse?date=${DATE}`, ca, token)).body) as {
      next: string | null
    }
    const pages: Record<string, (k: number) => string> = {
      'search: an order id': (k) => `/api/search?q=${order(k).roe}&date=${DATE}`,
      'search: a symbol': (k) => `/api/search?q=${symbol(k)}&date=${DATE}`,
      'search: a reporter': (k) => `/api/search?q=${firm(k)}&date=${DATE}`,
      'browse: the whole day, first page': () => `/api/browse?date=${DATE}`,
      'browse: the whole day, a later page': () => `/api/browse?date=${DATE}&after=${firstPage.next}`,
      'browse: a symbol': (k) => `/api/browse?date=${DATE}&symbol=${symbol(k)}`,
      'browse: a reporter, 5 minutes': (k) =>
        `/api/browse?date=${DATE}&reporter=${firm(k)}&from=10:${String(k % 55).padStart(2, '0')}&to=10:${String((k % 55) + 5).padStart(2, '0')}`,
      'lifecycle graph: by order': (k) =>
        `/api/lifecycle/graph?reporter=${order(k).reporter}&firmROEID=${order(k).roe}`,
    }
    for (const [name, path] of Object.entries(pages)) {
      const times: number[] = []
      let failures = 0
      // A page that reads the whole day takes minutes on a big day: two requests tell its cost.
      const n = name.startsWith('browse') ? Math.min(requests, browseRequests) : requests
      for (let k = 0; k <= n; k++) {
        const t = process.hrtime.bigint()
        const res = await get(`${portal.url}${path(k)}`, ca, token)
        times.push(Number(process.hrtime.bigint() - t) / 1e6)
        if (res.status !== 200 && !(res.status === 404 && name.startsWith('lifecycle'))) failures++
      }
      const cold = times.shift()!
      const sorted = [...times].sort((a, b) => a - b)
      const p = (q: number) => percentile(sorted, q)
      const total = times.reduce((s, x) => s + x, 0) / 1000
      rows.push({
        bench: 'portal',
        case: name,
        items: times.length,
        seconds: Number(total.toFixed(3)),
        perSecond: Math.round(times.length / total),
        perSecondPerCore: Math.round(times.length / total),
        peakRssMB: peakRssMB(),
        note: `first ${cold.toFixed(0)} ms; then p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms${failures ? `; ${failures} failed` : ''}`,
      })
    }
  } finally {
    await portal.close()
  }
  return rows
}

if (process.argv[1]?.endsWith('portal-pages.bench.ts')) {
  const requests = numberArg('requests', 30)
  const given = stringArg('repo')
  const browseRequests = numberArg('browse-requests', requests)
  if (given) report(await benchPortalPages(given, requests, browseRequests))
  else {
    const root = mkdtempSync(join(tmpdir(), 'opencat-bench-pages-'))
    try {
      const built = await benchLink({ events: numberArg('events', 10_000_000), lookups: 1, keep: root })
      report([...built, ...(await benchPortalPages(join(root, 'repo'), requests, browseRequests))])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
}
