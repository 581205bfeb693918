/**
 * How long each view of the web UI takes as a page: Debian's chromium, signed in as a regulator to
 * `opencat serve` on a linked day, opens each view's URL with keys picked from the day (the busiest symbols,
 * orders, accounts and reporters), and the time runs from the navigation until the view's API requests have
 * all been answered (none started in the 400 ms after the last answer). Prints each visit with its requests,
 * when each started and ended after the navigation, then each view's p50 and max.
 * `node bin/run-ts.js bench/ui-pages.bench.ts --repo DIR [--date 2026-03-02] [--visits 4] [--only market,…]
 *  [--opencat PATH] [--json]` (DIR: a repository holding a submitted and linked simulated day; PATH: the
 * `bin/opencat.js` to serve with, e.g. another commit's worktree, to compare two within one run).
 */
import { execFileSync, spawn } from 'node:child_process'
import { chromium, type Page } from 'playwright-core'
import { fromBase32 } from '../src/access/base32.ts'
import { totpCode } from '../src/access/totp.ts'
import '../src/pipeline/stage-views.ts'
import { openRepository } from '../src/store/repository.ts'
import { stringArg } from './harness.ts'

const BIN = stringArg('opencat') ?? new URL('../bin/opencat.js', import.meta.url).pathname
/** Quiet after the last answer that ends a visit. */
const SETTLED_MS = 400

/** `opencat serve` on a free port, resolved once it prints its address. */
async function serve(repo: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--repo', repo, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let seen = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      seen += d
      const m = /portal on (https?:\/\/\S+?)\s/.exec(seen)
      if (m && /Ctrl-C/.test(seen)) resolve(m[1] as string)
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen}`)))
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

interface Timed {
  readonly path: string
  readonly startMs: number
  endMs: number
}

/** Opens one view and waits until its requests are answered; the requests, timed from the navigation. */
async function visit(page: Page, url: string): Promise<{ totalMs: number; requests: Timed[] }> {
  const requests: Timed[] = []
  const open = new Map<unknown, Timed>()
  let t0 = 0
  const onRequest = (r: { url(): string }) => {
    const u = new URL(r.url())
    if (!u.pathname.startsWith('/api/')) return
    const t: Timed = { path: `${u.pathname}${u.search}`, startMs: performance.now() - t0, endMs: Number.NaN }
    open.set(r, t)
    requests.push(t)
  }
  const onDone = (r: unknown) => {
    const t = open.get(r)
    if (t) t.endMs = performance.now() - t0
  }
  page.on('request', onRequest)
  page.on('requestfinished', onDone)
  page.on('requestfailed', onDone)
  await page.goto('about:blank')
  t0 = performance.now()
  await page.goto(url)
  const ownRequests = () => requests.filter((r) => !/^\/api\/(session|summary)\b/.test(r.path))
  const deadline = performance.now() + 120_000
  for (;;) {
    const now = performance.now() - t0
    const last = Math.max(0, ...requests.map((r) => r.endMs))
    const settled =
      ownRequests().length > 0 && requests.every((r) => !Number.isNaN(r.endMs)) && now - last >= SETTLED_MS
    if (settled || performance.now() > deadline) break
    await new Promise((r) => setTimeout(r, 20))
  }
  page.off('request', onRequest)
  page.off('requestfinished', onDone)
  page.off('requestfailed', onDone)
  return { totalMs: Math.max(0, ...requests.map((r) => r.endMs)), requests }
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`

/** The keys each view is opened with, picked from the day: the busiest of each kind. */
async function keysOf(repoDir: string, date: string) {
  const day = Number(date.replaceAll('-', ''))
  const repo = await openRepository(repoDir)
  try {
    const symbols = await repo.db.all<{ symbol: string }>(
      `SELECT symbol FROM current_events WHERE event_date = ? AND _type = 'EXOA'
       GROUP BY ALL ORDER BY count(*) DESC, symbol LIMIT 12`,
      [day],
    )
    const orders = await repo.db.all<{ reporter: string; firmROEID: string }>(
      `SELECT _reporter AS reporter, _roe_id AS firmROEID FROM current_events
       WHERE event_date = ? AND _type = 'MENO' ORDER BY hash(_reporter, _roe_id) LIMIT 12`,
      [day],
    )
    const accounts = await repo.db.all<{ imid: string; fdid: string }>(
      `SELECT _reporter AS imid, fdid FROM event_customers WHERE event_date = ? AND _type = 'MENO'
       GROUP BY imid, fdid ORDER BY count(*) DESC, imid, fdid LIMIT 12`,
      [day],
    )
    const reporters = await repo.db.all<{ r: string }>(
      `SELECT reporter AS r FROM files WHERE role = 'data' AND kind = 'OrderEvents'
       GROUP BY reporter ORDER BY sum(records) DESC, r LIMIT 12`,
    )
    // Dashboards and report cards are of the day the files were processed.
    const processed = await repo.db.one<{ d: number }>(
      `SELECT max(processing_date) AS d FROM files WHERE role = 'data' AND generation_date = ?`,
      [day],
    )
    return {
      symbols: symbols.map((s) => s.symbol),
      orders,
      accounts,
      reporters: reporters.map((r) => r.r),
      processed: String(processed?.d ?? day).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'),
    }
  } finally {
    repo.close()
  }
}

