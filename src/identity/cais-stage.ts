/**
 * Customer intake: pairs each CAIS data file with its TID file, reads both (they were sealed on receipt),
 * checks them, turns every TID into a CCID, stores accounts / holders / large trader IDs / customers in the
 * identity store (no PII, no TID), puts the PII in the vault when it is enabled, and answers with
 * ingestion feedback. Unpaired files are refused after 60 minutes. A customer file is read whole, so its
 * size is capped (MAX_CUSTOMER_FILE_BYTES, MAX_CUSTOMER_FILE_VALUES) and checked while it is decompressed:
 * a small file that expands without end is refused as too large, never read to the end.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { CUSTOMER_CODE as C, catCode } from '../catalogue/index.ts'
import { bunzip2BufferCapped } from '../common/bzip2.ts'
import { openEnvelope } from '../common/envelope-crypto.ts'
import { type ErrorLine, type FeedbackRecord, writeErrorFilePages } from '../intake/feedback.ts'
import { type FileName, feedbackName, ingestionErrorName, parseFileName } from '../intake/file-name.ts'
import { type FileRow, findFiles, publishFeedback, updateFile } from '../intake/file-registry.ts'
import { ident, literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import { parquetWriteOptions } from '../store/store-cipher.ts'
import { type CaisFinding, type CaisPair, checkCaisPair } from './cais-file.ts'
import { ccidOf } from './ccid.ts'
import { IDENTITY_TABLES } from './identity-columns.ts'
import { identityDir } from './identity-views.ts'
import { storeInVault } from './vault.ts'

/**
 * Re-keys every ingested customer file under the current CCID key (after `rotateKey(…, 'ccid')`): the
 * sealed originals are read again, CCIDs made anew, identity rows written under the new key version and
 * the vault re-written; then the new key becomes the one the views use. Returns the pairs re-keyed.
 */
export async function rekeyCustomers(repo: Repository): Promise<number> {
  const key = repo.keys().ccid
  const datas = await findFiles(repo.db, "status = 'ingested' AND kind = 'CAISData'")
  let n = 0
  for (const data of datas) {
    const name = parseFileName(data.name) as FileName
    const [tid] = await findFiles(
      repo.db,
      "status = 'ingested' AND kind = 'CAISTID' AND submitter_id = $1 AND reporter = $2 AND generation_date = $3 AND file_number = $4",
      [name.submitterId, name.reporter, name.generationDate, name.fileNumber],
    )
    if (!tid) continue
    const docs = [await readSealed(repo, data), await readSealed(repo, tid)]
    if (!docs[0].ok || !docs[1].ok) continue
    const pair = checkCaisPair(docs[0].doc, docs[1].doc, {
      crd: name.reporter,
      submitter: name.submitterId,
    })
    const ccids = new Map([...pair.tids].map(([id, t]) => [id, ccidOf(key, t.tid)]))
    await writeIdentityRows(repo, data, pair, pair.accepted, ccids, new Set(), key.id)
    if (repo.settings.piiVault) {
      storeInVault(
        repo.paths,
        repo.keys().vault,
        data.file_id,
        [...pair.customers.values()]
          .filter((c) => ccids.has(c.customerRecordID))
          .map((c) => ({
            ccid: ccids.get(c.customerRecordID)!,
            kind: c.kind,
            crd: name.reporter,
            fields: c.fields,
          })),
      )
    }
    n++
  }
  await repo.db.run("UPDATE meta SET value = $1 WHERE key = 'ccid_key'", [key.id])
  await repo.refreshViews()
  return n
}

/** Customer files must arrive as a pair within this long of each other. */
export const PAIRING_WINDOW_NS = 60n * 60_000_000_000n

/** What became of one pair (or lone file). */
export interface CustomerOutcome {
  readonly files: string[]
  /** The same files as the registry holds them. */
  readonly registered: { readonly fileId: number; readonly name: string; readonly kind: string | null }[]
  /** As the registry records it: `rejected` when the files were refused whole. */
  readonly status: 'ingested' | 'rejected'
  readonly crd: string
  readonly accounts: number
  readonly accepted: number
  readonly customers: number
  readonly codes: number[]
}

function pairKey(n: FileName): string {
  return `${n.submitterId}_${n.reporter}_${n.generationDate}_${n.fileNumber}`
}

/**
 * Largest customer file OpenCAT reads, in bytes of JSON once decompressed: the file is parsed whole, so a
 * firm with more customers than fit splits them over more file numbers.
 */
export const MAX_CUSTOMER_FILE_BYTES = 64 * 1024 ** 2
/**
 * Most JSON values one customer file may hold (counted by its `{`, `[` and `,`): memory for parsing and
 * checking grows with the number of values, which a file of tiny values makes large for its size.
 */
