/** A simulated trading day, generated once per test file into a temp folder, with its truth. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SimulateOptions } from '../../src/simulate/index.ts'
import { simulateDay } from '../../src/simulate/index.ts'
import { runCli } from './cli.ts'

/** Simulates a day into a fresh folder; returns the folder. */
export async function simulatedDay(options: Partial<SimulateOptions> = {}): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'opencat-sim-')), 'day')
  await simulateDay({ out, date: '2026-03-02', seed: 11, orders: 1200, ...options })
  return out
}

/** Reads an NDJSON truth file of a simulated day. */
export function truth<T>(day: string, name: string): T[] {
  const text = readFileSync(join(day, 'truth', name), 'utf8').trim()
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as T)
}

/**
 * A simulated day submitted with `opencat init` and `opencat submit` (which links it) into a repository
 * beside the day's folder; returns both folders.
 */
export async function simulatedRepository(
  options: Partial<SimulateOptions> = {},
): Promise<{ day: string; repoDir: string }> {
  const day = await simulatedDay(options)
  const repoDir = join(day, '..', 'repo')
  const init = await runCli(['init', '--repo', repoDir, '--reference', join(day, 'reference')])
  if (init.code !== 0) throw new Error(`opencat init failed: ${init.stderr}`)
  const s = await runCli([
    'submit',
    '--repo',
    repoDir,
    '--at',
    '2026-03-02T20:00:00',
    join(day, 'submissions'),
  ])
  if (s.code !== 0) throw new Error(`opencat submit failed: ${s.stderr}`)
  return { day, repoDir }
}
