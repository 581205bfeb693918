/**
 * Ingestion of one paired data file: every record decoded and checked field by field (codec), then every
 * rule evaluated over whole batches in the engine, then accepted record versions written to the Parquet
 * store and rejected records (with their errorROEIDs and codes) to the rejects store, batch by batch, so
 * what a file holds never piles up in memory. Deterministic and idempotent: record ids and errorROEIDs
 * derive from file id and line, output file names from the file id, so a rerun after a crash rewrites the
 * same files and doubles nothing.
 */
import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Catalogue, EventSpec } from '../catalogue/index.ts'
import { eventPlan } from '../codec/field-plan.ts'
import { etWallToUtcNs } from '../common/time/eastern.ts'
import { nextTradingDay, type TradingCalendar } from '../common/time/trading-calendar.ts'
import { catDeadlines, catTradingDayOf, tradingDayEnd } from '../common/time/trading-day.ts'
import { type Database, literal } from '../store/database.ts'
import { EVENT_COLUMNS } from '../store/event-columns.ts'
import type { RepoPaths } from '../store/paths.ts'
import { REJECT_COLUMNS } from '../store/reject-columns.ts'
import { parquetWriteOptions, widenToColumns } from '../store/store-cipher.ts'
import { markRepairsNamed } from '../store/views.ts'
import { BatchLanes } from './batch-lanes.ts'
import { inlineDecoder, sharedWorkerDecoder } from './decoder.ts'
import { readLines } from './line-reader.ts'
import type { Rule } from './rule.ts'
import { RULES } from './rules/index.ts'
import {
  DELETE_COLUMNS,
  type LineFindings,
  type LineInfo,
  lineInfo,
  type StagedBatch,
  stageColumns,
  stageFields,
} from './stage-batch.ts'

/** Everything ingestion needs to know about the file. */
export interface IngestInput {
  readonly fileId: number
  readonly path: string
  readonly compressed: boolean
  readonly format: 'json' | 'csv'
  readonly kind: 'OrderEvents' | 'ExchangeEvents'
  readonly cat: Catalogue
  readonly reporter: string
  readonly submitter: string
  readonly generationDate: number
  readonly receivedNs: bigint
  readonly processingDate: number
  readonly expectedRecords?: number
  readonly nowNs: bigint
}

/** What ingestion of one file found. */
export interface IngestResult {
  readonly records: number
  readonly accepted: number
  /** Records rejected; the records themselves are in the rejects store (the work area until committed). */
  readonly rejected: number
  /** Rejected records by CAT code: a record counts once under each of its codes. */
  readonly errorsByCode: Readonly<Record<string, number>>
  /** File-level failure: 2151 count mismatch, 2153 unreadable, 1108 too large. */
  readonly fileCode?: number
  readonly fileMessage?: string
  readonly late: number
  readonly seconds: number
}

/** Tunables of the ingestion engine. */
export interface IngestOptions {
  /** Records per engine batch. @default 100000 */
  readonly batchSize?: number
  /** Bytes of records per engine batch, so batches of long records stay small too. @default 32 MiB */
  readonly batchBytes?: number
  /** Decode in a worker thread (in parallel with the engine). @default true */
  readonly worker?: boolean
  /** Called before rules that read the store (corrections, repairs, deletes) run, to bring its views up to date. */
  readonly beforeStoreRules?: () => Promise<void>
  /** Largest uncompressed file accepted, in bytes (CAT: 100 GB over SFTP). */
  readonly maxBytes?: number
}

const MAX_CODES = 8
/** Records per batch while the codec refuses most of them. */
const REJECTING_BATCH = 5_000
const TOO_MANY = 2999

// Reference facts many rules need (see Rule.when), looked up once per symbol and event date of a batch: a
// lookup per record cost as much as staging the record. A record whose eventTimestamp was refused has no
// event date; its other fields are judged as of any date.
const IN_RANGE = (a: string) =>
  `(s.event_date IS NULL OR s.event_date BETWEEN ${a}.from_date AND coalesce(${a}.to_date, 99991231))`
