/**
 * Links one event date: the named passes of IM spec §4.3 (duplicates, intrafirm, interfirm, exchange,
 * trade sides) over the date's current record versions, then lifecycles, clock drift, the run's files
 * and CAT linkage feedback. A date linked before is linked incrementally: only new events and those the
 * earlier run left open are examined again, against everything the date holds.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { CAT_CODES, type LinkageType } from '../catalogue/index.ts'
import { crashPoint } from '../common/crash-point.ts'
import { OpenCatError } from '../common/errors.ts'
import { addDays, etDateOf, etWallToUtcNs } from '../common/time/index.ts'
import { type Database, ident, literal } from '../store/database.ts'
import { writeDayIndex } from '../store/day-index-write.ts'
import { EVENT_COLUMNS, FIELD_COLUMNS } from '../store/event-columns.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead, parquetReadOptions, parquetWriteOptions } from '../store/store-cipher.ts'
import { type DriftEstimate, estimateClockOffsets } from './clock-drift.ts'
import { computeLifecycles, type KIND_CODES } from './lifecycle-components.ts'
import { KEY_NUM_SQL } from './lifecycle-keys.ts'
import {
  type LinkOptions,
  type LinkPass,
  type ResolvedLinkOptions,
  resolveLinkOptions,
} from './link-options.ts'
import { linkSql } from './link-sql.ts'
import { type LinkFeedbackResult, writeLinkageFeedback } from './linkage-feedback.ts'
import {
  bucketFile,
  bucketsFor,
  LOOKUP_ROW_GROUP,
  lookupIndexFile,
  publishRun,
  runDir,
  runFiles,
  runsOf,
} from './linkage-layout.ts'
import { createLinkageViews } from './linkage-views.ts'
import { explainUnlinked } from './unlinked-pass.ts'
import { attachWorkDatabase, chooseWorkStorage } from './work-database.ts'

/** Link kinds (the edge rule of docs/linkage.md). */
export type LinkKind = (typeof KIND_CODES)[number]

/** What a linkage run did. */
export interface LinkSummary {
  readonly eventDate: number
  readonly run: number
  readonly mode: 'full' | 'incremental'
  readonly trigger: string
  /** Record versions of the date taking part (duplicates included). */
  readonly events: number
  /** Events this run examined (all of them in a full run). */
  readonly examined: number
  /** Events rejected as duplicates. */
  readonly rejected: number
  readonly links: Record<string, number>
  /** Per linkage type: links or pairs made, and events of the date left unlinked. */
  readonly byType: Record<LinkageType, { linked: number; unlinked: number }>
  /** Findings sent to the event's own reporter, by code. */
  readonly errorsByCode: Record<string, number>
  /** Named findings sent to counterparties, by code. */
  readonly namedByCode: Record<string, number>
  readonly lifecycles: number
  readonly drift: DriftEstimate[]
  readonly flagged: string[]
  readonly feedback: LinkFeedbackResult[]
  readonly passes: { pass: LinkPass; seconds: number }[]
  readonly seconds: number
  /** Where the run kept its work tables (`LinkOptions.workStorage`, `auto` decided). */
  readonly workStorage: 'memory' | 'disk'
}

const DUPLICATE_CODES = [
  399, 3002, 3003, 3004, 3007, 3008, 3009, 3010, 3011, 3012, 3015, 3016, 3017, 3018, 3019,
]

// Fields that differ between copies of one event without making them different events (IM spec §4.3:
// a full duplicate is identical apart from its header).
const HEADER_FIELDS = new Set(['actionType', 'errorROEID', 'firmROEID', 'recordID', 'CATReporterIMID'])

function contentHash(): string {
  const cols = FIELD_COLUMNS.filter((c) => !HEADER_FIELDS.has(c.name)).map((c) => `e."${c.name}"`)
  return `hash(${cols.join(', ')})`
}

/** The store's event files of `dates`, in file order. */
function dateFiles(storeEvents: string, dates: readonly number[]): string[] {
  return dates.flatMap((d) => {
    const dir = join(storeEvents, `event_date=${d}`)
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.parquet'))
          .sort()
          .map((f) => join(dir, f))
      : []
  })
}

