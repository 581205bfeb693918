/**
 * Decodes one record line, JSON or positional CSV, into typed values and field findings, driven by the
 * compiled catalogue. Never throws on bad input: a malformed line is a finding with a CAT code (2134
 * format, 2132 length, 2133 unknown field, 2105 type, 2002 actionType, or the field's own code).
 * `decode*Slots` give values by layout position (the ingestion path); `decode*Record` by field name.
 */
import type { Catalogue, EventSpec } from '../catalogue/index.ts'
import { type EventPlan, eventPlan } from './field-plan.ts'
import { BAD_FORMAT, FieldReader, UNKNOWN_FIELD } from './field-reader.ts'
import { RecordScan, scanRecord, TOKEN } from './json-scan.ts'
import type { DecodedRecord, FieldFinding, Value, Values } from './values.ts'

/** Longest record CAT accepts, in bytes, whitespace included. */
export const MAX_RECORD_BYTES = 8190
const TOO_LONG = 2132
const BAD_TYPE = 2105
const BAD_ACTION = 2002
const ACTIONS = new Set(['NEW', 'COR', 'RPR', 'DEL'])

type Action = 'NEW' | 'COR' | 'RPR' | 'DEL'

/** A decoded record with values by layout position. */
export interface SlotRecord {
  readonly plan?: EventPlan
  readonly action?: Action
  /** Values by position in `plan.event.fields` (empty when the type is unknown or for a DEL). */
  readonly slots: readonly (Value | undefined)[]
  readonly findings: FieldFinding[]
  /** For a record delete: what it names. */
  readonly deleteTarget?: { readonly errorROEID?: string; readonly roeId?: string }
}

/** Which header field holds a record's own id: firmROEID for firms, recordID for exchanges. */
export function roeField(event: EventSpec | undefined): 'firmROEID' | 'recordID' {
  return event?.family === 'exchange' ? 'recordID' : 'firmROEID'
}

function tooLong(bytes: number): FieldFinding {
  return { code: TOO_LONG, message: `record is ${bytes} bytes; the limit is ${MAX_RECORD_BYTES}` }
}

function lengthFinding(line: string): FieldFinding | undefined {
  // UTF-8 never takes more than 3 bytes per UTF-16 unit, so short lines need no byte count.
  if (line.length <= MAX_RECORD_BYTES / 3) return undefined
  const bytes = Buffer.byteLength(line, 'utf8')
  if (bytes <= MAX_RECORD_BYTES) return undefined
  return tooLong(bytes)
}

/**
 * A record of `bytes` bytes, over the limit, that was not kept whole (so not decoded): refused with 2132
 * alone, since what its cut-off rest would say is unknown.
 */
export function tooLongRecord(bytes: number): SlotRecord {
  return { slots: EMPTY, findings: [tooLong(bytes)] }
}

const EMPTY: readonly (Value | undefined)[] = []

interface Header {
  action?: Action
  plan?: EventPlan
  findings: FieldFinding[]
}

function readHeader(
  action: string | undefined,
  type: string | undefined,
  typeGiven: boolean,
  cat: Catalogue,
): Header {
  const findings: FieldFinding[] = []
  let act: Action | undefined
  if (action !== undefined && ACTIONS.has(action)) act = action as Action
  else {
    findings.push({
      code: BAD_ACTION,
      field: 'actionType',
      message:
        action === undefined
          ? 'actionType: required but missing or not text'
          : 'actionType: must be NEW, COR, RPR or DEL',
    })
  }
  if (act === 'DEL') return { action: act, findings }
  const event = type !== undefined ? cat.events.get(type) : undefined
  if (!event) {
    findings.push({
      code: BAD_TYPE,
      field: 'type',
      message: !typeGiven
        ? 'type: required but missing'
        : `type: ${type === undefined ? 'value' : JSON.stringify(type)} is not an event type of file version ${cat.version}`,
    })
    return { action: act, findings }
  }
  return { action: act, plan: eventPlan(cat, event), findings }
}

// Reused across calls: decoding is synchronous, so one scan buffer per process is enough.
const scan = new RecordScan()

