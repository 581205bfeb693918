/**
 * Reporter report cards: for one reporter and processing date, records received, errors by stage (integrity,
 * ingestion, linkage, late) and by code, and the error rate (records in error ÷ records) against the maximum
 * (CAT: 5 % initially) — as first reported, and after the repairs received since.
 */
import { CAT_CODES } from '../catalogue/cat-codes.ts'
import { OpenCatError } from '../common/errors.ts'
import { runDir, runFiles, runsOf } from '../link/linkage-layout.ts'
import { literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead } from '../store/store-cipher.ts'

/** Errors of one stage. */
export interface StageErrors {
  readonly stage: 'integrity' | 'ingestion' | 'linkage' | 'late'
  /** Records in error as first reported. */
  readonly errors: number
  readonly rate: number
  /** Of those, records not yet repaired (a late record stays late). */
  readonly outstanding: number
}

/** A report card. */
export interface ReportCard {
  readonly reporter: string
  readonly processingDate: number
  readonly files: number
  readonly filesRejected: number
  readonly records: number
  readonly late: number
  /** Records with at least one error, as first reported (a record in error at two stages counts once). */
  readonly errors: number
  readonly errorRate: number
  /** Records still in error after the repairs, corrections and deletes received since. */
  readonly errorsAfterRepairs: number
  readonly errorRateAfterRepairs: number
  readonly maxErrorRate: number
  /** Whether the rate as first reported is within the maximum. */
  readonly withinLimit: boolean
  readonly stages: StageErrors[]
  readonly byCode: { code: number; count: number; title: string }[]
}

/**
 * Builds the report card of `reporter` for `processingDate` (YYYYMMDD). A reporter the reference data does
 * not know, or one with no data file processed that date, is OCAT_ERR_NOT_FOUND.
 */
