/**
 * Simulator throughput: events/s generating a day as bzip2 JSON and CSV (simulation, encoding and
 * compression together), and peak memory. `node bin/run-ts.js bench/simulate.bench.ts [--orders N] [--json]`
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simulateDay } from '../src/simulate/index.ts'
import { CORES, numberArg, peakRssMB, report } from './harness.ts'

/** One measured simulation. */
export interface SimulateBenchResult {
  readonly events: number
  readonly seconds: number
  readonly eventsPerSecond: number
  /** Peak resident memory of this process so far (the CSV run comes second, so it includes the JSON run). */
  readonly peakRssMB: number
}

/** Simulates a day of `orders` orders into a temporary folder, once as JSON and once as CSV. */
export async function benchSimulate(
  orders: number,
): Promise<{ json: SimulateBenchResult; csv: SimulateBenchResult }> {
  const root = await mkdtemp(join(tmpdir(), 'opencat-bench-sim-'))
  try {
    const run = async (format: 'json' | 'csv'): Promise<SimulateBenchResult> => {
      const started = process.hrtime.bigint()
      const s = await simulateDay({ out: join(root, format), date: '2026-03-02', seed: 1, orders, format })
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      await rm(join(root, format), { recursive: true, force: true })
      return {
        events: s.events,
        seconds: Number(seconds.toFixed(3)),
        eventsPerSecond: Math.round(s.events / seconds),
        peakRssMB: peakRssMB(),
      }
    }
    const json = await run('json')
    const csv = await run('csv')
    return { json, csv }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('simulate.bench.ts')) {
  const orders = numberArg('orders', 100_000)
  const r = await benchSimulate(orders)
  report(
    (['json', 'csv'] as const).map((format) => ({
      bench: 'simulate',
      case: `${orders.toLocaleString('en-US')} orders, ${format} + bzip2`,
      items: r[format].events,
      seconds: r[format].seconds,
      perSecond: r[format].eventsPerSecond,
      // The simulation runs on one core; compression runs in bzip2 processes on the others.
      perSecondPerCore: Math.round(r[format].eventsPerSecond / CORES),
      peakRssMB: r[format].peakRssMB,
      note: 'events (records)',
    })),
  )
}
