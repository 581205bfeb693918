/**
 * Customer intake: pairs each CAIS data file with its TID file, reads both (they were sealed on receipt),
 * checks them, turns every TID into a CCID, stores accounts / holders / large trader IDs / customers in the
 * identity store (no PII, no TID), puts the PII in the vault when it is enabled, and answers with
 * ingestion feedback. Unpaired files are refused after 60 minutes (22002).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { catCode } from '../catalogue/index.ts'
import { bunzip2Buffer } from '../common/bzip2.ts'
import { openEnvelope } from '../common/envelope-crypto.ts'
import { type FeedbackRecord, writeErrorFile } from '../intake/feedback.ts'
import { type FileName, feedbackName, ingestionErrorName, parseFileName } from '../intake/file-name.ts'
import { type FileRow, findFiles, publishFeedback, updateFile } from '../intake/file-registry.ts'
import { ident, literal } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
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
    const pair = checkCaisPair(readSealed(repo, data), readSealed(repo, tid), {
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
  readonly crd: string
  readonly accounts: number
  readonly accepted: number
  readonly customers: number
  readonly codes: number[]
}

function pairKey(n: FileName): string {
  return `${n.submitterId}_${n.reporter}_${n.generationDate}_${n.fileNumber}`
}

function readSealed(repo: Repository, f: FileRow): unknown {
  const plain = openEnvelope(
    (id) => repo.keys().vaultKey(id),
    readFileSync(join(repo.paths.inbox, f.inbox_path)),
  )
  const name = parseFileName(f.name) as FileName
  let text: string
  if (name.compressed) {
    const d = bunzip2Buffer(plain)
    if (!d.ok) throw new SyntaxError('not valid bzip2')
    text = d.data.toString('utf8')
  } else text = plain.toString('utf8')
  return JSON.parse(text)
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
          [{ code: 22002, where: lone.name, message: 'its paired file did not arrive within 60 minutes' }],
          clock,
          true,
        )
        out.push({
          files: [lone.name],
          crd: lone.reporter ?? '',
          accounts: 0,
          accepted: 0,
          customers: 0,
          codes: [22002],
        })
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
        [{ code: 22002, where: 'pair', message: 'the two files arrived more than 60 minutes apart' }],
        clock,
        true,
      )
      out.push({
        files: [data.name, tid.name],
        crd: data.reporter ?? '',
        accounts: 0,
        accepted: 0,
        customers: 0,
        codes: [22002],
      })
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
  let docs: [unknown, unknown]
  try {
    docs = [readSealed(repo, data), readSealed(repo, tid)]
  } catch (e) {
    const finding = {
      code: 22001,
      where: 'file',
      message: `the customer files cannot be read: ${(e as Error).message.split('\n')[0]}`,
    }
    await finish(repo, [data, tid], [finding], clock, true)
    return {
      files: [data.name, tid.name],
      crd: name.reporter,
      accounts: 0,
      accepted: 0,
      customers: 0,
      codes: [22001],
    }
  }
  const pair = checkCaisPair(docs[0], docs[1], { crd: name.reporter, submitter: name.submitterId })
  const key = repo.keys().ccid
  const ccids = new Map<string, string>()
  for (const [id, t] of pair.tids) ccids.set(id, ccidOf(key, t.tid))
  const conflicts = await conflictingCustomers(repo, name.reporter, ccids)
  const findings: CaisFinding[] = [...pair.findings, ...conflicts]
  const refused = new Set(conflicts.map((c) => c.customerRecordID))
  const accepted = pair.accepted.filter((a) => a.holders.every((h) => !refused.has(h.customerRecordID)))
  for (const a of pair.accepted.filter((x) => !accepted.includes(x))) {
    findings.push({
      code: 22013,
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
    crd: name.reporter,
    accounts: pair.accounts.length,
    accepted: accepted.length,
    customers: ccids.size - refused.size,
    codes: [...new Set(findings.map((f) => f.code))].sort(),
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
      code: 22040,
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
    await repo.db.run(`COPY ${tmp} TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`)
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
    writeErrorFile(
      repo.paths,
      name.submitterId,
      errorFileName,
      findings.map((f, i) => ({
        codes: [f.code],
        errorROEID: (BigInt(lead.file_id) << 32n) + BigInt(i + 1),
        raw: JSON.stringify({
          where: f.where,
          firmDesignatedID: f.fdid,
          customerRecordID: f.customerRecordID,
          message: f.message,
        }),
      })),
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
