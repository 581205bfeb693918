/**
 * Instants typed by people on the command line and in API queries: `YYYY-MM-DDTHH:MM[:SS[.fffffffff]]` in
 * Eastern Time, or a CAT timestamp (`YYYYMMDD HHMMSS.fff` or epoch nanoseconds). A date alone is refused:
 * read as midnight it would silently answer for a time nobody asked about.
 */
import { OpenCatError } from '../errors.ts'
import { parseCatTimestamp } from './cat-timestamp.ts'

const FORMS = 'use YYYY-MM-DDTHH:MM:SS[.fffffffff] (Eastern Time) or a CAT timestamp'

/** Parses an instant to epoch nanoseconds; throws a usage error if it is not one, or only a date. */
export function isoOrCatToNs(text: string): bigint {
  const trimmed = text.trim()
  if (/^(\d{4}-\d{2}-\d{2}|\d{8})$/.test(trimmed)) {
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `"${text}" is a date, not an instant: give the time too, e.g. ${trimmed}${trimmed.includes('-') ? 'T' : ' '}${trimmed.includes('-') ? '09:30:00' : '093000'} (Eastern Time)`,
    )
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/.exec(trimmed)
  const catText = iso
    ? `${iso[1]}${iso[2]}${iso[3]}T${iso[4]}${iso[5]}${iso[6] ?? '00'}${iso[7] ?? ''}`
    : trimmed
  const parsed = parseCatTimestamp(catText, /^[0-9]{10,20}$/.test(catText))
  if (!parsed.ok)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `"${text}" is not a time (${parsed.reason}): ${FORMS}`)
  return parsed.ns
}