export const MAX_CUSTOMER_FILE_VALUES = 2_000_000
// Room for the envelope around a sealed file.
const SEAL_SLACK = 64 * 1024

type Read = { ok: true; doc: unknown } | { ok: false; finding: CaisFinding }

function countValues(text: Buffer): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const b = text[i]
    if (b === 0x2c || b === 0x7b || b === 0x5b) n++
  }
  return n
}

/** Opens, decompresses and parses a received customer file, within the size limits. */
async function readSealed(repo: Repository, f: FileRow): Promise<Read> {
  const where = f.kind === 'CAISTID' ? 'TID file' : 'data file'
  const refuse = (code: number, message: string): Read => ({
    ok: false,
    finding: { code, where, message: `the ${where} ${message}` },
  })
  const tooLarge = `is larger than the size limit (${MAX_CUSTOMER_FILE_BYTES / 1024 ** 2} MiB of JSON and ${MAX_CUSTOMER_FILE_VALUES.toLocaleString('en-US')} values); split the customers over more file numbers`
  const path = join(repo.paths.inbox, f.inbox_path)
  if (statSync(path).size > MAX_CUSTOMER_FILE_BYTES + SEAL_SLACK) return refuse(C.tooLarge, tooLarge)
  const plain = openEnvelope((id) => repo.keys().vaultKey(id), readFileSync(path))
  const name = parseFileName(f.name) as FileName
  let text = plain
  if (name.compressed) {
    const d = await bunzip2BufferCapped(plain, MAX_CUSTOMER_FILE_BYTES)
    if (!d.ok && d.tooLarge) return refuse(C.tooLarge, tooLarge)
    if (!d.ok) return refuse(C.notBzip2, `cannot be decompressed: ${d.error}`)
    text = d.data
  }
  if (text.length > MAX_CUSTOMER_FILE_BYTES || countValues(text) > MAX_CUSTOMER_FILE_VALUES)
    return refuse(C.tooLarge, tooLarge)
  try {
    return { ok: true, doc: JSON.parse(text.toString('utf8')) }
  } catch (e) {
    return refuse(C.notJson, `is not JSON: ${(e as Error).message.split('\n')[0]}`)
  }
}

/** Runs customer intake over every held customer file. */
export async function runCustomerIntake(
  repo: Repository,
  clock: bigint,
  options: { piiVault: boolean },
): Promise<CustomerOutcome[]> {
  const held = await findFiles(repo.db, "status = 'held'")
  const groups = new Map<string, { data?: FileRow; tid?: FileRow }>()
  for (const f of held) {
    const n = parseFileName(f.name) as FileName
    const g = groups.get(pairKey(n)) ?? {}
    if (n.kind === 'CAISData') g.data = f
    else g.tid = f
    groups.set(pairKey(n), g)
  }
  const out: CustomerOutcome[] = []
  if (groups.size > 0) await repo.ensureViews()
  for (const { data, tid } of groups.values()) {
    if (!data || !tid) {
      const lone = (data ?? tid)!
      if (clock - BigInt(lone.received_ns) > PAIRING_WINDOW_NS) {
        await finish(
          repo,
          [lone],
          [
            {
              code: C.unpaired,
              where: lone.name,
              message: 'its paired file did not arrive within 60 minutes',
            },
          ],
          clock,
          true,
        )
        out.push(refusedOutcome([lone], C.unpaired))
      }
      continue
    }
    if (
      BigInt(tid.received_ns) - BigInt(data.received_ns) > PAIRING_WINDOW_NS ||
      BigInt(data.received_ns) - BigInt(tid.received_ns) > PAIRING_WINDOW_NS
    ) {
      await finish(
        repo,
        [data, tid],
        [{ code: C.unpaired, where: 'pair', message: 'the two files arrived more than 60 minutes apart' }],
        clock,
        true,
      )
      out.push(refusedOutcome([data, tid], C.unpaired))
      continue
    }
    out.push(await ingestPair(repo, data, tid, clock, options))
    // The next pair's conflict check reads what this one stored.
    await repo.refreshViews()
  }
  return out
}

