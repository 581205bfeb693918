/**
 * The catalogue versions OpenCAT accepts, and how a metadata file's `fileVersion` selects one.
 */
import { applyChange, resolveEvent } from './build.ts'
import { CHOICES_V4, CHOICES_V41, CHOICES_V221 } from './choices.ts'
import { EQUITY_V4_CHANGES, EQUITY_V4_EVENTS } from './events/equity-v4.ts'
import { EQUITY_V41 } from './events/equity-v41.ts'
import { EQUITY_V221 } from './events/equity-v221.ts'
import { COMPLEX_EXCHANGE_EVENTS, EXCHANGE_EVENTS } from './events/exchange.ts'
import { MULTILEG_V41 } from './events/multileg-v41.ts'
import { OPTIONS_V41 } from './events/options-v41.ts'
import { OPTIONS_V221 } from './events/options-v221.ts'
import { NAME_VALUES_V4, NAME_VALUES_V41, NAME_VALUES_V221 } from './name-values.ts'
import type { Catalogue, EventSpec } from './types.ts'

const OFFICIAL = 'CAT IM Technical Specifications v2.2.1 r3 and its JSON schema'

// Resolved layouts are frozen, so the versions that share a layout share its EventSpec: each is resolved
// once per process (every command that opens a repository derives the store's columns from all of them).
let v221: ReadonlyMap<string, EventSpec> | undefined
let exchange: readonly EventSpec[] | undefined

function v221Events(): Map<string, EventSpec> {
  if (!v221) {
    const events = new Map<string, EventSpec>()
    for (const d of EQUITY_V221) events.set(d.type, resolveEvent(d, 'equity', OFFICIAL))
    for (const d of OPTIONS_V221) events.set(d.type, resolveEvent(d, 'option', OFFICIAL))
    v221 = events
  }
  return new Map(v221)
}

function withExchange(events: Map<string, EventSpec>): Map<string, EventSpec> {
  exchange ??= EXCHANGE_EVENTS.map((d) => resolveEvent(d, 'exchange', d.source ?? ''))
  for (const e of exchange) events.set(e.type, e)
  return events
}

function buildV221(): Catalogue {
  return Object.freeze({
    version: '2.2.1',
    events: withExchange(v221Events()),
    choices: CHOICES_V221,
    nameValues: NAME_VALUES_V221,
  })
}

function buildV4(): Catalogue {
  const events = v221Events()
  for (const change of EQUITY_V4_CHANGES) {
    const base = events.get(change.type)
    if (!base) throw new Error(`catalogue: v4 change to unknown event ${change.type}`)
    events.set(change.type, applyChange(base, change))
  }
  for (const d of EQUITY_V4_EVENTS) events.set(d.type, resolveEvent(d, 'equity', d.source ?? ''))
  return Object.freeze({
    version: '4.0.0',
    events: withExchange(events),
    choices: CHOICES_V4,
    nameValues: NAME_VALUES_V4,
  })
}

const V41 =
  'CAT IM Technical Specifications v4.1.0 r15, field tables as a third-party viewer publishes them, checked against the spec digest'

function buildV41(): Catalogue {
  const events = new Map<string, EventSpec>()
  for (const d of EQUITY_V41) events.set(d.type, resolveEvent(d, 'equity', V41))
  for (const d of OPTIONS_V41) events.set(d.type, resolveEvent(d, 'option', V41))
  for (const d of MULTILEG_V41) events.set(d.type, resolveEvent(d, 'multiLeg', V41))
  for (const d of COMPLEX_EXCHANGE_EVENTS) events.set(d.type, resolveEvent(d, 'exchange', d.source ?? ''))
  return Object.freeze({
    version: '4.1.0',
    events: withExchange(events),
    choices: CHOICES_V41,
    nameValues: NAME_VALUES_V41,
  })
}

/** The official v2.2.1 catalogue (32 IM event types) plus OpenCAT's exchange events. */
export const CATALOGUE_V221: Catalogue = buildV221()
/** v2.2.1 with the confirmed v4 changes and the v4 event types OpenCAT needs. */
export const CATALOGUE_V4: Catalogue = buildV4()

/** Every event type of v4.1 (equity, single-leg option, multi-leg) plus OpenCAT's exchange events. */
export const CATALOGUE_V41: Catalogue = buildV41()

/** Every catalogue version, newest first. */
export const CATALOGUES: readonly Catalogue[] = [CATALOGUE_V41, CATALOGUE_V4, CATALOGUE_V221]

/** The version the simulator writes and tools use unless told otherwise. */
export const DEFAULT_FILE_VERSION = '4.0.0'

/**
 * The catalogue a metadata file's fileVersion selects: exactly one of the versions above. Returns undefined
 * for anything else (another release, a malformed version), which intake reports as 1116.
 */
export function catalogueFor(fileVersion: string): Catalogue | undefined {
  return CATALOGUES.find((c) => c.version === fileVersion)
}
