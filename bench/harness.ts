/**
 * Shared helpers of the benchmarks: timing, peak memory, and a JSON result line that bench/run.ts reads
 * when it runs each benchmark in its own process (so peak memory is the benchmark's own).
 */
import { cpus } from 'node:os'

/** One measured figure. */
export interface BenchRow {
  readonly bench: string
  readonly case: string
  readonly items: number
  readonly seconds: number
  readonly perSecond: number
  /** Items per second divided by the cores the work could use. */
  readonly perSecondPerCore: number
  readonly peakRssMB: number
  readonly note?: string
}

/** Cores of this machine. */
export const CORES = cpus().length

/** Peak resident memory of this process so far, MB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** Times `fn` and builds a row (`cores`: how many cores the work can use). */
export async function measure(
  bench: string,
  name: string,
  items: number,
  cores: number,
  fn: () => Promise<void> | void,
  note?: string,
): Promise<BenchRow> {
  const t = process.hrtime.bigint()
  await fn()
  const seconds = Number(process.hrtime.bigint() - t) / 1e9
  return {
    bench,
    case: name,
    items,
    seconds: Number(seconds.toFixed(3)),
    perSecond: Math.round(items / seconds),
    perSecondPerCore: Math.round(items / seconds / cores),
    peakRssMB: peakRssMB(),
    ...(note ? { note } : {}),
  }
}

/** Prints rows as a table, or as JSON lines with --json. */
export function report(rows: readonly BenchRow[]): void {
  if (process.argv.includes('--json')) {
    for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`)
    return
  }
  for (const r of rows) {
    process.stdout.write(
      `${r.bench.padEnd(10)} ${r.case.padEnd(40)} ${r.items.toLocaleString('en-US').padStart(12)} in ${r.seconds.toFixed(2).padStart(7)} s  ${r.perSecond.toLocaleString('en-US').padStart(11)}/s  ${r.perSecondPerCore.toLocaleString('en-US').padStart(10)}/s/core  ${String(r.peakRssMB).padStart(6)} MB${r.note ? `  ${r.note}` : ''}\n`,
    )
  }
}

/** A command-line option's value (`--name VALUE`), undefined when it is not given. */
export function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

/** The value at quantile `q` (0–1) of ascending `sorted` (0 when it is empty). */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

/** A numeric command-line option (`--name N`). */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
