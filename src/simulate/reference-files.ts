/**
 * Writes DIR/reference/: reporters.json, symbols.json, calendar.json and, on a day with options,
 * options.json, in the layout of
 * docs/formats/reference.md, so a repository can be initialised from a simulated day.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { nyseCalendar, serializeCalendar } from '../common/time/index.ts'
import { type OptionsMarket, optionsDocument } from './option-series.ts'
import type { World } from './world.ts'

const SINCE = '2020-01-01'

/** The reporter registry: firms with their IMIDs, exchanges, and who submits for whom. */
export function reportersDocument(world: World, options?: OptionsMarket): unknown {
  const firms = world.firms.map((f) => ({
    crd: f.crd,
    name: f.name,
    imids: [
      { imid: f.imid, from: SINCE, to: null, ats: false },
      ...(f.atsImid ? [{ imid: f.atsImid, from: SINCE, to: null, ats: true }] : []),
    ],
  }))
  const participants = [...world.exchanges, ...(options?.exchanges ?? []), world.tradeReporting]
  const exchanges = participants.map((e) => ({ exchangeId: e.id, name: e.name, from: SINCE, to: null }))
  const forFirm = (f: World['firms'][number]) => [f.imid, ...(f.atsImid ? [f.atsImid] : [])]
  const submitters = [
    ...world.firms.map((f) => ({
      submitterId: f.crd,
      name: f.name,
      reportsFor: forFirm(f).map((reporter) => ({ reporter, from: SINCE, to: null })),
      thirdPartyFor: [],
    })),
    {
      submitterId: world.bureau.id,
      name: world.bureau.name,
      reportsFor: world.bureau.firms.flatMap((f) =>
        forFirm(f).map((reporter) => ({ reporter, from: SINCE, to: null })),
      ),
      thirdPartyFor: [],
    },
    ...participants.map((e) => ({
      submitterId: e.submitterId,
      name: e.name,
      reportsFor: [{ reporter: e.id, from: SINCE, to: null }],
      thirdPartyFor: [],
    })),
  ]
  return { version: 1, firms, exchanges, submitters }
}

/** The symbol master (reference prices stay inside the simulator). */
export function symbolsDocument(world: World): unknown {
  return {
    version: 1,
    symbols: world.symbols.map((s) => ({
      symbol: s.symbol,
      listing: s.listing,
      name: s.name,
      nms: true,
      test: false,
      from: SINCE,
      to: null,
    })),
  }
}

/** Writes the reference files: the three of every day, and the options series master of a day with options. */
export async function writeReferenceFiles(
  dir: string,
  world: World,
  date: number,
  options?: OptionsMarket,
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const year = Math.floor(date / 10000)
  await writeFile(
    join(dir, 'reporters.json'),
    `${JSON.stringify(reportersDocument(world, options), null, 2)}\n`,
  )
  if (options)
    await writeFile(join(dir, 'options.json'), `${JSON.stringify(optionsDocument(options), null, 2)}\n`)
  await writeFile(join(dir, 'symbols.json'), `${JSON.stringify(symbolsDocument(world), null, 2)}\n`)
  await writeFile(join(dir, 'calendar.json'), serializeCalendar(nyseCalendar(year - 1, year + 1)))
}
