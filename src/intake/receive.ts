/**
 * Stage 1, file acknowledgement: a submitted file is taken in (a regular file only, never through a symbolic
 * link), copied into the repository's inbox (fsync'd before it counts as received, so an acknowledged file
 * survives a crash), hashed, registered and acknowledged. A malformed name gets an empty `.ack.error`.
 * Sending the same bytes under the same name again is a retry, not a duplicate; other bytes under a base
 * name an earlier file holds are refused (1103) before anything is stored, so no receipt is ever replaced.
 */
import { createHash } from 'node:crypto'
import { closeSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { moveDurably } from '../common/durable-file.ts'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type FileName, parseFileName } from './file-name.ts'
import { type FileRow, findFiles } from './file-registry.ts'
import {
  copyDurably,
  type OpenedFile,
  openSubmitted,
  readAll,
  storageProblem,
  writeDurably,
} from './take-file.ts'

/** The CAT code of a file whose base name an earlier file holds (IM spec §6.1.1). */
export const DUPLICATE_FILE = 1103

/** Why a file was refused at acknowledgement; nothing of it was stored. */
export interface Refusal {
  /** The CAT code, where one applies (1103 for a duplicate name). */
  readonly code?: number
  readonly message: string
}

/** A file after stage 1. */
export interface Received {
  readonly row: FileRow
  readonly name: FileName | undefined
  /** Why the name is malformed (then only `.ack.error` feedback follows). */
  readonly nameError?: string
  /** Why the file was not taken in (not a regular file, a duplicate name, the disk refused it). */
  readonly refused?: Refusal
  /** The same bytes under the same name were received before; this is that file. */
  readonly retry: boolean
}

/** True for the customer (CAIS) file kinds, whose content is PII and is kept encrypted. */
export function isCustomerKind(kind: string | null | undefined): boolean {
  return kind === 'CAISData' || kind === 'CAISTID'
}

/** Longest inbox file name: the file system's 255 bytes, less room for a `.part` suffix. */
const MAX_INBOX_NAME_BYTES = 240

/** The inbox name of a file: its id and its name, or a digest of a name too long to fit. */
function inboxNameFor(fileId: number, fileName: string, sealed: boolean): string {
  const id = String(fileId).padStart(8, '0')
  const full = `${id}-${fileName}${sealed ? '.sealed' : ''}`
  if (Buffer.byteLength(full) <= MAX_INBOX_NAME_BYTES) return full
  return `${id}-long-name-${createHash('sha256').update(fileName).digest('hex').slice(0, 16)}`
}

/**
 * True when an earlier file holds the base name: names are unique forever, and a name is only free again
 * when its file never entered the repository (refused here, timed out (1121) or failed integrity).
 */
async function baseNameHeld(db: Database, name: FileName): Promise<boolean> {
  const row = await db.one(
    `SELECT 1 AS x FROM files WHERE role = $1 AND base_name = $2 AND inbox_path IS NOT NULL
       AND (role = 'meta' OR status IN ('received', 'paired', 'ingested', 'held'))`,
    [name.role, name.baseName],
  )
  return row !== undefined
}

/** The CAT code of a file beyond a supported size limit. */
export const TOO_LARGE = 1108

/** How customer (CAIS) files are taken in. */
export interface CustomerFileIntake {
  /** Envelope encryption under the vault master key, applied before the file touches the disk. */
  readonly seal: (data: Buffer) => Buffer
  /** Largest customer file accepted, in bytes: it is read whole to be sealed, so a larger one is refused unread. */
  readonly maxBytes: number
}

/**
 * Receives one file. Customer files are read whole and sealed (`customers`) before they touch the disk;
 * `customers` is only used for them.
 */
