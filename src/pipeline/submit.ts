/**
 * `submit`: runs submitted files through the intake stages as named, timed passes — acknowledgement,
 * integrity (with pairing and timeouts), ingestion — and resumes whatever an interrupted run left undone.
 * Reporters' mistakes become feedback; only failures of OpenCAT itself throw.
 */
import { lstatSync, readdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { catCode } from '../catalogue/index.ts'
import { crashPoint } from '../common/crash-point.ts'
import { sealEnvelope } from '../common/envelope-crypto.ts'
import { OpenCatError } from '../common/errors.ts'
import { type Progress, SILENT } from '../common/progress.ts'
import {
  checkFdidsDue,
  type FdidCheck,
  MAX_CUSTOMER_FILE_BYTES,
  runCustomerIntake,
} from '../identity/index.ts'
import { type FeedbackRecord, writeAckError } from '../intake/feedback.ts'
import { appendLeaves, leafData, receiptFor, signTreeHead } from '../intake/file-log.ts'
import { type FileName, feedbackName, parseFileName } from '../intake/file-name.ts'
import {
  type FileRow,
  findFiles,
  getFile,
  hasFeedback,
  publishFeedback,
  recordFeedback,
  updateFile,
} from '../intake/file-registry.ts'
import { applyIntegrity, checkMetadataFile, checkMetadataTimeouts } from '../intake/integrity.ts'
import { type Received, receiveFile } from '../intake/receive.ts'
import { storageProblem } from '../intake/take-file.ts'
import { refuseOversizedUpload, WEB_UPLOAD_TOO_MANY } from '../intake/web-upload.ts'
import { type LinkSummary, linkPending } from '../link/index.ts'
import type { Repository } from '../store/repository.ts'
import { surveilAndStore, unsurveilledDates } from '../surveil/index.ts'
import { runFileDelete } from '../validate/file-delete.ts'
import './stage-views.ts'
import { resumeIngestionFeedback, runIngestion } from '../validate/ingestion-stage.ts'

/** Options of one submission run. */
export interface SubmitOptions {
  /** The submitter the files arrive from (as a login would establish); checked against the metadata. */
  readonly submitter?: string
  /** The repository clock for this run, ns since the epoch (default: now). Receipt times and timeouts use it. */
  readonly nowNs?: bigint
  readonly progress?: Progress
  /** Called with a line of news per file (for the CLI). */
  readonly onFile?: (line: string) => void
  /**
   * Link every event date that became due with this run: a reporter's metadata said doneForDay, or the
   * T+1 08:00 deadline has passed (IM spec §1.4). @default false
   */
  readonly link?: boolean
  /**
   * Check the FDIDs of every event date whose T+3 08:00 deadline has passed against the customer files
   * (90050 for an FDID the firm never reported). @default false
   */
  readonly checkFdids?: boolean
  /**
   * The files came through the portal's upload (the Reporter Portal), whose data files hold at most
   * 100,000 records (1128). @default false
   */
  readonly webUpload?: boolean
  /**
   * Run surveillance over every event date this run linked, with the parameters and news of the date's
   * latest surveillance run (the defaults at first); alerts change only when the data changed them.
   * @default false
   */
  readonly surveil?: boolean
}

/** What happened to one file. */
export interface FileOutcome {
  readonly fileId: number
  readonly name: string
  readonly role: string
  readonly kind: string | null
  readonly status: string
  readonly codes: number[]
  readonly records?: number
  readonly accepted?: number
  readonly rejected?: number
  readonly retry?: boolean
  readonly note?: string
}

/** The result of a submission run. */
export interface SubmitSummary {
  readonly files: FileOutcome[]
  readonly records: number
  readonly accepted: number
  readonly rejected: number
  readonly late: number
  readonly errorsByCode: Record<string, number>
  readonly uncompressed: string[]
  readonly stages: { stage: string; seconds: number }[]
  /** Linkage runs this submission started (with `link`). */
  readonly linkage: LinkSummary[]
  /** Surveillance runs over the dates this submission linked (with `surveil`). */
  readonly surveillance: { date: number; run: number; written: boolean; alerts: number }[]
  /** Event dates whose FDIDs this submission checked (with `checkFdids`). */
  readonly fdidChecks: FdidCheck[]
  readonly seconds: number
}

/**
 * Expands files and folders (recursively) into the files to submit, data files before metadata files.
 * Only real folders are walked: a symbolic link (to a folder or a file) is handed to intake as it is, which
 * refuses it without following it.
 */
export function collectInputs(inputs: readonly string[]): string[] {
  const out: string[] = []
  const walk = (p: string) => {
    let isFolder: boolean
    try {
      isFolder = lstatSync(p).isDirectory()
    } catch {
      throw new OpenCatError('OCAT_ERR_INPUT_NOT_FOUND', `no such file or folder: ${p}`)
    }
    if (isFolder) {
      for (const e of readdirSync(p).sort()) walk(join(p, e))
    } else out.push(resolve(p))
  }
  for (const i of inputs) walk(i)
  // An upload sends data files before the metadata that lists them (IM spec §6.1.3).
  const isMeta = (p: string) => /\.meta(\.DEL)?\.(json|csv)$/.test(p)
  return [...out.filter((p) => !isMeta(p)), ...out.filter(isMeta)]
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n
}

/**
 * Submits files to the repository. A file the inbox cannot hold is refused on its own; a write the
 * repository's disk refuses anywhere else stops the run with OCAT_ERR_REPO_STORAGE, and a rerun resumes.
 */
export async function submitFiles(
  repo: Repository,
  inputs: readonly string[],
  options: SubmitOptions = {},
): Promise<SubmitSummary> {
  try {
    return await submitAll(repo, inputs, options)
  } catch (e) {
    const problem = storageProblem(e)
    if (!problem) throw e
    const path = (e as NodeJS.ErrnoException).path
    throw new OpenCatError(
      'OCAT_ERR_REPO_STORAGE',
      `submit stopped: ${problem}${path ? ` writing ${path}` : ''}; every file acknowledged so far is kept, and submitting the same files again resumes`,
      path ? { path } : {},
      { cause: e },
    )
  }
}

async function submitAll(
  repo: Repository,
  inputs: readonly string[],
  options: SubmitOptions,
): Promise<SubmitSummary> {
  const started = process.hrtime.bigint()
  const clock = options.nowNs ?? nowNs()
  const progress = options.progress ?? SILENT
  const stages: { stage: string; seconds: number }[] = []
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    const t = process.hrtime.bigint()
    const out = await fn()
    stages.push({ stage, seconds: Number(process.hrtime.bigint() - t) / 1e9 })
    return out
  }
  const paths = collectInputs(inputs)
  const outcomes = new Map<number, FileOutcome>()
  const uncompressed: string[] = []
  const note = (o: FileOutcome) => outcomes.set(o.fileId, o)

  const received = await timed('acknowledgement', async () => {
    const list: Received[] = []
    for (const p of paths) {
      const r = await receiveFile(repo.db, repo.paths, p, clock, {
        seal: (data) => sealEnvelope(repo.keys().vault, data),
        maxBytes: MAX_CUSTOMER_FILE_BYTES,
      })
      list.push(r)
      if (r.name?.role === 'data' && !r.name.compressed && !r.refused) uncompressed.push(r.row.name)
    }
    await appendLeaves(
      repo.db,
      list
        .filter((r) => r.name && !r.refused)
        .map((r) => ({
          fileId: r.row.file_id,
          leaf: leafData({
            fileName: r.row.name,
            sha256: r.row.sha256,
            receivedNs: BigInt(r.row.received_ns),
            submitter: r.name!.submitterId,
          }),
        })),
    )
    await signTreeHead(repo.db, repo.signingKey(), clock)
    for (const r of list) await acknowledge(repo, r, clock, note, options.submitter)
    return list
  })
  crashPoint('after-acknowledgement')

  const paired = await timed('integrity', async () => {
    if (options.webUpload)
      for (const r of received) {
        const name = r.name
        if (!name || r.refused || name.role !== 'data' || name.isDelete || r.row.status !== 'received')
          continue
        if (name.kind !== 'OrderEvents' && name.kind !== 'ExchangeEvents') continue
        if (await refuseOversizedUpload(repo.db, repo.paths, r.row, name, clock))
          note({
            fileId: r.row.file_id,
            name: r.row.name,
            role: 'data',
            kind: name.kind,
            status: 'rejected',
            codes: [WEB_UPLOAD_TOO_MANY],
          })
      }
    const metas = await findFiles(repo.db, "role = 'meta' AND status = 'received'")
    for (const meta of metas) {
      const metaName = parseFileName(meta.name) as FileName
      const result = await checkMetadataFile(repo.db, repo.paths, meta, metaName, {
        ...(options.submitter ? { loginSubmitter: options.submitter } : {}),
        nowNs: clock,
      })
      await applyIntegrity(repo.db, repo.paths, result, metaName, clock)
      note({
        fileId: meta.file_id,
        name: meta.name,
        role: 'meta',
        kind: meta.kind,
        status: result.fileCodes.length > 0 ? 'rejected' : 'processed',
        codes: [...result.fileCodes, ...result.blocks.flatMap((b) => b.codes)],
        ...(result.note ? { note: result.note } : {}),
      })
      for (const b of result.blocks.filter((b) => b.data && b.codes.length > 0)) {
        note({
          fileId: b.data!.file_id,
          name: b.data!.name,
          role: 'data',
          kind: b.data!.kind,
          status: 'rejected',
          codes: b.codes,
        })
      }
    }
    const timeouts = await checkMetadataTimeouts(repo.db, repo.paths, clock)
    for (const f of timeouts.rejected)
      note({ fileId: f.file_id, name: f.name, role: 'data', kind: f.kind, status: 'rejected', codes: [1121] })
    for (const f of timeouts.warned)
      note({ fileId: f.file_id, name: f.name, role: 'data', kind: f.kind, status: 'received', codes: [1101] })
    return findFiles(repo.db, "role = 'data' AND status = 'paired'")
  })
  crashPoint('after-integrity')

  const errorsByCode: Record<string, number> = {}
  let late = 0
  await timed('ingestion', async () => {
    await resumeIngestionFeedback(repo, clock)
    let done = 0
    for (const file of paired) {
      if (file.is_delete) {
        const r = await runFileDelete(repo, file, clock)
        note({
          fileId: file.file_id,
          name: file.name,
          role: 'data',
          kind: file.kind,
          status: r.refused ? 'rejected' : 'ingested',
          codes: r.refused ? [1120] : [],
          ...(r.refused ? { note: r.refused } : {}),
        })
        continue
      }
      const out = await runIngestion(repo, file, clock)
      const res = out.result
      for (const [c, n] of Object.entries(res.errorsByCode)) errorsByCode[c] = (errorsByCode[c] ?? 0) + n
      if (res.fileCode) errorsByCode[res.fileCode] = (errorsByCode[res.fileCode] ?? 0) + 1
      late += res.late
      note({
        fileId: file.file_id,
        name: file.name,
        role: 'data',
        kind: file.kind,
        status: res.fileCode ? 'rejected' : 'ingested',
        codes: res.fileCode ? [res.fileCode] : Object.keys(res.errorsByCode).map(Number).sort(),
        records: res.records,
        accepted: res.accepted,
        rejected: res.fileCode ? res.records : res.rejected,
        ...(res.fileMessage ? { note: res.fileMessage } : {}),
      })
      done += res.records
      crashPoint('after-first-ingested-file')
      progress.update(done)
      options.onFile?.(
        `${file.name}: ${res.fileCode ? `rejected (${res.fileCode})` : `${res.accepted.toLocaleString('en-US')} accepted, ${res.rejected.toLocaleString('en-US')} rejected`} in ${res.seconds.toFixed(2)} s`,
      )
    }
    progress.finish()
  })
  crashPoint('after-ingestion')

  await timed('customers', async () => {
    for (const o of await runCustomerIntake(repo, clock, { piiVault: repo.settings.piiVault })) {
      // The summary says what the registry and the feedback say: the pair's status and codes.
      for (const f of o.registered) note({ ...f, role: 'data', status: o.status, codes: o.codes })
      options.onFile?.(
        `${o.files.join(' + ')}: ${o.accepted}/${o.accounts} accounts, ${o.customers} customers${o.codes.length ? `, codes ${o.codes.join(',')}` : ''}`,
      )
    }
  })

  crashPoint('after-customers')
  await repo.ensureViews()
  const fdidChecks = options.checkFdids ? await timed('fdid check', () => checkFdidsDue(repo, clock)) : []
  crashPoint('after-fdid-check')
  const linkage = options.link ? await timed('linkage', () => linkPending(repo, { nowNs: clock })) : []
  // The dates linked now, and any a run killed between linkage and surveillance left unsurveilled.
  const linkedDates = options.surveil
    ? [...new Set([...linkage.map((l) => l.eventDate), ...(await unsurveilledDates(repo))])].sort()
    : []
  const surveillance =
    linkedDates.length > 0
      ? await timed('surveillance', async () => {
          const runs = []
          for (const date of linkedDates) {
            const r = await surveilAndStore(repo, date)
            runs.push({ date, run: r.run, written: r.written, alerts: r.alerts.length })
          }
          return runs
        })
      : []
  for (const r of received) {
    if (!outcomes.has(r.row.file_id))
      note(outcomeOf((await getFile(repo.db, r.row.file_id)) ?? r.row, r.retry))
  }
  const files = [...outcomes.values()].sort((a, b) => a.fileId - b.fileId)
  const data = files.filter((f) => f.records !== undefined)
  return {
    files,
    records: data.reduce((s, f) => s + (f.records ?? 0), 0),
    accepted: data.reduce((s, f) => s + (f.accepted ?? 0), 0),
    rejected: data.reduce((s, f) => s + (f.rejected ?? 0), 0),
    late,
    errorsByCode,
    uncompressed,
    stages,
    linkage,
    surveillance,
    fdidChecks,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  }
}

