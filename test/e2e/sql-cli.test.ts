/**
 * `opencat sql` on a simulated day with faults and a PII vault: a regulator's token reads the store's views
 * and gets the counts `report-card` and `lifecycle` give; CSV and Parquet outputs read back equal to the
 * rows; writes, settings, attaching and any file outside the store (the vault, the inbox, the account
 * store, /etc/passwd) are refused by the engine with a clear message; reporters', revoked, expired and
 * disabled users' tokens are refused; row and time limits hold; every query is in the access log.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAccessLog } from '../../src/store/access-log.ts'
import { Database, literal } from '../../src/store/database.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-sql-'))
const dir = join(root, 'repo')
const tokens: Record<string, string> = {}
let scratch: Database

interface Answer {
  user: string
  columns: { name: string; type: string }[]
  rowCount: number
  truncated: boolean
  rows: Record<string, unknown>[]
  code?: string
  message?: string
  refusal?: string
}

async function sql(query: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = await runCli(['sql', '--repo', dir, ...extra, '--json', query], env)
  expect(r.stdout, r.stderr).not.toBe('')
  return { ...(JSON.parse(r.stdout) as Answer), exit: r.code }
}

const asRegulator = (query: string, extra: string[] = []) => sql(query, ['--token', tokens.reg, ...extra])

async function token(user: string, extra: string[] = []): Promise<string> {
  const r = await runCli(['token', 'create', '--repo', dir, '--user', user, '--json', ...extra])
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { token: string }).token
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 300, faults: 0.04, seed: 31 })
  expect(
    (await runCli(['init', '--repo', dir, '--reference', join(day, 'reference'), '--pii-vault'])).code,
  ).toBe(0)
  const s = await runCli(['submit', '--repo', dir, '--at', '2026-03-03T09:00:00', join(day, 'submissions')])
  expect(s.code, s.stderr).toBe(0)
  for (const [name, role, extra] of [
    ['reg', 'regulator', []],
    ['rep', 'reporter', ['--imid', 'LARC']],
    ['gone', 'regulator', []],
    ['off', 'regulator', []],
  ] as const) {
    const r = await runCli(['user', 'add', name, '--repo', dir, '--machine', '--role', role, ...extra])
    expect(r.code, r.stderr).toBe(0)
    tokens[name] = await token(name)
  }
  tokens.expired = await token('reg', ['--expires', '2020-01-01'])
  expect((await runCli(['token', 'revoke', '--repo', dir, '--user', 'gone', '--all'])).code).toBe(0)
  expect((await runCli(['user', 'disable', 'off', '--repo', dir])).code).toBe(0)
  scratch = await Database.open(':memory:')
}, 300_000)

afterAll(() => scratch?.close())

describe('opencat sql answers what the other commands answer', { timeout: 180_000 }, () => {
  it("counts each reporter's records and rejects as report-card does", async () => {
    const per = await asRegulator(
      `WITH a AS (SELECT _reporter, _processing_date, count(*) AS n FROM events GROUP BY ALL),
            r AS (SELECT _reporter, processing_date AS _processing_date, count(*) AS n FROM rejects GROUP BY ALL)
       SELECT a._reporter AS reporter, a._processing_date AS date, a.n AS accepted, coalesce(r.n, 0) AS rejected
       FROM a LEFT JOIN r USING (_reporter, _processing_date)
       ORDER BY rejected DESC, reporter LIMIT 3`,
    )
    expect(per.exit).toBe(0)
    expect(per.rowCount).toBe(3)
    expect(per.rows.some((r) => Number(r.rejected) > 0)).toBe(true)
    for (const row of per.rows) {
      const d = String(row.date)
      const card = await runCli([
        'report-card',
        '--repo',
        dir,
        '--reporter',
        String(row.reporter),
        '--date',
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`,
        '--json',
      ])
      expect(card.code, card.stderr).toBe(0)
      const c = JSON.parse(card.stdout) as { records: number; stages: { stage: string; errors: number }[] }
      expect(c.records).toBe(Number(row.accepted) + Number(row.rejected))
      expect(c.stages.find((s) => s.stage === 'ingestion')?.errors).toBe(Number(row.rejected))
    }
  })

  it("lists a lifecycle's events as opencat lifecycle does", async () => {
    const pick = await asRegulator(
      `SELECT lifecycle_id FROM linkage_members GROUP BY ALL HAVING count(DISTINCT _reporter) > 2 ORDER BY lifecycle_id LIMIT 1`,
    )
    expect(pick.rowCount).toBe(1)
    const id = String(pick.rows[0].lifecycle_id)
    const members = await asRegulator(
      `SELECT _reporter, _roe_id FROM linkage_members WHERE lifecycle_id = '${id}' ORDER BY ALL`,
    )
    const lc = await runCli(['lifecycle', '--repo', dir, '--lifecycle', id, '--json'])
    expect(lc.code, lc.stderr).toBe(0)
    const events = (JSON.parse(lc.stdout) as { events: { reporter: string; firmROEID: string }[] }).events
    expect(members.rows.map((r) => `${r._reporter} ${r._roe_id}`)).toEqual(
      events.map((e) => `${e.reporter} ${e.firmROEID}`).sort(),
    )
  })

  it('writes Parquet and CSV that read back equal to the rows it prints', async () => {
    const q = `SELECT _event_id, _reporter, _type, symbol, price, quantity, _event_ns, event_date
               FROM current_events WHERE price IS NOT NULL ORDER BY _event_id LIMIT 300`
    const shown = await asRegulator(q)
    expect(shown.rowCount).toBe(300)
    expect(shown.columns.find((c) => c.name === 'price')?.type).toBe('DECIMAL(18,8)')
    const parquet = join(root, 'rows.parquet')
    const csv = join(root, 'rows.csv')
    expect((await runCli(['sql', '--repo', dir, '--token', tokens.reg, '--out', parquet, q])).code).toBe(0)
    expect(
      (await runCli(['sql', '--repo', dir, '--token', tokens.reg, '--format', 'csv', '--out', csv, q])).code,
    ).toBe(0)
    expect(await scratch.all(`SELECT * FROM read_parquet(${literal(parquet)})`)).toEqual(shown.rows)
    const back = await scratch.all(`SELECT * FROM read_csv(${literal(csv)}, all_varchar = true)`)
    expect(back).toEqual(
      shown.rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])),
      ),
    )
  })

  it('answers the repository owner with --operator', async () => {
    const r = await sql('SELECT count(*) AS n FROM current_events', ['--operator'])
    expect(r.exit).toBe(0)
    expect(r.user).toMatch(/^os:/)
    expect(Number(r.rows[0].n)).toBeGreaterThan(1000)
  })

  it("gives one date's current versions with current_events_of, as current_events filtered by the date", async () => {
    const q = (from: string) =>
      sql(`SELECT count(*) AS n, sum(hash(_event_id)) AS h FROM ${from}`, ['--operator'])
    const [byDate, filtered] = await Promise.all([
      q('current_events_of(20260302)'),
      q('current_events WHERE event_date = 20260302'),
    ])
    expect(byDate.exit).toBe(0)
    expect(Number(byDate.rows[0].n)).toBeGreaterThan(1000)
    expect(byDate.rows).toEqual(filtered.rows)
  })
})

describe('opencat sql refuses', { timeout: 180_000 }, () => {
  it('writes, settings, attaching and any file outside the store, with a clear message', async () => {
    const outside = join(root, 'outside.parquet')
    await scratch.run(`COPY (SELECT 42 AS secret) TO ${literal(outside)}`)
    const vault = readdirSync(join(dir, 'vault'))
    expect(vault.length).toBeGreaterThan(0)
    const hostile = [
      'CREATE TABLE t AS SELECT 1',
      `COPY (SELECT 1) TO ${literal(join(root, 'copied.csv'))}`,
      'INSERT INTO files SELECT * FROM files',
      'UPDATE files SET note = 1',
      'DELETE FROM files',
      'DROP VIEW events',
      `ATTACH ${literal(join(root, 'other.duckdb'))} AS other`,
      'SET enable_external_access = true',
      'PRAGMA show_tables',
      'INSTALL httpfs',
      'SELECT 1; SELECT 2',
      `SELECT * FROM read_parquet(${literal(outside)})`,
      "SELECT * FROM read_text('/etc/passwd')",
      `SELECT * FROM read_blob(${literal(join(dir, 'vault', vault[0]))})`,
      `SELECT * FROM read_text(${literal(join(dir, 'accounts', 'accounts.json'))})`,
      `SELECT * FROM read_blob(${literal(join(dir, 'inbox', '*'))})`,
      `SELECT * FROM read_parquet(${literal(join(dir, 'store', 'events', '..', '..', 'vault', '*'))})`,
    ]
    for (let i = 0; i < hostile.length; i += 4) {
      const batch = hostile.slice(i, i + 4)
      const answers = await Promise.all(batch.map((q) => asRegulator(q)))
      answers.forEach((r, k) => {
        expect(r.exit, batch[k]).toBe(1)
        expect(r.code, batch[k]).toBe('OCAT_ERR_SQL_REFUSED')
        expect(r.message, batch[k]).toMatch(/only a single SELECT|one statement|engine refused/)
      })
    }
    expect(existsSync(join(root, 'copied.csv'))).toBe(false)
    expect(existsSync(join(root, 'other.duckdb'))).toBe(false)
  }, 300_000)

  it('offers only the store views, the file registry and reference data: no PII, no accounts', async () => {
    const r = await asRegulator(
      `SELECT table_name, table_type FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY ALL`,
    )
    expect(r.rows.map((t) => t.table_name)).toEqual([
      'files',
      'meta',
      'ref_authorizations',
      'ref_exchanges',
      'ref_firms',
      'ref_imids',
      'ref_submitters',
      'ref_symbols',
    ])
    const names = await asRegulator(
      `SELECT DISTINCT table_name FROM information_schema.columns ORDER BY ALL`,
      ['--max-rows', '1000'],
    )
    expect(
      names.rows.map((t) => String(t.table_name)).filter((n) => /vault|pii|account|token|user|log_/.test(n)),
    ).toEqual(['cais_accounts'])
  })

  it("a reporter's token (SQL reaches every reporter's data), and revoked, expired, disabled or made-up tokens", async () => {
    const q = 'SELECT count(*) FROM current_events'
    expect(await sql(q, ['--token', tokens.rep])).toMatchObject({ exit: 1, code: 'OCAT_ERR_AUTH_FORBIDDEN' })
    expect(await sql(q, ['--token', tokens.gone])).toMatchObject({
      exit: 1,
      code: 'OCAT_ERR_AUTH_REFUSED',
      refusal: 'revoked-token',
    })
    expect(await sql(q, ['--token', tokens.expired])).toMatchObject({
      exit: 1,
      code: 'OCAT_ERR_AUTH_REFUSED',
      refusal: 'expired-token',
    })
    expect(await sql(q, ['--token', tokens.off])).toMatchObject({
      exit: 1,
      code: 'OCAT_ERR_AUTH_REFUSED',
      refusal: 'disabled',
    })
    const forged = `${tokens.reg.slice(0, -4)}AAAA`
    expect(await sql(q, ['--token', forged])).toMatchObject({
      exit: 1,
      code: 'OCAT_ERR_AUTH_REFUSED',
      refusal: 'unknown-token',
    })
    const none = await runCli(['sql', '--repo', dir, q])
    expect(none.code).toBe(2)
    // The token may come from the environment instead of the command line.
    expect(await sql(q, [], { OPENCAT_TOKEN: tokens.reg })).toMatchObject({ exit: 0, user: 'reg' })
  })

  it.skipIf(process.getuid?.() !== 0)(
    '--operator to anyone but the owner of the repository folder',
    async () => {
      const owner = statSync(dir).uid
      chownSync(dir, 65534, 65534)
      try {
        expect(await sql('SELECT 1', ['--operator'])).toMatchObject({
          exit: 1,
          code: 'OCAT_ERR_AUTH_FORBIDDEN',
        })
      } finally {
        chownSync(dir, owner, owner)
      }
    },
  )
})

describe('opencat sql limits and logs', { timeout: 180_000 }, () => {
  it('keeps at most --max-rows rows and says it cut', async () => {
    const r = await asRegulator('SELECT * FROM current_events', ['--max-rows', '7'])
    expect(r).toMatchObject({ exit: 0, rowCount: 7, truncated: true })
    expect(r.rows).toHaveLength(7)
  })

  it('stops a query past --timeout', async () => {
    const started = Date.now()
    const r = await asRegulator('SELECT sum(a.range * b.range) FROM range(3000000) a, range(3000000) b', [
      '--timeout',
      '1',
    ])
    expect(r).toMatchObject({ exit: 1, code: 'OCAT_ERR_SQL_TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(60_000)
  })

  it('stops a query needing more memory than --memory-limit with OCAT_ERR_SQL_MEMORY; the default lets it run', async () => {
    // Sorting five million 32-character digests needs far more than 16 MB of memory plus 64 MB of spill.
    const big = 'SELECT count(*) AS n FROM (SELECT md5(range::VARCHAR) AS h FROM range(5000000) ORDER BY h)'
    const r = await asRegulator(big, ['--memory-limit', '16'])
    expect(r).toMatchObject({ exit: 1, code: 'OCAT_ERR_SQL_MEMORY' })
    expect(r.message).toMatch(/more memory/)
    const ok = await asRegulator(big)
    expect(ok).toMatchObject({ exit: 0, rowCount: 1 })
    expect(ok.rows[0].n).toBe('5000000')
    const bad = await runCli(['sql', '--repo', dir, '--token', tokens.reg, '--memory-limit', '0', 'SELECT 1'])
    expect(bad.code).toBe(2)
  })

  it('writes every query to the access log: who, the SQL, rows, and the failure code of refused ones', () => {
    const logged = readAccessLog(new RepoPaths(dir)).entries.filter((e) => e.action === 'sql')
    const limited = logged.find((e) => e.subject === 'SELECT * FROM current_events')
    expect(limited).toMatchObject({ user: 'reg', rows: 7, status: 0 })
    expect(logged.find((e) => e.subject === 'CREATE TABLE t AS SELECT 1')).toMatchObject({
      user: 'reg',
      status: 1,
      error: 'OCAT_ERR_SQL_REFUSED',
    })
    expect(logged.filter((e) => e.user === 'rep' && e.error === 'OCAT_ERR_AUTH_FORBIDDEN')).toHaveLength(1)
    expect(logged.filter((e) => e.user === 'gone' && e.error === 'OCAT_ERR_AUTH_REFUSED')).toHaveLength(1)
    // Tokens never reach the log: their secret is everything after `ocat_<id>_` (base64url, so it may hold
    // an underscore itself).
    for (const t of Object.values(tokens))
      expect(JSON.stringify(logged)).not.toContain(t.split('_').slice(2).join('_'))
  })
})
