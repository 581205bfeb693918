/**
 * Runs one simulated trading day end to end: builds the market, writes the reference data and customer
 * files, runs the discrete-event simulation while streaming every reporter's CAT files and the truth, and
 * writes the metadata files and the summary. Memory holds open orders and books, not the day.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { catalogueFor } from '../catalogue/index.ts'
import { etWallToUtcNs } from '../common/time/index.ts'
import { AbuseDesk } from './abuse-desk.ts'
import { AtsVenue } from './ats-venue.ts'
import { Brokerage } from './brokerage.ts'
import { writeCustomerFiles } from './cais-files.ts'
import { buildAccounts } from './customers.ts'
import { ExchangeVenue } from './exchange-venue.ts'
import { FairValues } from './fair-value.ts'
import { FaultInjector } from './fault-injector.ts'
import { MultiLegDesk } from './multi-leg.ts'
import { buildOptionsMarket, type OptionsMarket } from './option-series.ts'
import { resolveOptions, type SimulateOptions } from './options.ts'
import { OptionsFlow } from './options-flow.ts'
import { OrderFlow } from './order-flow.ts'
import { Quoting } from './quoting.ts'
import { RecordSink } from './record-sink.ts'
import { writeReferenceFiles } from './reference-files.ts'
import { ReporterStream } from './reporter-stream.ts'
import { Rng } from './rng.ts'
import { Sim } from './sim.ts'
import { ArrivalClock, SECOND, tradingHours } from './trading-hours.ts'
import { TruthRecorder } from './truth-recorder.ts'
import { buildWorld, type World } from './world.ts'

/** What a simulated day produced (also written as DIR/truth/summary.json). */
export interface SimulationSummary {
  readonly version: 1
  readonly seed: string
  readonly options: Record<string, unknown>
  readonly events: number
  readonly eventsByType: Record<string, number>
  readonly eventsByReporter: Record<string, number>
  readonly lifecycles: number
  readonly arrivals: number
  readonly executions: Record<string, number>
  readonly faults: {
    readonly total: number
    readonly byKind: Record<string, number>
    readonly byCode: Record<string, number>
  }
  readonly manipulations: { readonly total: number; readonly byKind: Record<string, number> }
  readonly customers: { readonly persons: number; readonly accounts: number }
  /** Wall-clock figures of this run: the only part of the output that differs between identical runs. */
  readonly run: { readonly seconds: number; readonly eventsPerSecond: number; readonly peakRssMB: number }
}