// On an options exchange the exchange events' symbol is the series' OSI symbol: the options series master
// lists it (docs/formats/events.md).
const SERIES_KNOWN = `EXISTS (SELECT 1 FROM ref_options y WHERE y.option_id = s.symbol)`
const SERIES_EFFECTIVE = `EXISTS (SELECT 1 FROM ref_options y WHERE y.option_id = s.symbol AND ${IN_RANGE('y')})`
const referenceContext = (reporter: string, exchange: boolean) => `
  (EXISTS (SELECT 1 FROM ref_symbols y WHERE y.symbol = s.symbol)${exchange ? ` OR ${SERIES_KNOWN}` : ''}) AS _symbol_known,
  (EXISTS (SELECT 1 FROM ref_symbols y WHERE y.symbol = s.symbol AND ${IN_RANGE('y')})${exchange ? ` OR ${SERIES_EFFECTIVE}` : ''}) AS _symbol_effective,
  EXISTS (SELECT 1 FROM ref_symbols y WHERE y.symbol = s.symbol AND y.nms AND ${IN_RANGE('y')}) AS _symbol_nms,
  EXISTS (SELECT 1 FROM ref_imids i WHERE i.imid = ${literal(reporter)} AND i.ats AND ${IN_RANGE('i')}) AS _reporter_ats`

/** errorROEID of a rejected record: unique in the repository, and the same on every rerun. */
export function errorRoeId(fileId: number, line: number): bigint {
  return (BigInt(fileId) << 32n) + BigInt(line)
}

function rulesFor(event: EventSpec, version: string): Rule[] {
  return RULES.filter(
    (r) =>
      (!r.actions || r.actions.some((a) => a !== 'DEL')) &&
      (!r.versions || r.versions.includes(version)) &&
      (r.events ? r.events.includes(event.type) : true) &&
      r.fields.every((f) => event.byName.has(f)),
  )
}

function actionsOf(rule: Rule): string {
  return (rule.actions ?? ['NEW', 'COR', 'RPR']).map((a) => `'${a}'`).join(', ')
}

/** Caps a record's codes at eight, the eighth being 2999 when there are more (IM spec Table 62). */
export function capCodes(codes: number[]): number[] {
  const unique = [...new Set(codes)].sort((a, b) => a - b)
  return unique.length > MAX_CODES ? [...unique.slice(0, MAX_CODES - 1), TOO_MANY] : unique
}

