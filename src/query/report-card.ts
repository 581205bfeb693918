/**
 * Reporter report cards: for one reporter and processing date, records received, errors by stage and by
 * code, and the error rate (errors ÷ records) against the maximum (CAT: 5 % initially).
 */
import { CAT_CODES } from '../catalogue/index.ts'
import type { Repository } from '../store/repository.ts'

/** A report card. */
export interface ReportCard {
  readonly reporter: string
  readonly processingDate: number
  readonly files: number
  readonly filesRejected: number
  readonly records: number
  readonly late: number
  readonly errors: number
  readonly errorRate: number
  readonly maxErrorRate: number
  readonly withinLimit: boolean
  readonly stages: { stage: string; errors: number; rate: number }[]
  readonly byCode: { code: number; count: number; title: string }[]
}

/** Builds the report card of `reporter` for `processingDate` (YYYYMMDD). */
export async function reportCard(
  repo: Repository,
  reporter: string,
  processingDate: number,
  maxErrorRate: number,
): Promise<ReportCard> {
  const db = repo.db
  const files = await db.one<{ files: string; rejected: string; records: string; rejected_records: string }>(
    `SELECT count(*) AS files, count(*) FILTER (WHERE status = 'rejected') AS rejected,
            coalesce(sum(records), 0) AS records,
            coalesce(sum(coalesce(records, expected_records)) FILTER (WHERE status = 'rejected'), 0) AS rejected_records
     FROM files WHERE role = 'data' AND reporter = $1 AND processing_date = $2`,
    [reporter, processingDate],
  )
  const codes = await db.all<{ code: number; n: string }>(
    `SELECT code, count(*) AS n FROM (SELECT unnest(codes) AS code FROM rejects WHERE _reporter = $1 AND processing_date = $2)
     GROUP BY code ORDER BY n DESC, code`,
    [reporter, processingDate],
  )
  const rejected = await db.one<{ n: string }>(
    'SELECT count(*) AS n FROM rejects WHERE _reporter = $1 AND processing_date = $2',
    [reporter, processingDate],
  )
  const late = await db.one<{ n: string }>(
    'SELECT count(*) AS n FROM events WHERE _reporter = $1 AND _processing_date = $2 AND _late',
    [reporter, processingDate],
  )
  const records = Number(files?.records ?? 0)
  const ingestionErrors = Number(rejected?.n ?? 0)
  const integrityErrors = Number(files?.rejected_records ?? 0)
  const errors = ingestionErrors + integrityErrors
  const rate = (n: number) => (records === 0 ? 0 : n / records)
  return {
    reporter,
    processingDate,
    files: Number(files?.files ?? 0),
    filesRejected: Number(files?.rejected ?? 0),
    records,
    late: Number(late?.n ?? 0),
    errors,
    errorRate: rate(errors),
    maxErrorRate: maxErrorRate,
    withinLimit: rate(errors) <= maxErrorRate,
    stages: [
      { stage: 'integrity', errors: integrityErrors, rate: rate(integrityErrors) },
      { stage: 'ingestion', errors: ingestionErrors, rate: rate(ingestionErrors) },
    ],
    byCode: codes.map((c) => ({
      code: Number(c.code),
      count: Number(c.n),
      title: CAT_CODES.get(Number(c.code))?.title ?? '',
    })),
  }
}
