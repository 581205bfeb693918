/**
 * Taking a submitted file in: only a regular file, opened without following a symbolic link and checked on
 * the opened descriptor (so nothing can swap the path between the check and the read), then copied into
 * the inbox while it is hashed. Problems of the repository's own disk (full, read-only, not permitted)
 * become a plain message for that one file instead of ending the batch.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs'

/** A submitted file opened for reading: its descriptor and size. */
export interface OpenedFile {
  readonly fd: number
  readonly size: number
}

/** Why a submitted path is not taken in; nothing of it is read. */
export interface NotTaken {
  readonly refused: string
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder'
  if (st.isFIFO()) return 'a named pipe'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * Opens a submitted file for reading. A symbolic link is refused, never followed (O_NOFOLLOW); a pipe or
 * device is opened without blocking (O_NONBLOCK) and refused on what fstat says of the descriptor.
 */
export function openSubmitted(source: string): OpenedFile | NotTaken {
  let fd: number
  try {
    fd = openSync(source, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ELOOP')
      return { refused: 'refused: a symbolic link; intake takes regular files only and never follows links' }
    if (code === 'ENXIO') return { refused: 'refused: a socket or device; intake takes regular files only' }
    if (code === 'EACCES' || code === 'EPERM')
      return { refused: 'refused: the file cannot be read (permission denied)' }
    if (code === 'ENOENT') return { refused: 'refused: the file vanished before it could be read' }
    return { refused: `refused: the file cannot be opened (${code ?? (e as Error).message})` }
  }
  const st = fstatSync(fd)
  if (!st.isFile()) {
    closeSync(fd)
    const kind = kindOf(st)
    return {
      refused: `refused: ${kind === 'not a regular file' ? kind : `${kind}, not a regular file`}; intake takes regular files only`,
    }
  }
  return { fd, size: st.size }
}

const CHUNK = 1 << 20

/** Reads a whole opened file into memory (customer files, which are sealed before they touch the disk). */
export function readAll(file: OpenedFile): Buffer {
  const parts: Buffer[] = []
  let position = 0
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK)
    const n = readSync(file.fd, buf, 0, CHUNK, position)
    if (n === 0) break
    parts.push(buf.subarray(0, n))
    position += n
  }
  return Buffer.concat(parts)
}

/** Copies an opened file to `target` durably (fsync'd file, then its folder), returning its SHA-256 and size. */
export function copyDurably(file: OpenedFile, target: string): { sha256: string; size: number } {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(CHUNK)
  const out = openSync(target, 'w')
  let size = 0
  try {
    for (;;) {
      const n = readSync(file.fd, buf, 0, CHUNK, size)
      if (n === 0) break
      const chunk = buf.subarray(0, n)
      hash.update(chunk)
      writeSync(out, chunk)
      size += n
    }
    fsyncSync(out)
  } catch (e) {
    closeSync(out)
    rmSync(target, { force: true })
    throw e
  }
  closeSync(out)
  return { sha256: hash.digest('hex'), size }
}

/** Writes `data` to `target` durably. */
export function writeDurably(target: string, data: Buffer): void {
  const fd = openSync(target, 'w')
  try {
    writeSync(fd, data)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(target, { force: true })
    throw e
  }
  closeSync(fd)
}

const STORAGE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "the repository's disk is full",
  EDQUOT: "the repository's disk quota is used up",
  EROFS: 'the repository is on a read-only file system',
  EACCES: 'the repository refused the write (permission denied)',
  EPERM: 'the repository refused the write (operation not permitted)',
  EIO: "the repository's disk reported an input/output error",
  ENAMETOOLONG: 'the name is too long for the file system',
}

// The engine reports its own I/O failures in words, not with an errno code.
const ENGINE_PROBLEMS: readonly [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
]

/** A plain description of a failed write to the repository's disk, or undefined for any other error. */
export function storageProblem(e: unknown): string | undefined {
  let code = (e as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined || !(code in STORAGE_PROBLEMS)) {
    const message = e instanceof Error ? e.message : ''
    code = ENGINE_PROBLEMS.find(([re]) => re.test(message))?.[1]
  }
  return code !== undefined && code in STORAGE_PROBLEMS ? `${STORAGE_PROBLEMS[code]} (${code})` : undefined
}