/** Decodes a JSON record line into values by layout position. */
export function decodeJsonSlots(line: string, cat: Catalogue): SlotRecord {
  const tooLong = lengthFinding(line)
  if (!scanRecord(line, scan)) {
    const findings: FieldFinding[] = [
      { code: BAD_FORMAT, message: `not valid JSON at column ${scan.errorAt + 1}: ${scan.error}` },
    ]
    if (tooLong) findings.unshift(tooLong)
    return { slots: EMPTY, findings }
  }
  const n = scan.count
  let action: string | undefined
  let type: string | undefined
  let typeGiven = false
  for (let i = 0; i < n; i++) {
    const k = scan.keys[i]
    if (k === 'actionType') action = scan.kinds[i] === TOKEN.STRING ? scan.texts[i] : undefined
    else if (k === 'type') {
      typeGiven = true
      type = scan.kinds[i] === TOKEN.STRING ? scan.texts[i] : undefined
    }
  }
  const head = readHeader(action, type, typeGiven, cat)
  if (tooLong) head.findings.unshift(tooLong)
  if (head.action === 'DEL') return jsonDelete(head.findings)
  if (!head.plan)
    return { ...(head.action ? { action: head.action } : {}), slots: EMPTY, findings: head.findings }
  const plan = head.plan
  const reader = new FieldReader(cat, plan)
  reader.findings.push(...head.findings)
  for (let i = 0; i < n; i++) {
    const key = scan.keys[i]
    const fp = plan.byName.get(key)
    if (fp) {
      if (reader.slots[fp.index] !== undefined) reader.refuse(key, 'appears twice', BAD_FORMAT)
      else if (key !== 'actionType' || head.action)
        reader.readJsonToken(fp, scan.kinds[i], scan.texts[i], scan.nested[i])
    } else if (key === 'reservedForFutureUse' && plan.hasReserved) {
      reader.refuse(key, 'reserved field must be blank', 2156)
    } else {
      reader.refuse(key, `not a field of ${plan.event.type}`, UNKNOWN_FIELD)
    }
  }
  reader.finish()
  return {
    plan,
    ...(head.action ? { action: head.action } : {}),
    slots: reader.slots,
    findings: reader.findings,
  }
}

// A record delete names the record by errorROEID or by its own id, and carries nothing else.
const DELETE_FIELDS = new Set([
  'actionType',
  'errorROEID',
  'firmROEID',
  'recordID',
  'type',
  'CATReporterIMID',
  'exchange',
])

function jsonDelete(findings: FieldFinding[]): SlotRecord {
  let errorROEID: string | undefined
  let roeId: string | undefined
  for (let i = 0; i < scan.count; i++) {
    const key = scan.keys[i]
    if (key === 'actionType') continue
    if (!DELETE_FIELDS.has(key)) {
      findings.push({ code: UNKNOWN_FIELD, field: key, message: `${key}: not allowed on a DEL record` })
      continue
    }
    const kind = scan.kinds[i]
    const text = scan.texts[i]
    if (key === 'errorROEID') {
      if (kind === TOKEN.NUMBER && /^[0-9]{1,20}$/.test(text)) errorROEID = text
      else findings.push({ code: 2026, field: key, message: 'errorROEID: must be an unsigned number' })
    } else if (key === 'firmROEID' || key === 'recordID') {
      if (kind === TOKEN.STRING && text.length > 0 && text.length <= 64) roeId = text
      else findings.push({ code: 2032, field: key, message: `${key}: invalid` })
    }
  }
  return deleteRecord(errorROEID, roeId, findings)
}

function deleteRecord(
  errorROEID: string | undefined,
  roeId: string | undefined,
  findings: FieldFinding[],
): SlotRecord {
  if (
    (errorROEID === undefined) === (roeId === undefined) &&
    !findings.some((f) => f.field === 'errorROEID' || f.field === 'firmROEID')
  ) {
    findings.push({
      code: 2137,
      message: 'a DEL record names the record to delete by exactly one of errorROEID and firmROEID',
    })
  }
  return {
    action: 'DEL',
    slots: EMPTY,
    findings,
    deleteTarget: {
      ...(errorROEID !== undefined ? { errorROEID } : {}),
      ...(roeId !== undefined ? { roeId } : {}),
    },
  }
}

