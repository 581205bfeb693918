/**
 * Writes the generated documentation: docs/formats/events.md (every event layout of every catalogue
 * version) and docs/errors.md (OpenCAT failure codes). `npm run docs`; a test fails when they are stale.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { renderErrorsDoc, renderEventsDoc } from '../src/catalogue/docs.ts'
import { OCAT_ERRORS } from '../src/common/errors.ts'

const root = resolve(import.meta.dirname, '..')
writeFileSync(resolve(root, 'docs/formats/events.md'), renderEventsDoc())
writeFileSync(resolve(root, 'docs/errors.md'), renderErrorsDoc(OCAT_ERRORS))
console.log('wrote docs/formats/events.md and docs/errors.md')
