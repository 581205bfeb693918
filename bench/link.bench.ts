/**
 * Linkage throughput on a synthetic day written straight into the Parquet store (the simulator is too
 * slow for tens of millions of events): every order is routed firm → firm → exchange, half trade on the
 * exchange, a tenth are also filled in part by the second firm over the counter (MEOT, and FINRA's trade
 * report TRFT), a third are cancelled at every hop, and a small share of accepts carry a wrong
 * routedOrderID (and of OTC trades a wrong tapeTradeID).
 * Reports events/s per core, peak RSS, and lifecycle lookup latency by firmROEID (p50/p99).
 * `node bin/run-ts.js bench/link.bench.ts [--events N] [--memory 6GB] [--storage auto|memory|disk] [--disk] [--lookups N] [--keep DIR] [--trace] [--json]`
 * (--storage: where the run keeps its work tables, as `opencat link --work-storage`; --disk: --storage disk)
 * (--trace: on stderr as the run goes, every statement's time, the lifecycle pass's steps with the most its
 * arrays held, and the day index's parts)
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nyseCalendar } from '../src/common/time/nyse-calendar.ts'
import { serializeCalendar } from '../src/common/time/trading-calendar.ts'
import { createLinkageViews, linkDate, lookupLifecycle, runDir, type WorkStorage } from '../src/link/index.ts'
import { literal } from '../src/store/database.ts'
import { initRepository, openRepository, type Repository } from '../src/store/repository.ts'
import { type BenchRow, measure, numberArg, peakRssMB, percentile, report } from './harness.ts'

const DATE = 20260302
// 2026-03-02 09:30 ET in UTC ns.
const OPEN_NS = 1772461800000000000n
const DAY_NS = 23_400_000_000_000n
// Events per order of the model below: MENO, MEOR, MEOA, MEOR, EXOA, half an EXOT, a tenth of a MEOT and a
// TRFT, a third of three cancels.
const EVENTS_PER_ORDER = 6.7

/** Shape of the synthetic day. */
export interface SyntheticDay {
  readonly orders: number
  readonly firms: number
  readonly exchanges: number
  readonly symbols: number
  /** Share of accepts with a wrong routedOrderID (8003/9003 for both parties). */
  readonly faultRate: number
}

function firmImid(f: number): string {
  return `F${String(f).padStart(3, '0')}`
}

const EXCHANGES = ['NSDQ', 'NYSE', 'ARCA', 'BZX', 'EDGX']

/** Writes reference data for a synthetic day (firms F000…, exchanges, symbols S0000…). */
export function writeReferenceForBench(dir: string, day: SyntheticDay): void {
  mkdirSync(dir, { recursive: true })
  const from = '2020-01-01'
  const firms = Array.from({ length: day.firms }, (_, f) => ({
    crd: 200000 + f,
    name: `Firm ${f}`,
    imids: [{ imid: firmImid(f), from, to: null, ats: false }],
  }))
  const exchanges = [...EXCHANGES.slice(0, day.exchanges), 'FINRA'].map((x) => ({
    exchangeId: x,
    name: x,
    from,
    to: null,
  }))
  const submitters = [
    ...firms.map((f) => ({
      submitterId: f.crd,
      name: f.name,
      reportsFor: [{ reporter: f.imids[0].imid, from, to: null }],
      thirdPartyFor: [],
    })),
    ...exchanges.map((x, i) => ({
      submitterId: 900000 + i,
      name: x.name,
      reportsFor: [{ reporter: x.exchangeId, from, to: null }],
      thirdPartyFor: [],
    })),
  ]
  const symbols = Array.from({ length: day.symbols }, (_, s) => ({
    symbol: `S${String(s).padStart(4, '0')}`,
    listing: 'NSDQ',
    name: `Symbol ${s}`,
    nms: true,
    test: false,
    from,
    to: null,
  }))
  writeFileSync(join(dir, 'reporters.json'), JSON.stringify({ version: 1, firms, exchanges, submitters }))
  writeFileSync(join(dir, 'symbols.json'), JSON.stringify({ version: 1, symbols }))
  writeFileSync(join(dir, 'calendar.json'), serializeCalendar(nyseCalendar(2025, 2027)))
}

