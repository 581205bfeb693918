/** Larger submissions built from the fixture records, for crash, concurrency and fuzz tests. */
import { BASE } from './fixtures.ts'
import { recordWith } from './ingest.ts'
import { writeSubmission } from './submission.ts'

const TYPES = ['MENO', 'MEOR', 'MEOC', 'MEOT', 'MEOA', 'MEOM']

/** `n` records of reporter ALDR with unique ids; every `badEvery`-th one has an invalid side. */
export function bulkLines(n: number, prefix: string, badEvery = 0): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const t = TYPES[i % TYPES.length]
    const set: Record<string, unknown> = { firmROEID: `20260302_${prefix}${i}` }
    if ('orderID' in BASE[t]) set.orderID = `${prefix}O${i}`
    if ('tradeID' in BASE[t]) set.tradeID = `${prefix}T${i}`
    if (badEvery > 0 && i % badEvery === 0 && 'side' in BASE[t]) set.side = 'Buy'
    out.push(recordWith(BASE[t], set))
  }
  return out
}

/** Writes `files` data files of `perFile` records (plus metadata) into `dir`. */
export function writeBulk(dir: string, files: number, perFile: number, firstNumber = 1): void {
  for (let f = 0; f < files; f++) {
    const number = firstNumber + f
    writeSubmission(dir, { number, lines: bulkLines(perFile, `F${number}_`, 97) })
  }
}
