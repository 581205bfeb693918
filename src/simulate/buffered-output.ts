/**
 * Batches many small writes (record lines) into large chunks for a stream, and tells the producer when
 * the stream wants it to wait (backpressure), so memory stays bounded however fast the simulation runs.
 */
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'

const CHUNK = 1 << 18

/** A buffered writer over a Node stream. */
export class BufferedOutput {
  private parts: string[] = []
  private bytes = 0
  private waiting: Promise<void> | undefined

  constructor(private readonly stream: Writable) {}

  /** Opens a plain file for writing. */
  static file(path: string): BufferedOutput {
    return new BufferedOutput(createWriteStream(path))
  }

  /** Appends text (flushed in chunks). */
  write(text: string): void {
    this.parts.push(text)
    this.bytes += text.length
    if (this.bytes >= CHUNK) this.flush()
  }

  private flush(): void {
    if (this.parts.length === 0) return
    const chunk = this.parts.join('')
    this.parts = []
    this.bytes = 0
    if (!this.stream.write(chunk) && !this.waiting) {
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
