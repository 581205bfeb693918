/**
 * CAT linkage feedback (IM spec §1.8, §7.5) for every reporter a run concerns: a metadata record with the
 * error count per linkage type (`…_OrderEvents.linkage.json`), or an empty `….linkage.success` when
 * nothing is wrong; and an error data file (`….linkage.error.json.bz2`) with one line per own event to
 * repair (at most two codes, actionType RPR, errorROEID, the original record) and one named-error record
 * (ERRIM for firm order events, ERRQT for quotes, ERREX for exchange events, ERRTRF for trade reports)
 * per event of another reporter that names it.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LinkageType } from '../catalogue/index.ts'
import { RawNumber } from '../codec/index.ts'
import { bzip2Program } from '../common/bzip2.ts'
import { OpenCatError } from '../common/errors.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import {
  errorsDir,
  type FeedbackRecord,
  feedbackDir,
  renderErrorLines,
  writeFeedback,
} from '../intake/feedback.ts'
import type { Repository } from '../store/repository.ts'
import { trimDecimal } from './lifecycle-lookup.ts'
import { originalRecords } from './record-text.ts'

/** The feedback written for one submitter and reporter. */
export interface LinkFeedbackResult {
  readonly submitter: string
  readonly reporter: string
  readonly status: 'Success' | 'Failure'
  readonly errorCount: number
  readonly metadata: string
  readonly errorFile?: string
}

const LINKAGE_TYPES: LinkageType[] = ['Intrafirm', 'Interfirm', 'Exchange', 'Trade']

const ERRIM = [
  'firmROEID',
  'type',
  'symbol',
  'eventTimestamp',
  'side',
  'price',
  'quantity',
  'senderIMID',
  'receiverIMID',
  'destination',
  'routedOrderID',
] as const
const ERREX = [
  'recordID',
  'type',
  'symbol',
  'eventTimestamp',
  'side',
  'price',
  'quantity',
  'routingParty',
  'exchange',
  'routedOrderID',
  'session',
  'capacity',
] as const
const ERRQT = [
  'firmROEID',
  'type',
  'symbol',
  'eventTimestamp',
  'bidPrice',
  'bidQty',
  'askPrice',
  'askQty',
  'senderIMID',
  'receiverIMID',
  'destination',
  'routedQuoteID',
  'receivedQuoteID',
] as const
// Fields a facility's report lacks (the sides' trade ids, the short-sale code) stay blank; tapeTradeID
// follows marketCenterID so the firm can find its MEOT.
const ERRTRF = [
  'errorRecordID',
  'symbol',
  'eventTimestamp',
  'quantity',
  'price',
  'rptngExctgMPID',
  'rptngSideTradeID',
  'rptngCapacity',
  'rptngSideCode',
  'rptngSideShortCode',
  'contraExctgMPID',
  'contraSideTradeID',
  'contraCapacity',
  'contraSideCode',
  'marketCenterID',
  'tapeTradeID',
] as const
const NUMERIC = new Set(['price', 'quantity', 'bidPrice', 'bidQty', 'askPrice', 'askQty'])
const QUOTES = new Set(
  ['NQ', 'RQ', 'QR', 'QC', 'QM', 'QS', 'NQS', 'RQS'].flatMap((t) =>
    ['ME', 'MO', 'ML'].map((p) => `${p}${t}`),
  ),
)
/** The named-error record type and layout for the type of the record that names the recipient. */
const namedLayout = (type: string): [string, readonly string[]] =>
  type === 'TRFT'
    ? ['ERRTRF', ERRTRF]
    : type.startsWith('EX')
      ? ['ERREX', ERREX]
      : QUOTES.has(type)
        ? ['ERRQT', ERRQT]
        : ['ERRIM', ERRIM]

interface Recipient {
  reporter: string
  submitter: string
  format: 'json' | 'csv'
  kind: string
}

type Row = Record<string, unknown>

