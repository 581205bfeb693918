/**
 * The v4.1 catalogue against the v4.1 field tables in ../shared/spec/v4.1/events.json, for every one of its
 * 99 event types: the same types, the same field names in the same CSV order, the same presence flags and
 * compatible kinds, and the choice lists. Where the catalogue deliberately differs (the spec digest wins),
 * the difference must be one the catalogue lists with its reason; nothing else may differ.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RETIRED_POSITION, V41_PRESENCE_DEVIATIONS } from '../../src/catalogue/events/v41-deviations.ts'
import type { DataType, EventField, EventSpec } from '../../src/catalogue/index.ts'
import { CATALOGUE_V41 } from '../../src/catalogue/index.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

const TABLES = ['spec', 'v4.1', 'events.json']
const path = sharedFile(...TABLES)

interface TableField {
  position: number
  name: string
  presence: string
  kind: string
  maxLength?: number
  digits?: number
  scale?: number
}

interface Tables {
  eventTypes: Record<string, { family: string; fields: TableField[] }>
  choices: Record<string, string[]>
}

const FAMILY: Record<string, string> = { equity: 'equity', option: 'option', 'multi-leg': 'multiLeg' }

/** The presence the catalogue gives a field the tables flag `presence`, after the listed deviations. */
function expectedPresence(event: EventSpec, name: string, presence: string): string {
  for (const d of V41_PRESENCE_DEVIATIONS) {
    const types = d.types === 'equity' ? event.family === 'equity' : d.types.includes(event.type)
    if (types && d.fields.includes(name) && d.transcription === presence) return d.catalogue
  }
  return presence
}

/** Whether a table kind (with its digits/scale or length) fits one of our data types. */
function kindFits(f: TableField, type: DataType): boolean {
  switch (f.kind) {
    case 'boolean':
      return type.kind === 'boolean'
    case 'text-or-number':
      return type.kind === 'timestamp'
    case 'name-value':
      return type.kind === 'nameValue'
    case 'array':
      return type.kind === 'array' || type.kind === 'records'
    case 'number': {
      const ns = `${f.digits}/${f.scale}`
      const fits: Record<string, string[]> = {
        '10/8': ['price'],
        '12/6': ['realQuantity'],
        '12/0': ['wholeQuantity'],
        '20/0': ['unsigned'],
        '8/0': ['date'],
      }
      return fits[ns]?.includes(type.kind) ?? false
    }
    case 'text': {
      if (type.kind === 'text' || type.kind === 'alphanumeric')
        return f.maxLength === undefined || f.maxLength === type.max
      return [
        'choice',
        'symbol',
        'messageType',
        'reporterIMID',
        'imid',
        'imidOrExchange',
        'exchangeID',
      ].includes(type.kind)
    }
    default:
      return false
  }
}

function ourName(f: EventField): string {
  return f.name
}

function theirName(f: TableField): string {
  return f.name === RETIRED_POSITION ? 'reservedForFutureUse' : f.name
}

describe.skipIf(!path)('catalogue v4.1 matches the v4.1 field tables', () => {
  const tables: Tables = path ? JSON.parse(readFileSync(path, 'utf8')) : { eventTypes: {}, choices: {} }
  const types = Object.keys(tables.eventTypes)

  it('holds exactly the 99 event types of the tables', () => {
    expect(types).toHaveLength(99)
    const ours = [...CATALOGUE_V41.events.values()].filter((e) => e.family !== 'exchange').map((e) => e.type)
    expect(ours.sort()).toEqual([...types].sort())
  })

  for (const type of types) {
    it(`${type}: field names in CSV order, presence, kinds and family`, () => {
      const event = CATALOGUE_V41.events.get(type)
      expect(event, type).toBeDefined()
      const table = tables.eventTypes[type]
      expect(event!.family).toBe(FAMILY[table.family])
      expect(event!.fields.map(ourName)).toEqual(table.fields.map(theirName))
      for (const f of table.fields) {
        const ours = event!.fields[f.position - 1]
        if (ours.name === 'reservedForFutureUse') continue
        expect(ours.include, `${type}.${f.name} presence`).toBe(expectedPresence(event!, f.name, f.presence))
        expect(kindFits(f, ours.spec.type), `${type}.${f.name} kind ${f.kind}`).toBe(true)
      }
    })
  }

  it('lists no deviation that no longer differs from the tables', () => {
    for (const d of V41_PRESENCE_DEVIATIONS) {
      const names = d.types === 'equity' ? types.filter((t) => t.startsWith('ME')) : d.types
      let used = 0
      for (const type of names) {
        for (const f of tables.eventTypes[type].fields) {
          if (!d.fields.includes(f.name) || f.presence !== d.transcription) continue
          expect(CATALOGUE_V41.events.get(type)!.fields[f.position - 1].include).toBe(d.catalogue)
          used++
        }
      }
      expect(used, `${d.fields.join(',')} on ${String(d.types)}`).toBeGreaterThan(0)
    }
  })

  it('allows every choice value of the tables', () => {
    for (const [list, values] of Object.entries(tables.choices)) {
      const ours = CATALOGUE_V41.choices.get(list)
      expect(ours, list).toBeDefined()
      for (const v of values) expect(ours!.has(v), `${list}: ${v}`).toBe(true)
    }
  })
})

describe.skipIf(!!path)('catalogue v4.1 conformance', () => {
  it.skip(missingShared(...TABLES), () => {})
})
