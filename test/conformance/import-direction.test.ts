/** Stages import only from stages before them: the data flows one way. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../support/shared.ts'

// Rank of each stage folder; a file may import from folders of equal or lower rank.
const RANK: Record<string, number> = {
  common: 0,
  catalogue: 1,
  codec: 2,
  simulate: 3,
  store: 3,
  intake: 4,
  // After the store, beside intake (neither imports the other).
  access: 4,
  validate: 5,
  link: 6,
  identity: 7,
  book: 8,
  surveil: 9,
  query: 10,
  server: 11,
  web: 12,
  pipeline: 13,
  cli: 14,
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
}

describe('import direction', () => {
  it('no stage imports a later stage (and simulate and store do not import each other)', () => {
    const src = join(PROJECT_ROOT, 'src')
    const wrong: string[] = []
    for (const file of files(src)) {
      const stage = relative(src, file).split('/')[0]
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/from '(\.\.\/)+([a-z-]+)\//g)) {
        const target = m[2]
        if (!(target in RANK) || target === stage) continue
        const sideways = RANK[target] === RANK[stage]
        if (RANK[target] > RANK[stage] || sideways) wrong.push(`${relative(src, file)} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })
})
