import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LINKAGE_FILES } from './linkage-columns.ts'

const DOC = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats', 'linkage.md'),
  'utf8',
)

describe('docs/formats/linkage.md', () => {
  it('documents every file and column a run writes', () => {
    const missing: string[] = []
    for (const [table, columns] of Object.entries(LINKAGE_FILES)) {
      const section = DOC.split(`### ${table}\n`)[1]?.split('\n### ')[0]
      if (!section) {
        missing.push(table)
        continue
      }
      for (const c of columns)
        if (!section.includes(`| \`${c.name}\` | ${c.sqlType} |`)) missing.push(`${table}.${c.name}`)
    }
    expect(missing).toEqual([])
  })
})