function outcomeOf(row: FileRow, retry: boolean): FileOutcome {
  return {
    fileId: row.file_id,
    name: row.name,
    role: row.role,
    kind: row.kind,
    status: row.status,
    codes: [],
    ...(retry ? { retry } : {}),
    ...(row.note ? { note: row.note } : {}),
  }
}

async function acknowledge(
  repo: Repository,
  r: Received,
  clock: bigint,
  note: (o: FileOutcome) => void,
  login: string | undefined,
): Promise<void> {
  const row = r.row
  if (await hasFeedback(repo.db, row.file_id, 'FILE_ACKNOWLEDGEMENT')) return
  if (!r.name) {
    const path = writeAckError(repo.paths, login ?? submitterFromName(row.name), row.name)
    const shortened =
      basename(path) !== `${row.name}.ack.error` ? `its ack error is ${basename(path)}` : undefined
    await recordFeedback(repo.db, row.file_id, 'FILE_ACKNOWLEDGEMENT', 'Failure', 'Error', [], path, clock)
    note({
      fileId: row.file_id,
      name: row.name,
      role: 'unknown',
      kind: null,
      status: 'rejected',
      codes: [],
      note: [r.refused?.message, r.nameError, shortened].filter(Boolean).join('; '),
    })
    return
  }
  const name = r.name
  const refused = r.refused
  const receipt = refused ? undefined : await receiptFor(repo.db, repo.signingKey(), row.file_id)
  const fb: FeedbackRecord = {
    submitter: name.submitterId,
    reporter: name.reporter,
    fileGenerationDate: name.generationDate,
    fileName: row.name,
    receivedNs: BigInt(row.received_ns),
    stage: 'FILE_ACKNOWLEDGEMENT',
    completedNs: clock,
    status: refused ? 'Failure' : 'Success',
    ...(refused
      ? {
          severity: 'Error' as const,
          ...(refused.code !== undefined ? { code: [refused.code] } : {}),
          messages: [
            refused.code !== undefined
              ? `${refused.code}: ${catCode(refused.code).title}. ${refused.message}`
              : refused.message,
          ],
        }
      : {}),
    ...(receipt ? { receipt } : {}),
  }
  if (refused)
    note({
      fileId: row.file_id,
      name: row.name,
      role: name.role,
      kind: name.kind,
      status: 'rejected',
      codes: refused.code !== undefined ? [refused.code] : [],
      note: refused.message,
    })
  await publishFeedback(repo.db, repo.paths, row.file_id, feedbackName(name, 'ack'), fb, name.format)
  // Customer files wait for the identity stage; they have no metadata file.
  if (!refused && (name.kind === 'CAISData' || name.kind === 'CAISTID'))
    await updateFile(repo.db, row.file_id, { status: 'held' })
}

/** The Submitter ID a malformed name starts with; `0` (no submitter) when it starts with none. */
function submitterFromName(name: string): string {
  const m = /^([0-9]{1,12})_/.exec(name)
  return m ? m[1] : '0'
}
