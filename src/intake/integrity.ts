/**
 * Stage 2, file integrity: a metadata file is read and checked (form, identifiers, authorisation, version),
 * then each block is paired with a data file received before it (hash, format, counts). Data files that
 * never get metadata time out (1101 warning at 30 minutes, 1121 rejection at 2 hours).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { catalogueFor, catCode } from '../catalogue/index.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type FeedbackRecord, fileFeedbackHead } from './feedback.ts'
import { type FileName, feedbackName, parseFileName } from './file-name.ts'
import { type FileRow, findFiles, publishFeedback, updateFile } from './file-registry.ts'
import { type Metadata, type MetadataBlock, parseMetadata } from './metadata.ts'
import { TOO_LARGE } from './receive.ts'

const MINUTE_NS = 60_000_000_000n
/** After this long without metadata a data file gets warning 1101. */
export const METADATA_WARNING_NS = 30n * MINUTE_NS
/** After this long without metadata a data file is rejected with 1121. */
export const METADATA_TIMEOUT_NS = 120n * MINUTE_NS

/** Most data files one metadata file may list (IM spec §6.1.3). */
export const MAX_METADATA_FILES = 100
/**
 * Largest metadata file read, in bytes: 100 blocks take some 30 KB even pretty-printed, so 1 MiB leaves
 * ample room while a larger file is refused before it is read.
 */
export const MAX_METADATA_BYTES = 1 << 20

/** What integrity found for one metadata file. */
export interface IntegrityResult {
  readonly meta: FileRow
  readonly fileCodes: number[]
  readonly blocks: { fileName: string; codes: number[]; data?: FileRow }[]
  readonly metadata?: Metadata
  /** Why the file-level code was given, where its title does not say it all. */
  readonly note?: string
}

function messages(codes: number[]): string[] {
  return codes.map((c) => `${c}: ${catCode(c).title}`)
}

async function reporterValid(db: Database, reporter: string, date: number, kind: string): Promise<boolean> {
  // Customer files name the firm by CRD; event files by IMID or Exchange ID.
  const sql =
    kind === 'CAISData' || kind === 'CAISTID'
      ? 'SELECT 1 AS x FROM ref_firms WHERE CAST(crd AS VARCHAR) = $1'
      : `SELECT 1 AS x FROM ref_imids WHERE imid = $1 AND $2 BETWEEN from_date AND coalesce(to_date, 99991231)
         UNION ALL SELECT 1 FROM ref_exchanges WHERE exchange_id = $1 AND $2 BETWEEN from_date AND coalesce(to_date, 99991231)`
  return (await db.one(sql, kind.startsWith('CAIS') ? [reporter] : [reporter, date])) !== undefined
}

async function authorized(
  db: Database,
  submitter: string,
  reporter: string,
  date: number,
  kind: 'report' | 'thirdParty',
): Promise<boolean> {
  const row = await db.one(
    `SELECT 1 AS x FROM ref_authorizations a WHERE CAST(a.submitter_id AS VARCHAR) = $1 AND a.kind = $4
       AND (a.reporter = $2 OR a.reporter IN (SELECT imid FROM ref_imids WHERE CAST(crd AS VARCHAR) = $2))
       AND $3 BETWEEN a.from_date AND coalesce(a.to_date, 99991231)`,
    [submitter, reporter, date, kind],
  )
  return row !== undefined
}

