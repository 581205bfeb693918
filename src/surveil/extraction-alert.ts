/**
 * Extraction alerts: a regulator's SQL query or bulk extract that returns far more rows than that user's
 * norm. The norm is read from the access log, which records the rows of every `sql` and `extract` it
 * answered: the median row count of the user's answered queries and extracts in the 30 days before the
 * request. A request is an alert when it returned at least `floorRows` rows and more than `factor` times
 * that median (a user with no earlier request in the window has a median of 0: their first request above
 * the floor is an alert). The thresholds are in EXTRACTION_POLICY.
 *
 * Alerts are stored beside the surveillance runs, one NDJSON file per (Eastern) date of the request,
 * `store/surveil/extraction/YYYYMMDD.ndjson`, appended under `store/surveil/extraction/alerts.lock`; the
 * regulators' SQL sandbox cannot read them. They are listed with the date's surveillance alerts.
 */
import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { etDateOf } from '../common/time/cat-date.ts'
import { type LoggedEntry, readAccessLog } from '../store/access-log.ts'
import { withLockSync } from '../store/lock.ts'
import type { RepoPaths } from '../store/paths.ts'

/** When a request is far above its user's norm. */
export const EXTRACTION_POLICY = {
  /** The access log actions whose rows count. */
  actions: ['sql', 'extract'],
  /** Days of the user's history the norm is taken over. */
  windowDays: 30,
  /** How many times the median row count a request must pass. */
  factor: 10,
  /** Fewer rows than this never alert, however small the norm. */
  floorRows: 100_000,
} as const

/** An extraction alert, as the alert listings show it (the shape of a surveillance alert, and its figures). */
export interface ExtractionAlert {
  readonly id: string
  readonly kind: 'extraction'
  /** Extracts are not about one symbol. */
  readonly symbol: ''
  readonly from: string
  readonly to: string
  readonly score: number
  readonly participants: readonly []
  readonly events: readonly []
  readonly reason: string
  readonly extraction: {
    readonly user: string
    /** `sql` or `extract`. */
    readonly action: string
    /** The SQL, or the extract asked for (`date=…&symbol=…`). */
    readonly request: string
    readonly rows: number
    readonly medianRows: number
    /** The user's earlier answered requests in the window. */
    readonly priorRequests: number
    readonly windowDays: number
    readonly factor: number
    readonly floorRows: number
  }
}

const DAY_NS = 86_400n * 1_000_000_000n

function dir(paths: RepoPaths): string {
  return join(paths.store, 'surveil', 'extraction')
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const counted = (e: LoggedEntry) =>
  (EXTRACTION_POLICY.actions as readonly string[]).includes(e.action) &&
  e.status === 0 &&
  typeof e.rows === 'number'

/** An answered query or extract, as its access log entry has it (`atNs`: the instant logged). */
export interface ExtractionRequest {
  readonly user: string
  readonly action: string
  readonly subject: string
  readonly rows: number
  readonly atNs: bigint
}

/**
 * The alert a request raises against the log's entries before it (earlier instants: the request's own entry,
 * whether the log holds it yet or not, is not its own norm), if it is far above its user's norm.
 */
export function judgeExtraction(
  entries: readonly LoggedEntry[],
  request: ExtractionRequest,
  policy: typeof EXTRACTION_POLICY = EXTRACTION_POLICY,
): ExtractionAlert | undefined {
  if (!(policy.actions as readonly string[]).includes(request.action)) return undefined
  const rows = request.rows
  if (rows < policy.floorRows) return undefined
  const at = request.atNs
  const since = at - BigInt(policy.windowDays) * DAY_NS
  const prior = entries.filter((e) => {
    if (e.user !== request.user || !counted(e)) return false
    const t = BigInt(e.at)
    return t < at && t >= since
  })
  const norm = median(prior.map((e) => e.rows as number))
  if (rows <= policy.factor * norm) return undefined
  const times = norm > 0 ? `${Math.round(rows / norm)}× the median of ${norm}` : 'no earlier request'
  return {
    id: `X${createHash('sha256').update(`${request.atNs}\n${request.user}\n${request.action}\n${request.subject}`).digest('hex').slice(0, 15)}`,
    kind: 'extraction',
    symbol: '',
    from: String(request.atNs),
    to: String(request.atNs),
    // 0.5 at ten times the norm (or at the floor without one), nearing 1 at a thousand times it.
    score: Math.min(1, 0.5 + Math.log10(rows / Math.max(policy.factor * norm, policy.floorRows)) / 4),
    participants: [],
    events: [],
    reason: `${request.user} got ${rows} rows from one ${request.action} (${times} over ${prior.length} earlier request${prior.length === 1 ? '' : 's'} in ${policy.windowDays} days): ${request.subject.slice(0, 200)}`,
    extraction: {
      user: request.user,
      action: request.action,
      request: request.subject,
      rows,
      medianRows: norm,
      priorRequests: prior.length,
      windowDays: policy.windowDays,
      factor: policy.factor,
      floorRows: policy.floorRows,
    },
  }
}

/**
 * Judges a query or extract just answered and stores its alert, if any. Called by the portal and the
 * command line after each `sql` and `extract` they answer, with what they gave the access log.
 */
export function checkExtraction(paths: RepoPaths, request: ExtractionRequest): ExtractionAlert | undefined {
  if (request.rows < EXTRACTION_POLICY.floorRows) return undefined
  const { entries } = readAccessLog(paths)
  const alert = judgeExtraction(entries, request)
  if (!alert) return undefined
  const folder = dir(paths)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const file = join(folder, `${etDateOf(BigInt(alert.from))}.ndjson`)
  withLockSync(join(folder, 'alerts.lock'), 30_000, () => {
    // One alert per request, however often the same request is judged.
    if (!extractionAlertsIn(file).some((a) => a.id === alert.id))
      appendFileSync(file, `${JSON.stringify(alert)}\n`, { mode: 0o600 })
  })
  return alert
}

function extractionAlertsIn(file: string): ExtractionAlert[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as ExtractionAlert]
      } catch {
        return [] // a line a killed writer left half-written
      }
    })
}

/** The extraction alerts raised on a date (Eastern Time), in the order they were raised. */
export function extractionAlerts(paths: RepoPaths, date: number): ExtractionAlert[] {
  return extractionAlertsIn(join(dir(paths), `${date}.ndjson`))
}
