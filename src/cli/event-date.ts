/** The event date a query command is asked about. */
import { OpenCatError } from '../common/errors.ts'
import { isoToDate, parseCatDate } from '../common/time/cat-date.ts'

/** An event date given as YYYY-MM-DD or YYYYMMDD, as a CAT date number; a usage error otherwise. */
export function eventDate(text: string): number {
  const d = isoToDate(text) ?? parseCatDate(text)
  if (d === null) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `"${text}" is not a date: use YYYY-MM-DD`)
  return d
}
