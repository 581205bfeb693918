/**
 * Files that survive a crash: written aside, flushed, renamed into place, and the rename itself flushed
 * through the folder, so a reader sees either the old file or the whole new one, never a torn write.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Renames a durably written file into place and makes the rename itself durable. */
export function moveDurably(from: string, to: string): void {
  renameSync(from, to)
  const dir = openSync(dirname(to), 'r')
  try {
    fsyncSync(dir)
  } finally {
    closeSync(dir)
  }
}

/** Replaces `path` with `data` in one step; the file is created with `mode` (private by default). */
export function replaceFileDurably(path: string, data: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const aside = `${path}.tmp`
  const fd = openSync(aside, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  moveDurably(aside, path)
}
