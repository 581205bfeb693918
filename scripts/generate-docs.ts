/**
 * Writes the generated documentation: docs/formats/events.md (every event layout of every catalogue
 * version), docs/errors.md (failure codes and CAT codes), docs/validation-rules.md (every rule) and
 * docs/surveillance-parameters.md (every detector parameter). `npm run docs`; a test fails when they are stale.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { renderErrorsDoc, renderEventsDoc } from '../src/catalogue/docs.ts'
import { OCAT_ERRORS } from '../src/common/errors.ts'
import { renderParametersDoc } from '../src/surveil/parameters-doc.ts'
import { renderRulesDoc } from '../src/validate/rules-doc.ts'

const root = resolve(import.meta.dirname, '..')
writeFileSync(resolve(root, 'docs/formats/events.md'), renderEventsDoc())
writeFileSync(resolve(root, 'docs/errors.md'), renderErrorsDoc(OCAT_ERRORS))
writeFileSync(resolve(root, 'docs/validation-rules.md'), renderRulesDoc())
writeFileSync(resolve(root, 'docs/surveillance-parameters.md'), renderParametersDoc())
console.log(
  'wrote docs/formats/events.md, docs/errors.md, docs/validation-rules.md and docs/surveillance-parameters.md',
)