/** Runs integrity on one metadata file and pairs its data files. */
export async function checkMetadataFile(
  db: Database,
  paths: RepoPaths,
  meta: FileRow,
  metaName: FileName,
  options: { loginSubmitter?: string; nowNs: bigint },
): Promise<IntegrityResult> {
  if (meta.size_bytes > MAX_METADATA_BYTES) {
    const note = `a metadata file is at most ${MAX_METADATA_BYTES.toLocaleString('en-US')} bytes; this one has ${meta.size_bytes.toLocaleString('en-US')}`
    return { meta, fileCodes: [TOO_LARGE], blocks: [], note }
  }
  const text = readFileSync(join(paths.inbox, meta.inbox_path), 'utf8')
  const parsed = parseMetadata(text, metaName.format)
  if ('unreadable' in parsed) return { meta, fileCodes: [1107], blocks: [] }
  if (parsed.files.length > MAX_METADATA_FILES) {
    const note = `a metadata file lists at most ${MAX_METADATA_FILES} data files; this one lists ${parsed.files.length.toLocaleString('en-US')}`
    return { meta, fileCodes: [TOO_LARGE], blocks: [], note }
  }
  const codes = new Set(parsed.codes)
  const receivedNs = BigInt(meta.received_ns)
  const date = parsed.fileGenerationDate
  if (date !== undefined && (date !== metaName.generationDate || date > etDateOf(receivedNs))) codes.add(1106)
  if (parsed.reporter !== undefined && parsed.reporter !== metaName.reporter) codes.add(1105)
  if (
    parsed.reporter !== undefined &&
    date !== undefined &&
    !(await reporterValid(db, parsed.reporter, date, metaName.kind))
  ) {
    codes.add(1105)
  }
  if (parsed.submitter !== undefined && parsed.submitter !== metaName.submitterId) codes.add(1104)
  if (
    parsed.submitter !== undefined &&
    !(await db.one('SELECT 1 AS x FROM ref_submitters WHERE CAST(submitter_id AS VARCHAR) = $1', [
      parsed.submitter,
    ]))
  ) {
    codes.add(1104)
  }
  const submitterOk = parsed.submitter !== undefined && !codes.has(1104)
  if (submitterOk && parsed.reporter !== undefined && date !== undefined) {
    if (!(await authorized(db, parsed.submitter!, parsed.reporter, date, 'report'))) codes.add(1109)
    if (options.loginSubmitter !== undefined && options.loginSubmitter !== parsed.submitter) codes.add(1109)
  }
  if (parsed.thirdParty !== undefined && parsed.reporter !== undefined && date !== undefined) {
    if (
      !(await db.one('SELECT 1 AS x FROM ref_submitters WHERE CAST(submitter_id AS VARCHAR) = $1', [
        parsed.thirdParty,
      ]))
    )
      codes.add(1123)
    else if (!(await authorized(db, parsed.thirdParty, parsed.reporter, date, 'thirdParty'))) codes.add(1124)
  }
  if (parsed.fileVersion !== undefined && !catalogueFor(parsed.fileVersion)) codes.add(1116)
  const sameName = await findFiles(
    db,
    "role = 'meta' AND base_name = $1 AND file_id < $2 AND status <> 'received' AND inbox_path IS NOT NULL",
    [meta.base_name, meta.file_id],
  )
  if (sameName.length > 0) codes.add(1103)

  const found = await dataFilesOf(db, parsed.files, receivedNs)
  const blocks: IntegrityResult['blocks'] = []
  for (const [index, block] of parsed.files.entries()) {
    const blockCodes = new Set(block.codes)
    const dataName = parseFileName(block.fileName)
    let data: FileRow | undefined
    if ('error' in dataName || dataName.role !== 'data') blockCodes.add(1110)
    else {
      if (dataName.submitterId !== metaName.submitterId) blockCodes.add(1104)
      if (dataName.reporter !== metaName.reporter) blockCodes.add(1105)
      if (dataName.generationDate !== metaName.generationDate) blockCodes.add(1106)
      if (dataName.format !== metaName.format) blockCodes.add(1112)
      if (dataName.isDelete !== metaName.isDelete || dataName.kind !== metaName.kind) blockCodes.add(1110)
      data = found.get(index)?.row
      // A rerun after a crash meets data files this metadata file already paired.
      const pairedHere =
        data !== undefined && data.meta_file_id === meta.file_id && data.status !== 'rejected'
      // A block naming a data file an earlier block named: the file is paired once, by the first.
      if (found.get(index)?.repeated) {
        data = undefined
        blockCodes.add(1103)
      } else if (pairedHere) data = undefined
      else if (!data) blockCodes.add(1122)
      else if (data.status === 'rejected' && /^11(21|28) /.test(data.note ?? ''))
        // Rejected on its own before its metadata came: timed out (1121), or a web upload too large (1128).
        blockCodes.add(Number(data.note!.slice(0, 4)))
      else if (data.status !== 'received') blockCodes.add(1103)
      else {
        if (block.compressedHash !== undefined && block.compressedHash !== data.sha256) blockCodes.add(1115)
        if (receivedNs - BigInt(data.received_ns) > METADATA_TIMEOUT_NS) blockCodes.add(1121)
        if (found.get(index)?.baseNameTaken) blockCodes.add(1103)
      }
      if (dataName.isDelete && block.recordCount !== undefined && block.recordCount !== 0)
        blockCodes.add(1111)
    }
    blocks.push({ fileName: block.fileName, codes: [...blockCodes].sort(), ...(data ? { data } : {}) })
  }
  return { meta, fileCodes: [...codes].sort(), blocks, metadata: parsed }
}