/** Ingests one data file into the work area; `commit` then moves its output into the store. */
export async function ingestFile(
  db: Database,
  paths: RepoPaths,
  calendar: TradingCalendar,
  input: IngestInput,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const started = process.hrtime.bigint()
  const work = join(paths.work, `f${input.fileId}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  let rejected = 0
  const errorsByCode: Record<string, number> = {}
  let accepted = 0
  let late = 0
  let batchNo = 0

  // A worker decodes the next batch while the engine validates and stores the two before it, each on a
  // lane of its own (batch-lanes.ts).
  const decoder = options.worker === false ? inlineDecoder() : sharedWorkerDecoder()
  // Each lane's statements run on one thread: a batch's statements are too small to gain from a second,
  // which costs CPU the worker and the other lane need (one lane, 1 M records: 0.83x the CPU, 0.90x the time).
  const lanes = options.worker === false ? [db] : [db, await db.connect()]
  const threads =
    options.worker === false
      ? undefined
      : (await db.one<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t"))?.t
  if (threads !== undefined) await db.run('SET threads = 1')
  const batches = new BatchLanes<BatchResult>(lanes)
  let outcome: Awaited<ReturnType<typeof readLines>>
  // A record the codec refuses costs far more memory on its way to the rejects store than one accepted
  // (its findings, codes, messages and text are held until written), so batches start small, double
  // while few records are refused, and fall back to small after a batch of mostly rejects: a file of a
  // million rejects keeps memory flat, and a file of good records soon runs at the full batch size.
  const fullBatch = options.batchSize ?? 100_000
  let batchSize = Math.min(fullBatch, REJECTING_BATCH)
  try {
    outcome = await readLines(
      input.path,
      input.compressed,
      {
        get batchSize() {
          return batchSize
        },
        ...(options.batchBytes ? { batchBytes: options.batchBytes } : {}),
        maxBytes: options.maxBytes ?? 100 * 1024 ** 3,
      },
      async (lines, firstLine, long) => {
        const decoded = decoder.decode({
          lines,
          firstLine,
          fileVersion: input.cat.version,
          format: input.format,
          kind: input.kind,
          ...(long.length > 0 ? { long } : {}),
          stageDir: work,
        })
        await batches.free()
        const staged = await decoded
        batchSize =
          staged.problems.length * 4 > lines.length
            ? Math.min(fullBatch, REJECTING_BATCH)
            : Math.min(fullBatch, batchSize * 2)
        const n = batchNo++
        const needsStore = staged.actions.some((a) => a !== undefined && a !== 'NEW')
        await batches.start(n, needsStore, async (lane) => {
          if (needsStore && options.beforeStoreRules) await options.beforeStoreRules()
          return runBatch(lane, calendar, input, staged, lines, n, work)
        })
      },
    )
    for (const result of await batches.done()) {
      accepted += result.accepted
      late += result.late
      rejected += result.rejected
      for (const [code, n] of Object.entries(result.errorsByCode))
        errorsByCode[code] = (errorsByCode[code] ?? 0) + n
    }
  } finally {
    await batches.settle()
    for (const lane of lanes.slice(1)) lane.close()
    if (options.worker === false) await decoder.close()
    if (threads !== undefined) await db.run(`SET threads = ${Number(threads)}`)
  }

  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const fail = (fileCode: number, fileMessage: string): IngestResult => {
    rmSync(work, { recursive: true, force: true })
    return {
      records: outcome.lines,
      accepted: 0,
      rejected: 0,
      errorsByCode: {},
      fileCode,
      fileMessage,
      late: 0,
      seconds,
    }
  }
  if (outcome.unreadable !== undefined)
    return fail(2153, `the data file cannot be decompressed: ${outcome.unreadable}`)
  if (outcome.tooLarge) return fail(1108, 'the data file is larger than the size limit')
  if (input.expectedRecords !== undefined && outcome.lines !== input.expectedRecords) {
    return fail(
      2151,
      `the metadata file says ${input.expectedRecords} records; the data file has ${outcome.lines}`,
    )
  }
  return { records: outcome.lines, accepted, rejected, errorsByCode, late, seconds }
}

/** Moves a file's ingested output from the work area into the store (rename: atomic per file). */
export function commitIngested(paths: RepoPaths, fileId: number): void {
  const work = join(paths.work, `f${fileId}`)
  for (const [sub, target] of [
    ['events', paths.events],
    ['rejects', paths.rejects],
  ] as const) {
    const dir = join(work, sub)
    let entries: string[]
    try {
      entries = readdirSync(dir, { recursive: true }).map(String)
    } catch {
      continue
    }
    for (const rel of entries.filter((e) => e.endsWith('.parquet'))) {
      const to = join(target, rel)
      mkdirSync(dirname(to), { recursive: true })
      renameSync(join(dir, rel), to)
    }
  }
  rmSync(work, { recursive: true, force: true })
}

interface BatchResult {
  accepted: number
  late: number
  rejected: number
  errorsByCode: Record<string, number>
}

async function runBatch(
  db: Database,
  calendar: TradingCalendar,
  input: IngestInput,
  batch: StagedBatch,
  lines: readonly string[],
  batchNo: number,
  work: string,
): Promise<BatchResult> {
  const consts = `${input.fileId} AS _file_id, ${literal(input.reporter)} AS _reporter, ${input.submitter}::UBIGINT AS _submitter, ${input.receivedNs} AS _received_ns, ${input.nowNs} AS _now_ns, ${input.generationDate} AS _generation_date`
  const tables: { table: string; type: string; rules: Rule[]; reference?: string }[] = []
  for (const { type, path: tsv } of batch.stages) {
    const event = input.cat.events.get(type)!
    const table = `_s_${type}`
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT s.*, ${consts}
       FROM read_csv(${literal(tsv)}, columns = ${stageColumns(stageFields(eventPlan(input.cat, event)))}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false, null_padding = false, strict_mode = true) s`,
    )
    rmSync(tsv)
    const reference = event.byName.has('symbol')
      ? `_k_${event.family === 'exchange' ? 'exchange' : 'firm'}`
      : undefined
    tables.push({
      table,
      type,
      rules: rulesFor(event, input.cat.version),
      ...(reference ? { reference } : {}),
    })
  }
  const references = [...new Set(tables.flatMap((t) => (t.reference ? [t.reference] : [])))]
  for (const reference of references) {
    const keys = tables
      .filter((t) => t.reference === reference)
      .map((t) => `SELECT symbol, event_date FROM ${t.table}`)
      .join(' UNION ')
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${reference} AS SELECT s.symbol, s.event_date, ${referenceContext(input.reporter, reference === '_k_exchange')} FROM (${keys}) s`,
    )
  }
  // What the rules read of a staged type: its rows, with the reference facts of their symbol and date.
  const ruleSource = (t: (typeof tables)[number]) =>
    t.reference
      ? `(SELECT s.*, k.* EXCLUDE (symbol, event_date) FROM ${t.table} s LEFT JOIN ${t.reference} k ON k.symbol IS NOT DISTINCT FROM s.symbol AND k.event_date IS NOT DISTINCT FROM s.event_date)`
      : t.table
  if (batch.deletes) {
    const tsv = batch.deletes
    await db.run(
      `CREATE OR REPLACE TEMP TABLE _s_DEL AS SELECT *, ${consts} FROM read_csv(${literal(tsv)}, columns = ${DELETE_COLUMNS}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false)`,
    )
    rmSync(tsv)
    tables.push({ table: '_s_DEL', type: 'DEL', rules: RULES.filter((r) => r.actions?.includes('DEL')) })
  }

  const dates = await createDeadlines(db, calendar, tables)
  // Every rule over every staged type at once. Plain predicates share one pass over each type's batch;
  // rules that look things up (reference data, the store) run as their own joins.
  const ruleById = new Map(RULES.map((r) => [r.id, r]))
  const lookup = (r: Rule) => /\bSELECT\b/i.test(r.when)
  // A rule for corrections only (which reads the whole store) need not run over a batch without any.
  const present = new Set(batch.actions.filter((a) => a !== undefined))
  const applies = (r: Rule) => (r.actions ?? ['NEW', 'COR', 'RPR']).some((a) => present.has(a))
  const parts = tables.flatMap((t) => {
    const rules = t.rules.filter(applies)
    const source = ruleSource(t)
    const plain = rules.filter((r) => !lookup(r))
    const tests = plain.map(
      (r) => `CASE WHEN _action IN (${actionsOf(r)}) AND (${r.when}) THEN ${literal(r.id)} END`,
    )
    return [
      ...(plain.length > 0
        ? [
            `SELECT _line, unnest(list_filter([${tests.join(',\n  ')}], x -> x IS NOT NULL)) AS rule FROM ${source} r`,
          ]
        : []),
      ...rules
        .filter(lookup)
        .map(
          (r) =>
            `SELECT _line, ${literal(r.id)} AS rule FROM ${source} r WHERE _action IN (${actionsOf(r)}) AND (${r.when})`,
        ),
    ]
  })
  const hits =
    parts.length === 0 ? [] : await db.all<{ _line: number; rule: string }>(parts.join('\nUNION ALL\n'))

  const byLine = new Map<number, { codes: number[]; messages: string[] }>()
  const problems = new Map<number, LineFindings>()
  for (const p of batch.problems) {
    problems.set(p.line, p)
    byLine.set(p.line, { codes: p.findings.map((f) => f.code), messages: p.findings.map((f) => f.message) })
  }
  for (const h of hits) {
    const rule = ruleById.get(h.rule)!
    const p = problems.get(h._line)
    // A rule reading a field the codec already refused would only repeat (or guess at) that error.
    if (p?.findings.some((f) => f.field !== undefined && rule.fields.includes(f.field))) continue
    const entry = byLine.get(h._line) ?? { codes: [], messages: [] }
    entry.codes.push(rule.code)
    entry.messages.push(rule.message)
    byLine.set(h._line, entry)
  }

  // Rejects go to a file of JSON lines as they are made, a chunk at a time: a batch may be all rejects.
  const rejectsFile = join(work, `b${batchNo}_rejects.json`)
  const badLines: number[] = []
  const errorsByCode: Record<string, number> = {}
  let chunk: string[] = []
  for (const [line, e] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const codes = capCodes(e.codes)
    badLines.push(line)
    for (const c of codes) errorsByCode[c] = (errorsByCode[c] ?? 0) + 1
    chunk.push(rejectRow(input, batch, line, codes, e.messages, lines[line - batch.firstLine]))
    if (chunk.length >= REJECT_CHUNK) {
      appendFileSync(rejectsFile, `${chunk.join('\n')}\n`)
      chunk = []
    }
  }
  if (chunk.length > 0) appendFileSync(rejectsFile, `${chunk.join('\n')}\n`)
  byLine.clear()
  let accepted = 0
  let late = 0
  if (tables.length > 0) {
    await db.run('CREATE OR REPLACE TEMP TABLE _bad (_line INTEGER)')
    if (badLines.length > 0)
      await db.run(`INSERT INTO _bad VALUES ${badLines.map((l) => `(${l})`).join(',')}`)
    const lates = tables.map(
      ({ table, type }) =>
        `SELECT count(*) FILTER (WHERE _late) AS n FROM (${selectStored(table, type, input)})`,
    )
    late = Number(
      (await db.one<{ n: string }>(`SELECT sum(n) AS n FROM (${lates.join(' UNION ALL ')})`))?.n ?? 0,
    )
    // Before any of them is visible: the store's views read repairs by errorROEID once the store holds one.
    if (batch.actions.some((a, i) => (a === 'RPR' || a === 'DEL') && batch.repairs[i] !== undefined))
      await markRepairsNamed(db)
    // One file per batch and event date, its types' rows one after another, each type's columns only where
    // its rows have them (readers union the store's files by column name): a file per type cost a write each.
    const stored = tables
      .map(({ table, type }) => `(${widenToColumns(db, selectStored(table, type, input), EVENT_COLUMNS)})`)
      .join(' UNION ALL BY NAME ')
    // A batch of one event date (the usual case) is written straight to the file a partitioned write would
    // make, without the partitioned writer's cost (a third of the write).
    const name = `f${input.fileId}_b${batchNo}_`
    const one =
      dates.length === 1 && dates[0] !== null ? join(work, 'events', `event_date=${dates[0]}`) : undefined
    if (one) mkdirSync(one, { recursive: true })
    const written = await db.all<{ Count: string }>(
      one
        ? `COPY (SELECT * EXCLUDE (event_date) FROM (${stored})) TO ${literal(join(one, `${name}0.parquet`))} (FORMAT parquet, COMPRESSION zstd${parquetWriteOptions(db)})`
        : `COPY (${stored}) TO ${literal(join(work, 'events'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date), FILENAME_PATTERN '${name}{i}', OVERWRITE_OR_IGNORE true${parquetWriteOptions(db)})`,
    )
    accepted += Number(written[0]?.Count ?? 0)
    for (const table of [...tables.map((t) => t.table), ...references])
      await db.run(`DROP TABLE IF EXISTS ${table}`)
  }
  if (badLines.length > 0) await storeRejects(db, input, rejectsFile, batchNo, work)
  return { accepted, late, rejected: badLines.length, errorsByCode }
}

function selectStored(table: string, type: string, input: IngestInput): string {
  const t = type === 'DEL' ? 'NULL' : literal(type)
  return `SELECT s.* EXCLUDE (_now_ns, _generation_date), (s._file_id::UBIGINT << 32) + s._line::UBIGINT AS _event_id, ${t} AS _type, ${input.processingDate} AS _processing_date, ${literal(input.cat.version)} AS _file_version,
    CASE WHEN s._action = 'NEW' THEN s._received_ns > (CASE WHEN s._event_ns <= d.cutoff_ns THEN d.due_before ELSE d.due_after END)
         ELSE s._received_ns > (CASE WHEN s._event_ns <= d.cutoff_ns THEN d.repair_before ELSE d.repair_after END) END AS _late
  FROM ${table} s LEFT JOIN _deadlines d ON d.event_date = s.event_date
  WHERE s._line NOT IN (SELECT _line FROM _bad)`
}

/** Creates the batch's deadlines table; returns the event dates its records name (null for none). */
async function createDeadlines(
  db: Database,
  calendar: TradingCalendar,
  tables: { table: string }[],
): Promise<(number | null)[]> {
  const named =
    tables.length === 0
      ? []
      : await db.all<{ d: number | null }>(
          `SELECT DISTINCT event_date AS d FROM (${tables.map((t) => `SELECT event_date FROM ${t.table}`).join(' UNION ')})`,
        )
  const dates = named.flatMap(({ d }) => (d === null ? [] : [{ d }]))
  const rows = dates.map(({ d }) => {
    const y = Math.floor(d / 10000)
    const m = Math.floor(d / 100) % 100
    const day = d % 100
    const morning = etWallToUtcNs(y, m, day, 0, 0, 0)
    const night = etWallToUtcNs(y, m, day, 23, 59, 59)
    const before = catTradingDayOf(calendar, morning)
    const after = catTradingDayOf(calendar, night)
    // Events up to the trading day's end belong to `before`; later ones that day to `after`.
    const cutoff = before === d ? tradingDayEnd(calendar, d) : night
    const a = catDeadlines(calendar, before)
    const b = catDeadlines(calendar, after)
    return `(${d}, ${cutoff}, ${a.submission}, ${b.submission}, ${a.repair}, ${b.repair}, ${nextTradingDay(calendar, d)})`
  })
  await db.run(
    'CREATE OR REPLACE TEMP TABLE _deadlines (event_date INTEGER, cutoff_ns BIGINT, due_before BIGINT, due_after BIGINT, repair_before BIGINT, repair_after BIGINT, next_trading_date INTEGER)',
  )
  if (rows.length > 0) await db.run(`INSERT INTO _deadlines VALUES ${rows.join(',')}`)
  return named.map(({ d }) => d)
}

const MAX_UBIGINT = (1n << 64n) - 1n
const REJECT_CHUNK = 8192

// One rejected record as a JSON line of the rejects store's columns: one string per row is far cheaper to
// hand to the engine than a call per value.
function rejectRow(
  input: IngestInput,
  batch: StagedBatch,
  line: number,
  codes: number[],
  messages: string[],
  raw: string,
): string {
  const p: LineInfo = lineInfo(batch, line)
  const repairs =
    p.repairs !== undefined && /^[0-9]{1,20}$/.test(p.repairs) && BigInt(p.repairs) <= MAX_UBIGINT
      ? p.repairs
      : null
  return JSON.stringify({
    errorROEID: errorRoeId(input.fileId, line).toString(),
    _file_id: input.fileId,
    _line: line,
    _reporter: input.reporter,
    _submitter: input.submitter,
    _type: p.type ?? null,
    _action: p.action ?? null,
    _roe_id: p.roeId ?? null,
    _event_ns: p.eventNs !== undefined ? p.eventNs.toString() : null,
    _repairs: repairs,
    codes,
    messages,
    raw,
    _received_ns: input.receivedNs.toString(),
    processing_date: input.processingDate,
  })
}

// Row groups of rejects small enough that the error data file, read a page at a time in line order, skips
// all but a page's worth of them (see file-rejects.ts).
const REJECT_ROW_GROUP = 8192

// One Parquet file of rejects per batch, beside the batch's accepted records in the work area.
async function storeRejects(
  db: Database,
  input: IngestInput,
  json: string,
  batchNo: number,
  work: string,
): Promise<void> {
  const columns = `{${REJECT_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.sqlType)}`).join(', ')}}`
  await db.run(
    `COPY (SELECT * FROM read_json(${literal(json)}, format = 'newline_delimited', columns = ${columns}, maximum_object_size = 1048576))
     TO ${literal(join(work, 'rejects'))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${REJECT_ROW_GROUP}, PARTITION_BY (processing_date), FILENAME_PATTERN 'f${input.fileId}_b${batchNo}_{i}', OVERWRITE_OR_IGNORE true${parquetWriteOptions(db)})`,
  )
  rmSync(json)
}
