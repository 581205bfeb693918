/** The SQL files of the surveillance stage, read once and filled with a run's values. */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql')
const cache = new Map<string, string>()

/** The statements of `sql/<name>.sql` with every `{{KEY}}` replaced; a placeholder left unfilled is a bug. */
export function surveilSql(
  name: string,
  values: Readonly<Record<string, string | number | bigint | boolean>> = {},
): string[] {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8')
    cache.set(name, text)
  }
  const filled = text.replace(/\{\{([A-Z_]+)\}\}/g, (m, key: string) => {
    const v = values[key]
    if (v === undefined) throw new Error(`surveil: ${name}.sql needs a value for ${m}`)
    return String(v)
  })
  // Statements end a line with ';' (none of the files has one inside a literal).
  return filled
    .split(/;\s*\n/)
    .map((s) => s.replace(/;\s*$/, '').trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '')
}