export async function reportCard(
  repo: Repository,
  reporter: string,
  processingDate: number,
  maxErrorRate: number,
): Promise<ReportCard> {
  const db = repo.db
  const known = await db.one<{ n: string }>(
    `SELECT (SELECT count(*) FROM ref_imids WHERE imid = $1) + (SELECT count(*) FROM ref_exchanges WHERE exchange_id = $1) AS n`,
    [reporter],
  )
  if (Number(known?.n ?? 0) === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `${reporter} is not a CAT reporter in the reference data; give an IMID or Exchange ID`,
    )
  const files = await db.one<{ files: string; rejected: string; records: string; rejected_records: string }>(
    `SELECT count(*) AS files, count(*) FILTER (WHERE status = 'rejected') AS rejected,
            coalesce(sum(records), 0) AS records,
            coalesce(sum(coalesce(records, expected_records)) FILTER (WHERE status = 'rejected'), 0) AS rejected_records
     FROM files WHERE role = 'data' AND reporter = $1 AND processing_date = $2`,
    [reporter, processingDate],
  )
  if (Number(files?.files ?? 0) === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `${reporter} has no data file processed on ${processingDate}; check the processing date`,
    )
  // The store is read once for the reporter: the versions processed that date, and its repairs (a repair
  // may come on any later date). Every count below reads this table, not the store again.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE _rc_mine AS
     SELECT _event_id, _repairs, _late, _processing_date = $2 AS processed, event_date FROM events
     WHERE _reporter = $1 AND (_processing_date = $2 OR _repairs IS NOT NULL)`,
    [reporter, processingDate],
  )
  await createLinkageErrors(repo, reporter)
  const counts = await db.one<Record<string, string>>(
    `WITH rejected AS (
       SELECT errorROEID AS id FROM rejects WHERE _reporter = $1 AND processing_date = $2
     ),
     -- A rejected record is repaired once an accepted RPR (or a DEL) names its errorROEID.
     repaired AS (
       SELECT DISTINCT _repairs AS id FROM _rc_mine WHERE _repairs IS NOT NULL
     ),
     late AS (
       SELECT _event_id AS id FROM _rc_mine WHERE processed AND _late
     ),
     all_errors AS (
       SELECT id FROM rejected UNION SELECT id FROM _rc_linkage UNION SELECT id FROM late
     ),
     outstanding AS (
       SELECT id FROM rejected WHERE id NOT IN (SELECT id FROM repaired)
       UNION SELECT id FROM _rc_linkage WHERE outstanding
       UNION SELECT id FROM late
     )
     SELECT (SELECT count(*) FROM rejected) AS ingestion,
            (SELECT count(*) FROM rejected WHERE id NOT IN (SELECT id FROM repaired)) AS ingestion_left,
            (SELECT count(*) FROM _rc_linkage) AS linkage,
            (SELECT count(*) FROM _rc_linkage WHERE outstanding) AS linkage_left,
            (SELECT count(*) FROM late) AS late,
            (SELECT count(*) FROM all_errors) AS errors,
            (SELECT count(*) FROM outstanding) AS left`,
    [reporter, processingDate],
  )
  const codes = await db.all<{ code: number; n: string }>(
    `SELECT code, count(*) AS n FROM (
       SELECT unnest(codes) AS code FROM rejects WHERE _reporter = $1 AND processing_date = $2
       UNION ALL SELECT unnest(codes) FROM _rc_linkage
     ) GROUP BY code ORDER BY n DESC, code`,
    [reporter, processingDate],
  )
  await db.run('DROP TABLE IF EXISTS _rc_linkage; DROP TABLE IF EXISTS _rc_mine')
  const n = (k: string) => Number(counts?.[k] ?? 0)
  const records = Number(files?.records ?? 0)
  const integrity = Number(files?.rejected_records ?? 0)
  const rate = (x: number) => (records === 0 ? 0 : x / records)
  // Records of a rejected file never reach the store, so they are in error at no other stage.
  const errors = integrity + n('errors')
  const left = integrity + n('left')
  const stage = (name: StageErrors['stage'], e: number, outstanding: number): StageErrors => ({
    stage: name,
    errors: e,
    rate: rate(e),
    outstanding,
  })
  return {
    reporter,
    processingDate,
    files: Number(files?.files ?? 0),
    filesRejected: Number(files?.rejected ?? 0),
    records,
    late: n('late'),
    errors,
    errorRate: rate(errors),
    errorsAfterRepairs: left,
    errorRateAfterRepairs: rate(left),
    maxErrorRate,
    withinLimit: rate(errors) <= maxErrorRate,
    stages: [
      stage('integrity', integrity, integrity),
      stage('ingestion', n('ingestion'), n('ingestion_left')),
      stage('linkage', n('linkage'), n('linkage_left')),
      stage('late', n('late'), n('late')),
    ],
    byCode: codes.map((c) => ({
      code: Number(c.code),
      count: Number(c.n),
      title: CAT_CODES.get(Number(c.code))?.title ?? '',
    })),
  }
}

/**
 * Table `_rc_linkage`: the reporter's records processed that date (`_rc_mine`) that any linkage run sent
 * back with an error (not a warning, not a named error about someone else's record), their codes, and
 * whether the date's current run still finds it (a repaired, corrected or deleted record is no longer in
 * error).
 */
async function createLinkageErrors(repo: Repository, reporter: string): Promise<void> {
  const db = repo.db
  const dates = (
    await db.all<{ d: number }>(
      'SELECT DISTINCT event_date AS d FROM _rc_mine WHERE processed AND event_date IS NOT NULL',
    )
  ).map((r) => Number(r.d))
  const all: string[] = []
  const current: string[] = []
  for (const date of dates) {
    const runs = runsOf(repo.paths, date)
    for (const run of runs) {
      const files = runFiles(runDir(repo.paths, date, run), 'findings')
      all.push(...files)
      if (run === runs[runs.length - 1]) current.push(...files)
    }
  }
  const errorCodes = (source: string) =>
    `SELECT f._event_id AS id, f.code FROM ${source} f
     JOIN (SELECT _event_id FROM _rc_mine WHERE processed) e USING (_event_id)
     WHERE f.recipient = ${literal(reporter)} AND NOT f.named AND f.severity = 'Error'`
  const scan = (files: string[]) =>
    parquetRead(db, `[${files.map(literal).join(', ')}]`, ['union_by_name = true'])
  if (all.length === 0) {
    await db.run(
      'CREATE OR REPLACE TEMP TABLE _rc_linkage (id UBIGINT, codes INTEGER[], outstanding BOOLEAN)',
    )
    return
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE _rc_linkage AS
     WITH ever AS (${errorCodes(scan(all))}),
          now AS (${current.length > 0 ? errorCodes(scan(current)) : 'SELECT NULL::UBIGINT AS id, NULL::INTEGER AS code WHERE false'})
     SELECT id, list(DISTINCT code ORDER BY code) AS codes, bool_or(id IN (SELECT id FROM now)) AS outstanding
     FROM ever GROUP BY id`,
  )
}
