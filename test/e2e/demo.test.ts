/**
 * The main job (`npm start` runs `opencat demo --serve`): a small simulated day through the whole
 * pipeline, its summary, and the commands it suggests next, which must work on what it built.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.ts'

describe('opencat demo', () => {
  it('runs a simulated day through intake and linkage, and its suggestions answer', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'opencat-demo-')), 'demo')
    const args = ['--out', out, '--orders', '400', '--date', '2026-03-02']
    const r = await runCli(['demo', ...args, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.submit.accepted).toBeGreaterThan(1000)
    expect(result.submit.accepted).toBeLessThanOrEqual(result.simulation.events)
    expect(result.link.lifecycles).toBeGreaterThan(100)
    const reporters = new Set(result.lifecycle.events.map((e: { reporter: string }) => e.reporter))
    expect(reporters.size).toBeGreaterThan(1)
    expect(result.market).toMatchObject({ venue: expect.any(String), symbol: expect.any(String) })

    // The text form prints the suggestions; each one runs on the repository the demo made.
    const text = await runCli(['demo', ...args])
    expect(text.code, text.stderr).toBe(0)
    const suggestions = text.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('npx opencat '))
      .map((l) => l.trim().split(/\s+/).slice(2))
    expect(suggestions.map((s) => s[0])).toEqual(
      expect.arrayContaining(['lifecycle', 'report-card', 'link', 'book', 'replay', 'verify-receipt']),
    )
    for (const s of suggestions) {
      const run = await runCli(s)
      expect(run.code, `${s.join(' ')}: ${run.stderr}`).toBe(0)
    }
  }, 300_000)
})
