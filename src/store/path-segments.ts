/**
 * Identifiers that become parts of a path (venues, reporters, symbols, dates, submitters), checked before any
 * file is touched. Everything that builds a path from an identifier goes through here, so a request naming
 * `../../tmp/x` is refused as a bad identifier instead of reaching the file system.
 */
import { OpenCatError } from '../common/errors.ts'

/** Exchange IDs and IMIDs: alphanumeric, at most 7 characters (docs/formats/reference.md). */
const REPORTER = /^[A-Za-z0-9]{1,7}$/
/** The symbol master's symbols: printable ASCII, at most 22 characters. */
const SYMBOL = /^[\x20-\x7e]{1,22}$/

function bad(kind: string, value: unknown, rule: string): never {
  throw new OpenCatError(
    'OCAT_ERR_BAD_IDENTIFIER',
    `${kind} ${JSON.stringify(value)} is not valid: ${rule}`,
    {
      field: kind,
    },
  )
}

/** A venue (Exchange ID) or reporter (IMID) as a path segment. */
export function reporterSegment(value: string, kind = 'reporter'): string {
  if (!REPORTER.test(value)) bad(kind, value, 'an Exchange ID or IMID is 1 to 7 letters and digits')
  return value
}

/** A symbol as one file-name-safe segment: checked against the symbol master's form, then escaped. */
export function symbolSegment(value: string): string {
  if (!SYMBOL.test(value)) bad('symbol', value, 'a symbol is 1 to 22 printable ASCII characters')
  // Escaping leaves letters, digits and - _ . ! ~ * ' ( ); a segment of dots alone would still name a folder.
  const escaped = encodeURIComponent(value)
  return /^\.+$/.test(escaped) ? escaped.replaceAll('.', '%2E') : escaped
}

/** An event date (YYYYMMDD) as a path segment. */
export function dateSegment(value: number): string {
  const month = Math.floor(value / 100) % 100
  const day = value % 100
  if (
    !Number.isInteger(value) ||
    value < 19000101 ||
    value > 99991231 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31
  )
    bad('date', value, 'a date is YYYYMMDD')
  return String(value)
}

/** A CAT Submitter ID (an unsigned whole number) as a path segment. */
export function submitterSegment(value: string | number): string {
  const text = String(value)
  if (!/^[0-9]{1,12}$/.test(text)) bad('submitter', value, 'a Submitter ID is a whole number')
  return text
}
