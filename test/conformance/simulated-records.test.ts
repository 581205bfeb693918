/**
 * What the simulator writes, record by record, against the published layouts: a v4.1.0 day with options
 * and multi-leg orders writes every one of the 99 types of the v4.1 field tables; every firm record of it
 * is of a type the v4.1 field tables (../shared/spec/v4.1/events.json) know,
 * carries only that type's field names, and every field the tables require (besides the catalogue's listed
 * deviations; an absent JSON boolean is false). Every firm record of a v2.2.1 day does the same against
 * the official v2.2.1 schema. Exchange events and trade reports are OpenCAT's own layouts and not in them.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { V41_PRESENCE_DEVIATIONS } from '../../src/catalogue/events/v41-deviations.ts'
import { CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import { readMetadata, readRecords } from '../../src/simulate/index.ts'
import { sharedFile } from '../support/shared.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const V41 = sharedFile('spec', 'v4.1', 'events.json')
const V221 = sharedFile('spec', 'finra-v2.2.1', 'cat-schema.json')

interface Layout {
  /** Every field name the type defines. */
  readonly names: ReadonlySet<string>
  /** Fields a record must carry (booleans aside: absent means false). */
  readonly required: readonly string[]
}

/** A firm record as written: its type and its JSON object. */
interface Written {
  readonly type: string
  readonly fields: Record<string, unknown>
}

async function firmRecords(day: string): Promise<Written[]> {
  const out: Written[] = []
  const metas = (await readMetadata(day)).filter((m) =>
    m.files.some((f) => f.fileName.includes('_OrderEvents_')),
  )
  for await (const r of readRecords(day, metas)) {
    const fields = JSON.parse(r.text) as Record<string, unknown>
    out.push({ type: String(fields.type), fields })
  }
  return out
}

/** Differences between records and layouts, one line per record and problem (the first few per type). */
function check(records: readonly Written[], layouts: ReadonlyMap<string, Layout>): string[] {
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const r of records) {
    const layout = layouts.get(r.type)
    const before = problems.length
    if (!layout) problems.push(`${r.type}: not a type of the layouts`)
    else {
      for (const name of Object.keys(r.fields))
        if (!layout.names.has(name)) problems.push(`${r.type}: field ${name} is not one of its fields`)
      for (const name of layout.required)
        if (r.fields[name] === undefined) problems.push(`${r.type}: required ${name} missing`)
    }
    if (problems.length > before) {
      const n = (seen.get(r.type) ?? 0) + 1
      seen.set(r.type, n)
      if (n > 3) problems.length = before
    }
  }
  return problems
}

interface TableField {
  name: string
  presence: string
  kind: string
}

/** Layouts of the v4.1 field tables, with the presence the catalogue's listed deviations give a field. */
function v41Layouts(path: string): Map<string, Layout> {
  const tables = JSON.parse(readFileSync(path, 'utf8')) as {
    eventTypes: Record<string, { fields: TableField[] }>
  }
  const relaxed = (type: string, name: string) =>
    V41_PRESENCE_DEVIATIONS.some(
      (d) =>
        d.transcription === 'R' &&
        d.catalogue !== 'R' &&
        d.fields.includes(name) &&
        (d.types === 'equity' ? CATALOGUE_V41.events.get(type)?.family === 'equity' : d.types.includes(type)),
    )
  return new Map(
    Object.entries(tables.eventTypes).map(([type, t]) => [
      type,
      {
        names: new Set(t.fields.map((f) => f.name)),
        required: t.fields
          .filter((f) => f.presence === 'R' && f.kind !== 'boolean' && !relaxed(type, f.name))
          .map((f) => f.name),
      },
    ]),
  )
}

/** Layouts of the official v2.2.1 schema. */
function v221Layouts(path: string): Map<string, Layout> {
  const schema = JSON.parse(readFileSync(path, 'utf8')) as {
    eventDefinitions: {
      eventName: string
      fields: { name: string; required: string; JSONDataType: unknown }[]
    }[]
  }
  return new Map(
    schema.eventDefinitions.map((e) => [
      e.eventName,
      {
        names: new Set(e.fields.map((f) => f.name)),
        required: e.fields
          .filter((f) => f.required === 'Required' && f.JSONDataType !== 'BOOLEAN')
          .map((f) => f.name),
      },
    ]),
  )
}

describe.skipIf(!V41)(
  'a simulated v4.1.0 day with options and multi-leg orders against the v4.1 field tables',
  () => {
    let records: Written[]

    beforeAll(async () => {
      // Big enough that even the rarest type (a representative quote's supplement) shows up.
      const day = await simulatedDay({
        orders: 2500,
        fileVersion: '4.1.0',
        products: ['equities', 'options', 'multileg'],
      })
      records = await firmRecords(day)
    }, 240_000)

    it('writes equity, option and multi-leg types', () => {
      const types = new Set(records.map((r) => r.type))
      for (const t of [
        'MENO',
        'MEOR',
        'MEOA',
        'MONO',
        'MOOR',
        'MOOA',
        'MOOC',
        'MOOM',
        'MLNO',
        'MLOR',
        'MLOA',
        'MLOC',
        'MOCR',
        'MLCR',
        'MOIR',
        'MOCO',
        'MOCOC',
        ...['MLIR', 'MLIM', 'MLIMR', 'MLIC', 'MLICR', 'MLCO', 'MLCOM'],
        ...['MEOJ', 'MOOJ', 'MEOE', 'MOOE', 'MLOE', 'MEOFS', 'MOOFS'],
        // Supplements of a restated representative order, of a trade and of a representative quote; an
        // option trade on an exchange's floor.
        ...['MEOMS', 'MOOMS', 'MEOTS', 'MENQS', 'MOOT'],
        // Quotes between firms and on their own, and the events on their keys.
        ...['MENQ', 'MERQ', 'MEQR', 'MEQC', 'MEQM', 'MEQS'],
        ...['MONQ', 'MORQ', 'MOQR', 'MOQC', 'MOQM'],
        ...['MLNQ', 'MLRQ', 'MLQR', 'MLQC', 'MLQM'],
      ])
        expect(types).toContain(t)
    })

    it('writes every one of the 99 types of the v4.1 field tables', () => {
      const layouts = v41Layouts(V41!)
      const written = new Set(records.map((r) => r.type))
      expect(layouts.size).toBe(99)
      expect([...layouts.keys()].filter((t) => !written.has(t))).toEqual([])
    })

    it('writes only known types, their own field names and every required field', () => {
      expect(check(records, v41Layouts(V41!))).toEqual([])
    })
  },
)

describe.skipIf(!V221)('a simulated v2.2.1 day against the official schema', () => {
  let records: Written[]

  beforeAll(async () => {
    records = await firmRecords(await simulatedDay({ orders: 400, fileVersion: '2.2.1' }))
  }, 240_000)

  it('writes only known types, their own field names and every required field', () => {
    expect(records.length).toBeGreaterThan(1000)
    expect(check(records, v221Layouts(V221!))).toEqual([])
  })
})
