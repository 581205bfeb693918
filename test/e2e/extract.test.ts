/**
 * Bulk extracts through the real server and `opencat extract` on a simulated day: a day's current events
 * (whole, or one symbol and reporter) and a query's rows, as Parquet (read back by DuckDB) and CSV, equal
 * what `opencat sql` answers for the same rows; the file is named in content-disposition, the access log
 * has the row count, and reporters, anonymous callers, writes and reads of PII are refused.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAccessLog } from '../../src/store/access-log.ts'
import { Database, literal } from '../../src/store/database.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { runCli } from '../support/cli.ts'
import { type PortalClient, type ServedPortal, servePortal } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-extract-test-'))
const dir = join(root, 'repo')
const tokens: Record<string, string> = {}
let served: ServedPortal
let reg: PortalClient
let scratch: Database
let date: string
let symbol: string
let reporter: string

/** The SQL `opencat sql` is asked for the rows of an extract of the day. */
function daySql(filters = ''): string {
  return `SELECT * FROM current_events WHERE event_date = ${date.replaceAll('-', '')} ${filters} ORDER BY _event_ns, _event_id`
}

async function sqlTo(sql: string, format: 'parquet' | 'csv'): Promise<string> {
  const out = join(mkdtempSync(join(root, 'sql-')), `rows.${format}`)
  const r = await runCli([
    'sql',
    '--repo',
    dir,
    '--token',
    tokens.reg,
    '--max-rows',
    '10000000',
    '--out',
    out,
    sql,
  ])
  expect(r.code, r.stderr).toBe(0)
  return out
}

/** The rows of two Parquet files agree, in order and exactly; returns the row count. */
async function sameParquet(a: string, b: string): Promise<number> {
  const read = (f: string) =>
    scratch.all<Record<string, unknown>>(`SELECT * FROM read_parquet(${literal(f)})`)
  const [x, y] = [await read(a), await read(b)]
  expect(x).toEqual(y)
  return x.length
}

async function token(user: string): Promise<string> {
  const r = await runCli(['token', 'create', '--repo', dir, '--user', user, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { token: string }).token
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 250, seed: 23 })
  expect(
    (await runCli(['init', '--repo', dir, '--reference', join(day, 'reference'), '--pii-vault'])).code,
  ).toBe(0)
  const s = await runCli(['submit', '--repo', dir, '--at', '2026-03-03T09:00:00', join(day, 'submissions')])
  expect(s.code, s.stderr).toBe(0)
  for (const [name, role, extra] of [
    ['reg', 'regulator', []],
    ['rep', 'reporter', ['--imid', 'LARC']],
  ] as const) {
    const r = await runCli(['user', 'add', name, '--repo', dir, '--machine', '--role', role, ...extra])
    expect(r.code, r.stderr).toBe(0)
    tokens[name] = await token(name)
  }
  const busiest = await runCli([
    'sql',
    '--repo',
    dir,
    '--token',
    tokens.reg,
    '--json',
    `SELECT CAST(event_date AS VARCHAR) AS d, symbol, _reporter AS r, count(*) AS n FROM current_events
     WHERE symbol IS NOT NULL GROUP BY ALL ORDER BY n DESC, d, symbol, r LIMIT 1`,
  ])
  expect(busiest.code, busiest.stderr).toBe(0)
  const top = (JSON.parse(busiest.stdout) as { rows: { d: string; symbol: string; r: string }[] }).rows[0]
  ;[date, symbol, reporter] = [top.d.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'), top.symbol, top.r]
  scratch = await Database.open(':memory:')
  served = await servePortal(dir)
  reg = served.client.withToken(tokens.reg)
}, 300_000)

