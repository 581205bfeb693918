/**
 * How fast the market, customer and operations pages of the web UI answer on a linked simulated day: the
 * API requests behind each page (the market window and the depth at an instant, alone and as the view asks, a replay page, a
 * customer's day, the blue sheet, the dashboard, a report card, the alerts queue), timed one at a time
 * over HTTPS on loopback against an in-process portal, for a regulator's token. Reports per page the
 * first request (cold) and p50/max of the rest, each with a different key (window, instant, account; the
 * busiest customer's pages one after another, each from the previous answer's cursor), and the largest answer.
 * `node bin/run-ts.js bench/portal-market-pages.bench.ts --repo DIR [--date 2026-03-02] [--requests 10] [--only PAGE,…]`
 * (DIR: a repository holding a submitted and linked simulated day, e.g. from opencat simulate/init/submit).
 */
import { execFileSync } from 'node:child_process'
import { request } from 'node:https'
import '../src/pipeline/stage-views.ts'
import { startPortal } from '../src/server/server.ts'
import { openRepository } from '../src/store/repository.ts'
import { type BenchRow, numberArg, peakRssMB, report, stringArg } from './harness.ts'

const BIN = new URL('../bin/opencat.js', import.meta.url).pathname

function cli(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
}

function get(
  url: string,
  ca: string | undefined,
  token: string,
): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => {
        chunks.push(c)
      })
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, bytes: body.length, body: body.toString('utf8') })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`

export async function benchMarketPages(repoDir: string, date: string, requests: number): Promise<BenchRow[]> {
  const day = Number(date.replaceAll('-', ''))
  const repo = await openRepository(repoDir)
  const events = await repo.db.one<{ n: bigint }>(
    'SELECT count(*) AS n FROM current_events WHERE event_date = ?',
    [day],
  )
  const busy = await repo.db.all<{ venue: string; symbol: string }>(
    `SELECT _reporter AS venue, symbol FROM current_events WHERE event_date = ? AND _type = 'EXOA'
     GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 10`,
    [day],
  )
  const accounts = await repo.db.all<{ imid: string; fdid: string; ccid: string }>(
    `SELECT _reporter AS imid, fdid, min(ccid) AS ccid FROM event_customers WHERE event_date = ? AND _type = 'MENO'
     GROUP BY imid, fdid ORDER BY count(*) DESC, imid, fdid LIMIT 20`,
    [day],
  )
  // The customers with the most events naming their accounts (a trade names one on either side).
  const busiest = await repo.db.all<{ ccid: string }>(
    `SELECT ccid FROM event_customers WHERE event_date = ? AND ccid IS NOT NULL
     GROUP BY ccid ORDER BY count(*) DESC, ccid LIMIT 4`,
    [day],
  )
  // Blue sheets of the symbols with the most executions (the busiest by accepted orders may trade less).
  const traded = await repo.db.all<{ symbol: string }>(
    `SELECT symbol FROM current_events WHERE event_date = ? AND _type IN ('EXOT', 'MEOT', 'MEOF')
     GROUP BY ALL ORDER BY count(*) DESC, symbol LIMIT 10`,
    [day],
  )
  const reporters = await repo.db.all<{ r: string }>(
    `SELECT DISTINCT reporter AS r FROM files WHERE role = 'data' AND kind IN ('OrderEvents', 'ExchangeEvents') ORDER BY r`,
  )
  // Dashboards and report cards are of the day the files were processed, which may be later than the events'.
  const processed = await repo.db.one<{ d: number }>(
    `SELECT max(processing_date) AS d FROM files WHERE role = 'data' AND generation_date = ?`,
    [day],
  )
  const processedIso = String(processed?.d ?? day).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
  repo.close()
  const user = `market-pages-${process.pid}`
  cli(['user', 'add', user, '--repo', repoDir, '--machine', '--role', 'regulator'])
  const token = (
    JSON.parse(cli(['token', 'create', '--repo', repoDir, '--user', user, '--json'])) as { token: string }
  ).token
  const portal = await startPortal({ repo: repoDir, port: 0 })
  const ca = portal.certificate?.cert
  const rows: BenchRow[] = []
  // Windows of 10 minutes and instants spread over the trading day (09:30–16:00 ET).
  const minute = (k: number) => 570 + ((k * 37) % 380)
  const pick = <T>(list: T[], k: number) => list[k % list.length]
  const instant = (k: number) =>
    `${date}T${clock(minute(k)).slice(0, 5)}:${String((k * 13) % 60).padStart(2, '0')}`
  // A page's request; `previous` is the answer to the request before it (a paged answer's `next` cursor).
  const pages: Record<string, (k: number, previous: string | undefined) => string> = {
    'market: 10-minute window': (k) =>
      `/api/market?symbol=${pick(busy, k).symbol}&date=${date}&from=${clock(minute(k))}&to=${clock(minute(k) + 10)}&spans=1000`,
    // The market view asks for its chart's 1,000 spans; a script asking without them gets every change.
    'market: the whole day, for the chart': (k) =>
      `/api/market?symbol=${pick(busy, k).symbol}&date=${date}&from=09:30:00&to=16:00:00&spans=1000`,
    'market: the whole day, every change': (k) =>
      `/api/market?symbol=${pick(busy, k).symbol}&date=${date}&from=09:30:00&to=16:00:00`,
    'depth: NBBO at an instant': (k) => `/api/nbbo?symbol=${pick(busy, k).symbol}&at=${instant(k)}`,
    'depth: a venue book at an instant': (k) =>
      `/api/book?venue=${pick(busy, k).venue}&symbol=${pick(busy, k).symbol}&at=${instant(k)}&depth=5`,
    'depth: the NBBO and every venue book at an instant (the view)': (k) =>
      `/api/depth?symbol=${pick(busy, k).symbol}&at=${instant(k)}&depth=5`,
    'replay: a page of 100, 10-minute window': (k) =>
      `/api/replay?symbol=${pick(busy, k).symbol}&date=${date}&from=${clock(minute(k))}&to=${clock(minute(k) + 10)}&limit=100&depth=0`,
    "customer: an account's day": (k) =>
      `/api/customer?reporter=${pick(accounts, k).imid}&fdid=${pick(accounts, k).fdid}&from=${date}&to=${date}`,
    "customer: a CCID's day (every account)": (k) =>
      `/api/customer?ccid=${pick(accounts, k).ccid}&from=${date}&to=${date}`,
    "customer: the busiest CCIDs' day (first page)": (k) =>
      `/api/customer?ccid=${pick(busiest, k).ccid}&from=${date}&to=${date}`,
    'customer: the busiest CCID, page after page': (_k, previous) => {
      const next = previous === undefined ? undefined : (JSON.parse(previous) as { next?: string }).next
      return `/api/customer?ccid=${busiest[0].ccid}&from=${date}&to=${date}${next ? `&after=${next}` : ''}`
    },
    'blue sheet: a symbol': (k) => `/api/bluesheet?symbol=${pick(busy, k).symbol}&from=${date}&to=${date}`,
    'blue sheet: a most traded symbol': (k) =>
      `/api/bluesheet?symbol=${pick(traded, k).symbol}&from=${date}&to=${date}`,
    dashboard: () => `/api/dashboard?date=${processedIso}`,
    'report card': (k) => `/api/report-card?reporter=${pick(reporters, k).r}&date=${processedIso}`,
    'alerts queue': () => `/api/alerts?date=${date}`,
  }
  try {
    const only = stringArg('only')
    for (const [name, path] of Object.entries(pages)) {
      if (only && !only.split(',').some((o) => name.startsWith(o))) continue
      const times: number[] = []
      let failures = 0
      let bytes = 0
      let previous: string | undefined
      for (let k = 0; k <= requests; k++) {
        const t = process.hrtime.bigint()
        const res = await get(`${portal.url}${path(k, previous)}`, ca, token)
        times.push(Number(process.hrtime.bigint() - t) / 1e6)
        if (res.status !== 200) failures++
        bytes = Math.max(bytes, res.bytes)
        previous = res.status === 200 ? res.body : undefined
      }
      const cold = times.shift()!
      const sorted = [...times].sort((a, b) => a - b)
      const total = times.reduce((s, x) => s + x, 0) / 1000
      rows.push({
        bench: `portal pages (${Number(events?.n ?? 0).toLocaleString('en-US')} events)`,
        case: name,
        items: times.length,
        seconds: Number(total.toFixed(3)),
        perSecond: Math.round(times.length / total),
        perSecondPerCore: Math.round(times.length / total),
        peakRssMB: peakRssMB(),
        note: `first ${cold.toFixed(0)} ms; then p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms; answers up to ${(bytes / 1e6).toFixed(2)} MB${failures ? `; ${failures} failed` : ''}`,
      })
    }
  } finally {
    await portal.close()
  }
  return rows
}

if (process.argv[1]?.endsWith('portal-market-pages.bench.ts')) {
  const repoDir = stringArg('repo')
  if (!repoDir) throw new Error('--repo DIR is required: a repository holding a linked simulated day')
  report(await benchMarketPages(repoDir, stringArg('date') ?? '2026-03-02', numberArg('requests', 10)))
}
