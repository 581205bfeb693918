/**
 * Resolves the written layouts (events/*.ts) into frozen EventSpecs: positions, include flags, field types
 * from the dictionary, composite element layouts.
 */
import { COMPOSITES } from './composites.ts'
import { parseTypeNotation } from './data-types.ts'
import type { EventDraft, LayoutChange } from './events/draft.ts'
import { fieldSpec } from './fields.ts'
import type { EventField, EventSpec, Family, Include } from './types.ts'

/** The header every Industry Member event starts with (positions 1-5). */
export const IM_HEADER = 'actionType:R errorROEID:C firmROEID:R type:R CATReporterIMID:O'

const TOKEN = /^([A-Za-z]+):([RCOA])(?:\[(\w+)\])?(?:\/(\w+))?$/

/** Splits a layout string into its tokens. */
export function layoutTokens(layout: string): string[] {
  return layout.split(/\s+/).filter((t) => t !== '')
}

function resolveToken(token: string, position: number): EventField {
  if (token === '-') {
    return Object.freeze({
      name: 'reservedForFutureUse',
      position,
      include: 'O',
      spec: fieldSpec('reservedForFutureUse'),
    })
  }
  const m = TOKEN.exec(token)
  if (!m) throw new Error(`catalogue: bad layout token ${token}`)
  const [, name, include, composite, typeOverride] = m
  let spec = fieldSpec(name)
  if (typeOverride) spec = Object.freeze({ ...spec, type: parseTypeNotation(typeOverride) })
  if (spec.type.kind === 'records') {
    const layout = composite ? COMPOSITES[composite] : undefined
    if (!layout) throw new Error(`catalogue: ${name} needs a composite layout`)
    spec = Object.freeze({ ...spec, type: Object.freeze({ kind: 'records', composite: composite! }) })
    const elements = layoutTokens(layout.layout).map((t, i) => resolveToken(t, i + 1))
    return Object.freeze({
      name,
      position,
      include: include as Include,
      spec,
      elements: Object.freeze(elements),
      ...(layout.maxElements ? { maxElements: layout.maxElements } : {}),
      ...(layout.limitCodes?.[name] ? { limitCode: layout.limitCodes[name] } : {}),
    })
  }
  return Object.freeze({ name, position, include: include as Include, spec })
}

/** Resolves one layout into an EventSpec. */
export function resolveEvent(draft: EventDraft, family: Family, source: string): EventSpec {
  const tokens = [...layoutTokens(draft.header ?? IM_HEADER), ...layoutTokens(draft.layout)]
  const fields = tokens.map((t, i) => resolveToken(t, i + 1))
  const byName = new Map<string, EventField>()
  for (const f of fields) {
    if (f.name === 'reservedForFutureUse') continue
    if (byName.has(f.name)) throw new Error(`catalogue: ${draft.type} lists ${f.name} twice`)
    byName.set(f.name, f)
  }
  return Object.freeze({
    type: draft.type,
    title: draft.title,
    family,
    key: draft.key,
    eventClass: draft.eventClass,
    doc: draft.doc,
    source: draft.source ?? source,
    fields: Object.freeze(fields),
    byName,
  })
}

/** Applies a v4 change to a resolved layout: overwrites positions, appends fields. */
export function applyChange(base: EventSpec, change: LayoutChange): EventSpec {
  const tokens = base.fields.map((f) => fieldToken(f))
  for (const [pos, token] of Object.entries(change.set ?? {})) {
    const i = Number(pos) - 1
    if (i < 0 || i >= tokens.length) throw new Error(`catalogue: ${base.type} has no position ${pos}`)
    tokens[i] = token
  }
  if (change.append) tokens.push(...layoutTokens(change.append))
  const header = tokens.slice(0, 5).join(' ')
  return resolveEvent(
    {
      type: base.type,
      title: base.title,
      key: base.key,
      eventClass: base.eventClass,
      doc: base.doc,
      header,
      layout: tokens.slice(5).join(' '),
      source: `${base.source}; ${change.source}`,
    },
    base.family,
    change.source,
  )
}

/** Writes a resolved field back in layout notation (so a layout can be derived from another). */
function fieldToken(f: EventField): string {
  if (f.name === 'reservedForFutureUse') return '-'
  const composite = f.spec.type.kind === 'records' ? `[${f.spec.type.composite}]` : ''
  const dictionaryType = fieldSpec(f.name).type
  const override =
    dictionaryType.kind !== f.spec.type.kind && f.spec.type.kind !== 'records' ? `/${f.spec.type.kind}` : ''
  return `${f.name}:${f.include}${composite}${override}`
}
