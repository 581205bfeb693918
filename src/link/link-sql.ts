/** The SQL files of the linkage stage, read once and filled with a run's values. */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqlTemplates } from '../common/sql-templates.ts'

/** The text of `sql/<name>.sql` with every `{{KEY}}` replaced; a placeholder left unfilled is a bug. */
export const linkSql = sqlTemplates(join(dirname(fileURLToPath(import.meta.url)), 'sql'), 'link')
