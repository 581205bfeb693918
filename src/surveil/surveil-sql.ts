/** The SQL files of the surveillance stage, read once and filled with a run's values. */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type SqlValues, sqlTemplates } from '../common/sql-templates.ts'

const template = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'surveil')

/** The statements of `sql/<name>.sql` with every `{{KEY}}` replaced; a placeholder left unfilled is a bug. */
export function surveilSql(name: string, values: SqlValues = {}): string[] {
  // Statements end a line with ';' (none of the files has one inside a literal).
  return template(name, values)
    .split(/;\s*\n/)
    .map((s) => s.replace(/;\s*$/, '').trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '')
}
