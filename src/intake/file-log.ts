/**
 * The repository's tamper-evident log of accepted files: every acknowledged file becomes a leaf of a
 * Merkle tree; after each submission the tree head is signed (Ed25519, with the key kept outside the
 * repository folder) and every acknowledgement carries a receipt (file hash, leaf position, signed head,
 * inclusion proof) that anyone can check, down to the bytes the repository stores.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { createReadStream, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { openEnvelope } from '../common/envelope-crypto.ts'
import type { Database } from '../store/database.ts'
import type { Repository } from '../store/repository.ts'
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.ts'

/** A signed tree head. */
export interface TreeHead {
  readonly treeSize: number
  readonly rootHash: string
  readonly timestampNs: string
  readonly signature: string
}

/** A receipt for one received file. */
export interface Receipt {
  readonly version: 1
  readonly fileName: string
  readonly sha256: string
  readonly leafIndex: number
  /** The leaf's data, exactly as hashed. */
  readonly leaf: string
  readonly treeHead: TreeHead
  readonly inclusionProof: string[]
  /** The repository's public key (SPKI PEM), to check the signature. */
  readonly publicKey: string
}

/** What a leaf records about a file. */
export function leafData(f: {
  fileName: string
  sha256: string
  receivedNs: bigint
  submitter: string
}): string {
  return JSON.stringify({
    fileName: f.fileName,
    sha256: f.sha256,
    receivedNs: f.receivedNs.toString(),
    submitter: f.submitter,
  })
}

function headMessage(size: number, root: string, ts: string): Buffer {
  return Buffer.from(`opencat-tree-head-v1\n${size}\n${root}\n${ts}`)
}

/** The public half of the signing key in `keyFile`, PEM. */
export function publicKeyPem(keyFile: string): string {
  return createPublicKey(createPrivateKey(readFileSync(keyFile)))
    .export({ type: 'spki', format: 'pem' })
    .toString()
}

async function allLeaves(db: Database): Promise<Buffer[]> {
  const rows = await db.all<{ leaf_hash: string }>('SELECT leaf_hash FROM log_leaves ORDER BY leaf_index')
  return rows.map((r) => Buffer.from(r.leaf_hash, 'hex'))
}

