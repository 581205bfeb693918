/**
 * What a request reads, named so that the connection pool can tell a question asked before (its lane then
 * follows that question's latest answer, `Route.question`). Parameters are read as sent: a key that names
 * the same question twice differently only costs that question its history.
 */

import { etDateOf, isoToDate } from '../common/time/cat-date.ts'
import { isoOrCatToNs } from '../common/time/parse-instant.ts'

/** The Eastern Time date (YYYYMMDD) of an instant or date parameter in any form the routes take, or ''. */
function dateOf(value: string | null): string {
  if (!value) return ''
  const date = isoToDate(value)
  if (date !== null) return String(date)
  try {
    return String(etDateOf(isoOrCatToNs(value)))
  } catch {
    // The route itself refuses the parameter; a request that asks nothing nameable has no question.
    return ''
  }
}

/** A symbol's day (books, NBBO, market windows, replay keep it in memory once read). */
export function symbolDayQuestion(query: URLSearchParams): string | undefined {
  const symbol = query.get('symbol')
  const date = dateOf(query.get('at') ?? query.get('date'))
  return symbol && date ? `${symbol}@${date}` : undefined
}

/**
 * One page of one customer (a CCID, a large trader id, or a reporter's FDID) over dates: each page is its own
 * answer, kept in memory apart from the others, so a page asked before is quick and a new one is not.
 */
export function customerQuestion(query: URLSearchParams): string | undefined {
  const who =
    query.get('ccid') ??
    query.get('ltid') ??
    (query.get('reporter') && query.get('fdid') ? `${query.get('reporter')}:${query.get('fdid')}` : null)
  return who
    ? `${who}@${dateOf(query.get('from'))}-${dateOf(query.get('to'))}#${query.get('limit') ?? ''}/${query.get('after') ?? ''}`
    : undefined
}

/** One symbol over dates (blue sheets). */
export function symbolDatesQuestion(query: URLSearchParams): string | undefined {
  const symbol = query.get('symbol')
  return symbol ? `${symbol}@${dateOf(query.get('from'))}-${dateOf(query.get('to'))}` : undefined
}

/** The one question a route asks (the summary: the same for every caller, kept once answered). */
export const onlyQuestion = (): string => ''
