/**
 * Every CAT code a repository sent back, read the way a reporter reads it: the feedback files of each
 * submitter (a file's `code` and its metadata blocks' codes) and the bzip2 error data files (each line's
 * `errorCode`), JSON or CSV.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { readFeedback } from '../../src/intake/feedback.ts'

/** The codes of one feedback file, or of one line of an error data file. */
export interface SentCodes {
  /** The feedback or error file's name. */
  readonly file: string
  readonly codes: number[]
  /** For error lines: the errorROEID (file id × 2^32 + line of the rejected record). */
  readonly errorROEID?: bigint
}

function feedbackCodes(file: string, text: string): SentCodes {
  if (file.endsWith('.csv')) {
    // CSV feedback is positional with absent fields left out: its messages ("2151: …") name the codes.
    return { file, codes: [...text.matchAll(/(?:^|[,|])(\d{3,5}): /g)].map((m) => Number(m[1])) }
  }
  const parsed = readFeedback(text)
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`)
  const f = parsed.fields as { code?: number[]; errorDetails?: { code?: number[] }[] }
  return { file, codes: [...(f.code ?? []), ...(f.errorDetails ?? []).flatMap((d) => d.code ?? [])] }
}

function errorLines(file: string, data: Buffer): SentCodes[] {
  const r = bunzip2Buffer(data)
  if (!r.ok) throw new Error(`${file} is not bzip2`)
  const text = (r as { data: Buffer }).data.toString().trim()
  if (text === '') return []
  return text.split('\n').map((line) => {
    if (file.includes('.csv')) {
      const [codes, , roe] = line.split(',')
      return { file, codes: codes.split('|').map(Number), errorROEID: BigInt(roe) }
    }
    const l = JSON.parse(line) as { errorCode: number[] }
    // Read from the text: an errorROEID may pass the integers a JSON number holds exactly.
    const roe = /"errorROEID":([0-9]+)/.exec(line)?.[1]
    return { file, codes: l.errorCode, ...(roe !== undefined ? { errorROEID: BigInt(roe) } : {}) }
  })
}

/** Every feedback file and error line under the repository's `feedback/` folder. */
export function sentCodes(repoRoot: string): SentCodes[] {
  const out: SentCodes[] = []
  const base = join(repoRoot, 'feedback')
  if (!existsSync(base)) return out
  for (const submitter of readdirSync(base)) {
    const fb = join(base, submitter, 'feedback')
    if (existsSync(fb))
      for (const f of readdirSync(fb).filter((n) => !/\.(ack\.error|success)$/.test(n)))
        out.push(feedbackCodes(f, readFileSync(join(fb, f), 'utf8')))
    const errors = join(base, submitter, 'errors')
    if (existsSync(errors))
      for (const f of readdirSync(errors)) out.push(...errorLines(f, readFileSync(join(errors, f))))
  }
  return out
}

/** The line of its data file an error line's errorROEID names. */
export function lineOf(errorROEID: bigint): number {
  return Number(errorROEID & 0xffffffffn)
}