/**
 * Writes a synthetic day into a new repository's store and registry; returns the number of events.
 * Each event type goes to its own Parquet file, as ingestion writes them.
 */
export async function generateDay(repo: Repository, day: SyntheticDay): Promise<number> {
  const db = repo.db
  const F = day.firms
  const X = day.exchanges
  const step = DAY_NS / BigInt(day.orders)
  const reporters = [...Array.from({ length: F }, (_, f) => firmImid(f)), ...EXCHANGES.slice(0, X), 'FINRA']
  const files = reporters.map((r, i) => ({
    id: i + 1,
    reporter: r,
    submitter: i < F ? 200000 + i : 900000 + (i - F),
    kind: i < F ? 'OrderEvents' : 'ExchangeEvents',
  }))
  const received = OPEN_NS + DAY_NS + 3_600_000_000_000n
  await db.run(
    `INSERT INTO files (file_id, name, base_name, role, kind, format, compressed, is_delete, submitter_id, reporter, generation_date,
       file_number, size_bytes, sha256, received_ns, inbox_path, status, processing_date, records, accepted, rejected, late, ingested_ns)
     VALUES ${files
       .map(
         (f) =>
           `(${f.id}, '${f.submitter}_${f.reporter}_${DATE}_${f.kind}_000001.json.bz2', '${f.submitter}_${f.reporter}_${DATE}_${f.kind}_000001', 'data', '${f.kind}', 'json', true, false, ${f.submitter}, '${f.reporter}', ${DATE}, 1, 0, '', ${received}, NULL, 'ingested', ${DATE}, 0, 0, 0, false, ${received})`,
       )
       .join(', ')}`,
  )
  // One row per order with everything the events derive from.
  await db.run(`CREATE OR REPLACE TEMP TABLE g AS
    SELECT i,
      i % ${F} AS a,
      CASE WHEN (i * 7 + 3) % ${F} = i % ${F} THEN (i * 7 + 4) % ${F} ELSE (i * 7 + 3) % ${F} END AS b,
      (i // 2) % ${X} AS x,
      'S' || lpad(((hash(i // 2) % ${day.symbols}))::VARCHAR, 4, '0') AS symbol,
      ${OPEN_NS} + i * ${step} AS t,
      CASE WHEN i % 2 = 0 THEN 'B' ELSE 'SL' END AS side,
      (10 + (i % 97) / 100)::DECIMAL(18,8) AS price,
      (100 * (1 + i % 9))::DECIMAL(18,6) AS quantity,
      hash(i, 'fault') % 1000000 < ${Math.round(day.faultRate * 1_000_000)} AS faulty
    FROM range(${day.orders}) r(i)`)
  const firm = (col: string) => `'F' || lpad(${col}::VARCHAR, 3, '0')`
  const imid = (col: string) => `(200000 + ${col})::VARCHAR || ':' || ${firm(col)}`
  const exch = `[${EXCHANGES.slice(0, X).map(literal).join(', ')}][x + 1]`
  const meta = (reporter: string, fileIdx: string, slot: number, type: string, roe: string, ts: string) =>
    `(${fileIdx}::UBIGINT << 32) + (i * 8 + ${slot})::UBIGINT AS _event_id, ${fileIdx}::BIGINT AS _file_id, (i * 8 + ${slot})::INTEGER AS _line,
     ${reporter} AS _reporter, NULL::UBIGINT AS _submitter, '${type}' AS _type, 'NEW' AS _action, '${DATE}_' || ${roe} AS _roe_id,
     ${ts} AS _event_ns, 9::TINYINT AS _ts_digits, ${received} AS _received_ns, ${DATE} AS _processing_date, '4.0.0' AS _file_version,
     false AS _late, 'NEW' AS actionType, '${type}' AS type, ${ts} AS eventTimestamp, symbol, false AS manualFlag`
  const firmFile = (col: string) => `(${col} + 1)`
  const exFile = `(${F} + x + 1)`
  const finraFile = `${F + X + 1}`
  // The second firm's order as a trade side names it.
  const customer = `'[{"orderKeyDate":"' || (t + 2000000) || '","orderID":"B' || i || '","side":"' || side || '"}]'`
  const types: Record<string, string> = {
    MENO: `SELECT ${meta(firm('a'), firmFile('a'), 0, 'MENO', "'N' || i", 't')}, '${DATE}_N' || i AS firmROEID, t AS orderKeyDate, 'O' || i AS orderID,
      side, price, quantity, 'LMT' AS orderType FROM g`,
    MEOR: `SELECT ${meta(firm('a'), firmFile('a'), 1, 'MEOR', "'R' || i", 't + 1000000')}, '${DATE}_R' || i AS firmROEID, t AS orderKeyDate, 'O' || i AS orderID,
      ${imid('a')} AS senderIMID, ${imid('b')} AS destination, 'F' AS destinationType, 'R' || i AS routedOrderID, false AS routeRejectedFlag,
      false AS dupROIDCond, side, price, quantity FROM g
      UNION ALL BY NAME
      SELECT ${meta(firm('b'), firmFile('b'), 3, 'MEOR', "'S' || i", 't + 3000000')}, '${DATE}_S' || i AS firmROEID, t + 2000000 AS orderKeyDate,
      'B' || i AS orderID, ${imid('b')} AS senderIMID, ${exch} AS destination, 'E' AS destinationType, 'S' || i AS routedOrderID,
      'S1' AS "session", false AS routeRejectedFlag, false AS dupROIDCond, side, price, quantity FROM g`,
    MEOA: `SELECT ${meta(firm('b'), firmFile('b'), 2, 'MEOA', "'A' || i", 't + 2000000')}, '${DATE}_A' || i AS firmROEID, t + 2000000 AS orderKeyDate,
      'B' || i AS orderID, ${imid('b')} AS receiverIMID, ${imid('a')} AS senderIMID, 'F' AS senderType,
      CASE WHEN faulty THEN 'R' || i || 'X' ELSE 'R' || i END AS routedOrderID, side, price, quantity FROM g`,
    EXOA: `SELECT ${meta(exch, exFile, 4, 'EXOA', "'XA' || i", 't + 3200000')}, '${DATE}_XA' || i AS recordID, ${exch} AS exchange, 'X' || i AS orderID,
      ${imid('b')} AS routingParty, 'S' || i AS routedOrderID, 'S1' AS "session", side, price, quantity FROM g`,
    EXOT: `SELECT ${meta(exch, exFile, 5, 'EXOT', "'XT' || i", `t + ${step} + 4000000`)}, '${DATE}_XT' || i AS recordID, ${exch} AS exchange,
      'T' || i AS tradeID, 'X' || i AS buyOrderID, 'X' || (i + 1) AS sellOrderID, price, 100::DECIMAL(18,6) AS quantity
      FROM g WHERE i % 2 = 0 AND i + 1 < ${day.orders}`,
    // The second firm fills a tenth of the orders it received in part from its own account.
    MEOT: `SELECT ${meta(firm('b'), firmFile('b'), 4, 'MEOT', "'P' || i", 't + 2500000')}, '${DATE}_P' || i AS firmROEID,
      t + 2500000 AS tradeKeyDate, 'P' || i AS tradeID, price, 100::DECIMAL(18,6) AS quantity, 'P' AS capacity,
      CASE WHEN faulty THEN 'P' || i || 'X' ELSE 'P' || i END AS tapeTradeID, 'L' AS marketCenterID, 'NA' AS sideDetailsInd,
      CASE WHEN side = 'B' THEN ${customer} ELSE '[{"side":"B","firmDesignatedID":"PROP"}]' END AS buyDetails,
      CASE WHEN side = 'B' THEN '[{"side":"SL","firmDesignatedID":"PROP"}]' ELSE ${customer} END AS sellDetails
      FROM g WHERE i % 10 = 5`,
    TRFT: `SELECT ${meta("'FINRA'", finraFile, 0, 'TRFT', "'TR' || i", 't + 2500000')}, '${DATE}_TR' || i AS recordID, 'FINRA' AS exchange,
      'L' AS marketCenterID, 'P' || i AS tapeTradeID, price, 100::DECIMAL(18,6) AS quantity, ${firm('b')} AS rptngExctgMPID,
      'P' AS rptngCapacity, 'SL' AS rptngSideCode FROM g WHERE i % 10 = 5`,
    MEOC: `SELECT ${meta(firm('a'), firmFile('a'), 6, 'MEOC', "'C' || i", 't + 1000000000')}, '${DATE}_C' || i AS firmROEID, t AS orderKeyDate,
      'O' || i AS orderID, quantity AS cancelQty, 0::DECIMAL(18,6) AS leavesQty FROM g WHERE i % 3 = 0
      UNION ALL BY NAME
      SELECT ${meta(firm('b'), firmFile('b'), 7, 'MEOC', "'D' || i", 't + 1001000000')}, '${DATE}_D' || i AS firmROEID, t + 2000000 AS orderKeyDate,
      'B' || i AS orderID, quantity AS cancelQty, 0::DECIMAL(18,6) AS leavesQty FROM g WHERE i % 3 = 0`,
    EXOC: `SELECT ${meta(exch, exFile, 6, 'EXOC', "'XC' || i", 't + 1001100000')}, '${DATE}_XC' || i AS recordID, ${exch} AS exchange,
      'X' || i AS orderID, side, quantity AS cancelQty, 0::DECIMAL(18,6) AS leavesQty FROM g WHERE i % 3 = 0`,
  }
  // One Parquet file per data file and event type, named as ingestion names them (f<file id>_...).
  const dir = join(repo.paths.events, `event_date=${DATE}`)
  const staging = join(repo.paths.work, 'synthetic')
  mkdirSync(dir, { recursive: true })
  let events = 0
  for (const [type, sql] of Object.entries(types)) {
    rmSync(staging, { recursive: true, force: true })
    await db.run(
      `COPY (SELECT *, _file_id AS part FROM (${sql})) TO ${literal(staging)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (part), FILENAME_PATTERN 'x{i}')`,
    )
    for (const part of readdirSync(staging)) {
      const fileId = Number(part.split('=')[1])
      for (const [i, f] of readdirSync(join(staging, part)).entries()) {
        renameSync(join(staging, part, f), join(dir, `f${fileId}_b0_${type}_${i}.parquet`))
      }
    }
    const n = await db.one<{ n: string }>(`SELECT count(*) AS n FROM (${sql})`)
    events += Number(n?.n ?? 0)
  }
  rmSync(staging, { recursive: true, force: true })
  await db.run('DROP TABLE g')
  await repo.refreshViews()
  return events
}

