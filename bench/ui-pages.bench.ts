/**
 * How long the market view takes as a page: Debian's chromium, signed in as a regulator to `opencat serve`
 * on a linked day, opens `#/market` for each symbol and window, and the time runs from the navigation until
 * the view's last API answer (its chart, depth and replay all shown). Prints each visit with its requests:
 * when each started and ended after the navigation, so where a page's time goes can be read off.
 * `node bin/run-ts.js bench/market-view-page.bench.ts --repo DIR [--date 2026-03-02] [--symbols A,B]
 *  [--windows 10,30,day] [--json]` (DIR: a repository holding a submitted and linked simulated day).
 */
import { execFileSync, spawn } from 'node:child_process'
import { chromium, type Page } from 'playwright-core'
import { fromBase32 } from '../src/access/base32.ts'
import { totpCode } from '../src/access/totp.ts'

function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}

const BIN = new URL('../bin/opencat.js', import.meta.url).pathname

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

/** Opens one market view and waits for its last answer; the requests it made, timed from the navigation. */
async function visit(page: Page, hash: string): Promise<{ totalMs: number; requests: Timed[] }> {
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
  await page.goto(hash)
  await page.waitForSelector('.nbbo[data-at]', { timeout: 120_000 })
  await page.waitForSelector('#replay-table tbody tr', { timeout: 120_000 })
  // Answers still in flight when both are shown (none should be) are waited for.
  const deadline = performance.now() + 60_000
  while (requests.some((r) => Number.isNaN(r.endMs)) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 10))
  page.off('request', onRequest)
  page.off('requestfinished', onDone)
  page.off('requestfailed', onDone)
  const totalMs = Math.max(0, ...requests.map((r) => r.endMs))
  return { totalMs, requests }
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`

async function main(): Promise<void> {
  const repo = stringArg('repo', '')
  if (!repo) throw new Error('--repo DIR is required')
  const date = stringArg('date', '2026-03-02')
  const symbols = stringArg('symbols', 'JYS,GGCE,LBKL,PWJ').split(',')
  const windows = stringArg('windows', '10,30,day').split(',')
  const json = process.argv.includes('--json')

  const user = `bench-view-${process.pid}`
  const added = JSON.parse(
    execFileSync(
      process.execPath,
      [BIN, 'user', 'add', user, '--repo', repo, '--role', 'regulator', '--json'],
      { encoding: 'utf8' },
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
    await page.fill(
      '#signin-form input[name="totp"]',
      totpCode(fromBase32(added.totpSecret) ?? Buffer.alloc(0), Date.now() / 1000),
    )
    await page.click('#signin-form button[type="submit"]')
    await page.waitForSelector('#signout:not([hidden])')

    let k = 0
    for (const w of windows) {
      for (const symbol of symbols) {
        // Each visit starts at a different time of day, so no answer is one the portal has just given.
        const start = 9 * 60 + 40 + ((k++ * 37) % 300)
        const [from, to] = w === 'day' ? ['09:30:00', '16:00:00'] : [clock(start), clock(start + Number(w))]
        const hash = `${portal.url}/#/market?symbol=${symbol}&date=${date}&from=${from}&to=${to}`
        const r = await visit(page, hash)
        if (json) {
          process.stdout.write(`${JSON.stringify({ window: w, symbol, from, to, ...r })}\n`)
          continue
        }
        process.stdout.write(
          `${w.padEnd(4)} ${symbol.padEnd(6)} ${from}-${to}  ${r.totalMs.toFixed(0).padStart(6)} ms\n`,
        )
        for (const q of r.requests)
          process.stdout.write(
            `      ${q.startMs.toFixed(0).padStart(6)} → ${q.endMs.toFixed(0).padStart(6)} ms  ${q.path.slice(0, 110)}\n`,
          )
      }
    }
  } finally {
    await browser.close()
    portal.stop()
  }
}

await main()