/** Record versions stored for the date, deleted files' included (from the files' metadata). */
async function storedVersions(db: Database, storeEvents: string, date: number): Promise<number> {
  const files = dateFiles(storeEvents, [date])
  if (files.length === 0) return 0
  const row = await db.one<{ n: string }>(
    `SELECT count(*)::VARCHAR AS n FROM ${parquetRead(db, `[${files.map(literal).join(', ')}]`, ['union_by_name = true'])}`,
  )
  return Number(row?.n ?? 0)
}

/**
 * Creates view `name`: the record versions stored for `dates` in files ingested by `asOfNs` and not
 * deleted then, read straight from the Parquet files in file order, with every catalogue column present
 * (the store keeps narrow per-type files; a column no file has reads as NULL).
 */
export async function createScanView(
  db: Database,
  storeEvents: string,
  name: string,
  dates: readonly number[],
  asOfNs: bigint,
): Promise<void> {
  const files = dateFiles(storeEvents, dates)
  const ids = (
    await db.all<{ id: number }>(
      `SELECT file_id AS id FROM files WHERE ingested_ns IS NOT NULL AND ingested_ns <= ${asOfNs} AND (deleted_ns IS NULL OR deleted_ns > ${asOfNs})`,
    )
  ).map((r) => Number(r.id))
  const columns = EVENT_COLUMNS.filter((c) => c.name !== 'event_date')
  if (files.length === 0 || ids.length === 0) {
    await db.run(
      `CREATE OR REPLACE TEMP VIEW ${name} AS SELECT ${columns.map((c) => `NULL::${c.sqlType} AS ${ident(c.name)}`).join(', ')}, NULL::INTEGER AS event_date WHERE false`,
    )
    return
  }
  const source = parquetRead(db, `[${files.map(literal).join(', ')}]`, [
    'union_by_name = true',
    'hive_partitioning = true',
    "hive_types = {'event_date': INTEGER}",
  ])
  const present = new Set(
    (await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map((r) => r.column_name),
  )
  await db.run(
    `CREATE OR REPLACE TEMP VIEW ${name} AS SELECT ${columns
      .map((c) =>
        present.has(c.name)
          ? `${ident(c.name)}::${c.sqlType} AS ${ident(c.name)}`
          : `NULL::${c.sqlType} AS ${ident(c.name)}`,
      )
      .join(', ')}, event_date FROM ${source} WHERE _file_id IN (${ids.join(', ')})`,
  )
}

function dayStartNs(date: number): bigint {
  return etWallToUtcNs(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, 0, 0, 0)
}

/** The file of a published run that says its feedback was written in full. */
export const FEEDBACK_RECORD = 'feedback.json'

/**
 * The options a run records in its summary.json: everything that shapes its results, so that the run
 * can be computed again exactly (to write feedback a crash cut short).
 */
export function recordedOptions(o: ResolvedLinkOptions) {
  return {
    mode: o.mode,
    feedback: o.feedback,
    electronicAllowanceNs: String(o.electronicAllowanceNs),
    manualAllowanceNs: String(o.manualAllowanceNs),
    firmDriftToleranceNs: o.firmDriftToleranceNs,
    exchangeDriftToleranceNs: o.exchangeDriftToleranceNs,
    candidates: o.candidates,
    rowGroupSize: o.rowGroupSize,
    skip: [...o.skip],
  }
}

/**
 * Links every event of `eventDate` (YYYYMMDD); writes `store/linkage/event_date=…/run=…/` and feedback.
 * With `recoverRun`, computes that published run again (same inputs, same options) without publishing
 * anything, and writes its feedback: what a rerun does after a crash between publication and feedback.
 */
export async function linkDate(
  repo: Repository,
  eventDate: number,
  options: LinkOptions = {},
  recoverRun?: number,
): Promise<LinkSummary> {
  if (!repo.writable)
    throw new OpenCatError('OCAT_ERR_REPO_LOCKED', 'linking needs the repository open for writing')
  const o = resolveLinkOptions(options)
  const started = process.hrtime.bigint()
  const db = repo.db
  const passes: { pass: LinkPass; seconds: number }[] = []
  const pass = async <T>(name: LinkPass, fn: () => Promise<T>): Promise<T | undefined> => {
    if (o.skip.has(name)) return undefined
    const t = process.hrtime.bigint()
    const out = await fn()
    passes.push({ pass: name, seconds: Number(process.hrtime.bigint() - t) / 1e9 })
    o.progress.update(passes.length, name)
    return out
  }
  const run1 = async (name: string, values: Record<string, string | number | bigint> = {}) => {
    const sql = linkSql(name, values)
    if (!o.trace) return db.run(sql)
    for (const stmt of sql
      .split(/;\s*\n/)
      .map((x) => x.trim())
      .filter((x) => x.replace(/--[^\n]*\n?/g, '').trim() !== '')) {
      const t = process.hrtime.bigint()
      await db.run(stmt)
      const body = stmt
        .replace(/--[^\n]*\n/g, '')
        .replace(/\s+/g, ' ')
        .slice(0, 90)
      o.trace(`${name}.sql ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(3)} s  ${body}`)
    }
  }
  const count = async (sql: string) => Number((await db.one<{ n: string | number }>(sql))?.n ?? 0)

  await createLinkageViews(db, repo.paths)
  const previous = runsOf(repo.paths, eventDate).filter((r) => recoverRun === undefined || r < recoverRun)
  const run = recoverRun ?? (previous[previous.length - 1] ?? 0) + 1
  let mode: 'full' | 'incremental' = previous.length > 0 && o.mode === 'auto' ? 'incremental' : 'full'
  const dayStart = dayStartNs(eventDate)
  mkdirSync(repo.paths.work, { recursive: true })
  const workStorage = await chooseWorkStorage(
    db,
    o.workStorage,
    o.workStorage === 'auto' ? await storedVersions(db, repo.paths.events, eventDate) : 0,
  )
  const restore = await attachWorkDatabase(
    db,
    workStorage === 'disk' ? join(repo.paths.work, `linkage-${eventDate}-${run}.duckdb`) : undefined,
  )
  let released = false
  /** Gives the run's work tables back (unless kept for inspection): nothing after the feedback reads them. */
  const release = async () => {
    if (released || o.keepWorkTables) return
    released = true
    await dropWorkViews(repo)
    await restore()
  }
  try {
    return await linkPasses()
  } finally {
    await release()
  }

  /**
   * What every lookup reads, each sorted within its buckets and written a bucket per file in small row
   * groups: the lookup index (members with their events' text), the keys and the links.
   */
  async function writeLookupFiles(work: string, buckets: number): Promise<void> {
    const sorted = [
      { sql: 'lookup-index', file: (b: number) => lookupIndexFile(work, b) },
      { sql: 'lookup-keys', file: (b: number) => bucketFile(work, 'keys', b) },
      { sql: 'lookup-links', file: (b: number) => bucketFile(work, 'links', b) },
    ]
    for (const { sql, file } of sorted) {
      await run1(sql, { BUCKETS: buckets })
      for (let b = 0; b < buckets; b++) {
        mkdirSync(dirname(file(b)), { recursive: true })
        await run1('lookup-bucket', {
          BUCKET: b,
          FILE: file(b).replaceAll("'", "''"),
          ROW_GROUP: LOOKUP_ROW_GROUP,
          ENCRYPTION: parquetWriteOptions(db),
        })
      }
      await db.run('DROP TABLE lk_ix')
    }
  }

  async function linkPasses(): Promise<LinkSummary> {
    await pass('input', async () => {
      await run1('macros')
      await run1('findings')
      await db.run(
        `CREATE OR REPLACE TABLE lk_codes AS SELECT * FROM (VALUES ${[...CAT_CODES.values()]
          .filter((c) => c.stage === 'linkage')
          .map((c) => `(${c.code}, '${c.severity}', '${c.linkageType}')`)
          .join(', ')}) AS t(code, severity, linkage_type)`,
      )
      if (mode === 'incremental') {
        const prev = runDir(repo.paths, eventDate, previous[previous.length - 1])
        const links = runFiles(prev, 'links')
        await run1('previous', {
          PREV: prev.replaceAll("'", "''"),
          DECRYPTION: parquetReadOptions(db),
          PREV_LINKS:
            links.length > 0
              ? parquetRead(db, `[${links.map(literal).join(', ')}]`)
              : '(SELECT NULL::UBIGINT AS from_event_id, NULL::UBIGINT AS to_event_id, NULL::VARCHAR AS kind, NULL::INTEGER AS from_date WHERE false)',
        })
      } else await run1('no-previous')
      await db.run('CREATE OR REPLACE TABLE lk_prior_text (idx BIGINT, _roe_id VARCHAR, _ts_digits TINYINT)')
      await createScanView(db, repo.paths.events, 'lk_scan', [eventDate], o.asOfNs)
      await run1('scan', { TARGET: 'lk_nodes', SCAN: 'lk_scan', DELTA: 'true' })
      if (mode === 'incremental') {
        await db.run(
          'UPDATE lk_nodes SET delta = false WHERE _event_id IN (SELECT _event_id FROM lk_settled)',
        )
      }
      await run1('versions', { NODES: 'lk_nodes', AS_OF: o.asOfNs })
    })
    const events = await count('SELECT count(*) AS n FROM lk_nodes WHERE NOT gone')

    await pass('duplicates', async () => {
      await run1('duplicates', { CONTENT_HASH: contentHash() })
      if (mode === 'incremental') {
        // Results of the earlier run that no longer hold (a record corrected, deleted, or now a duplicate)
        // cannot be patched: link the whole date afresh.
        const gone = await count(`
        WITH ends AS (
          SELECT to_event_id AS id FROM lk_prev_links
          UNION SELECT from_event_id FROM lk_prev_links WHERE from_date = ${eventDate}
          UNION SELECT route_event_id FROM lk_prev_pairs UNION SELECT accept_event_id FROM lk_prev_pairs
        )
        SELECT count(*) AS n FROM ends WHERE id NOT IN (SELECT _event_id FROM lk_nodes WHERE NOT rejected)`)
        if (gone > 0) {
          mode = 'full'
          await db.run('UPDATE lk_nodes SET delta = true WHERE NOT prior')
          await run1('no-previous')
        }
      }
    })
    const examined = await count('SELECT count(*) AS n FROM lk_nodes WHERE delta AND NOT gone')

    await pass('references', async () => {
      await run1('references')
      if ((await count('SELECT count(*) AS n FROM lk_side_src')) > 0) await run1('sides')
      await db.run('DROP TABLE lk_side_src')
    })

    await pass('prior', async () => {
      const lo = await db.one<{ d: string | null; f: number | null }>(`
      SELECT least(
        (SELECT min(r_date) FROM lk_refs WHERE r_kind IN ('O', 'T', 'F', 'Q') AND r_date < ${dayStart}),
        (SELECT min(k_date) FROM lk_nodes WHERE k_kind IN ('O', 'T', 'F', 'Q') AND k_date < ${dayStart} AND NOT rejected)
      ) AS d,
      (SELECT min(from_date) FROM lk_prev_links WHERE from_date < ${eventDate}) AS f`)
      const dates = [lo?.d != null ? etDateOf(BigInt(lo.d)) : null, lo?.f ?? null].filter(
        (d): d is number => d !== null,
      )
      if (dates.length === 0) return
      const from = Math.min(...dates)
      const to = addDays(eventDate, -1)
      if (from > to) return
      const range: number[] = []
      for (let d = from; d <= to; d = addDays(d, 1)) range.push(d)
      await createScanView(db, repo.paths.events, 'lk_prior_scan', range, o.asOfNs)
      await run1('scan', { TARGET: 'lk_prior_all', SCAN: 'lk_prior_scan', DELTA: 'false' })
      await run1('versions', { NODES: 'lk_prior_all', AS_OF: o.asOfNs })
      await run1('prior', { DAY_START: dayStart })
      await db.run(`CREATE OR REPLACE TABLE lk_prior_text AS
      SELECT n.rowid AS idx, e._roe_id, e._ts_digits FROM lk_nodes n JOIN lk_prior_scan e ON e._event_id = n._event_id WHERE n.prior`)
    })

    await pass('intrafirm', () =>
      run1('intrafirm', { MANUAL_NS: o.manualAllowanceNs, ELECTRONIC_NS: o.electronicAllowanceNs }),
    )
    await pass('routes', () => run1('routes'))
    await pass('trades', () => run1('trades'))
    await pass('unlinked', () => explainUnlinked(db, { candidates: o.candidates, dayStartNs: dayStart }))

    const lifecycles =
      (await pass('lifecycles', async () => {
        await run1('all-links')
        return computeLifecycles(db, dayStart, o.trace)
      })) ?? 0

    const drift = (await pass('drift', () => estimateDrift(repo, o))) ?? []

    const work = join(repo.paths.work, `linkage-${eventDate}-${run}`)
    const buckets = bucketsFor(events)
    if (recoverRun === undefined) {
      await pass('write', async () => {
        rmSync(work, { recursive: true, force: true })
        mkdirSync(work, { recursive: true })
        await run1('write', {
          DIR: work.replaceAll("'", "''"),
          BUCKETS: buckets,
          ENCRYPTION: parquetWriteOptions(db),
        })
        await writeLookupFiles(work, buckets)
      })
    }

    const stats = await runStats(repo)
    const summaryBase = {
      eventDate,
      run,
      mode,
      trigger: o.trigger,
      events,
      examined,
      rejected: await count('SELECT count(*) AS n FROM lk_nodes WHERE rejected AND NOT prior'),
      ...stats,
      lifecycles,
      drift,
      flagged: drift.filter((d) => d.flagged).map((d) => d.reporter),
    }
    if (recoverRun === undefined) {
      writeFileSync(
        join(work, 'summary.json'),
        `${JSON.stringify({ ...summaryBase, buckets, asOfNs: String(o.asOfNs), nowNs: String(o.nowNs), options: recordedOptions(o) }, null, 2)}\n`,
      )
      crashPoint('before-linkage-publish')
      publishRun(repo.paths, work, eventDate, run)
      crashPoint('after-linkage-publish')
    }
    await createLinkageViews(db, repo.paths)

    const feedback =
      (o.feedback
        ? await pass('feedback', () => writeLinkageFeedback(repo, eventDate, run, o.nowNs, o.trace))
        : undefined) ?? []
    if (o.feedback) {
      crashPoint('after-linkage-feedback')
      recordFeedback(repo.paths.root, runDir(repo.paths, eventDate, run), feedback)
      crashPoint('after-linkage-recorded')
    }
    // The day index reads the published run, not the work tables: on a large day they hold gigabytes the
    // engine's memory limit counts, and its partitioned writes would spill beside them.
    await release()
    await pass('day-index', () => writeDayIndex(repo, eventDate, { keyNum: KEY_NUM_SQL, trace: o.trace }))
    o.progress.finish()
    return {
      ...summaryBase,
      feedback,
      passes,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      workStorage,
    }
  }
}

/** Notes in the published run that its feedback is complete, naming the files (relative to the repository). */
function recordFeedback(root: string, dir: string, feedback: readonly LinkFeedbackResult[]): void {
  const files = feedback
    .flatMap((f) => [f.metadata, ...(f.errorFile ? [f.errorFile] : [])])
    .map((f) => relative(root, f))
    .sort()
  writeFileSync(join(dir, `${FEEDBACK_RECORD}.tmp`), `${JSON.stringify({ files }, null, 2)}\n`)
  renameSync(join(dir, `${FEEDBACK_RECORD}.tmp`), join(dir, FEEDBACK_RECORD))
}

async function runStats(
  repo: Repository,
): Promise<Pick<LinkSummary, 'links' | 'byType' | 'errorsByCode' | 'namedByCode'>> {
  const db = repo.db
  const links: Record<string, number> = {}
  for (const r of await db.all<{ kind: string; n: string }>(
    'SELECT kind, count(*) AS n FROM lk_all_links GROUP BY kind ORDER BY kind',
  )) {
    links[r.kind] = Number(r.n)
  }
  const pairs = await db.all<{ fam: string; n: string }>(
    'SELECT fam, count(*) AS n FROM lk_all_pairs GROUP BY fam',
  )
  const pairCount = (f: string) => Number(pairs.find((p) => p.fam === f)?.n ?? 0)
  const unlinked = await db.all<{ t: LinkageType; n: string }>(`
    SELECT c.linkage_type AS t, count(DISTINCT f.idx) AS n FROM lk_findings f JOIN lk_codes c ON c.code = f.code
    WHERE NOT f.named AND f.code NOT IN (${DUPLICATE_CODES.join(', ')}) AND f.code NOT IN (3601, 3602)
    GROUP BY c.linkage_type`)
  const un = (t: LinkageType) => Number(unlinked.find((u) => u.t === t)?.n ?? 0)
  // Accepts count as interfirm or exchange pairs, reports as trade links; every other kind is intrafirm.
  const intra = Object.entries(links).reduce((n, [k, v]) => (k === 'accept' || k === 'report' ? n : n + v), 0)
  const byCode = async (named: boolean) => {
    const out: Record<string, number> = {}
    for (const r of await db.all<{ code: number; n: string }>(
      `SELECT code, count(*) AS n FROM lk_findings WHERE named = ${named} GROUP BY code ORDER BY code`,
    )) {
      out[String(r.code)] = Number(r.n)
    }
    return out
  }
  return {
    links,
    byType: {
      Intrafirm: { linked: intra, unlinked: un('Intrafirm') },
      Interfirm: { linked: pairCount('F') + pairCount('Q'), unlinked: un('Interfirm') },
      Exchange: { linked: pairCount('E') + pairCount('X'), unlinked: un('Exchange') },
      Trade: { linked: links.report ?? 0, unlinked: un('Trade') },
    },
    errorsByCode: await byCode(false),
    namedByCode: await byCode(true),
  }
}

async function estimateDrift(repo: Repository, o: ResolvedLinkOptions): Promise<DriftEstimate[]> {
  const db = repo.db
  const rows = await db.all<{
    sender: string
    receiver: string
    fam: 'F' | 'E' | 'X'
    pairs: string
    median: string
    early: string
  }>(`
    -- A quote sent to another firm travels like a firm-to-firm route.
    SELECT route_reporter AS sender, accept_reporter AS receiver, CASE fam WHEN 'Q' THEN 'F' ELSE fam END AS fam,
      count(*) AS pairs,
      median(accept_ns - route_ns)::BIGINT AS median, count(*) FILTER (WHERE accept_ns < route_ns) AS early
    FROM lk_all_pairs WHERE route_reporter <> accept_reporter
    GROUP BY ALL ORDER BY ALL`)
  const exchanges = new Set(
    (await db.all<{ x: string }>('SELECT exchange_id AS x FROM ref_exchanges')).map((r) => r.x),
  )
  const estimates = estimateClockOffsets(
    rows.map((r) => ({
      sender: r.sender,
      receiver: r.receiver,
      fam: r.fam,
      pairs: Number(r.pairs),
      medianNs: Number(r.median),
      early: Number(r.early),
    })),
    (r) => exchanges.has(r),
    { firmNs: o.firmDriftToleranceNs, exchangeNs: o.exchangeDriftToleranceNs },
  )
  await db.run(
    'CREATE OR REPLACE TABLE lk_drift (reporter VARCHAR, kind VARCHAR, offset_ns BIGINT, pairs BIGINT, counterparties INTEGER, early_accepts BIGINT, tolerance_ns BIGINT, flagged BOOLEAN)',
  )
  if (estimates.length > 0) {
    await db.run(
      `INSERT INTO lk_drift VALUES ${estimates
        .map(
          (e) =>
            `(${literal(e.reporter)}, '${e.kind}', ${e.offsetNs}, ${e.pairs}, ${e.counterparties}, ${e.earlyAccepts}, ${e.toleranceNs}, ${e.flagged})`,
        )
        .join(', ')}`,
    )
  }
  return estimates
}

async function dropWorkViews(repo: Repository): Promise<void> {
  for (const v of ['lk_links_out', 'lk_extra', 'lk_scan', 'lk_prior_scan'])
    await repo.db.run(`DROP VIEW IF EXISTS ${v}`)
}