/** Appends leaves for files (idempotent per file id); returns their leaf indexes. */
export async function appendLeaves(
  db: Database,
  files: { fileId: number; leaf: string }[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (const f of files) {
    const existing = await db.one<{ leaf_index: string }>(
      'SELECT leaf_index FROM log_leaves WHERE file_id = $1',
      [f.fileId],
    )
    if (existing) {
      out.set(f.fileId, Number(existing.leaf_index))
      continue
    }
    const next = await db.one<{ n: string }>('SELECT count(*) AS n FROM log_leaves')
    const index = Number(next?.n ?? 0)
    await db.run('INSERT INTO log_leaves VALUES ($1, $2, $3, $4)', [
      index,
      f.fileId,
      leafHash(f.leaf).toString('hex'),
      f.leaf,
    ])
    out.set(f.fileId, index)
  }
  return out
}

/** Signs the current tree head (if the tree grew since the last head) and returns the latest head. */
export async function signTreeHead(
  db: Database,
  keyFile: string,
  nowNs: bigint,
): Promise<TreeHead | undefined> {
  const leaves = await allLeaves(db)
  if (leaves.length === 0) return undefined
  const last = await latestHead(db)
  if (last && last.treeSize === leaves.length) return last
  const root = rootHash(leaves).toString('hex')
  const ts = nowNs.toString()
  const signature = sign(
    null,
    headMessage(leaves.length, root, ts),
    createPrivateKey(readFileSync(keyFile)),
  ).toString('base64')
  await db.run('INSERT INTO log_heads VALUES ($1, $2, $3, $4)', [leaves.length, root, ts, signature])
  return { treeSize: leaves.length, rootHash: root, timestampNs: ts, signature }
}

/** The latest signed tree head. */
export async function latestHead(db: Database): Promise<TreeHead | undefined> {
  const row = await db.one<{ tree_size: string; root_hash: string; signed_ns: string; signature: string }>(
    'SELECT * FROM log_heads ORDER BY tree_size DESC LIMIT 1',
  )
  return row
    ? {
        treeSize: Number(row.tree_size),
        rootHash: row.root_hash,
        timestampNs: String(row.signed_ns),
        signature: row.signature,
      }
    : undefined
}

/** The receipt of a file under the latest tree head. */
export async function receiptFor(
  db: Database,
  keyFile: string,
  fileId: number,
): Promise<Receipt | undefined> {
  const leafRow = await db.one<{ leaf_index: string; leaf_data: string }>(
    'SELECT leaf_index, leaf_data FROM log_leaves WHERE file_id = $1',
    [fileId],
  )
  const head = await latestHead(db)
  if (!leafRow || !head) return undefined
  const leaves = (await allLeaves(db)).slice(0, head.treeSize)
  const index = Number(leafRow.leaf_index)
  const leaf = JSON.parse(leafRow.leaf_data) as { fileName: string; sha256: string }
  return {
    version: 1,
    fileName: leaf.fileName,
    sha256: leaf.sha256,
    leafIndex: index,
    leaf: leafRow.leaf_data,
    treeHead: head,
    inclusionProof: inclusionProof(leaves, index, head.treeSize).map((b) => b.toString('hex')),
    publicKey: publicKeyPem(keyFile),
  }
}

/** One check of a verification, with its outcome. */
export interface Check {
  readonly check: string
  readonly ok: boolean
  readonly detail?: string
}

/** Whether the signing key lives outside the repository folder, as a check. */
function keyOutside(repo: Repository): Check {
  const inside = !relative(repo.paths.root, repo.signingKey()).startsWith('..')
  return {
    check: 'signing key kept outside the repository folder',
    ok: !inside,
    ...(inside
      ? { detail: `${repo.signingKey()}: open the repository for writing once (e.g. submit) to move it out` }
      : {}),
  }
}

/** SHA-256 of a stored file as it was sent (customer files are stored sealed and opened first). */
async function storedHash(repo: Repository, inboxPath: string): Promise<string> {
  const path = join(repo.paths.inbox, inboxPath)
  if (inboxPath.endsWith('.sealed'))
    return createHash('sha256')
      .update(openEnvelope((id) => repo.keys().vaultKey(id), readFileSync(path)))
      .digest('hex')
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Whether the bytes the repository stores for a leaf's file still hash to `sha256`, as a check. */
async function storedBytesCheck(repo: Repository, leafIndex: number, sha256: string): Promise<Check> {
  const check = 'stored file has the bytes the receipt hashes'
  const row = await repo.db.one<{ inbox_path: string | null; file_id: number }>(
    'SELECT f.inbox_path, f.file_id FROM log_leaves l JOIN files f ON f.file_id = l.file_id WHERE l.leaf_index = $1',
    [leafIndex],
  )
  if (!row?.inbox_path)
    return { check, ok: false, detail: 'the repository holds no stored file for this leaf' }
  try {
    const actual = await storedHash(repo, row.inbox_path)
    return actual === sha256
      ? { check, ok: true }
      : {
          check,
          ok: false,
          detail: `inbox/${row.inbox_path} hashes to ${actual}, the receipt says ${sha256}`,
        }
  } catch (e) {
    return { check, ok: false, detail: `inbox/${row.inbox_path}: ${(e as Error).message}` }
  }
}

/**
 * Checks a receipt: signature, inclusion, that the repository's log today extends the receipt's head, and
 * that the file the repository stores still has the bytes the receipt hashes.
 */
export async function verifyReceipt(repo: Repository, receipt: Receipt): Promise<Check[]> {
  const db = repo.db
  const checks: Check[] = [keyOutside(repo)]
  const key = publicKeyPem(repo.signingKey())
  const head = receipt.treeHead
  let signed = false
  try {
    signed = verify(
      null,
      headMessage(head.treeSize, head.rootHash, head.timestampNs),
      key,
      Buffer.from(head.signature, 'base64'),
    )
  } catch {
    signed = false
  }
  checks.push({ check: 'tree head signed by this repository', ok: signed && receipt.publicKey === key })
  const leaf = leafHash(receipt.leaf)
  const leafFields = JSON.parse(receipt.leaf) as { fileName: string; sha256: string }
  checks.push({
    check: 'receipt names the file it hashes',
    ok: leafFields.fileName === receipt.fileName && leafFields.sha256 === receipt.sha256,
  })
  checks.push({
    check: 'file is included in the signed tree',
    ok: verifyInclusion(
      leaf,
      receipt.leafIndex,
      head.treeSize,
      receipt.inclusionProof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(head.rootHash, 'hex'),
    ),
  })
  const leaves = await allLeaves(db)
  const stored = leaves[receipt.leafIndex]
  checks.push({
    check: 'repository still holds the same leaf',
    ok: stored?.equals(leaf),
  })
  const current = rootHash(leaves)
  const consistent =
    head.treeSize <= leaves.length &&
    verifyConsistency(
      head.treeSize,
      leaves.length,
      Buffer.from(head.rootHash, 'hex'),
      current,
      consistencyProof(leaves, head.treeSize),
    )
  checks.push({
    check: 'repository log today extends the receipt tree (append-only)',
    ok: consistent,
    detail: `receipt tree size ${head.treeSize}, log size ${leaves.length}`,
  })
  checks.push(await storedBytesCheck(repo, receipt.leafIndex, receipt.sha256))
  return checks
}

/**
 * Checks the whole log: every head signed, each head consistent with today's tree, every leaf matching its
 * recorded data, and every stored file matching the hash its leaf records.
 */
export async function verifyLog(repo: Repository): Promise<Check[]> {
  const db = repo.db
  const key = publicKeyPem(repo.signingKey())
  const leaves = await allLeaves(db)
  const heads = await db.all<{ tree_size: string; root_hash: string; signed_ns: string; signature: string }>(
    'SELECT * FROM log_heads ORDER BY tree_size',
  )
  const checks: Check[] = []
  const current = rootHash(leaves)
  for (const h of heads) {
    const size = Number(h.tree_size)
    const root = Buffer.from(h.root_hash, 'hex')
    const signed = verify(
      null,
      headMessage(size, h.root_hash, String(h.signed_ns)),
      key,
      Buffer.from(h.signature, 'base64'),
    )
    const consistent =
      size <= leaves.length &&
      verifyConsistency(size, leaves.length, root, current, consistencyProof(leaves, size))
    checks.push({
      check: `head of size ${size} is signed and today's log extends it`,
      ok: signed && consistent,
    })
  }
  checks.push({ check: 'every leaf matches its recorded file data', ok: await leavesMatchData(db) })
  const stored = await db.all<{ leaf_index: string; leaf_data: string }>(
    'SELECT leaf_index, leaf_data FROM log_leaves ORDER BY leaf_index',
  )
  const altered: string[] = []
  for (const r of stored) {
    const leaf = JSON.parse(r.leaf_data) as { fileName: string; sha256: string }
    const c = await storedBytesCheck(repo, Number(r.leaf_index), leaf.sha256)
    if (!c.ok) altered.push(`${leaf.fileName}: ${c.detail}`)
  }
  checks.push({
    check: 'every stored file has the bytes its leaf hashes',
    ok: altered.length === 0,
    ...(altered.length > 0 ? { detail: altered.slice(0, 5).join('; ') } : {}),
  })
  return [keyOutside(repo), ...checks]
}

async function leavesMatchData(db: Database): Promise<boolean> {
  const rows = await db.all<{ leaf_hash: string; leaf_data: string }>(
    'SELECT leaf_hash, leaf_data FROM log_leaves',
  )
  return rows.every((r) => leafHash(r.leaf_data).toString('hex') === r.leaf_hash)
}
