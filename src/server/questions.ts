/**
 * What a request reads, named so that the connection pool can tell a question asked before (its lane then
 * follows that question's latest answer, `Route.question`). Parameters are read as sent: a key that names
 * the same question twice differently only costs that question its history.
 */

/** The date digits (YYYYMMDD) an instant or date parameter starts with: ISO and CAT forms alike. */
function dateOf(value: string | null): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value ?? '')
  return m ? `${m[1]}${m[2]}${m[3]}` : ''
}

/** A symbol's day (books, NBBO, market windows, replay keep it in memory once read). */
export function symbolDayQuestion(query: URLSearchParams): string | undefined {
  const symbol = query.get('symbol')
  const date = dateOf(query.get('at') ?? query.get('date'))
  return symbol && date ? `${symbol}@${date}` : undefined
}

/** One customer (a CCID, a large trader id, or a reporter's FDID) over dates. */
export function customerQuestion(query: URLSearchParams): string | undefined {
  const who =
    query.get('ccid') ??
    query.get('ltid') ??
    (query.get('reporter') && query.get('fdid') ? `${query.get('reporter')}:${query.get('fdid')}` : null)
  return who ? `${who}@${dateOf(query.get('from'))}-${dateOf(query.get('to'))}` : undefined
}

/** One symbol over dates (blue sheets). */
export function symbolDatesQuestion(query: URLSearchParams): string | undefined {
  const symbol = query.get('symbol')
  return symbol ? `${symbol}@${dateOf(query.get('from'))}-${dateOf(query.get('to'))}` : undefined
}
