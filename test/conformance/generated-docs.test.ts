/** Generated docs are committed; they must match what the catalogue and registries produce now. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderErrorsDoc, renderEventsDoc } from '../../src/catalogue/docs.ts'
import { OCAT_ERRORS } from '../../src/common/errors.ts'
import { renderParametersDoc } from '../../src/surveil/parameters-doc.ts'
import { renderRulesDoc } from '../../src/validate/rules-doc.ts'
import { PROJECT_ROOT } from '../support/shared.ts'

describe('generated documentation', () => {
  it('docs/formats/events.md is current (run `npm run docs`)', () => {
    expect(readFileSync(resolve(PROJECT_ROOT, 'docs/formats/events.md'), 'utf8')).toBe(renderEventsDoc())
  })
  it('docs/validation-rules.md is current (run `npm run docs`)', () => {
    expect(readFileSync(resolve(PROJECT_ROOT, 'docs/validation-rules.md'), 'utf8')).toBe(renderRulesDoc())
  })
  it('docs/surveillance-parameters.md is current (run `npm run docs`)', () => {
    expect(readFileSync(resolve(PROJECT_ROOT, 'docs/surveillance-parameters.md'), 'utf8')).toBe(
      renderParametersDoc(),
    )
  })
  it('docs/errors.md is current and lists every OCAT_ERR code (run `npm run docs`)', () => {
    const doc = readFileSync(resolve(PROJECT_ROOT, 'docs/errors.md'), 'utf8')
    expect(doc).toBe(renderErrorsDoc(OCAT_ERRORS))
    for (const code of Object.keys(OCAT_ERRORS)) expect(doc).toContain(`\`${code}\``)
  })
})
