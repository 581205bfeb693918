/**
 * Files uploaded through the portal: the request body is streamed to a private temporary folder (never
 * held in memory, cut off at the size limit), then handed to `opencat submit` in a child process — the
 * command's own intake path (acknowledgement, integrity, ingestion, due linkage and surveillance), taking
 * the repository lock as it does. A child process, because intake writes the catalogue that the portal's
 * pool holds open read-only, and because ingestion is work the portal's main thread must not do while
 * other requests wait.
 */
import { execFile } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { OpenCatError } from '../common/errors.ts'

/** The request body of an upload in the OpenAPI document: the file's bytes. */
export const UPLOAD_BODY = {
  content: {
    'application/octet-stream': {
      schema: {
        type: 'string',
        contentMediaType: 'application/octet-stream',
        description: "The file's bytes",
      },
    },
  },
} as const

/** Default largest upload: 1 GiB. */
export const UPLOAD_LIMIT_BYTES = 1024 ** 3

/** The `opencat` command this portal runs from (the sources' and the bundle's folders both sit below it). */
function opencatBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const bin = join(dir, 'bin', 'opencat.js')
    if (existsSync(bin)) return bin
    const up = dirname(dir)
    if (up === dir) throw new Error('bin/opencat.js not found above the portal code')
    dir = up
  }
}

function tooLarge(limit: number): OpenCatError {
  return new OpenCatError(
    'OCAT_ERR_HTTP_TOO_LARGE',
    `the file is larger than the portal's upload limit of ${limit} bytes`,
    { limitBytes: limit },
  )
}

/**
 * Streams a request body into `file`, refusing it (413) once it passes `limit` bytes. The rest of a body
 * past the limit is read and dropped, not written, so the client gets its answer instead of a reset.
 */
async function receive(body: Readable, file: string, limit: number): Promise<number> {
  let size = 0
  const counted = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length
      if (size <= limit) yield chunk
    }
  }
  try {
    await pipeline(body, counted, createWriteStream(file, { mode: 0o600 }))
  } catch (e) {
    // The client went away mid-body: nothing of the file is taken in (the caller removes what was written).
    const code = (e as NodeJS.ErrnoException).code
    if (
      code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      code === 'ECONNRESET' ||
      /aborted/i.test((e as Error).message)
    )
      throw new OpenCatError(
        'OCAT_ERR_HTTP_REQUEST',
        `the upload was cut off after ${size} bytes; send it again`,
      )
    throw e
  }
  if (size > limit) throw tooLarge(limit)
  return size
}

/** What `opencat submit --json` prints of a file (the parts the portal answers with). */
export interface SubmittedFile {
  readonly fileId: number
  readonly name: string
  readonly role: string
  readonly kind: string | null
  readonly status: string
  readonly codes: number[]
  readonly records?: number
  readonly accepted?: number
  readonly rejected?: number
  readonly retry?: boolean
  readonly note?: string
}

/** What `opencat submit --json` prints of a run (the parts the portal answers with). */
export interface SubmitRun {
  readonly files: readonly SubmittedFile[]
  readonly linkage: readonly { readonly eventDate: number }[]
  readonly surveillance: readonly { readonly date: number }[]
}

/** What one upload gave: the summary of the submit run that took it in. */
export interface Uploaded {
  readonly bytes: number
  readonly summary: SubmitRun
}

/**
 * Takes one uploaded file in: `name` must already be checked (a CAT file name, no path), `declared` is the
 * request's content-length when it gave one.
 */
export async function takeUpload(
  repo: string,
  submitter: string,
  name: string,
  body: Readable,
  options: { limit: number; declared?: number },
): Promise<Uploaded> {
  if (options.declared !== undefined && options.declared > options.limit) throw tooLarge(options.limit)
  // mkdtemp makes the folder 0700: the file is this process's user's alone until intake copies it.
  const dir = mkdtempSync(join(tmpdir(), 'opencat-upload-'))
  try {
    const file = join(dir, name)
    const bytes = await receive(body, file, options.limit)
    const summary = await runSubmit(repo, submitter, file)
    return { bytes, summary }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function runSubmit(repo: string, submitter: string, file: string): Promise<SubmitRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [opencatBin(), 'submit', '--repo', repo, '--submitter', submitter, '--web-upload', '--json', file],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? ''
        let parsed: (SubmitRun & { code?: string; message?: string }) | undefined
        try {
          parsed = JSON.parse(line)
        } catch {
          parsed = undefined
        }
        if (!error && parsed?.files) return resolve(parsed)
        if (parsed?.code === 'OCAT_ERR_REPO_LOCKED' || parsed?.code === 'OCAT_ERR_REPO_STORAGE')
          return reject(new OpenCatError(parsed.code, parsed.message ?? 'intake stopped'))
        reject(
          new Error(`submit of an upload failed: ${parsed?.message ?? (stderr.trim() || error?.message)}`),
        )
      },
    )
  })
}
