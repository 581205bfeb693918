/**
 * The commands that read what the repository holds for a regulator, and the access-log entry each run
 * of them leaves — answered, refused or not found — beside any entry the command writes about what it read.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { logAccess } from '../store/access-log.ts'
import { RepoPaths } from '../store/paths.ts'
import type { ParsedArgs } from './command.ts'
import { runUser } from './identity.ts'

/** Commands whose every run is written to the access log. */
export const LOGGED_READS: ReadonlySet<string> = new Set([
  'lifecycle',
  'search',
  'browse',
  'market',
  'report-card',
  'customer',
  'bluesheet',
  'book',
  'nbbo',
  'replay',
  'export',
  'sql',
  'extract',
  'surveil',
])

// Where the log is and how output looks say nothing of what was read; credentials never go into a log.
const NOT_LOGGED_OPTIONS = new Set(['repo', 'json', 'help', 'keys', 'token', 'password', 'code'])

/** Logs one run of a logged read: the command, its arguments, its exit status and failure code. */
export function logCommandRun(
  name: string,
  args: ParsedArgs,
  outcome: { readonly status: number; readonly failure?: unknown },
): void {
  const repo = args.options.repo
  if (!LOGGED_READS.has(name) || typeof repo !== 'string') return
  const paths = new RepoPaths(resolve(repo))
  // No repository there: nothing was read, and there is no log to write to.
  if (!existsSync(paths.manifest)) return
  const subject = [
    ...args.positionals,
    ...Object.entries(args.options)
      .filter(([k, v]) => !NOT_LOGGED_OPTIONS.has(k) && v !== undefined && v !== false)
      .map(([k, v]) => (v === true ? `--${k}` : `--${k} ${Array.isArray(v) ? v.join(',') : v}`)),
  ].join(' ')
  logAccess(paths, {
    user: runUser(args),
    action: `cli ${name}`,
    subject,
    status: outcome.status,
    ...(outcome.failure === undefined
      ? {}
      : {
          error: outcome.failure instanceof OpenCatError ? outcome.failure.code : 'OCAT_ERR_INTERNAL',
        }),
  })
}
