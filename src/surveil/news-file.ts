/**
 * The news a trading-ahead-of-news surveillance reads: NDJSON, one `{symbol, time, headline}` a line, the
 * time as ns since the epoch (a decimal string or an integer) or an Eastern wall-clock time / CAT
 * timestamp; `timestamp` is taken as another name for `time`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { OpenCatError } from '../common/errors.ts'
import { isoOrCatToNs } from '../common/time/parse-instant.ts'

/** One news item. */
export interface NewsItem {
  readonly symbol: string
  readonly ns: bigint
  readonly headline: string
}

/** Reads a news file; a bad line is refused with its number and field. */
export function readNewsFile(file: string): NewsItem[] {
  if (!existsSync(file)) throw new OpenCatError('OCAT_ERR_INPUT_NOT_FOUND', `${file}: no such news file`)
  const out: NewsItem[] = []
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.forEach((text, i) => {
    if (text.trim() === '') return
    const where = `${file}:${i + 1}`
    let item: Record<string, unknown>
    try {
      item = JSON.parse(text) as Record<string, unknown>
    } catch {
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${where}: not a JSON object`)
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${where}: not a JSON object`)
    if (typeof item.symbol !== 'string' || item.symbol === '')
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${where}: symbol must be a non-empty string`)
    const time = item.time ?? item.timestamp
    let ns: bigint
    if (typeof time === 'number' && Number.isSafeInteger(time)) ns = BigInt(time)
    else if (typeof time === 'string' && /^[0-9]{1,20}$/.test(time)) ns = BigInt(time)
    else if (typeof time === 'string') {
      try {
        ns = isoOrCatToNs(time)
      } catch {
        throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${where}: time "${time}" is not an instant`)
      }
    } else throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${where}: time is missing`)
    out.push({ symbol: item.symbol, ns, headline: typeof item.headline === 'string' ? item.headline : '' })
  })
  return out
}