/** Decodes a positional CSV record line (a trailing CR is ignored) into values by layout position. */
export function decodeCsvSlots(line: string, cat: Catalogue): SlotRecord {
  if (line.endsWith('\r')) line = line.slice(0, -1)
  const tooLong = lengthFinding(line)
  const cells = line.split(',')
  const first = cells[0]?.trim()
  const typeText = cells[3]?.trim()
  const head = readHeader(first || undefined, typeText || undefined, Boolean(typeText), cat)
  if (tooLong) head.findings.unshift(tooLong)
  if (head.action === 'DEL') return csvDelete(cells, head.findings)
  if (!head.plan)
    return { ...(head.action ? { action: head.action } : {}), slots: EMPTY, findings: head.findings }
  const plan = head.plan
  const reader = new FieldReader(cat, plan)
  reader.findings.push(...head.findings)
  const width = plan.fields.length
  if (cells.length < width) {
    reader.findings.push({
      code: BAD_FORMAT,
      message: `${plan.event.type} has ${width} positions but the line has ${cells.length}`,
    })
    return { plan, ...(head.action ? { action: head.action } : {}), slots: EMPTY, findings: reader.findings }
  }
  for (let i = width; i < cells.length; i++) {
    if (cells[i].trim() !== '') {
      reader.refuse(`position ${i + 1}`, `${plan.event.type} defines only ${width} positions`, UNKNOWN_FIELD)
      break
    }
  }
  for (let i = 0; i < width; i++) {
    const text = cells[i].trim()
    if (text === '') continue
    const fp = plan.fields[i]
    if (fp.field.name === 'reservedForFutureUse')
      reader.refuse(`position ${i + 1}`, 'reserved field must be blank', 2156)
    else if (i !== 0 || head.action) reader.readCsv(fp, text)
  }
  reader.finish()
  return {
    plan,
    ...(head.action ? { action: head.action } : {}),
    slots: reader.slots,
    findings: reader.findings,
  }
}

function csvDelete(cells: string[], findings: FieldFinding[]): SlotRecord {
  const errorText = cells[1]?.trim()
  const id = cells[2]?.trim()
  let errorROEID: string | undefined
  if (errorText) {
    if (/^[0-9]{1,20}$/.test(errorText)) errorROEID = errorText
    else findings.push({ code: 2026, field: 'errorROEID', message: 'errorROEID: must be an unsigned number' })
  }
  // A CSV delete may still carry the type and IMID positions; anything past them is not allowed.
  if (cells.slice(5).some((c) => c.trim() !== '')) {
    findings.push({
      code: UNKNOWN_FIELD,
      message: 'a DEL record carries only actionType, errorROEID and firmROEID',
    })
  }
  return deleteRecord(errorROEID, id || undefined, findings)
}

function named(rec: SlotRecord): DecodedRecord {
  let values: Values = {}
  if (rec.action === 'DEL') {
    values = { actionType: 'DEL' }
    if (rec.deleteTarget?.errorROEID !== undefined) values.errorROEID = rec.deleteTarget.errorROEID
    if (rec.deleteTarget?.roeId !== undefined) values.firmROEID = rec.deleteTarget.roeId
  } else if (rec.plan && rec.slots.length > 0) {
    const fields = rec.plan.fields
    for (let i = 0; i < fields.length; i++) {
      const v = rec.slots[i]
      if (v !== undefined) values[fields[i].field.name] = v
    }
  }
  return {
    ...(rec.plan && rec.action !== 'DEL' ? { type: rec.plan.event.type } : {}),
    ...(rec.action ? { action: rec.action } : {}),
    values,
    findings: rec.findings,
  }
}

/** Decodes a JSON record line into values by field name. */
export function decodeJsonRecord(line: string, cat: Catalogue): DecodedRecord {
  return named(decodeJsonSlots(line, cat))
}

/** Decodes a positional CSV record line into values by field name. */
export function decodeCsvRecord(line: string, cat: Catalogue): DecodedRecord {
  return named(decodeCsvSlots(line, cat))
}
