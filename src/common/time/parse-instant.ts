/**
 * Instants typed by people on the command line: `YYYY-MM-DDTHH:MM:SS[.fffffffff]` in Eastern Time, a CAT
 * timestamp (`YYYYMMDD HHMMSS.fff` or epoch nanoseconds), or a date alone (midnight ET).
 */
import { OpenCatError } from '../errors.ts'
import { parseCatTimestamp } from './cat-timestamp.ts'

/** Parses an instant given on the command line to epoch nanoseconds; throws a usage error if it is not one. */
export function isoOrCatToNs(text: string): bigint {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?$/.exec(text.trim())
  const catText = iso
    ? `${iso[1]}${iso[2]}${iso[3]}T${iso[4] ?? '00'}${iso[5] ?? '00'}${iso[6] ?? '00'}${iso[7] ?? ''}`
    : text.trim()
  const parsed = parseCatTimestamp(catText, /^[0-9]{10,20}$/.test(catText))
  if (!parsed.ok) {
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `"${text}" is not a time: use YYYY-MM-DDTHH:MM:SS[.fffffffff] (Eastern Time) or a CAT timestamp`,
    )
  }
  return parsed.ns
}
