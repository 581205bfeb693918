import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { readMetadata, type SimulateOptions, simulateDay, verifyDay } from '../../src/simulate/index.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'opencat-sim-formats-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function files(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await files(p)))
    else out.push(p)
  }
  return out.sort()
}

/** A digest of every output file; summary.json without its wall-clock `run` part. */
async function digest(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const f of await files(dir)) {
    let data = await readFile(f)
    if (f.endsWith('summary.json')) {
      const s = JSON.parse(data.toString())
      delete s.run
      data = Buffer.from(JSON.stringify(s))
    }
    out.set(relative(dir, f), createHash('sha256').update(data).digest('hex'))
  }
  return out
}

async function day(name: string, extra: Partial<SimulateOptions> = {}): Promise<string> {
  const out = join(root, name)
  await simulateDay({ out, date: '2026-03-04', seed: 1234, orders: 1200, ...extra })
  return out
}

describe('simulated days are reproducible and come in every format', () => {
  it('gives byte-identical files for the same seed and options', async () => {
    const a = await digest(await day('a', { faults: 0.01, abuse: ['wash', 'spoofing'], clockDriftMs: 90 }))
    const b = await digest(await day('b', { faults: 0.01, abuse: ['wash', 'spoofing'], clockDriftMs: 90 }))
    expect(a.size).toBeGreaterThan(20)
    expect([...b]).toEqual([...a])
  })

  it('gives a different day for a different seed', async () => {
    const a = await digest(join(root, 'a'))
    const c = await digest(
      await day('c', { seed: 1235, faults: 0.01, abuse: ['wash', 'spoofing'], clockDriftMs: 90 }),
    )
    expect(c.get('truth/lifecycles.ndjson')).not.toBe(a.get('truth/lifecycles.ndjson'))
  })

  it('keeps the market itself unchanged when faults and clock drift are asked for', async () => {
    const clean = await simulateDay({ out: join(root, 'clean'), date: '2026-03-04', seed: 99, orders: 800 })
    const faulty = await simulateDay({
      out: join(root, 'faulty'),
      date: '2026-03-04',
      seed: 99,
      orders: 800,
      faults: 0.02,
      clockDriftMs: 40,
    })
    expect(faulty.executions).toEqual(clean.executions)
    expect(faulty.lifecycles).toBe(clean.lifecycles)
    expect(faulty.eventsByType.EXOA).toBe(clean.eventsByType.EXOA)
  })

  it('writes positional CSV that decodes cleanly, with CSV metadata', async () => {
    const dir = await day('csv', { format: 'csv' })
    const report = await verifyDay(dir)
    expect(report.problems).toEqual([])
    const metas = await readMetadata(dir)
    expect(metas.every((m) => m.name.endsWith('.meta.csv'))).toBe(true)
    const meta = (await files(dir)).find((f) => f.endsWith('.meta.csv'))!
    expect(await readFile(meta, 'utf8')).toMatch(
      /^META,true,20260304,[A-Z]+,[0-9]+,4\.0\.0,[^,]+@[0-9]+@@[0-9A-F]{64},\n$/,
    )
  })

  it('splits a reporter stream into several files and lists each with its own metadata file', async () => {
    const dir = await day('split', { recordsPerFile: 400 })
    const report = await verifyDay(dir)
    expect(report.problems).toEqual([])
    const metas = await readMetadata(dir)
    const byReporter = new Map<string, number>()
    for (const m of metas) byReporter.set(m.reporter, (byReporter.get(m.reporter) ?? 0) + 1)
    expect(Math.max(...byReporter.values())).toBeGreaterThan(2)
    for (const m of metas) for (const f of m.files) expect(f.recordCount).toBeLessThanOrEqual(400)
    for (const m of metas.filter((x) => !x.doneForDay)) expect(m.files[0].recordCount).toBe(400)
  })

  it('writes file version 2.2.1 without v4-only events or fields', async () => {
    const dir = await day('v221', { fileVersion: '2.2.1' })
    const report = await verifyDay(dir)
    expect(report.problems).toEqual([])
    expect(report.types.MEPA).toBeUndefined()
    const metas = await readMetadata(dir)
    expect(metas.every((m) => m.fileVersion === '2.2.1')).toBe(true)
    const f = metas.find((m) => m.reporter.length === 4 && m.files[0].recordCount > 0)!
    const text = bunzip2Buffer(await readFile(join(dir, 'submissions', f.submitter, f.files[0].fileName)))
    expect(text.ok && text.data.toString()).not.toContain('solicitationFlag')
  })
})