/** Writes the linkage feedback of run `run` of `eventDate` (the run's work tables must still exist). */
export async function writeLinkageFeedback(
  repo: Repository,
  eventDate: number,
  run: number,
  nowNs: bigint,
  trace?: (line: string) => void,
): Promise<LinkFeedbackResult[]> {
  const db = repo.db
  let mark = process.hrtime.bigint()
  const step = (what: string) => {
    const now = process.hrtime.bigint()
    trace?.(`feedback ${(Number(now - mark) / 1e9).toFixed(3)} s  ${what}`)
    mark = now
  }
  // Who submitted the date's events, per reporter: own findings go to the submitter of the event's file.
  const sources = await db.all<{
    reporter: string
    submitter: string
    format: 'json' | 'csv'
    kind: string
  }>(`
    SELECT DISTINCT f.reporter, f.submitter_id::VARCHAR AS submitter, f.format, f.kind
    FROM files f WHERE f.file_id IN (SELECT DISTINCT (_event_id >> 32)::BIGINT FROM lk_nodes WHERE NOT prior AND NOT gone)
    ORDER BY ALL`)
  const recipients = new Map<string, Recipient>()
  for (const s of sources) {
    const key = `${s.submitter}|${s.reporter}`
    if (!recipients.has(key))
      recipients.set(key, { reporter: s.reporter, submitter: s.submitter, format: s.format, kind: s.kind })
  }
  const findings = await db.all<Row>(`
    SELECT f.idx, f.code, f.recipient, f.named, c.linkage_type, c.severity,
      replace(f.explanation, '{other}', coalesce(o._type || ' ' || o._roe_id || ' of ' || o._reporter, 'another event')) AS explanation,
      t._event_id::VARCHAR AS event_id, t._file_id, t._line, t._reporter, t._type,
      fi.submitter_id::VARCHAR AS submitter
    FROM lk_findings f JOIN lk_text t ON t.idx = f.idx LEFT JOIN lk_text o ON o.idx = f.other
    LEFT JOIN lk_codes c ON c.code = f.code LEFT JOIN files fi ON fi.file_id = t._file_id
    ORDER BY f.recipient, t._event_id, f.code`)
  const unknown = findings.find((f) => f.linkage_type === null || f.linkage_type === undefined)
  // Every code the passes emit is in the code table: one missing would have no severity and no type.
  if (unknown) throw new Error(`linkage: code ${unknown.code} is not in the CAT code table`)
  // A reporter named by others but with no events of its own that day hears through its submitter.
  for (const r of new Set(findings.filter((f) => f.named).map((f) => String(f.recipient)))) {
    if ([...recipients.values()].some((x) => x.reporter === r)) continue
    const auth = await db.one<{ submitter: string; exchange: boolean }>(
      `SELECT submitter_id::VARCHAR AS submitter, EXISTS (SELECT 1 FROM ref_exchanges WHERE exchange_id = $1) AS exchange
       FROM ref_authorizations WHERE reporter = $1 AND kind = 'report' AND $2 BETWEEN from_date AND coalesce(to_date, 99991231)
       ORDER BY submitter_id LIMIT 1`,
      [r, eventDate],
    )
    if (auth)
      recipients.set(`${auth.submitter}|${r}`, {
        reporter: r,
        submitter: auth.submitter,
        format: 'json',
        kind: auth.exchange ? 'ExchangeEvents' : 'OrderEvents',
      })
  }

  step('recipients and findings')
  const own = findings.filter((f) => !f.named)
  const texts = await originalRecords(repo, eventDate, [
    ...new Map(
      own.map((f) => [
        String(f.event_id),
        { eventId: String(f.event_id), fileId: Number(f._file_id), line: Number(f._line) },
      ]),
    ).values(),
  ])
  step('original records')
  const namedIds = [...new Set(findings.filter((f) => f.named).map((f) => String(f.event_id)))]
  const subjects = new Map<string, Row>()
  if (namedIds.length > 0) {
    for (const r of await db.all<Row>(
      `SELECT DISTINCT _event_id::VARCHAR AS id, _roe_id, _type, symbol, _event_ns::VARCHAR AS ns, _ts_digits, side, price, quantity,
         senderIMID, receiverIMID, destination, routedOrderID, "session", routingParty, exchange, capacity,
         marketCenterID, tapeTradeID, rptngExctgMPID, rptngCapacity, rptngSideCode, contraExctgMPID, contraCapacity,
         contraSideCode, routedQuoteID, receivedQuoteID, bidPrice, bidQty, askPrice, askQty
       FROM lk_text WHERE idx IN (SELECT idx FROM lk_findings WHERE named)`,
    )) {
      subjects.set(String(r.id), r)
    }
  }

  const done = async (r: Recipient) =>
    (
      await db.one<{ d: boolean | null }>(
        `SELECT bool_or(done_for_day) AS d FROM files WHERE role = 'meta' AND reporter = $1 AND submitter_id = $2::UBIGINT AND generation_date = $3`,
        [r.reporter, r.submitter, eventDate],
      )
    )?.d === true

  step('named subjects')
  const results: LinkFeedbackResult[] = []
  // Error files are written plain first and compressed together by one child process: starting a
  // process from a large one is slow, so it happens once, not once per reporter.
  const staging = join(repo.paths.work, `linkage-feedback-${eventDate}-${run}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  const pending: { from: string; to: string }[] = []
  const suffix = run > 1 ? `_${String(run).padStart(6, '0')}` : ''
  for (const r of [...recipients.values()].sort((a, b) =>
    `${a.submitter}|${a.reporter}`.localeCompare(`${b.submitter}|${b.reporter}`),
  )) {
    const kind = r.kind === 'ExchangeEvents' ? 'ExchangeEvents' : 'OrderEvents'
    const stem = `${r.submitter}_${r.reporter}_${eventDate}_${kind}.linkage${suffix}`
    const mine = findings.filter(
      (f) =>
        f.recipient === r.reporter &&
        (f.named || f.submitter === r.submitter || !recipients.has(`${f.submitter}|${r.reporter}`)),
    )
    if (mine.length === 0) {
      const dir = feedbackDir(repo.paths, r.submitter)
      mkdirSync(dir, { recursive: true })
      const path = join(dir, `${stem}.success`)
      writeFileSync(path, '')
      results.push({
        submitter: r.submitter,
        reporter: r.reporter,
        status: 'Success',
        errorCount: 0,
        metadata: path,
      })
      continue
    }
    const lines: string[] = []
    // Each error record counts once, under the linkage type of its (first) code, so that errorCount is
    // both the number of records in the error file and the sum of errorDetails.
    const counts = new Map<LinkageType, number>(LINKAGE_TYPES.map((t) => [t, 0]))
    const count = (t: LinkageType) => counts.set(t, (counts.get(t) ?? 0) + 1)
    // Own events: one line per event, its codes in ascending order, at most two (IM spec §7.5.1).
    const ownByEvent = new Map<string, Row[]>()
    for (const f of mine.filter((x) => !x.named))
      ownByEvent.set(String(f.event_id), [...(ownByEvent.get(String(f.event_id)) ?? []), f])
    const ownLines: { codes: number[]; errorROEID: bigint; raw: string; explanation: string }[] = []
    for (const [id, fs] of ownByEvent) {
      const codes = [...new Set(fs.map((f) => Number(f.code)))].sort((a, b) => a - b).slice(0, 2)
      count(fs.find((f) => Number(f.code) === codes[0])!.linkage_type as LinkageType)
      ownLines.push({
        codes,
        errorROEID: BigInt(id),
        raw: texts.get(id) ?? '',
        explanation: fs
          .filter((f) => codes.includes(Number(f.code)))
          .map((f) => `${f.code}: ${f.explanation}`)
          .join('; '),
      })
    }
    if (r.format === 'json') {
      for (const l of ownLines) {
        lines.push(
          `{"errorCode":[${l.codes.join(',')}],"actionType":"RPR","errorROEID":${l.errorROEID},"errorRecord":${JSON.stringify(l.raw)},"explanation":${JSON.stringify(l.explanation)}}\n`,
        )
      }
    } else lines.push(renderErrorLines(ownLines, 'csv'))
    for (const f of mine.filter((x) => x.named)) {
      const s = subjects.get(String(f.event_id))
      if (!s) continue
      count(f.linkage_type as LinkageType)
      lines.push(namedLine(Number(f.code), s, String(f.explanation), r.format))
    }
    const errorName = `${r.submitter}_${r.reporter}_${eventDate}_${kind}.linkage.error${suffix}.${r.format}.bz2`
    const edir = errorsDir(repo.paths, r.submitter)
    mkdirSync(edir, { recursive: true })
    const errorFile = join(edir, errorName)
    const plain = join(staging, `${pending.length}.txt`)
    writeFileSync(plain, lines.join(''))
    pending.push({ from: plain, to: errorFile })
    const severity = mine.some((f) => f.severity === 'Error') ? 'Error' : 'Warning'
    const fb: FeedbackRecord = {
      submitter: r.submitter,
      reporter: r.reporter,
      fileGenerationDate: eventDate,
      stage: 'LINKAGE',
      completedNs: nowNs,
      status: 'Failure',
      severity,
      errorFileName: errorName,
      errorCount: [...counts.values()].reduce((a, b) => a + b, 0),
      errorDetails: LINKAGE_TYPES.map((t) => ({ linkageType: t, errorTypeCount: counts.get(t) ?? 0 })),
      doneForDay: await done(r),
    }
    const metadata = writeFeedback(repo.paths, `${stem}.${r.format}`, fb, r.format)
    results.push({
      submitter: r.submitter,
      reporter: r.reporter,
      status: 'Failure',
      errorCount: fb.errorCount!,
      metadata,
      errorFile,
    })
  }
  compressAll(pending)
  rmSync(staging, { recursive: true, force: true })
  step('files')
  return results
}

const q = (p: string) => `'${p.replaceAll("'", "'\\''")}'`

function compressAll(files: readonly { from: string; to: string }[]): void {
  if (files.length === 0) return
  const bz = bzip2Program()
  const script = files
    .map((f) => `${bz} -6 -c ${q(f.from)} > ${q(`${f.to}.tmp`)} && mv ${q(`${f.to}.tmp`)} ${q(f.to)}`)
    .join(' && ')
  const r = spawnSync('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] })
  if (r.status !== 0)
    throw new OpenCatError('OCAT_ERR_SYS_BZIP2_FAILED', r.stderr?.toString().trim() || `exit ${r.status}`)
}

function namedLine(code: number, s: Row, explanation: string, format: 'json' | 'csv'): string {
  const [recordType, layout] = namedLayout(String(s._type))
  const value = (f: string): unknown => {
    if (f === 'firmROEID' || f === 'recordID' || f === 'errorRecordID') return s._roe_id
    if (f === 'type') return s._type
    if (f === 'eventTimestamp') return formatCatTimestamp(BigInt(String(s.ns)), Number(s._ts_digits ?? 9))
    return s[f] ?? null
  }
  if (format === 'csv') {
    const cell = (f: string) =>
      value(f) === null ? '' : NUMERIC.has(f) ? trimDecimal(value(f))! : String(value(f))
    return `${code},${recordType},${layout.map(cell).join(',')}\n`
  }
  const parts = [`"errorCode":[${code}]`, `"recordType":"${recordType}"`]
  for (const f of layout) {
    const v = value(f)
    if (v === null || v === undefined) continue
    parts.push(
      `${JSON.stringify(f)}:${NUMERIC.has(f) ? new RawNumber(trimDecimal(v)!).text : JSON.stringify(v)}`,
    )
  }
  parts.push(`"explanation":${JSON.stringify(explanation)}`)
  return `{${parts.join(',')}}\n`
}
