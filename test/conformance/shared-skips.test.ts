/**
 * Without the shared reference data, the tests that need it skip — and say so where a developer reads
 * vitest's output, with the path they looked for and the OPENCAT_SHARED hint (the summary alone only
 * counts skipped tests).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../support/shared.ts'

const VITEST = join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs')

/** Test files that read shared data. */
const readers = readdirSync(join(PROJECT_ROOT, 'test'), { recursive: true })
  .map(String)
  .filter((p) => p.endsWith('.test.ts'))
  .filter((p) => /\bsharedFile\(/.test(readFileSync(join(PROJECT_ROOT, 'test', p), 'utf8')))
  .map((p) => `test/${p}`)

describe('tests that need the shared reference data', () => {
  it('all find it through sharedFile, which reports what is missing', () => {
    expect(readers.length).toBeGreaterThan(3)
  })

  it('print why they skip, and the OPENCAT_SHARED hint, when the data is absent', () => {
    const nowhere = join(mkdtempSync(join(tmpdir(), 'opencat-no-shared-')), 'shared')
    // The cheapest readers: the ones without a simulated day or a repository to build.
    const files = readers.filter((p) => /cat-codes|catalogue-schema|feedback-samples/.test(p))
    expect(files.length).toBeGreaterThan(0)
    const run = spawnSync(process.execPath, [VITEST, 'run', ...files], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, OPENCAT_SHARED: nowhere, CI: '1', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    })
    const output = `${run.stdout}${run.stderr}`
    expect(run.status, output).toBe(0)
    for (const f of files) {
      expect(output).toContain(f)
      expect(output).toMatch(
        new RegExp(`skipped: reference file ${nowhere.replaceAll('/', '\\/')}\\/\\S+ is not on this machine`),
      )
    }
    expect(output).toContain('set OPENCAT_SHARED')
  }, 120_000)
})
