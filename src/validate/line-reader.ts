/**
 * Reads a data file line by line: bzip2-compressed through the system decompressor, or plain. Lines come
 * in batches so the caller can hand whole batches to the engine. Never throws on bad input: an unreadable
 * file ends with `unreadable` set; a file over the size limit stops with `tooLarge`.
 *
 * Memory stays bounded whatever the file holds: a line longer than `maxLineBytes` is kept only up to that
 * length (its full length is reported beside the batch), and a batch ends at `batchSize` lines or
 * `batchBytes` bytes, whichever comes first. Each byte is looked at a fixed number of times, so a line of
 * any length is read in time linear in its length.
 */
import { createReadStream } from 'node:fs'
import { PassThrough, type Readable } from 'node:stream'
import { MAX_RECORD_BYTES } from '../codec/index.ts'
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

const DEFAULT_BATCH_BYTES = 32 * 1024 ** 2
const READ_AHEAD = 16 * 1024 ** 2

/** A line longer than the limit: its position in the batch and its full length in bytes. */
export interface LongLine {
  readonly index: number
  readonly bytes: number
}

/** Limits of a read. */
export interface ReadOptions {
  /** Most lines per batch. */
  readonly batchSize: number
  /** Most bytes of lines per batch (a batch always holds at least one line). @default 32 MiB */
  readonly batchBytes?: number
  /**
   * Longest line kept whole, in bytes; a longer one is cut to this length and reported.
   * @default 8190, the longest record CAT accepts
   */
  readonly maxLineBytes?: number
  /** Largest file read, in uncompressed bytes. */
  readonly maxBytes: number
}

/** Receives one batch of lines, numbered from `firstLine`, with the lines that were cut. */
export type OnBatch = (lines: string[], firstLine: number, long: LongLine[]) => Promise<void>

/** The first `max` bytes of a line, not splitting a character. */
function head(text: string, max: number): string {
  if (text.length <= max / 3 || Buffer.byteLength(text) <= max) return text
  return Buffer.from(text.slice(0, max))
    .subarray(0, max)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
}

async function pump(stream: Readable, options: ReadOptions, onBatch: OnBatch, out: ReadOutcome) {
  stream.setEncoding('utf8')
  const cap = options.maxLineBytes ?? MAX_RECORD_BYTES
  const maxBatchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES
  let batch: string[] = []
  let long: LongLine[] = []
  let batchBytes = 0
  let first = 1
  // The line being read across chunks: its pieces (only while within the cap) and its length so far.
  let parts: string[] = []
  let lineBytes = 0
  let cut = false

  const push = (line: string, bytes: number, wasCut: boolean) => {
    if (wasCut) long.push({ index: batch.length, bytes })
    batch.push(line)
    batchBytes += wasCut ? cap : bytes
  }
  const flush = async () => {
    const lines = batch
    const cutLines = long
    batch = []
    long = []
    batchBytes = 0
    out.lines += lines.length
    await onBatch(lines, first, cutLines)
    first += lines.length
  }

  for await (const chunk of stream as AsyncIterable<string>) {
    const chunkBytes = Buffer.byteLength(chunk)
    out.bytes += chunkBytes
    if (out.bytes > options.maxBytes) {
      out.tooLarge = true
      stream.destroy()
      return
    }
    let start = 0
    for (;;) {
      const nl = chunk.indexOf('\n', start)
      if (nl >= 0 && parts.length === 0 && lineBytes === 0) {
        // The usual case: the whole line is inside this chunk.
        const line = chunk.slice(start, nl)
        const bytes = line.length <= cap / 3 ? line.length : Buffer.byteLength(line)
        if (bytes > cap) push(head(line, cap), bytes, true)
        else push(line, bytes, false)
      } else {
        const piece = chunk.slice(start, nl < 0 ? chunk.length : nl)
        const bytes = Buffer.byteLength(piece)
        if (!cut && lineBytes + bytes > cap) {
          parts = [head(parts.join('') + piece, cap)]
          cut = true
        } else if (!cut && piece !== '') parts.push(piece)
        lineBytes += bytes
        if (nl < 0) break
        push(cut ? parts[0] : parts.join(''), lineBytes, cut)
        parts = []
        lineBytes = 0
        cut = false
      }
      start = nl + 1
      if (batch.length >= options.batchSize || batchBytes >= maxBatchBytes) await flush()
    }
  }
  // A last record without a final newline still counts.
  if (lineBytes > 0) push(cut ? parts[0] : parts.join(''), lineBytes, cut)
  if (batch.length > 0) await flush()
}

/** Streams the lines of a data file to `onBatch` (numbered from 1). */
export async function readLines(
  path: string,
  compressed: boolean,
  options: ReadOptions,
  onBatch: OnBatch,
): Promise<ReadOutcome> {
  const out: ReadOutcome = { lines: 0, bytes: 0 }
  if (!compressed) {
    await pump(createReadStream(path), options, onBatch, out)
    return out
  }
  // The decompressor runs ahead of the batches by up to READ_AHEAD bytes, instead of waiting whenever a
  // batch is handed over until the next one is asked for.
  const result = await bunzip2File(path, async (stream) => {
    const ahead = new PassThrough({ highWaterMark: READ_AHEAD })
    stream.pipe(ahead)
    try {
      await pump(ahead, options, onBatch, out)
    } finally {
      if (!stream.readableEnded) stream.destroy()
    }
  })
  if (!result.ok && !out.tooLarge) out.unreadable = result.error
  return out
}
