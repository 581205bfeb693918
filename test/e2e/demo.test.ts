/**
 * The main job (`npm start` runs `opencat demo --serve`): a small simulated day through the whole
 * pipeline, its summary, and the commands it suggests next, which must work on what it built; the day is
 * surveilled, its alerts found among the abuse the simulator planted.
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CAT_CODES } from '../../src/catalogue/index.ts'
import { LINK_PASSES } from '../../src/link/index.ts'
import { runCli } from '../support/cli.ts'
import { truth } from '../support/simulated-day.ts'

interface Fault {
  kind: string
  stage: string
  file?: string
}

/** The groups of files the demo should report, from the files the simulator wrote and its truth. */
function expectedFileGroups(day: string): Record<string, number> {
  const names = readdirSync(join(day, 'submissions'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
  const faults = truth<Fault>(day, 'faults.ndjson').filter((f) => f.stage === 'integrity' && f.file)
  const waiting = new Set(faults.filter((f) => f.kind === 'missingMetadata').map((f) => f.file))
  const rejected = new Set(
    faults
      .filter((f) => f.kind !== 'missingMetadata' && names.includes(f.file!))
      .map((f) => f.file as string),
  )
  const meta = names.filter((n) => /\.meta(\.DEL)?\.(json|csv)$/.test(n))
  const customer = names.filter((n) => /_CAIS(Data|TID)_/.test(n))
  const groups: Record<string, number> = {
    'event data files ingested': names.length - meta.length - customer.length - rejected.size - waiting.size,
    'customer files ingested': customer.length,
    'metadata files checked': meta.length,
    rejected: rejected.size,
    'data files waiting for their metadata (1101)': waiting.size,
  }
  return Object.fromEntries(Object.entries(groups).filter(([, n]) => n > 0))
}

describe('opencat demo', () => {
  it('runs a simulated day through intake and linkage, and its suggestions answer', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'opencat-demo-')), 'demo')
    const args = ['--out', out, '--orders', '400', '--date', '2026-03-02', '--faults', '0.01']
    const r = await runCli(['demo', ...args, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.submit.accepted).toBeGreaterThan(1000)
    expect(result.submit.accepted).toBeLessThanOrEqual(result.simulation.events)
    expect(result.link.lifecycles).toBeGreaterThan(100)
    const reporters = new Set(result.lifecycle.events.map((e: { reporter: string }) => e.reporter))
    expect(reporters.size).toBeGreaterThan(1)
    expect(result.market).toMatchObject({ venue: expect.any(String), symbol: expect.any(String) })
    // Every file received is accounted for, in groups the simulator's files and truth predict.
    const groups = result.files as { what: string; count: number }[]
    expect(groups.reduce((a, g) => a + g.count, 0)).toBe(result.submit.files.length)
    const expected = expectedFileGroups(join(out, 'day'))
    expect(Object.fromEntries(groups.map((g) => [g.what, g.count]))).toEqual(expected)
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(result.submit.files.length)
    const linkCodes = Object.keys(result.link.errorsByCode)
    expect(linkCodes.length).toBeGreaterThan(0)
    // The day is surveilled, so the portal's alert queue has alerts: those the stored run lists, and found
    // among the abuse the simulator planted.
    const repoDir = join(out, 'repo')
    const listed = await runCli(['surveil', 'alerts', '--repo', repoDir, '--date', '2026-03-02', '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    const queue = JSON.parse(listed.stdout) as { run: number; alerts: { kind: string }[] }
    expect(queue.run).toBe(result.surveillance.run)
    expect(queue.alerts.length).toBe(result.surveillance.alerts)
    const byKind: Record<string, number> = {}
    for (const a of queue.alerts) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1
    expect(result.surveillance.byKind).toEqual(byKind)
    const scored = await runCli([
      'surveil',
      'score',
      '--repo',
      repoDir,
      '--date',
      '2026-03-02',
      '--truth',
      join(out, 'day', 'truth'),
      '--json',
    ])
    expect(scored.code, scored.stderr).toBe(0)
    const overall = (
      JSON.parse(scored.stdout) as { overall: { planted: number; found: number; trueAlerts: number } }
    ).overall
    expect(overall.planted).toBe(truth(join(out, 'day'), 'manipulations.ndjson').length)
    expect(overall.found).toBeGreaterThan(0)
    expect(overall.trueAlerts).toBeGreaterThan(0)

    // The text form prints the suggestions; each one runs on the repository the demo made.
    const text = await runCli(['demo', ...args])
    expect(text.code, text.stderr).toBe(0)
    // The Files block adds up to the files received, a line per group.
    const lines = text.stdout.split('\n')
    const at = lines.findIndex((l) => l.startsWith('Files '))
    const received = Number(/^Files\s+(\d+) received$/.exec(lines[at])?.[1])
    expect(received).toBe(result.submit.files.length)
    const shown: Record<string, number> = {}
    for (const l of lines.slice(at + 1)) {
      const m = /^\s+(\d+)\s{2}(\S.*)$/.exec(l)
      if (!m) break
      shown[m[2]] = Number(m[1])
    }
    expect(shown).toEqual(Object.fromEntries(groups.map((g) => [g.what, g.count])))
    // Each rejected file is named with its codes' meanings.
    for (const f of result.submit.files.filter((x: { status: string }) => x.status === 'rejected'))
      expect(text.stdout).toContain(`rejected ${f.name}: ${f.codes[0]} ${CAT_CODES.get(f.codes[0])?.title}`)
    // Linkage errors come with their meanings, from the code table.
    for (const code of linkCodes)
      expect(text.stdout).toMatch(
        new RegExp(
          `^  ${code} ×\\s*${result.link.errorsByCode[code]}  ${literal(CAT_CODES.get(Number(code))!.title)}$`,
          'm',
        ),
      )
    // Progress names what it counts: orders simulated (events in the note), linkage passes.
    const progress = text.stderr.split('\n')
    expect(progress.filter((l) => l.startsWith('simulating')).every((l) => / orders · /.test(l))).toBe(true)
    expect(progress.some((l) => /^simulating .* events/.test(l))).toBe(true)
    expect(progress.filter((l) => l.startsWith('linking')).every((l) => / passes · /.test(l))).toBe(true)
    const passes = LINK_PASSES.length
    expect(progress.filter((l) => l.startsWith('linking')).at(-1)).toMatch(
      new RegExp(`^linking .*${passes}/${passes} passes`),
    )
    expect(progress.filter((l) => l.startsWith('ingesting')).every((l) => / records · /.test(l))).toBe(true)
    const suggestions = text.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('npx opencat '))
      .map((l) => l.trim().split(/\s+/).slice(2))
    expect(suggestions.map((s) => s[0])).toEqual(
      expect.arrayContaining([
        'lifecycle',
        'report-card',
        'link',
        'surveil',
        'book',
        'replay',
        'verify-receipt',
      ]),
    )
    expect(text.stdout).toMatch(
      new RegExp(
        `^Alerts\\s+${result.surveillance.alerts} from surveillance run ${result.surveillance.run}`,
        'm',
      ),
    )
    for (const s of suggestions) {
      const run = await runCli(s)
      expect(run.code, `${s.join(' ')}: ${run.stderr}`).toBe(0)
    }
  }, 300_000)
})

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
