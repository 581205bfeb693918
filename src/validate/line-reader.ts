/**
 * Reads a data file line by line: bzip2-compressed through the system decompressor, or plain. Lines come
 * in batches so the caller can hand whole batches to the engine. Never throws on bad input: an unreadable
 * file ends with `unreadable` set; a file over the size limit stops with `tooLarge`.
 */
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { bunzip2File } from '../common/bzip2.ts'

/** How a read ended. */
export interface ReadOutcome {
  lines: number
  bytes: number
  /** The decompressor's complaint when the file is not valid bzip2. */
  unreadable?: string
  /** The file grew past the size limit while being read. */
  tooLarge?: boolean
}

async function pump(
  stream: Readable,
  batchSize: number,
  maxBytes: number,
  onBatch: (lines: string[], firstLine: number) => Promise<void>,
  out: ReadOutcome,
): Promise<void> {
  stream.setEncoding('utf8')
  let pending = ''
  let batch: string[] = []
  let first = 1
  for await (const chunk of stream as AsyncIterable<string>) {
    out.bytes += Buffer.byteLength(chunk)
    if (out.bytes > maxBytes) {
      out.tooLarge = true
      stream.destroy()
      return
    }
    const text = pending + chunk
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl < 0) break
      batch.push(text.slice(start, nl))
      start = nl + 1
      if (batch.length >= batchSize) {
        const lines = batch
        batch = []
        out.lines += lines.length
        await onBatch(lines, first)
        first += lines.length
      }
    }
    pending = text.slice(start)
  }
  // A last record without a final newline still counts.
  if (pending !== '') batch.push(pending)
  if (batch.length > 0) {
    out.lines += batch.length
    await onBatch(batch, first)
  }
}

/** Streams the lines of a data file to `onBatch`, `batchSize` at a time (numbered from 1). */
export async function readLines(
  path: string,
  compressed: boolean,
  options: { batchSize: number; maxBytes: number },
  onBatch: (lines: string[], firstLine: number) => Promise<void>,
): Promise<ReadOutcome> {
  const out: ReadOutcome = { lines: 0, bytes: 0 }
  if (!compressed) {
    await pump(createReadStream(path), options.batchSize, options.maxBytes, onBatch, out)
    return out
  }
  const result = await bunzip2File(path, (stream) =>
    pump(stream, options.batchSize, options.maxBytes, onBatch, out),
  )
  if (!result.ok && !out.tooLarge) out.unreadable = result.error
  return out
}