/** Options of the benchmark. */
export interface LinkBenchOptions {
  /** Events to generate (about). @default 20,000,000 */
  readonly events?: number
  /** DuckDB memory limit (spills to the repository's work folder beyond it). @default '6GB' */
  readonly memory?: string
  /** Lifecycle lookups to time. @default 200 */
  readonly lookups?: number
  /** Engine threads: the cores the run may use. @default 2 */
  readonly threads?: number
  /** Where the run's work tables live (`LinkOptions.workStorage`). @default 'auto' */
  readonly storage?: WorkStorage
  /** Keep the repository in this folder instead of a temporary one that is removed. */
  readonly keep?: string
  /** Print the run's trace (statements, the lifecycle pass's steps and arrays, day index parts) on stderr. */
  readonly trace?: boolean
}

/** Generates a day, links it, and times lifecycle lookups; returns the rows of the report. */
export async function benchLink(options: LinkBenchOptions = {}): Promise<BenchRow[]> {
  const target = options.events ?? 20_000_000
  const threads = options.threads ?? 2
  const root = options.keep ?? mkdtempSync(join(tmpdir(), 'opencat-bench-link-'))
  const day: SyntheticDay = {
    orders: Math.ceil(target / EVENTS_PER_ORDER),
    firms: 40,
    exchanges: 3,
    symbols: 4000,
    faultRate: 0.001,
  }
  writeReferenceForBench(join(root, 'reference'), day)
  // The synthetic day is written straight into the store as plain Parquet, so its repository is plain.
  const created = await initRepository(join(root, 'repo'), join(root, 'reference'), undefined, {
    encrypted: false,
  })
  let events = 0
  const rows: BenchRow[] = []
  rows.push(
    await measure('link', 'generate the synthetic day (not linkage)', target, threads, async () => {
      events = await generateDay(created, day)
    }),
  )
  created.close()
  const repo = await openRepository(join(root, 'repo'), { write: true })
  await repo.db.run(`SET threads = ${threads}`)
  await repo.db.run(`SET memory_limit = '${options.memory ?? '6GB'}'`)
  await repo.db.run(`SET temp_directory = ${literal(join(repo.paths.work, 'spill'))}`)
  let note = ''
  const cpu = process.cpuUsage()
  rows.push(
    await measure(
      'link',
      `link a day of ${events.toLocaleString('en-US')} events (work tables: ${options.storage ?? 'auto'})`,
      events,
      threads,
      async () => {
        const s = await linkDate(repo, DATE, {
          feedback: true,
          workStorage: options.storage ?? 'auto',
          ...(options.trace
            ? {
                trace: (line: string) =>
                  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
              }
            : {}),
        })
        note = `work tables ${s.workStorage === 'disk' ? 'on disk' : 'in memory'}; ${s.lifecycles.toLocaleString('en-US')} lifecycles; errors ${JSON.stringify(s.errorsByCode)}; passes ${s.passes.map((p) => `${p.pass} ${p.seconds.toFixed(1)}`).join(', ')}`
      },
    ),
  )
  const used = process.cpuUsage(cpu)
  const cpuSeconds = (used.user + used.system) / 1e6
  // CPU time counts the engine's threads too: events per CPU-second is the per-core rate even when other
  // processes share the machine.
  rows[rows.length - 1] = {
    ...rows[rows.length - 1],
    note: `${(events / cpuSeconds).toLocaleString('en-US', { maximumFractionDigits: 0 })} events per CPU-second (${cpuSeconds.toFixed(1)} CPU-s); ${note}`,
  }
  repo.close()

  // Lookups as a user makes them: a fresh read-only process view of the repository; then the same keys
  // with the run's lookup index hidden, as a run written before it is read (bucket files and the store).
  const n = options.lookups ?? 200
  const keys = Array.from({ length: n }, (_, k) => {
    const i = Math.floor((((k * 2654435761) % 4294967296) / 4294967296) * day.orders)
    return { reporter: firmImid(i % day.firms), firmROEID: `${DATE}_N${i}` }
  })
  const lookups = async (label: string): Promise<BenchRow> => {
    const reader = await openRepository(join(root, 'repo'))
    await createLinkageViews(reader.db, reader.paths)
    const times: number[] = []
    for (const key of keys) {
      const t = process.hrtime.bigint()
      const lc = await lookupLifecycle(reader.db, reader.paths, key)
      times.push(Number(process.hrtime.bigint() - t) / 1e6)
      // A faulty accept leaves the order's first firm with its new order and route alone.
      if (lc.events.length < 2)
        throw new Error(`lookup of ${key.firmROEID} found only ${lc.events.length} events`)
    }
    reader.close()
    times.sort((a, b) => a - b)
    const p = (q: number) => percentile(times, q)
    const total = times.reduce((s, x) => s + x, 0) / 1000
    return {
      bench: 'link',
      case: `lifecycle lookup by firmROEID, ${label} (${n} lookups)`,
      items: n,
      seconds: Number(total.toFixed(3)),
      perSecond: Math.round(n / total),
      perSecondPerCore: Math.round(n / total),
      peakRssMB: peakRssMB(),
      note: `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
    }
  }
  rows.push(await lookups('lookup index'))
  const index = join(runDir(created.paths, DATE, 1), 'index')
  renameSync(index, `${index}.hidden`)
  try {
    rows.push(await lookups('bucket files and store'))
  } finally {
    renameSync(`${index}.hidden`, index)
  }
  if (!options.keep) rmSync(root, { recursive: true, force: true })
  return rows
}

if (process.argv[1]?.endsWith('link.bench.ts')) {
  const memoryArg = process.argv.indexOf('--memory')
  report(
    await benchLink({
      events: numberArg('events', 20_000_000),
      lookups: numberArg('lookups', 200),
      threads: numberArg('threads', 2),
      ...(memoryArg >= 0 ? { memory: process.argv[memoryArg + 1] } : {}),
      ...(process.argv.includes('--disk') ? { storage: 'disk' as const } : {}),
      ...(process.argv.includes('--storage')
        ? { storage: process.argv[process.argv.indexOf('--storage') + 1] as WorkStorage }
        : {}),
      ...(process.argv.includes('--keep') ? { keep: process.argv[process.argv.indexOf('--keep') + 1] } : {}),
      ...(process.argv.includes('--trace') ? { trace: true } : {}),
    }),
  )
}