async function ingestPair(
  repo: Repository,
  data: FileRow,
  tid: FileRow,
  clock: bigint,
  options: { piiVault: boolean },
): Promise<CustomerOutcome> {
  const name = parseFileName(data.name) as FileName
  const docs = [await readSealed(repo, data), await readSealed(repo, tid)]
  const unreadable = docs.flatMap((d) => (d.ok ? [] : [d.finding]))
  if (!docs[0].ok || !docs[1].ok) {
    await finish(repo, [data, tid], unreadable, clock, true)
    return refusedOutcome([data, tid], ...unreadable.map((f) => f.code))
  }
  const pair = checkCaisPair(docs[0].doc, docs[1].doc, { crd: name.reporter, submitter: name.submitterId })
  if (pair.refused) {
    await finish(repo, [data, tid], pair.findings, clock, true)
    return refusedOutcome([data, tid], ...pair.findings.map((f) => f.code))
  }
  const key = repo.keys().ccid
  const ccids = new Map<string, string>()
  for (const [id, t] of pair.tids) ccids.set(id, ccidOf(key, t.tid))
  const conflicts = await conflictingCustomers(repo, name.reporter, ccids)
  const findings: CaisFinding[] = [...pair.findings, ...conflicts]
  const refused = new Set(conflicts.map((c) => c.customerRecordID))
  const accepted = pair.accepted.filter((a) => a.holders.every((h) => !refused.has(h.customerRecordID)))
  for (const a of pair.accepted.filter((x) => !accepted.includes(x))) {
    findings.push({
      code: C.holderUnknown,
      where: `fdidRecordList[${a.index}]`,
      fdid: a.fdid,
      message: 'the account holder was refused (see its own finding)',
    })
  }
  await writeIdentityRows(repo, data, pair, accepted, ccids, refused, key.id)
  if (options.piiVault) {
    storeInVault(
      repo.paths,
      repo.keys().vault,
      data.file_id,
      [...pair.customers.values()]
        .filter((c) => ccids.has(c.customerRecordID) && !refused.has(c.customerRecordID))
        .map((c) => ({
          ccid: ccids.get(c.customerRecordID)!,
          kind: c.kind,
          crd: name.reporter,
          fields: c.fields,
        })),
    )
  }
  await finish(repo, [data, tid], findings, clock, false, {
    accounts: pair.accounts.length,
    accepted: accepted.length,
  })
  return {
    files: [data.name, tid.name],
    registered: [data, tid].map(registered),
    status: 'ingested',
    crd: name.reporter,
    accounts: pair.accounts.length,
    accepted: accepted.length,
    customers: ccids.size - refused.size,
    codes: [...new Set(findings.map((f) => f.code))].sort(),
  }
}

function registered(f: FileRow): CustomerOutcome['registered'][number] {
  return { fileId: f.file_id, name: f.name, kind: f.kind }
}

function refusedOutcome(files: FileRow[], ...codes: number[]): CustomerOutcome {
  return {
    files: files.map((f) => f.name),
    registered: files.map(registered),
    status: 'rejected',
    crd: files[0].reporter ?? '',
    accounts: 0,
    accepted: 0,
    customers: 0,
    codes: [...new Set(codes)].sort(),
  }
}

// A customer the firm reported before under the same customerRecordID must keep its identity (TID).
async function conflictingCustomers(
  repo: Repository,
  crd: string,
  ccids: Map<string, string>,
): Promise<CaisFinding[]> {
  if (ccids.size === 0) return []
  const rows = await repo.db.all<{ customer_record_id: string; ccid: string }>(
    `SELECT DISTINCT customer_record_id, ccid FROM cais_customers WHERE CAST(crd AS VARCHAR) = $1`,
    [crd],
  )
  return rows
    .filter((r) => ccids.has(r.customer_record_id) && ccids.get(r.customer_record_id) !== r.ccid)
    .map((r) => ({
      code: C.tidChanged,
      where: 'tidRecordList',
      customerRecordID: r.customer_record_id,
      message: 'this customerRecordID was reported before with another identifier; the new record is refused',
    }))
}

