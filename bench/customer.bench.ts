/**
 * "One customer's activity" on a large repository: p50/p99 of the customer query for one day and for the
 * whole range (Plan targets 1 minute and 30 minutes; OpenCAT's goal < 1 s and < 10 s).
 * The repository is built synthetically, straight into the store layout with the engine (a realistic
 * mix: 15 % of records are customer orders naming one of the accounts), because simulating and ingesting
 * 200 M events would take hours; the query path is the one `opencat customer` runs.
 * With `--day-index`, each date's day index is then written (as linkage writes it) and the same customers
 * are asked again: the query reads the day index's customer index instead of scanning the store.
 * `node bin/run-ts.js bench/customer.bench.ts [--days 20] [--per-day 10000000] [--day-index [--trace]] [--json]`
 * (--trace: the time of each part of each day index on stderr)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { etWallToUtcNs } from '../src/common/time/eastern.ts'
import { nextTradingDay } from '../src/common/time/trading-calendar.ts'
import { IDENTITY_TABLES } from '../src/identity/identity-columns.ts'
import { identityDir } from '../src/identity/identity-views.ts'
import '../src/pipeline/stage-views.ts'
import { customerActivity } from '../src/query/customer.ts'
import { literal } from '../src/store/database.ts'
import { writeDayIndex } from '../src/store/day-index-write.ts'
import { initRepository, type Repository } from '../src/store/repository.ts'
import { writeReference } from '../test/support/fixtures.ts'
import { type BenchRow, numberArg, peakRssMB, report } from './harness.ts'

const FIRMS = [
  { crd: 104001, imid: 'ALDR' },
  { crd: 104002, imid: 'BRCH' },
]
const ACCOUNTS_PER_FIRM = 100_000
const TYPES = ['MENO', 'MEOR', 'MEOA', 'MEOC', 'MEOM', 'MEOT', 'MEOR']

async function buildIdentity(repo: Repository): Promise<void> {
  const db = repo.db
  const now = BigInt(Date.now()) * 1_000_000n
  // One registry row stands for the synthetic customer file the identity rows came in.
  await db.run(
    `INSERT INTO files (file_id, name, role, kind, size_bytes, sha256, received_ns, inbox_path, status, ingested_ns)
     VALUES (1, 'synthetic-cais', 'data', 'CAISData', 0, '', ${now}, '', 'ingested', ${now})`,
  )
  const key = (await db.one<{ value: string }>("SELECT value FROM meta WHERE key = 'ccid_key'"))!.value
  const base = identityDir(repo.paths)
  for (const table of Object.keys(IDENTITY_TABLES)) mkdirSync(join(base, table), { recursive: true })
  // Account k of firm f; customers hold one account at each of up to both firms (k mod 3 = 0 at both).
  const accounts = `SELECT f.crd, 'A' || k AS fdid, 'CC' || lpad(CAST(CASE WHEN k % 3 = 0 THEN k ELSE k * 10 + f.n END AS VARCHAR), 32, '0') AS ccid
    FROM (VALUES ${FIRMS.map((f, n) => `(${f.crd}, ${n})`).join(', ')}) f(crd, n), range(${ACCOUNTS_PER_FIRM}) r(k)`
  await db.run(
    `COPY (SELECT crd::UBIGINT AS crd, fdid, 'ACCOUNT' AS fdid_type, '["INDIVIDUAL"]' AS account_types, 20200101 AS from_date, NULL::INTEGER AS to_date,
       NULL::VARCHAR AS end_reason, NULL::VARCHAR AS replaced_by, 1::BIGINT AS file_id, ${now}::BIGINT AS received_ns FROM (${accounts}))
     TO ${literal(join(base, 'accounts', 'f1.parquet'))} (FORMAT parquet)`,
  )
  await db.run(
    `COPY (SELECT crd::UBIGINT AS crd, fdid, ccid, 'HOLDER' AS role, true AS has_discretion, 20200101 AS from_date, NULL::INTEGER AS to_date,
       ${literal(key)} AS ccid_key, 1::BIGINT AS file_id, ${now}::BIGINT AS received_ns FROM (${accounts}))
     TO ${literal(join(base, 'holders', 'f1.parquet'))} (FORMAT parquet)`,
  )
  await db.run(
    `COPY (SELECT DISTINCT ccid, 'natural' AS kind, crd::UBIGINT AS crd, fdid AS customer_record_id, ${literal(key)} AS ccid_key,
       1::BIGINT AS file_id, ${now}::BIGINT AS received_ns FROM (${accounts}))
     TO ${literal(join(base, 'customers', 'f1.parquet'))} (FORMAT parquet)`,
  )
}

async function buildDay(repo: Repository, fileId: number, date: number, perDay: number): Promise<void> {
  const db = repo.db
  const start = etWallToUtcNs(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, 9, 30, 0)
  const spacing = (6n * 3_600_000_000_000n + 30n * 60_000_000_000n) / BigInt(perDay)
  const now = BigInt(Date.now()) * 1_000_000n
  await db.run(
    `INSERT INTO files (file_id, name, role, kind, size_bytes, sha256, received_ns, inbox_path, status, ingested_ns)
     VALUES (${fileId}, 'synthetic-${date}', 'data', 'OrderEvents', 0, '', ${now}, '', 'ingested', ${now})`,
  )
  const dir = join(repo.paths.events, `event_date=${date}`)
  mkdirSync(dir, { recursive: true })
  await db.run(
    `COPY (
       SELECT ((${fileId}::UBIGINT) << 32) + i::UBIGINT AS _event_id, ${fileId}::BIGINT AS _file_id, i::INTEGER AS _line,
              CASE WHEN i % 2 = 0 THEN 'ALDR' ELSE 'BRCH' END AS _reporter, 104001::UBIGINT AS _submitter,
              ([${TYPES.map((t) => `'${t}'`).join(', ')}])[1 + i % ${TYPES.length}] AS _type, 'NEW' AS _action,
              '${date}_' || i AS _roe_id, ${start}::BIGINT + i * ${spacing}::BIGINT AS _event_ns, 3::TINYINT AS _ts_digits,
              ${now}::BIGINT AS _received_ns, ${date} AS _processing_date, '4.0.0' AS _file_version, false AS _late,
              'S' || (hash(i) % 500) AS symbol,
              CASE WHEN i % ${TYPES.length} = 0 THEN 'A' || (hash(i * 7) % ${ACCOUNTS_PER_FIRM}) END AS firmDesignatedID,
              CASE WHEN hash(i) % 2 = 0 THEN 'B' ELSE 'SL' END AS side,
              CAST(10 + (hash(i * 3) % 10000) / 100.0 AS DECIMAL(18,8)) AS price,
              CAST(100 * (1 + hash(i * 5) % 20) AS DECIMAL(18,6)) AS quantity
       FROM range(${perDay}) t(i)
     ) TO ${literal(join(dir, `f${fileId}_synthetic.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
  )
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Builds the repository and measures the customer query. */
export async function benchCustomer(
  days: number,
  perDay: number,
  options: { samples?: number; dayIndex?: boolean; trace?: boolean } = {},
): Promise<BenchRow[]> {
  const samples = options.samples ?? 40
  const root = mkdtempSync(join(tmpdir(), 'opencat-bench-customer-'))
  // The synthetic days are written straight into the store as plain Parquet, so the repository is plain.
  const repo = await initRepository(join(root, 'repo'), writeReference(join(root, 'ref')), undefined, {
    encrypted: false,
  })
  const rows: BenchRow[] = []
  try {
    const t0 = process.hrtime.bigint()
    await buildIdentity(repo)
    const dates: number[] = []
    let d = 20260302
    for (let i = 0; i < days; i++) {
      dates.push(d)
      await buildDay(repo, 100 + i, d, perDay)
      d = nextTradingDay(repo.calendar, d)
      process.stderr.write(`\rbuilt day ${i + 1}/${days}`)
    }
    process.stderr.write('\n')
    await repo.refreshViews()
    const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9
    const total = days * perDay
    const measure = async (
      label: string,
      from: number,
      to: number,
      built = `built in ${buildSeconds.toFixed(0)} s`,
    ) => {
      const times: number[] = []
      let events = 0
      await customerActivity(repo, { ccid: `CC${'0'.repeat(29)}300` }, from, to)
      for (let s = 0; s < samples; s++) {
        const k = (s * 2_237 + 3) % ACCOUNTS_PER_FIRM
        const ccid = `CC${String(k % 3 === 0 ? k : k * 10).padStart(32, '0')}`
        const t = process.hrtime.bigint()
        const a = await customerActivity(repo, { ccid }, from, to)
        times.push(Number(process.hrtime.bigint() - t) / 1e6)
        events += a.events.length
      }
      times.sort((a, b) => a - b)
      rows.push({
        bench: 'customer',
        case: label,
        items: total,
        seconds: Number((percentile(times, 50) / 1000).toFixed(3)),
        perSecond: 0,
        perSecondPerCore: 0,
        peakRssMB: peakRssMB(),
        note: `p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms over ${samples} customers (${Math.round(events / samples)} events each); repository ${days} days × ${perDay.toLocaleString('en-US')} events, ${built}`,
      })
    }
    await measure('one customer, one day', dates[dates.length - 1], dates[dates.length - 1])
    await measure(`one customer, ${days} days`, dates[0], dates[dates.length - 1])
    if (!options.dayIndex) return rows
    const t1 = process.hrtime.bigint()
    for (const [i, date] of dates.entries()) {
      await writeDayIndex(
        repo,
        date,
        options.trace ? { trace: (line) => process.stderr.write(`\n${date} ${line}`) } : {},
      )
      process.stderr.write(`\rday index ${i + 1}/${days}`)
    }
    process.stderr.write('\n')
    const built = `day indexes written in ${(Number(process.hrtime.bigint() - t1) / 1e9).toFixed(0)} s`
    const last = dates[dates.length - 1]
    await measure('one customer, one day, from the day index', last, last, built)
    await measure(`one customer, ${days} days, from the day indexes`, dates[0], last, built)
    return rows
  } finally {
    repo.close()
    rmSync(root, { recursive: true, force: true })
    rmSync(`${join(root, 'repo')}-keys`, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('customer.bench.ts'))
  report(
    await benchCustomer(numberArg('days', 20), numberArg('per-day', 10_000_000), {
      dayIndex: process.argv.includes('--day-index'),
      trace: process.argv.includes('--trace'),
    }),
  )
