/**
 * A time of day on a date, as the market commands and the portal's windows take it; pure, so the web UI
 * computes a window's instants exactly as the server does.
 */
import { OpenCatError } from '../errors.ts'
import { dateToIso } from './cat-date.ts'
import { etWallToUtcNs } from './eastern.ts'

/** `HH:MM[:SS[.fffffffff]]` Eastern Time on a date, as UTC ns. */
export function clockOn(date: number, clock: string): bigint {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(clock.trim())
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `"${clock}" is not a time of day: use HH:MM:SS[.fffffffff] (Eastern Time on ${dateToIso(date)})`,
    )
  return etWallToUtcNs(
    Math.floor(date / 10000),
    Math.floor(date / 100) % 100,
    date % 100,
    Number(m[1]),
    Number(m[2]),
    Number(m[3] ?? 0),
    Number((m[4] ?? '').padEnd(9, '0')),
  )
}