async function writeIdentityRows(
  repo: Repository,
  data: FileRow,
  pair: CaisPair,
  accepted: CaisPair['accepted'],
  ccids: Map<string, string>,
  refused: Set<string | undefined>,
  keyId: string,
): Promise<void> {
  const work = join(repo.paths.work, `cais${data.file_id}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const common = [data.file_id, data.received_ns]
  const rows: Record<string, unknown[][]> = {
    accounts: accepted.map((a) => [
      pair.crd,
      a.fdid,
      a.fdidType,
      JSON.stringify(a.accountTypes),
      a.from,
      a.to,
      a.endReason,
      a.replacedBy,
      ...common,
    ]),
    holders: accepted.flatMap((a) =>
      a.holders.map((h) => [
        pair.crd,
        a.fdid,
        ccids.get(h.customerRecordID)!,
        h.role,
        h.hasDiscretion,
        h.from,
        h.to,
        keyId,
        ...common,
      ]),
    ),
    ltids: accepted.flatMap((a) =>
      a.ltids.filter((l) => l.ltid).map((l) => [pair.crd, a.fdid, l.ltid, l.from, l.to, ...common]),
    ),
    customers: [...pair.customers.values()]
      .filter((c) => ccids.has(c.customerRecordID) && !refused.has(c.customerRecordID))
      .map((c) => [ccids.get(c.customerRecordID)!, c.kind, pair.crd, c.customerRecordID, keyId, ...common]),
  }
  for (const [table, columns] of Object.entries(IDENTITY_TABLES)) {
    const values = rows[table]
    if (values.length === 0) continue
    const tmp = `_cais_${table}`
    await repo.db.run(
      `CREATE OR REPLACE TEMP TABLE ${tmp} (${columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`,
    )
    const appender = await repo.db.connection.createAppender(tmp, 'main', 'temp')
    for (const row of values) {
      row.forEach((v, i) => {
        const t = columns[i].sqlType
        if (v === null || v === undefined) appender.appendNull()
        else if (t === 'UBIGINT') appender.appendUBigInt(BigInt(v as string))
        else if (t === 'BIGINT') appender.appendBigInt(BigInt(v as string))
        else if (t === 'INTEGER') appender.appendInteger(v as number)
        else if (t === 'BOOLEAN') appender.appendBoolean(v as boolean)
        else appender.appendVarchar(String(v))
      })
      appender.endRow()
    }
    appender.closeSync()
    const target = join(work, table, `f${data.file_id}-${keyId}.parquet`)
    mkdirSync(dirname(target), { recursive: true })
    await repo.db.run(
      `COPY ${tmp} TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd${parquetWriteOptions(repo.db)})`,
    )
    await repo.db.run(`DROP TABLE ${tmp}`)
  }
  for (const table of readdirSync(work)) {
    const to = join(identityDir(repo.paths), table)
    mkdirSync(to, { recursive: true })
    for (const f of readdirSync(join(work, table))) renameSync(join(work, table, f), join(to, f))
  }
  rmSync(work, { recursive: true, force: true })
}

async function finish(
  repo: Repository,
  files: FileRow[],
  findings: CaisFinding[],
  clock: bigint,
  refusedWhole: boolean,
  counts?: { accounts: number; accepted: number },
): Promise<void> {
  for (const f of files) {
    await updateFile(repo.db, f.file_id, {
      status: refusedWhole ? 'rejected' : 'ingested',
      records: counts?.accounts ?? 0,
      accepted: counts?.accepted ?? 0,
      rejected: refusedWhole ? (counts?.accounts ?? 0) : (counts?.accounts ?? 0) - (counts?.accepted ?? 0),
      ingested_ns: refusedWhole ? null : clock,
      note: refusedWhole ? `${findings[0]?.code} ${findings[0]?.message}` : null,
    })
  }
  // Feedback goes with the data file (or the lone file); it names records by FDID and customerRecordID only.
  const lead = files[0]
  const name = parseFileName(lead.name) as FileName
  const fileCodes = refusedWhole ? [...new Set(findings.map((f) => f.code))] : []
  let errorFileName: string | undefined
  if (!refusedWhole && findings.length > 0) {
    errorFileName = ingestionErrorName(name)
    await writeErrorFilePages(
      repo.paths,
      name.submitterId,
      errorFileName,
      errorPages(lead.file_id, findings),
      'json',
    )
  }
  const fb: FeedbackRecord = {
    submitter: name.submitterId,
    reporter: name.reporter,
    fileGenerationDate: name.generationDate,
    fileName: lead.name,
    receivedNs: BigInt(lead.received_ns),
    stage: 'INGESTION',
    completedNs: clock,
    status: findings.length > 0 ? 'Failure' : 'Success',
    ...(fileCodes.length > 0
      ? {
          severity: 'Error' as const,
          code: fileCodes,
          messages: findings.map((f) => `${f.code}: ${catCode(f.code).title}. ${f.message}`),
        }
      : findings.length > 0
        ? { severity: 'Error' as const, errorFileName, errorCount: findings.length }
        : {}),
  }
  await publishFeedback(
    repo.db,
    repo.paths,
    files.map((f) => f.file_id),
    feedbackName(name, 'ingestion'),
    fb,
    'json',
  )
}

// The error lines of a pair's findings, a page at a time: a file may hold millions of bad records.
async function* errorPages(fileId: number, findings: CaisFinding[]): AsyncGenerator<ErrorLine[]> {
  const PAGE = 10_000
  for (let start = 0; start < findings.length; start += PAGE) {
    yield findings.slice(start, start + PAGE).map((f, i) => ({
      codes: [f.code],
      errorROEID: (BigInt(fileId) << 32n) + BigInt(start + i + 1),
      raw: JSON.stringify({
        where: f.where,
        firmDesignatedID: f.fdid,
        customerRecordID: f.customerRecordID,
        message: f.message,
      }),
    }))
  }
}