const BLOCKS_SQL = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'sql', 'metadata-blocks.sql'),
  'utf8',
)

/**
 * The data file each block names, found for all blocks in one query (sql/metadata-blocks.sql), with whether
 * another file holds its base name: names are unique forever, and a name only becomes free again when its
 * file timed out (1121) or its metadata block failed, since those files never entered the repository.
 */
async function dataFilesOf(
  db: Database,
  blocks: readonly MetadataBlock[],
  metaReceivedNs: bigint,
): Promise<Map<number, { row: FileRow; baseNameTaken: boolean; repeated: boolean }>> {
  const out = new Map<number, { row: FileRow; baseNameTaken: boolean; repeated: boolean }>()
  if (blocks.length === 0) return out
  const hits = await db.all<{
    block_index: string
    file_id: string
    base_name_taken: boolean
    repeated: boolean
  }>(BLOCKS_SQL, [JSON.stringify(blocks.map((b) => b.fileName)), metaReceivedNs])
  if (hits.length === 0) return out
  const rows = new Map(
    (
      await findFiles(db, `file_id IN (SELECT unnest(from_json($1, '["BIGINT"]')))`, [
        JSON.stringify(hits.map((h) => Number(h.file_id))),
      ])
    ).map((r) => [r.file_id, r]),
  )
  for (const h of hits)
    out.set(Number(h.block_index), {
      row: rows.get(Number(h.file_id))!,
      baseNameTaken: h.base_name_taken,
      repeated: h.repeated,
    })
  return out
}

