/**
 * The v2.2.1 part of the catalogue against the official CAT IM JSON schema, field by field: names,
 * positions, data types, required/conditional/optional flags, composite layouts, choice lists and
 * name/value pair definitions.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EventField } from '../../src/catalogue/index.ts'
import {
  CATALOGUE_V221,
  COMPOSITES,
  catTypeName,
  jsonTypeOf,
  SCHEMA_OMISSIONS_V221,
} from '../../src/catalogue/index.ts'
import { missingShared, sharedFile } from '../support/shared.ts'

const SCHEMA = ['spec', 'finra-v2.2.1', 'cat-schema.json']
const path = sharedFile(...SCHEMA)

interface SchemaField {
  name: string
  dataType: string | string[]
  JSONDataType: string | string[]
  required: string
  position: string
  arrayElements?: SchemaField[]
}

const REQUIRED: Record<string, string> = { R: 'Required', C: 'Conditional', O: 'Optional', A: 'Conditional' }

function ours(f: EventField, position: string): unknown {
  const composite = f.spec.type.kind === 'records' ? COMPOSITES[f.spec.type.composite].catName : undefined
  return {
    name: f.name,
    dataType: catTypeName(f.spec.type, composite),
    required: REQUIRED[f.include],
    position,
    ...(f.elements
      ? {
          arrayElements: f.elements.map((e) =>
            ours(e, `${f.position}.${f.maxElements === 1 ? '1' : 'n'}.${e.position}`),
          ),
        }
      : {}),
  }
}

function theirs(f: SchemaField): unknown {
  return {
    name: f.name,
    dataType: f.dataType,
    required: f.required,
    position: f.position,
    ...(f.arrayElements ? { arrayElements: f.arrayElements.map(theirs) } : {}),
  }
}

describe.skipIf(!path)('catalogue v2.2.1 matches the official schema', () => {
  const schema = path ? JSON.parse(readFileSync(path, 'utf8')) : undefined
  const imEvents = [...CATALOGUE_V221.events.values()].filter((e) => e.family !== 'exchange')

  it('has exactly the 32 official event types', () => {
    const names = schema.eventDefinitions.map((e: { eventName: string }) => e.eventName).sort()
    expect(names).toHaveLength(32)
    expect(imEvents.map((e) => e.type).sort()).toEqual(names)
  })

  it('lists every field of every event with the same name, position, type and flag', () => {
    for (const def of schema.eventDefinitions as { eventName: string; fields: SchemaField[] }[]) {
      const event = CATALOGUE_V221.events.get(def.eventName)!
      const mine = event.fields.map((f) => ours(f, String(f.position)))
      expect(mine, def.eventName).toEqual(def.fields.map(theirs))
    }
  })

  it('gives every field the JSON type the schema gives it', () => {
    for (const def of schema.eventDefinitions as { eventName: string; fields: SchemaField[] }[]) {
      const event = CATALOGUE_V221.events.get(def.eventName)!
      for (const f of def.fields) {
        const spec = event.fields[Number(f.position) - 1].spec
        const expected = Array.isArray(f.JSONDataType) ? [...f.JSONDataType].sort() : f.JSONDataType
        const got = jsonTypeOf(spec.type)
        expect(Array.isArray(got) ? [...got].sort() : got, `${def.eventName}.${f.name}`).toEqual(expected)
      }
    }
  })

  it('has the same choice lists', () => {
    for (const [list, values] of Object.entries(schema.choices as Record<string, string[]>)) {
      expect([...(CATALOGUE_V221.choices.get(list) ?? [])].sort(), list).toEqual([...values].sort())
    }
  })

  it('has the same Exchange IDs and message types', () => {
    const exchange = schema.dataTypes.find((d: { dataType: string }) => d.dataType === 'Exchange ID')
    expect([...CATALOGUE_V221.choices.get('exchangeID')!].sort()).toEqual([...exchange.allowedValues].sort())
    const types = schema.dataTypes.find((d: { dataType: string }) => d.dataType === 'Message Type')
    expect(imEvents.map((e) => e.type).sort()).toEqual([...types.allowedValues].sort())
  })

  it('has the same name/value pair definitions, besides the names the text defines and the schema omits', () => {
    for (const def of schema.nameValuePairDefinitions as { nameValuePair: string; fields: SchemaField[] }[]) {
      const nv = CATALOGUE_V221.nameValues.get(def.nameValuePair)!
      const omitted = new Set(SCHEMA_OMISSIONS_V221.get(def.nameValuePair) ?? [])
      for (const name of omitted) expect(nv.entries.has(name), name).toBe(true)
      const mine = [...nv.entries]
        .filter(([name]) => !omitted.has(name))
        .map(([name, type]) => ({ name, dataType: catTypeName(type) }))
        .sort(byName)
      const official = def.fields.map((f) => ({ name: f.name, dataType: f.dataType })).sort(byName)
      expect(mine, def.nameValuePair).toEqual(official)
    }
  })
})

describe.skipIf(path)('catalogue conformance', () => {
  it.skip(missingShared(...SCHEMA), () => {})
})

function byName(a: { name: string }, b: { name: string }) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
