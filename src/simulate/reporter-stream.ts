/**
 * One reporter's submission stream: CAT-named bzip2 data files of at most N records each, each followed
 * by its metadata file (record count, SHA-256 of the compressed bytes; doneForDay on the last one).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bzip2Writer } from '../common/bzip2.ts'
import { BufferedOutput } from './buffered-output.ts'

/** One data file as listed in a metadata file. */
export interface DataFileInfo {
  readonly fileName: string
  readonly recordCount: number
  readonly compressedHash: string
}

/** Where a stream writes and what its files are called. */
export interface StreamConfig {
  /** The submitter's folder (submissions/<submitterId>/). */
  readonly dir: string
  readonly submitterId: number
  /** IMID or Exchange ID. */
  readonly reporter: string
  readonly kind: 'OrderEvents' | 'ExchangeEvents'
  /** YYYYMMDD. */
  readonly date: number
  readonly format: 'json' | 'csv'
  readonly fileVersion: string
  readonly recordsPerFile: number
  readonly bzip2Level: number
}

/** Where a written record landed. */
export interface RecordLocation {
  readonly file: string
  /** 1-based line number in the (decompressed) data file. */
  readonly line: number
}

/** Uppercase hex SHA-256 of a file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex').toUpperCase()
}

/** The metadata file text (JSON object or CSV line) for the given data files. */
export function metadataText(
  config: StreamConfig,
  files: readonly DataFileInfo[],
  doneForDay: boolean,
): string {
  if (config.format === 'csv') {
    const blocks = files.map((f) => `${f.fileName}@${f.recordCount}@@${f.compressedHash}`).join('|')
    return `META,${doneForDay},${config.date},${config.reporter},${config.submitterId},${config.fileVersion},${blocks},\n`
  }
  const doc = {
    type: 'META',
    doneForDay,
    fileGenerationDate: config.date,
    reporter: config.reporter,
    submitter: config.submitterId,
    fileVersion: config.fileVersion,
    files,
  }
  return `${JSON.stringify(doc)}\n`
}

function pad6(n: number): string {
  return String(n).padStart(6, '0')
}

/** The data-file writer of one reporter. */
export class ReporterStream {
  private number = 0
  private count = 0
  private out: BufferedOutput | undefined
  private compressing: Promise<void> | undefined
  private fileName = ''
  private readonly finished: Promise<void>[] = []
  /** Records written to all files. */
  records = 0

  constructor(readonly config: StreamConfig) {}

  private base(n: number): string {
    const c = this.config
    return `${c.submitterId}_${c.reporter}_${c.date}_${c.kind}_${pad6(n)}`
  }

  private open(): void {
    this.number++
    this.count = 0
    this.fileName = `${this.base(this.number)}.${this.config.format}.bz2`
    const w = bzip2Writer(join(this.config.dir, this.fileName), this.config.bzip2Level)
    this.out = new BufferedOutput(w.stream)
    this.compressing = w.done
  }

  /** Closes the current file; its metadata follows once it is hashed. */
  private close(doneForDay: boolean): Promise<void> {
    const out = this.out!
    const compressing = this.compressing!
    const fileName = this.fileName
    const metaName = `${this.base(this.number)}.meta.${this.config.format}`
    const recordCount = this.count
    this.out = undefined
    const done = (async () => {
      await out.end()
      await compressing
      const compressedHash = await sha256File(join(this.config.dir, fileName))
      const text = metadataText(this.config, [{ fileName, recordCount, compressedHash }], doneForDay)
      await writeFile(join(this.config.dir, metaName), text)
    })()
    // Awaited in finish(); the handler keeps an early failure from being reported as unhandled.
    done.catch(() => undefined)
    this.finished.push(done)
    return done
  }

  /** Writes one record line (without its newline) and tells where it went. */
  write(line: string): RecordLocation {
    if (!this.out) this.open()
    else if (this.count >= this.config.recordsPerFile) {
      void this.close(false)
      this.open()
    }
    this.out!.write(`${line}\n`)
    this.count++
    this.records++
    return { file: this.fileName, line: this.count }
  }

  /** Where the next record will go (same file unless the current one is full). */
  peekLocation(): RecordLocation {
    if (!this.out) return { file: `${this.base(this.number + 1)}.${this.config.format}.bz2`, line: 1 }
    if (this.count >= this.config.recordsPerFile)
      return { file: `${this.base(this.number + 1)}.${this.config.format}.bz2`, line: 1 }
    return { file: this.fileName, line: this.count + 1 }
  }

  /** A promise to await when the compressor is behind. */
  get blocked(): Promise<void> | undefined {
    return this.out?.blocked
  }

  /** Closes the last file (an empty one if nothing was written) with doneForDay true. */
  async finish(): Promise<void> {
    if (!this.out) this.open()
    await this.close(true)
    await Promise.all(this.finished)
  }
}