function sorted(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function streamsFor(
  world: World,
  out: string,
  o: ReturnType<typeof resolveOptions>,
  options: OptionsMarket | undefined,
): Map<string, ReporterStream> {
  const streams = new Map<string, ReporterStream>()
  const base = {
    date: o.date,
    format: o.format,
    fileVersion: o.fileVersion,
    recordsPerFile: o.recordsPerFile,
    bzip2Level: 9,
  }
  for (const f of world.firms) {
    for (const imid of [f.imid, ...(f.atsImid ? [f.atsImid] : [])]) {
      const dir = join(out, 'submissions', String(f.submitterId))
      streams.set(
        imid,
        new ReporterStream({ ...base, dir, submitterId: f.submitterId, reporter: imid, kind: 'OrderEvents' }),
      )
    }
  }
  for (const e of [...world.exchanges, ...(options?.exchanges ?? []), world.tradeReporting]) {
    const dir = join(out, 'submissions', String(e.submitterId))
    streams.set(
      e.id,
      new ReporterStream({
        ...base,
        dir,
        submitterId: e.submitterId,
        reporter: e.id,
        kind: 'ExchangeEvents',
      }),
    )
  }
  return streams
}

/**
 * Simulates one trading day into `options.out` and returns its summary.
 * @example
 * await simulateDay({ out: '/tmp/day', date: '2026-03-02', seed: 7, orders: 5000 })
 */
export async function simulateDay(options: SimulateOptions): Promise<SimulationSummary> {
  const started = performance.now()
  const o = resolveOptions(options)
  const cat = catalogueFor(o.fileVersion)!
  // One independent stream per concern, so asking for faults or abuse leaves the market itself unchanged.
  const stream = (label: string) => new Rng(o.seed, label)
  const world = buildWorld(o, stream('world'))
  const accounts = buildAccounts(world, o.customers, stream('customers'), o.date)
  const optionsMarket = o.products.includes('options')
    ? buildOptionsMarket(world, o.exchanges, o.date, stream('options'))
    : undefined
  await writeReferenceFiles(join(o.out, 'reference'), world, o.date, optionsMarket)
  const streams = streamsFor(world, o.out, o, optionsMarket)
  for (const dir of new Set([...streams.values()].map((s) => s.config.dir)))
    await mkdir(dir, { recursive: true })
  const sink = new RecordSink(cat, o.format, streams)
  const truth = await TruthRecorder.create(join(o.out, 'truth'))
  await writeCustomerFiles(join(o.out, 'submissions'), world, accounts, truth, o.date)
  const hours = tradingHours(o.calendar, o.date)
  const y = Math.floor(o.date / 10000)
  const dayBase = etWallToUtcNs(y, Math.floor(o.date / 100) % 100, o.date % 100, 0, 0, 0)
  const marketRng = stream('market')
  const fair = new FairValues(world.symbols, stream('prices'), hours.preOpen)
  const sim = new Sim(o, cat, world, accounts, sink, truth, marketRng, hours, dayBase, fair)
  const venues = new Map(world.exchanges.map((v) => [v.id, new ExchangeVenue(sim, v)]))
  const ats = new Map(
    world.firms.filter((f) => f.atsImid).map((f) => [f.atsImid!, new AtsVenue(sim, f, f.atsImid!)]),
  )
  sim.parts = {
    venues,
    ats,
    brokerage: new Brokerage(sim),
    quoting: new Quoting(sim),
    flow: new OrderFlow(sim),
  }
  const osim = optionsMarket ? optionsSim(sim, optionsMarket, stream) : undefined
  const markets = osim ? [sim, osim] : [sim]
  if (o.faults > 0 || o.clockDriftMs !== 0) {
    const faults = new FaultInjector(sim, stream('faults'), o.faults)
    sim.faults = faults
    if (osim) {
      osim.faults = faults
      faults.addExchanges(osim.parts.venues.keys())
    }
    sink.hook = faults
    if (o.clockDriftMs !== 0) {
      const drifting = world.firms[1 + stream('drift').int(world.firms.length - 1)]
      drifting.driftNs = Math.round(o.clockDriftMs * 1_000_000)
      faults.clockDrift(drifting, o.clockDriftMs)
    }
  }
  const abuse = o.abuse.length > 0 ? new AbuseDesk(sim, stream('abuse')) : undefined
  abuse?.schedule(o.abuse)
  const lastCall = hours.end - 5 * SECOND
  sim.at(hours.close, undefined, () => {
    for (const m of markets) for (const v of m.parts.venues.values()) v.closeSession(sim.queue.now, false)
  })
  sim.at(lastCall, undefined, () => {
    const now = sim.queue.now
    for (const m of markets) {
      for (const v of m.parts.venues.values()) v.closeSession(now, true)
      m.parts.quoting.withdrawAll(now)
    }
  })
  const arrivalsOf = (m: Sim, clock: ArrivalClock): void => {
    const arrive = (): void => {
      m.parts.flow.arrive(m.queue.now)
      const next = clock.next()
      if (next !== undefined) m.queue.at(next, arrive)
    }
    const first = clock.next()
    if (first !== undefined) m.queue.at(first, arrive)
  }
  if (o.products.includes('equities')) arrivalsOf(sim, new ArrivalClock(hours, o.orders, stream('arrivals')))
  if (osim) arrivalsOf(osim, new ArrivalClock(hours, o.orders, stream('option-arrivals'), true))
  if (osim && o.products.includes('multileg')) {
    // Multi-leg orders: a fifth as many as single-leg option orders.
    const desk = new MultiLegDesk(osim, sim)
    const clock = new ArrivalClock(
      hours,
      Math.max(1, Math.round(o.orders / 5)),
      stream('multileg-arrivals'),
      true,
    )
    const arrive = (): void => {
      desk.arrive(sim.queue.now)
      const next = clock.next()
      if (next !== undefined) sim.queue.at(next, arrive)
    }
    const first = clock.next()
    if (first !== undefined) sim.queue.at(first, arrive)
  }
  o.progress.update(0)
  let steps = 0
  while (sim.queue.step()) {
    if ((++steps & 4095) === 0) {
      o.progress.update(sim.stats.arrivals, `${sink.total.toLocaleString('en-US')} events`)
      // Wait until every compressor has caught up, so memory holds open orders rather than output.
      for (let b = sink.blocked() ?? truth.blocked; b; b = sink.blocked() ?? truth.blocked) await b
    }
  }
  await Promise.all([...streams.values()].map((s) => s.finish()))
  await sim.faults?.integrityFaults([...streams.values()])
  const manipulations = abuse?.finish() ?? { total: 0, byKind: {} }
  await truth.finish()
  const seconds = (performance.now() - started) / 1000
  const summary: SimulationSummary = {
    version: 1,
    seed: o.seed.toString(),
    options: {
      date: o.dateIso,
      orders: o.orders,
      firms: o.firms,
      exchanges: o.exchanges,
      symbols: o.symbols,
      customers: o.customers,
      format: o.format,
      fileVersion: o.fileVersion,
      faults: o.faults,
      abuse: o.abuse,
      clockDriftMs: o.clockDriftMs,
      recordsPerFile: o.recordsPerFile,
      products: o.products,
    },
    events: sink.total,
    eventsByType: sorted(sink.countsByType),
    eventsByReporter: sorted(sink.countsByReporter),
    lifecycles: truth.lifecycleCount,
    arrivals: sim.stats.arrivals,
    executions: {
      exchange: sim.stats.executions,
      internalized: sim.stats.internalized,
      ats: sim.stats.atsTrades,
      rejectedRoutes: sim.stats.rejectedRoutes,
    },
    faults: sim.faults?.tallies() ?? { total: 0, byKind: {}, byCode: {} },
    manipulations,
    customers: {
      persons: accounts.persons.length,
      accounts: [...accounts.byFirm.values()].reduce((s, l) => s + l.length, 0),
    },
    run: {
      seconds: Math.round(seconds * 1000) / 1000,
      eventsPerSecond: Math.round(sink.total / Math.max(seconds, 1e-9)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
  }
  await writeFile(join(o.out, 'truth', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)
  o.progress.update(sim.stats.arrivals)
  o.progress.finish(
    `${sink.total.toLocaleString('en-US')} events, ${summary.run.eventsPerSecond.toLocaleString('en-US')} events/s`,
  )
  return summary
}

/**
 * The options market beside the equities one: its own exchanges, series, fair values and randomness, the
 * same firms, customers, clock and record sink.
 */
function optionsSim(sim: Sim, market: OptionsMarket, stream: (label: string) => Rng): Sim {
  const world: World = {
    ...sim.world,
    exchanges: market.exchanges,
    symbols: market.series,
    symbolWeights: market.weights,
  }
  const fair = new FairValues(market.series, stream('option-prices'), sim.hours.preOpen)
  const osim = new Sim(
    sim.options,
    sim.cat,
    world,
    sim.accounts,
    sim.sink,
    sim.truth,
    stream('option-market'),
    sim.hours,
    sim.dayBase,
    fair,
    sim,
  )
  osim.parts = {
    venues: new Map(market.exchanges.map((v) => [v.id, new ExchangeVenue(osim, v)])),
    ats: new Map(),
    brokerage: new Brokerage(osim),
    quoting: new Quoting(osim),
    flow: new OptionsFlow(osim),
  }
  return osim
}
