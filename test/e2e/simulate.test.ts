import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulateCommand } from '../../src/cli/commands/simulate.ts'
import { runCli } from '../../src/cli/main.ts'
import { parseCalendarFile } from '../../src/common/time/index.ts'
import {
  type DayReport,
  readMetadata,
  type SimulationSummary,
  simulateDay,
  type TruthLifecycle,
  verifyDay,
} from '../../src/simulate/index.ts'

let dir: string
let summary: SimulationSummary
let report: DayReport

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opencat-sim-'))
  summary = await simulateDay({ out: dir, date: '2026-03-02', seed: 42, orders: 2500 })
  report = await verifyDay(dir)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface ReportersDoc {
  version: number
  firms: { crd: number; imids: { imid: string; ats: boolean }[] }[]
  exchanges: { exchangeId: string }[]
  submitters: { submitterId: number; reportsFor: unknown[] }[]
}

async function json<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, path), 'utf8')) as T
}

async function lifecycles(): Promise<TruthLifecycle[]> {
  const text = await readFile(join(dir, 'truth', 'lifecycles.ndjson'), 'utf8')
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
}

describe('a clean simulated day', () => {
  it('has no consistency problems: records decode, routes meet, books never cross, fills fit, truth obeys the link rule', () => {
    expect(report.problems).toEqual([])
    expect(report.records).toBe(summary.events)
  })

  it('produces the core lifecycle event types', () => {
    for (const type of [
      'MENO',
      'MEOR',
      'MEOA',
      'MEOC',
      'MEOM',
      'MEIR',
      'MECO',
      'MECOC',
      'MEOT',
      'MEOF',
      'MEPA',
    ]) {
      expect(summary.eventsByType[type], type).toBeGreaterThan(0)
    }
    for (const type of ['EXOA', 'EXOT', 'EXOC', 'EXOM', 'EXQT'])
      expect(summary.eventsByType[type], type).toBeGreaterThan(0)
  })

  it('writes the reference data in the documented layout', async () => {
    const reporters = await json<ReportersDoc>('reference/reporters.json')
    expect(reporters.version).toBe(1)
    expect(reporters.firms).toHaveLength(8)
    for (const f of reporters.firms) {
      expect(String(f.crd)).toMatch(/^[0-9]{6}$/)
      for (const i of f.imids) expect(i.imid).toMatch(/^[A-Z]{4}$/)
    }
    expect(reporters.firms.filter((f) => f.imids.some((i) => i.ats)).length).toBeGreaterThanOrEqual(1)
    // The exchanges, then FINRA, which reports its facilities' trade reports as a participant.
    expect(reporters.exchanges.map((e) => e.exchangeId)).toEqual(['NSDQ', 'NYSE', 'ARCA', 'FINRA'])
    const own = reporters.submitters.filter((s) => reporters.firms.some((f) => f.crd === s.submitterId))
    expect(own).toHaveLength(8)
    const bureau = reporters.submitters.find(
      (s) => !reporters.firms.some((f) => f.crd === s.submitterId) && s.reportsFor.length >= 2,
    )
    expect(bureau).toBeDefined()
    const symbols = await json<{ symbols: Record<string, unknown>[] }>('reference/symbols.json')
    expect(symbols.symbols.length).toBe(summary.options.symbols)
    expect(symbols.symbols.every((s) => s.nms === true && s.refPrice === undefined)).toBe(true)
    const calendar = parseCalendarFile(await json<unknown>('reference/calendar.json'))
    expect(calendar.ok).toBe(true)
  })

  it('names data and metadata files as CAT does, each reporter ending with doneForDay', async () => {
    const metas = await readMetadata(dir)
    const reporters = new Set(metas.map((m) => m.reporter))
    expect(reporters.size).toBe(Object.keys(summary.eventsByReporter).length)
    for (const m of metas) {
      expect(m.name).toMatch(/^[0-9]+_[A-Z]+_20260302_(OrderEvents|ExchangeEvents)_[0-9]{6}\.meta\.json$/)
      for (const f of m.files)
        expect(f.fileName).toMatch(
          /^[0-9]+_[A-Z]+_20260302_(OrderEvents|ExchangeEvents)_[0-9]{6}\.json\.bz2$/,
        )
    }
    for (const r of reporters) expect(metas.filter((m) => m.reporter === r).at(-1)!.doneForDay).toBe(true)
  })

  it('writes one lifecycle per started order, each starting with a new order or an accepted route', async () => {
    const lcs = await lifecycles()
    expect(lcs.length).toBe(summary.lifecycles)
    expect(lcs.length).toBeGreaterThanOrEqual(summary.arrivals)
    for (const lc of lcs) expect(['MENO', 'MEOA'], lc.id).toContain(lc.events[0].type)
  })

  it('keeps executions shared: an exchange execution appears in the lifecycles of both sides', async () => {
    const seen = new Map<string, number>()
    for (const lc of await lifecycles()) {
      for (const e of lc.events)
        if (e.type === 'EXOT')
          seen.set(`${e.reporter}|${e.firmROEID}`, (seen.get(`${e.reporter}|${e.firmROEID}`) ?? 0) + 1)
    }
    expect([...seen.values()].some((n) => n === 2)).toBe(true)
  })

  it('makes most limit orders end in a cancel', () => {
    expect(summary.eventsByType.MEOC + summary.eventsByType.MECOC).toBeGreaterThan(
      summary.eventsByType.MENO * 0.5,
    )
  })
})

describe('the simulate command', () => {
  function sink(): { stream: Writable; text: () => string } {
    let out = ''
    const stream = new Writable({
      write(chunk, _enc, done) {
        out += chunk
        done()
      },
    })
    return { stream, text: () => out }
  }

  it('refuses a date that is not a trading day, with a clear message', async () => {
    const err = sink()
    const code = await runCliWith(
      ['simulate', '--out', join(dir, 'x'), '--date', '2026-07-04', '--seed', '1', '--orders', '10'],
      err,
    )
    expect(code).toBe(1)
    expect(err.text()).toContain('not a trading day')
  })

  it('prints the summary as JSON with --json', async () => {
    const out = sink()
    const target = join(dir, 'cli')
    const code = await runCliWith(
      ['simulate', '--out', target, '--date', '2026-03-03', '--seed', '3', '--orders', '200', '--json'],
      out,
      true,
    )
    expect(code).toBe(0)
    const s = JSON.parse(out.text())
    expect(s.events).toBeGreaterThan(0)
    expect(await readdir(join(target, 'truth'))).toContain('summary.json')
  })

  async function runCliWith(
    argv: string[],
    capture: ReturnType<typeof sink>,
    stdout = false,
  ): Promise<number> {
    const other = sink()
    const { COMMANDS } = await import('../../src/cli/commands/index.ts')
    if (!COMMANDS.includes(simulateCommand)) (COMMANDS as unknown as unknown[]).push(simulateCommand)
    return runCli(
      argv,
      stdout
        ? { stdout: capture.stream, stderr: other.stream }
        : { stdout: other.stream, stderr: capture.stream },
    )
  }
})

describe('a crowded market (few symbols, many firms and exchanges)', () => {
  it('stays consistent when orders, cancels and replaces race each other on the same books', async () => {
    const out = join(dir, 'crowded')
    await simulateDay({
      out,
      date: '2026-03-02',
      seed: 5,
      orders: 4000,
      symbols: 3,
      firms: 12,
      exchanges: 5,
      faults: 0.01,
    })
    expect((await verifyDay(out)).problems).toEqual([])
  })
})
