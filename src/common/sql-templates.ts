/** A stage's SQL files, read once and filled with a run's values (`{{KEY}}` placeholders). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type SqlValues = Readonly<Record<string, string | number | bigint | boolean>>

/** A reader of `<dir>/<name>.sql`: the text with every `{{KEY}}` replaced; a placeholder left unfilled is a bug. */
export function sqlTemplates(dir: string, stage: string): (name: string, values?: SqlValues) => string {
  const cache = new Map<string, string>()
  return (name, values = {}) => {
    let text = cache.get(name)
    if (text === undefined) {
      text = readFileSync(join(dir, `${name}.sql`), 'utf8')
      cache.set(name, text)
    }
    return text.replace(/\{\{([A-Z_]+)\}\}/g, (m, key: string) => {
      const v = values[key]
      if (v === undefined) throw new Error(`${stage}: ${name}.sql needs a value for ${m}`)
      return String(v)
    })
  }
}