/** Applies an integrity result: statuses, pairing, and the integrity feedback files. Returns the paired data files. */
export async function applyIntegrity(
  db: Database,
  paths: RepoPaths,
  result: IntegrityResult,
  metaName: FileName,
  nowNs: bigint,
): Promise<FileRow[]> {
  const { meta, metadata } = result
  const base = {
    submitter: metaName.submitterId,
    reporter: metaName.reporter,
    fileGenerationDate: metaName.generationDate,
    stage: 'FILE_INTEGRITY' as const,
    completedNs: nowNs,
    receivedNs: BigInt(meta.received_ns),
  }
  const failedBlocks = result.blocks.filter((b) => b.codes.length > 0)
  const fileFailed = result.fileCodes.length > 0
  // No integrity success file is written for metadata files (IM spec §7.3).
  if (fileFailed || failedBlocks.length > 0) {
    const fb: FeedbackRecord = {
      ...base,
      fileName: meta.name,
      status: 'Failure',
      severity: 'Error',
      ...(fileFailed
        ? {
            code: result.fileCodes,
            messages: [...messages(result.fileCodes), ...(result.note ? [result.note] : [])],
          }
        : {}),
      ...(failedBlocks.length > 0
        ? { errorDetails: failedBlocks.map((b) => ({ blockFileName: b.fileName, code: b.codes })) }
        : {}),
      ...(metadata?.doneForDay !== undefined ? { doneForDay: metadata.doneForDay } : {}),
    }
    await publishFeedback(db, paths, meta.file_id, feedbackName(metaName, 'integrity'), fb, metaName.format)
  }
  const processingDate = etDateOf(BigInt(meta.received_ns))
  const paired: FileRow[] = []
  for (const block of result.blocks) {
    const data = block.data
    if (data?.status !== 'received') continue
    const dataName = parseFileName(data.name) as FileName
    const codes = fileFailed ? result.fileCodes : block.codes
    const ok = codes.length === 0
    const fb: FeedbackRecord = {
      ...base,
      receivedNs: BigInt(data.received_ns),
      fileName: data.name,
      status: ok ? 'Success' : 'Failure',
      ...(ok ? {} : { severity: 'Error' as const, code: codes, messages: messages(codes) }),
      metaFileName: meta.name,
    }
    await publishFeedback(db, paths, data.file_id, feedbackName(dataName, 'integrity'), fb, dataName.format)
    const count = metadata?.files.find((f) => f.fileName === data.name)?.recordCount
    await updateFile(db, data.file_id, {
      status: ok ? 'paired' : 'rejected',
      meta_file_id: meta.file_id,
      expected_records: count ?? null,
      file_version: metadata?.fileVersion ?? null,
      done_for_day: metadata?.doneForDay ?? null,
      processing_date: processingDate,
      note: ok ? null : `integrity ${codes.join(',')}`,
    })
    if (ok)
      paired.push({
        ...data,
        status: 'paired',
        meta_file_id: meta.file_id,
        expected_records: count ?? null,
        file_version: metadata?.fileVersion ?? null,
        processing_date: processingDate,
      })
  }
  // The metadata file is marked done last: a crash before this line reruns its integrity check.
  await db.run(
    'UPDATE files SET status = $2, file_version = $3, done_for_day = $4, note = $5 WHERE file_id = $1',
    [
      meta.file_id,
      fileFailed ? 'rejected' : 'processed',
      metadata?.fileVersion ?? null,
      metadata?.doneForDay ?? null,
      fileFailed ? `integrity ${result.fileCodes.join(',')}${result.note ? ` ${result.note}` : ''}` : null,
    ],
  )
  return paired
}

/** Data files still without metadata: 1101 after 30 minutes (once), 1121 and rejection after 2 hours. */
export async function checkMetadataTimeouts(
  db: Database,
  paths: RepoPaths,
  nowNs: bigint,
): Promise<{ warned: FileRow[]; rejected: FileRow[] }> {
  const waiting = await findFiles(db, "role = 'data' AND status = 'received'")
  const warned: FileRow[] = []
  const rejected: FileRow[] = []
  for (const f of waiting) {
    const name = parseFileName(f.name) as FileName
    const age = nowNs - BigInt(f.received_ns)
    const code = age > METADATA_TIMEOUT_NS ? 1121 : age > METADATA_WARNING_NS ? 1101 : undefined
    if (code === undefined) continue
    const earlier = await db.one<{ path: string; severity: string | null }>(
      "SELECT path, severity FROM feedback WHERE file_id = $1 AND stage = 'FILE_INTEGRITY' ORDER BY completed_ns LIMIT 1",
      [f.file_id],
    )
    if (code === 1101 && earlier) continue
    const fb: FeedbackRecord = {
      ...fileFeedbackHead(name, f),
      stage: 'FILE_INTEGRITY',
      completedNs: nowNs,
      status: 'Failure',
      severity: code === 1121 ? 'Error' : 'Warning',
      code: [code],
      messages: messages([code]),
    }
    // The 1101 warning a reporter may not have fetched yet stays; the rejection comes beside it.
    const warning = earlier?.severity === 'Warning' ? earlier.path : undefined
    await publishFeedback(db, paths, f.file_id, feedbackName(name, 'integrity'), fb, name.format, warning)
    if (code === 1121) {
      await updateFile(db, f.file_id, { status: 'rejected', note: '1121 no metadata file within 2 hours' })
      rejected.push(f)
    } else warned.push(f)
  }
  return { warned, rejected }
}