async function main(): Promise<void> {
  const repo = stringArg('repo') ?? ''
  if (!repo) throw new Error('--repo DIR is required')
  const date = stringArg('date') ?? '2026-03-02'
  const visits = Number(stringArg('visits') ?? '4')
  const only = (stringArg('only') ?? '').split(',').filter((x) => x !== '')
  const json = process.argv.includes('--json')
  const k = await keysOf(repo, date)
  const at = <T>(list: readonly T[], i: number) => list[i % list.length] as T
  // Each visit of a view asks for a different key and, for the market, a different time of day.
  const window = (i: number, minutes: number) => {
    const start = 9 * 60 + 40 + ((i * 37) % 300)
    return `from=${clock(start)}&to=${clock(start + minutes)}`
  }
  const views: Record<string, (i: number) => string> = {
    search: (i) => `#/search?q=${at(k.orders, i).firmROEID}&date=${date}`,
    lifecycle: (i) =>
      `#/lifecycle?reporter=${at(k.orders, i).reporter}&firmROEID=${at(k.orders, i).firmROEID}`,
    'browse: a symbol': (i) => `#/browse?date=${date}&symbol=${at(k.symbols, i)}&limit=50`,
    'browse: the whole day': () => `#/browse?date=${date}&limit=50`,
    'market: 10 minutes': (i) => `#/market?symbol=${at(k.symbols, i)}&date=${date}&${window(i, 10)}`,
    'market: 30 minutes': (i) => `#/market?symbol=${at(k.symbols, i + 4)}&date=${date}&${window(i + 4, 30)}`,
    'market: the whole day': (i) =>
      `#/market?symbol=${at(k.symbols, i + 8)}&date=${date}&from=09:30:00&to=16:00:00`,
    customer: (i) =>
      `#/customer?reporter=${at(k.accounts, i).imid}&fdid=${at(k.accounts, i).fdid}&from=${date}&to=${date}`,
    'blue sheet': (i) => `#/bluesheet?symbol=${at(k.symbols, i)}&from=${date}&to=${date}`,
    dashboard: () => `#/dashboard?date=${k.processed}`,
    'report card': (i) => `#/report-card?reporter=${at(k.reporters, i)}&date=${k.processed}`,
    alerts: () => `#/alerts?date=${date}`,
  }

  const user = `bench-ui-${process.pid}`
  const added = JSON.parse(
    execFileSync(
      process.execPath,
      [BIN, 'user', 'add', user, '--repo', repo, '--role', 'regulator', '--json'],
      {
        encoding: 'utf8',
      },
    ),
  ) as { password: string; totpSecret: string }
  const portal = await serve(repo)
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  try {
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage()
    await page.goto(`${portal.url}/`)
    await page.waitForSelector('#signin-form')
    await page.fill('#signin-form input[name="user"]', user)
    await page.fill('#signin-form input[name="password"]', added.password)
    const code = totpCode(fromBase32(added.totpSecret) ?? Buffer.alloc(0), Date.now() / 1000)
    await page.fill('#signin-form input[name="totp"]', code)
    await page.click('#signin-form button[type="submit"]')
    await page.waitForSelector('#signout:not([hidden])')

    const summary: string[] = []
    for (const [name, url] of Object.entries(views)) {
      if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue
      const times: number[] = []
      for (let i = 0; i < visits; i++) {
        const r = await visit(page, `${portal.url}/${url(i)}`)
        times.push(r.totalMs)
        if (json) {
          process.stdout.write(`${JSON.stringify({ view: name, url: url(i), ...r })}\n`)
          continue
        }
        process.stdout.write(`${name.padEnd(22)} ${r.totalMs.toFixed(0).padStart(6)} ms  ${url(i)}\n`)
        for (const q of r.requests)
          process.stdout.write(
            `      ${q.startMs.toFixed(0).padStart(6)} → ${q.endMs.toFixed(0).padStart(6)} ms  ${q.path.slice(0, 110)}\n`,
          )
      }
      const sorted = [...times].sort((a, b) => a - b)
      const p50 = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
      summary.push(
        `${name.padEnd(22)} p50 ${p50.toFixed(0).padStart(5)} ms  max ${Math.max(...times)
          .toFixed(0)
          .padStart(5)} ms  (${times.map((t) => t.toFixed(0)).join(', ')})`,
      )
    }
    if (!json) process.stdout.write(`\n${summary.join('\n')}\n`)
  } finally {
    await browser.close()
    portal.stop()
  }
}

await main()
