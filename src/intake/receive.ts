/**
 * Stage 1, file acknowledgement: a submitted file is copied into the repository's inbox (fsync'd before it
 * counts as received, so an acknowledged file survives a crash), hashed, registered and acknowledged. A
 * malformed name gets an empty `.ack.error`. Sending the same bytes under the same name again is a retry,
 * not a duplicate.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type FileName, parseFileName } from './file-name.ts'
import { type FileRow, findFiles } from './file-registry.ts'

/** A file after stage 1. */
export interface Received {
  readonly row: FileRow
  readonly name: FileName | undefined
  /** Why the name is malformed (then only `.ack.error` feedback follows). */
  readonly nameError?: string
  /** The same bytes under the same name were received before; this is that file. */
  readonly retry: boolean
}

/** Copies `source` to `target` durably, returning its SHA-256 and size. */
async function copyDurably(source: string, target: string): Promise<{ sha256: string; size: number }> {
  const tmp = `${target}.part`
  const hash = createHash('sha256')
  const fd = openSync(tmp, 'w')
  let size = 0
  try {
    for await (const chunk of createReadStream(source)) {
      hash.update(chunk as Buffer)
      writeSync(fd, chunk as Buffer)
      size += (chunk as Buffer).length
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, target)
  const dir = openSync(join(target, '..'), 'r')
  try {
    fsyncSync(dir)
  } finally {
    closeSync(dir)
  }
  return { sha256: hash.digest('hex'), size }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Writes `data` to `target` durably (customer files go in sealed, never as plain text). */
function writeDurably(target: string, data: Buffer): number {
  const tmp = `${target}.part`
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, target)
  return data.length
}

/** True for the customer (CAIS) file kinds, whose content is PII and is kept encrypted. */
export function isCustomerKind(kind: string | null | undefined): boolean {
  return kind === 'CAISData' || kind === 'CAISTID'
}

/**
 * Receives one file. Customer files are sealed with `seal` (envelope encryption under the vault master
 * key) before they touch the disk; `seal` is only called for them.
 */
export async function receiveFile(
  db: Database,
  paths: RepoPaths,
  source: string,
  receivedNs: bigint,
  seal?: (data: Buffer) => Buffer,
): Promise<Received> {
  const fileName = basename(source)
  const parsed = parseFileName(fileName)
  const name = 'error' in parsed ? undefined : parsed
  const sha = await sha256Of(source)
  const previous = await findFiles(db, 'name = $1 AND sha256 = $2', [fileName, sha])
  if (previous.length > 0) return { row: previous[previous.length - 1], name, retry: true }

  const id = await db.one<{ id: string }>("SELECT nextval('file_ids') AS id")
  const fileId = Number(id!.id)
  mkdirSync(paths.inbox, { recursive: true })
  const sealed = name !== undefined && isCustomerKind(name.kind)
  const inboxName = `${String(fileId).padStart(8, '0')}-${fileName}${sealed ? '.sealed' : ''}`
  let size: number
  if (sealed) {
    if (!seal) throw new Error('customer files need a sealing key')
    const data = readFileSync(source)
    writeDurably(join(paths.inbox, inboxName), seal(data))
    size = data.length
  } else {
    size = (await copyDurably(source, join(paths.inbox, inboxName))).size
  }
  await db.run(
    `INSERT INTO files (file_id, name, base_name, role, kind, format, compressed, is_delete, submitter_id, reporter,
       generation_date, file_group, file_number, size_bytes, sha256, received_ns, inbox_path, status, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      fileId,
      fileName,
      name?.baseName ?? null,
      name?.role ?? 'unknown',
      name?.kind ?? null,
      name?.format ?? null,
      name?.compressed ?? null,
      name?.isDelete ?? null,
      name?.submitterId ?? null,
      name?.reporter ?? null,
      name?.generationDate ?? null,
      name?.group ?? null,
      name?.fileNumber ?? null,
      size,
      sha,
      receivedNs,
      inboxName,
      name ? 'received' : 'rejected',
      'error' in parsed ? parsed.error : null,
    ],
  )
  const row = (await findFiles(db, 'file_id = $1', [fileId]))[0]
  return { row, name, retry: false, ...('error' in parsed ? { nameError: parsed.error } : {}) }
}

/** Size of a file on disk (for the summary). */
export function fileSize(path: string): number {
  return statSync(path).size
}
