/**
 * Batches many small writes (record lines) into large chunks for a stream, and tells the producer when
 * the stream wants it to wait (backpressure), so memory stays bounded however fast the simulation runs.
 */
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'

const CHUNK = 1 << 18
// How far the writer may run ahead of the stream before it is told to wait. A stream's own mark (16 KB) is
// less than one chunk, so heeding it stalled the simulation at nearly every chunk until the compressor
// had read it; a few megabytes per stream keep both busy and memory still bounded.
const AHEAD = 1 << 22

/** A buffered writer over a Node stream. */
export class BufferedOutput {
  // Each line goes straight into bytes: a line then dies young, where a list of line strings waiting for
  // the chunk survived the young generation and made every collection copy it.
  private buffer = Buffer.allocUnsafeSlow(CHUNK)
  private used = 0
  private waiting: Promise<void> | undefined

  constructor(private readonly stream: Writable) {}

  /** Opens a plain file for writing. */
  static file(path: string): BufferedOutput {
    return new BufferedOutput(createWriteStream(path))
  }

  /** Appends text (flushed in chunks). */
  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > CHUNK) {
      this.flush()
      if (text.length * 3 > CHUNK) {
        this.send(Buffer.from(text))
        return
      }
    }
    this.used += this.buffer.write(text, this.used)
  }

  private flush(): void {
    if (this.used === 0) return
    const chunk = this.buffer.subarray(0, this.used)
    // The stream keeps the chunk until written, so the next lines go into a new buffer.
    this.buffer = Buffer.allocUnsafeSlow(CHUNK)
    this.used = 0
    this.send(chunk)
  }

  private send(chunk: Buffer): void {
    this.stream.write(chunk)
    if (this.stream.writableLength > AHEAD && !this.waiting) {
      this.waiting = new Promise((resolve) => this.stream.once('drain', resolve)).then(() => {
        this.waiting = undefined
      })
    }
  }

  /** A promise to await before writing more, when the stream is backed up. */
  get blocked(): Promise<void> | undefined {
    return this.waiting
  }

  /** Flushes and ends the stream; resolves when it has finished (for files: when closed). */
  end(): Promise<void> {
    this.flush()
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject)
      this.stream.once('close', () => resolve())
      this.stream.end()
    })
  }
}