afterAll(async () => {
  scratch?.close()
  await served?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('opencat extract', { timeout: 120_000 }, () => {
  it("writes the day's current events as Parquet and CSV, as opencat sql gives them", async () => {
    const out = join(root, 'day.parquet')
    const r = await runCli([
      'extract',
      '--repo',
      dir,
      '--date',
      date,
      '--out',
      out,
      '--token',
      tokens.reg,
      '--json',
    ])
    expect(r.code, `${date} ${r.stdout} ${r.stderr}`).toBe(0)
    const summary = JSON.parse(r.stdout) as { rowCount: number; format: string; user: string }
    expect(summary.format).toBe('parquet')
    expect(summary.user).toBe('reg')
    const rows = await sameParquet(out, await sqlTo(daySql(), 'parquet'))
    expect(rows).toBe(summary.rowCount)
    expect(rows).toBeGreaterThan(100)

    const csv = join(root, 'day.csv')
    const c = await runCli([
      'extract',
      '--repo',
      dir,
      '--date',
      date,
      '--format',
      'csv',
      '--out',
      csv,
      '--operator',
    ])
    expect(c.code, c.stderr).toBe(0)
    expect(c.stdout).toContain(`${rows} rows written`)
    expect(readFileSync(csv, 'utf8')).toBe(readFileSync(await sqlTo(daySql(), 'csv'), 'utf8'))
  })

  it('refuses a reporter and a bad format, and logs the run', async () => {
    const out = join(root, 'refused.parquet')
    const r = await runCli([
      'extract',
      '--repo',
      dir,
      '--date',
      date,
      '--out',
      out,
      '--token',
      tokens.rep,
      '--json',
    ])
    expect(r.code).not.toBe(0)
    expect(JSON.parse(r.stdout).code).toBe('OCAT_ERR_AUTH_FORBIDDEN')
    const bad = await runCli([
      'extract',
      '--repo',
      dir,
      '--date',
      date,
      '--out',
      join(root, 'x.txt'),
      '--json',
    ])
    expect(JSON.parse(bad.stdout).code).toBe('OCAT_ERR_CLI_USAGE')
    const log = readAccessLog(new RepoPaths(dir)).entries
    expect(log.some((l) => l.user === 'reg' && l.action === 'extract' && (l.rows ?? 0) > 100)).toBe(true)
  })
})

describe('the extract routes', { timeout: 120_000 }, () => {
  it("GET /api/extract streams the day's events (or one symbol's of one reporter) as a named Parquet file", async () => {
    const res = await reg.get(`/api/extract?date=${date}&format=parquet`)
    expect(res.status, res.text).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="opencat-events-${date}.parquet"`)
    const file = join(root, 'api-day.parquet')
    writeFileSync(file, res.body)
    const all = await sameParquet(file, await sqlTo(daySql(), 'parquet'))

    const one = await reg.get(
      `/api/extract?date=${date}&format=csv&symbol=${encodeURIComponent(symbol)}&reporter=${reporter}`,
    )
    expect(one.status, one.text).toBe(200)
    expect(one.headers['content-type']).toContain('text/csv')
    const expected = readFileSync(
      await sqlTo(daySql(`AND symbol = ${literal(symbol)} AND _reporter = ${literal(reporter)}`), 'csv'),
      'utf8',
    )
    expect(one.text).toBe(expected)
    const lines = one.text.trim().split('\n').length - 1
    expect(lines).toBeGreaterThan(0)
    expect(lines).toBeLessThan(all)
    const log = readAccessLog(new RepoPaths(dir)).entries
    expect(
      log.some(
        (l) =>
          l.user === 'reg' && l.action === 'extract' && l.rows === lines && /symbol=/.test(l.subject ?? ''),
      ),
    ).toBe(true)
    // Nothing of the extract stays behind in the temporary folder.
    expect(
      readdirSync(tmpdir()).filter((f) => f.startsWith('opencat-extract-') && !f.includes('test')),
    ).toEqual([])
  })

  it("POST /api/extract streams a query's rows, as opencat sql writes them", async () => {
    const sql = `SELECT _reporter, _type, count(*) AS n FROM current_events GROUP BY ALL ORDER BY ALL`
    const csv = await reg.send('POST', '/api/extract', { sql, format: 'csv' })
    expect(csv.status, csv.text).toBe(200)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="opencat-query.csv"')
    expect(csv.text).toBe(readFileSync(await sqlTo(sql, 'csv'), 'utf8'))
    const parquet = await reg.send('POST', '/api/extract', { sql, format: 'parquet' })
    expect(parquet.status).toBe(200)
    const file = join(root, 'api-query.parquet')
    writeFileSync(file, parquet.body)
    expect(await sameParquet(file, await sqlTo(sql, 'parquet'))).toBeGreaterThan(1)
  })

  it('refuses reporters, anonymous callers, writes and PII as POST /api/sql does', async () => {
    const rep = served.client.withToken(tokens.rep)
    expect((await rep.get(`/api/extract?date=${date}&format=csv`)).status).toBe(403)
    expect((await rep.send('POST', '/api/extract', { sql: 'SELECT 1', format: 'csv' })).status).toBe(403)
    expect((await served.client.get(`/api/extract?date=${date}&format=csv`)).status).toBe(401)
    expect(
      (await served.client.send('POST', '/api/extract', { sql: 'SELECT 1', format: 'csv' })).status,
    ).toBe(401)
    for (const sql of [
      'DELETE FROM files',
      "COPY (SELECT 1) TO '/tmp/opencat-extract-out.csv'",
      `SELECT * FROM read_blob('${dir}/vault/*')`,
      `SELECT * FROM read_text('${dir}/accounts/accounts.json')`,
    ]) {
      const res = await reg.send('POST', '/api/extract', { sql, format: 'parquet' })
      expect(res.status, sql).toBe(400)
      expect(res.json().code, sql).toBe('OCAT_ERR_SQL_REFUSED')
    }
    expect((await reg.get(`/api/extract?date=${date}&format=json`)).status).toBe(400)
    expect((await reg.get('/api/extract?date=yesterday&format=csv')).status).toBe(400)
  })
})
