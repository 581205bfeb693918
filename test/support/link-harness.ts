/**
 * Runs a hand-written scenario through a real repository (submit every reporter's files, link the date)
 * and reads back what the linker found, in comparable shapes.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { type LinkOptions, type LinkSummary, linkDate } from '../../src/link/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import type { Repository } from '../../src/store/repository.ts'
import { fixtureRepository } from './ingest.ts'
import { type Ev, type LinkMarket, tag } from './link-market.ts'

/** The repository clock for scenario runs: the evening of the fixture date. */
export const EVENING = isoOrCatToNs('2026-03-02T18:00:00')

/** A linked scenario. */
export interface Linked {
  readonly repo: Repository
  readonly summary: LinkSummary
  readonly dir: string
}

/** Submits the market's files and links its date. */
export async function linkMarket(
  m: LinkMarket,
  options: LinkOptions = {},
  repo?: Repository,
): Promise<Linked> {
  const r = repo ?? (await fixtureRepository())
  const dir = mkdtempSync(join(tmpdir(), 'opencat-link-'))
  await submitFiles(r, m.write(dir), { nowNs: EVENING })
  const summary = await linkDate(r, Number(m.date), { nowNs: EVENING, ...options })
  return { repo: r, summary, dir }
}

/** Links as `from → to kind` lines, sorted (each link once, even when it is shared by lifecycles). */
export async function foundLinks(repo: Repository, date: number): Promise<string[]> {
  const rows = await repo.db.all<Record<string, string>>(
    `SELECT DISTINCT from_reporter, from_roe_id, to_reporter, to_roe_id, kind FROM linkage_links WHERE event_date = ${date}`,
  )
  return rows
    .map((r) => `${r.from_reporter} ${r.from_roe_id} → ${r.to_reporter} ${r.to_roe_id} ${r.kind}`)
    .sort()
}

/** The scenario's expected links, in the same shape. */
export function expectedLinks(
  m: LinkMarket,
  keep: (l: { from: Ev; to: Ev }) => boolean = () => true,
): string[] {
  return m.links
    .filter(keep)
    .map((l) => `${tag(l.from)} → ${tag(l.to)} ${l.kind}`)
    .sort()
}

/** Lifecycles as sorted lists of `reporter firmROEID`, sorted. */
export async function foundLifecycles(repo: Repository, date: number): Promise<string[][]> {
  const rows = await repo.db.all<{ lifecycle_id: string; t: string }>(
    `SELECT lifecycle_id, _reporter || ' ' || _roe_id AS t FROM linkage_members WHERE event_date = ${date}`,
  )
  const by = new Map<string, string[]>()
  for (const r of rows) by.set(r.lifecycle_id, [...(by.get(r.lifecycle_id) ?? []), r.t])
  return [...by.values()].map((l) => l.sort()).sort((a, b) => a[0].localeCompare(b[0]))
}

/** Expected lifecycles from the scenario's links: components over every link but execution, fill and report. */
export function expectedLifecycles(m: LinkMarket): string[][] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!
    return x
  }
  const exec = new Set(['MEOT', 'MEOTS', 'MEOF', 'MEFA', 'EXOT', 'TRFT'])
  const quote = new Set(['EXQT', 'EXTS'])
  for (const e of m.events) if (!exec.has(e.type) && !quote.has(e.type)) parent.set(tag(e), tag(e))
  for (const l of m.links) {
    if (l.kind === 'execution' || l.kind === 'fill' || l.kind === 'report') continue
    parent.set(find(tag(l.from)), find(tag(l.to)))
  }
  const by = new Map<string, Set<string>>()
  for (const t of parent.keys()) by.set(find(t), new Set([...(by.get(find(t)) ?? []), t]))
  // Executions and fills belong to the lifecycle of every order they link from.
  for (const e of m.events.filter((x) => exec.has(x.type) && x.type !== 'TRFT')) {
    const sources = m.links.filter((l) => l.to === e && (l.kind === 'execution' || l.kind === 'fill'))
    if (sources.length === 0) by.set(tag(e), new Set([tag(e)]))
    for (const l of sources) by.get(find(tag(l.from)))!.add(tag(e))
  }
  // A trade report follows the trade it reports into each of its lifecycles.
  for (const e of m.events.filter((x) => x.type === 'TRFT')) {
    const from = m.links.filter((l) => l.to === e && l.kind === 'report').map((l) => tag(l.from))
    const homes = [...by.values()].filter((s) => from.some((f) => s.has(f)))
    if (homes.length === 0) by.set(tag(e), new Set([tag(e)]))
    for (const s of homes) s.add(tag(e))
  }
  return [...by.values()].map((s) => [...s].sort()).sort((a, b) => a[0].localeCompare(b[0]))
}

/** Findings as `recipient code subject-reporter subject-firmROEID [named]`, sorted. */
export async function foundFindings(repo: Repository, date: number): Promise<string[]> {
  const rows = await repo.db.all<Record<string, string | number | boolean>>(
    `SELECT recipient, code, subject_reporter, subject_roe_id, named FROM linkage_findings WHERE event_date = ${date}`,
  )
  return rows
    .map(
      (r) => `${r.recipient} ${r.code} ${r.subject_reporter} ${r.subject_roe_id}${r.named ? ' named' : ''}`,
    )
    .sort()
}

/** A finding line for an event. */
export function finding(recipient: string, code: number, e: Ev, named = false): string {
  return `${recipient} ${code} ${tag(e)}${named ? ' named' : ''}`
}

/** A line of a linkage error file: an own event to repair or a named-error record. */
export type ErrorLine = Record<string, unknown> & {
  errorCode: number[]
  recordType?: string
  errorROEID?: number
  explanation: string
}

/** The lines of a bzip2 linkage error file. */
export function readErrorLines(path: string): ErrorLine[] {
  const r = bunzip2Buffer(readFileSync(path))
  if (!r.ok) throw new Error(`${path} is not bzip2`)
  return (r as { data: Buffer }).data
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
}
