/**
 * bzip2 through the system's `bzip2` program (or `lbzip2`, which uses every core, when installed):
 * streaming compression and decompression without holding files in memory.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { OpenCatError } from './errors.ts'

let resolved: string | undefined

/** The bzip2 program to use; lbzip2 when present. Throws OCAT_ERR_SYS_BZIP2_MISSING when neither is. */
export function bzip2Program(): string {
  if (resolved) return resolved
  for (const candidate of ['lbzip2', 'bzip2']) {
    const r = spawnSync(candidate, ['--help'], { stdio: 'ignore' })
    if (!r.error) {
      resolved = candidate
      return candidate
    }
  }
  throw new OpenCatError('OCAT_ERR_SYS_BZIP2_MISSING', 'neither lbzip2 nor bzip2 is installed')
}

function run(args: string[]): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn(bzip2Program(), args, { stdio: ['pipe', 'pipe', 'pipe'] })
}

/** Result of a decompression: the error text when the input is not valid bzip2. */
export interface Bunzip2Outcome {
  ok: boolean
  error?: string
}

/**
 * Decompresses `input` (a file path) and hands the decompressed stream to `consume`. Resolves with
 * ok:false (never rejects) when the file is not valid bzip2, after `consume` has seen what could be read.
 */
export async function bunzip2File(
  input: string,
  consume: (out: Readable) => Promise<void>,
): Promise<Bunzip2Outcome> {
  const child = run(['-d', '-c'])
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const feeding = pipeline(createReadStream(input), child.stdin).catch(() => undefined)
  let consumeError: unknown
  await consume(child.stdout).catch((e) => {
    consumeError = e
    child.kill()
  })
  await feeding
  const code = await exited
  if (consumeError) throw consumeError
  return code === 0
    ? { ok: true }
    : { ok: false, error: stderr.trim().split('\n').pop() || `bzip2 exited with ${code}` }
}

/** A writable stream that bzip2-compresses into `output`; await `done` after ending it. */
export function bzip2Writer(output: string, level = 6): { stream: Writable; done: Promise<void> } {
  const child = run([`-${level}`, '-c'])
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const written = pipeline(child.stdout, createWriteStream(output))
  const exited = new Promise<void>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new OpenCatError('OCAT_ERR_SYS_BZIP2_FAILED', stderr.trim() || `exit ${code}`)),
    ),
  )
  return { stream: child.stdin, done: Promise.all([written, exited]).then(() => undefined) }
}

/** Compresses a whole buffer (small files: metadata tests, feedback error files). */
export function bzip2Buffer(data: Buffer | string, level = 6): Buffer {
  const r = spawnSync(bzip2Program(), [`-${level}`, '-c'], { input: data, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new OpenCatError('OCAT_ERR_SYS_BZIP2_FAILED', r.stderr.toString().trim())
  return r.stdout
}

/**
 * Decompresses a buffer, giving up as soon as the output passes `maxBytes` (a tiny file can expand to
 * gigabytes): tooLarge then, ok:false with the decompressor's complaint when it is not valid bzip2.
 */
export async function bunzip2BufferCapped(
  data: Buffer,
  maxBytes: number,
): Promise<{ ok: true; data: Buffer } | { ok: false; tooLarge?: true; error: string }> {
  const child = run(['-d', '-c'])
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = false
  child.stdout.on('data', (d: Buffer) => {
    if (tooLarge) return
    size += d.length
    if (size > maxBytes) {
      tooLarge = true
      chunks.length = 0
      child.kill()
    } else chunks.push(d)
  })
  // The decompressor stops reading when it refuses the input or is stopped: that is not an error here.
  child.stdin.on('error', () => undefined)
  child.stdin.end(data)
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  if (tooLarge) return { ok: false, tooLarge: true, error: `more than ${maxBytes} bytes decompressed` }
  if (code !== 0) return { ok: false, error: stderr.trim().split('\n').pop() || `bzip2 exited with ${code}` }
  return { ok: true, data: Buffer.concat(chunks, size) }
}

/** Decompresses a whole buffer; ok:false when it is not valid bzip2. */
export function bunzip2Buffer(data: Buffer): { ok: true; data: Buffer } | { ok: false; error: string } {
  const r = spawnSync(bzip2Program(), ['-d', '-c'], { input: data, maxBuffer: 1 << 30 })
  if (r.status !== 0) return { ok: false, error: r.stderr.toString().trim() || `exit ${r.status}` }
  return { ok: true, data: r.stdout }
}
