/**
 * The access log: every regulator query and every PII reveal, appended as one JSON line that carries the
 * hash of the line before it, so removing or editing a line breaks the chain. It names customers by CCID
 * only, never by personal data.
 */
import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RepoPaths } from './paths.ts'

/** One logged access. */
export interface AccessEntry {
  readonly user: string
  readonly action: string
  readonly subject: string
  readonly reason?: string
  readonly rows?: number
  readonly pii?: boolean
}

function logPath(paths: RepoPaths): string {
  return join(paths.log, 'access.ndjson')
}

function lastHash(path: string): string {
  if (!existsSync(path)) return '0'.repeat(64)
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
  const last = lines[lines.length - 1]
  return last ? (JSON.parse(last) as { hash: string }).hash : '0'.repeat(64)
}

/** Appends an entry to the access log. */
export function logAccess(
  paths: RepoPaths,
  entry: AccessEntry,
  atNs = BigInt(Date.now()) * 1_000_000n,
): void {
  mkdirSync(paths.log, { recursive: true })
  const path = logPath(paths)
  const prev = lastHash(path)
  const body = { at: atNs.toString(), ...entry, prev }
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex')
  appendFileSync(path, `${JSON.stringify({ ...body, hash })}\n`)
}

/** Reads the access log and checks its chain; `brokenAt` is the first line that does not follow. */
export function readAccessLog(paths: RepoPaths): {
  entries: (AccessEntry & { at: string })[]
  brokenAt?: number
} {
  const path = logPath(paths)
  if (!existsSync(path)) return { entries: [] }
  const entries: (AccessEntry & { at: string })[] = []
  let prev = '0'.repeat(64)
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
  for (let i = 0; i < lines.length; i++) {
    const { hash, ...body } = JSON.parse(lines[i]) as { hash: string; prev: string } & AccessEntry & {
        at: string
      }
    if (body.prev !== prev || createHash('sha256').update(JSON.stringify(body)).digest('hex') !== hash)
      return { entries, brokenAt: i + 1 }
    entries.push(body)
    prev = hash
  }
  return { entries }
}