export async function receiveFile(
  db: Database,
  paths: RepoPaths,
  source: string,
  receivedNs: bigint,
  customers?: CustomerFileIntake,
): Promise<Received> {
  const fileName = basename(source)
  const parsed = parseFileName(fileName)
  const name = 'error' in parsed ? undefined : parsed
  const nameError = 'error' in parsed ? parsed.error : undefined
  const register = async (
    fields: {
      size: number
      sha256: string | null
      inboxName: string | null
      status: string
      note: string | null
    },
    fileId?: number,
  ): Promise<FileRow> => {
    const id = fileId ?? Number((await db.one<{ id: string }>("SELECT nextval('file_ids') AS id"))!.id)
    await db.run(
      `INSERT INTO files (file_id, name, base_name, role, kind, format, compressed, is_delete, submitter_id, reporter,
         generation_date, file_group, file_number, size_bytes, sha256, received_ns, inbox_path, status, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        id,
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
        fields.size,
        fields.sha256,
        receivedNs,
        fields.inboxName,
        fields.status,
        fields.note,
      ],
    )
    return (await findFiles(db, 'file_id = $1', [id]))[0]
  }
  const refuse = async (refusal: Refusal, size: number, sha256: string | null): Promise<Received> => {
    const note = `${refusal.code !== undefined ? `${refusal.code} ` : ''}${refusal.message}`
    const row = await register({ size, sha256, inboxName: null, status: 'rejected', note })
    return { row, name, retry: false, refused: refusal, ...(nameError ? { nameError } : {}) }
  }

  const opened = openSubmitted(source)
  if ('refused' in opened) return refuse({ message: opened.refused }, 0, null)
  const sealed = name !== undefined && isCustomerKind(name.kind)
  if (sealed && !customers) {
    closeSync(opened.fd)
    throw new Error('customer files need a sealing key')
  }
  if (sealed && opened.size > customers!.maxBytes) {
    closeSync(opened.fd)
    const mib = (n: number) => (n / 1024 ** 2).toFixed(0)
    return refuse(
      {
        code: TOO_LARGE,
        message: `refused: a customer file is at most ${mib(customers!.maxBytes)} MiB; this one has ${mib(opened.size)} MiB`,
      },
      opened.size,
      null,
    )
  }
  const incoming = join(paths.inbox, '.incoming.part')
  let taken: { sha256: string; size: number }
  try {
    mkdirSync(paths.inbox, { recursive: true })
    taken = sealed ? storeSealed(opened, incoming, customers!.seal) : copyDurably(opened, incoming)
  } catch (e) {
    const problem = storageProblem(e)
    if (!problem) throw e
    return refuse(
      { message: `not received: ${problem}; nothing was kept, send the file again` },
      opened.size,
      null,
    )
  } finally {
    closeSync(opened.fd)
  }

  const previous = await findFiles(db, 'name = $1 AND sha256 = $2', [fileName, taken.sha256])
  if (previous.length > 0) {
    rmSync(incoming, { force: true })
    return { row: previous[previous.length - 1], name, retry: true }
  }
  if (name && (await baseNameHeld(db, name))) {
    rmSync(incoming, { force: true })
    return refuse(
      {
        code: DUPLICATE_FILE,
        message: `refused: an earlier file holds the base name ${name.baseName}`,
      },
      taken.size,
      taken.sha256,
    )
  }

  const fileId = Number((await db.one<{ id: string }>("SELECT nextval('file_ids') AS id"))!.id)
  const inboxName = inboxNameFor(fileId, fileName, sealed)
  try {
    moveDurably(incoming, join(paths.inbox, inboxName))
  } catch (e) {
    const problem = storageProblem(e)
    if (!problem) throw e
    rmSync(incoming, { force: true })
    return refuse(
      { message: `not received: ${problem}; nothing was kept, send the file again` },
      taken.size,
      null,
    )
  }
  const row = await register(
    {
      size: taken.size,
      sha256: taken.sha256,
      inboxName,
      status: name ? 'received' : 'rejected',
      note: nameError ?? null,
    },
    fileId,
  )
  return { row, name, retry: false, ...(nameError ? { nameError } : {}) }
}

/** Reads a customer file whole and writes it sealed; the hash and size are of the file as sent. */
function storeSealed(
  file: OpenedFile,
  target: string,
  seal: (data: Buffer) => Buffer,
): { sha256: string; size: number } {
  const data = readAll(file)
  writeDurably(target, seal(data))
  return { sha256: createHash('sha256').update(data).digest('hex'), size: data.length }
}

/** Size of a file on disk (for the summary). */
export function fileSize(path: string): number {
  return statSync(path).size
}
