/**
 * Decodes one record line, JSON or positional CSV, into typed values and field findings, driven by the
 * catalogue. Never throws on bad input: a malformed line is a finding with a CAT code (2134 format,
 * 2132 length, 2133 unknown field, 2105 type, 2002 actionType, or the field's own code).
 */
import type { Catalogue, EventSpec } from '../catalogue/index.ts'
import { BAD_FORMAT, FieldReader, UNKNOWN_FIELD } from './field-reader.ts'
import { type JsonObject, RawNumber, scanJsonObject } from './json-scan.ts'
import type { DecodedRecord, FieldFinding, Values } from './values.ts'

/** Longest record CAT accepts, in bytes, whitespace included. */
export const MAX_RECORD_BYTES = 8190
const TOO_LONG = 2132
const BAD_TYPE = 2105
const BAD_ACTION = 2002
const ACTIONS = new Set(['NEW', 'COR', 'RPR', 'DEL'])

/** Which header field holds a record's own id: firmROEID for firms, recordID for exchanges. */
export function roeField(event: EventSpec | undefined): 'firmROEID' | 'recordID' {
  return event?.family === 'exchange' ? 'recordID' : 'firmROEID'
}

function lengthFinding(line: string): FieldFinding | undefined {
  // UTF-8 never takes more than 3 bytes per UTF-16 unit, so short lines need no byte count.
  if (line.length <= MAX_RECORD_BYTES / 3) return undefined
  const bytes = Buffer.byteLength(line, 'utf8')
  if (bytes <= MAX_RECORD_BYTES) return undefined
  return { code: TOO_LONG, message: `record is ${bytes} bytes; the limit is ${MAX_RECORD_BYTES}` }
}

/** Decodes a JSON record line. */
export function decodeJsonRecord(line: string, cat: Catalogue): DecodedRecord {
  const tooLong = lengthFinding(line)
  const scan = scanJsonObject(line)
  if (!scan.ok) {
    const findings: FieldFinding[] = [
      { code: BAD_FORMAT, message: `not valid JSON at column ${scan.position + 1}: ${scan.reason}` },
    ]
    if (tooLong) findings.unshift(tooLong)
    return { values: {}, findings }
  }
  const obj = scan.object
  const head = readHeader(obj.get('actionType'), obj.get('type'), cat)
  if (tooLong) head.findings.unshift(tooLong)
  if (head.action === 'DEL') return decodeJsonDelete(obj, head.findings)
  if (!head.event) return { action: head.action, values: {}, findings: head.findings }
  const reader = new FieldReader(cat, head.event)
  reader.findings.push(...head.findings)
  for (const [key, token] of obj) {
    const field = head.event.byName.get(key)
    if (field) {
      if (key !== 'actionType' || head.action) reader.readJson(field, token)
    } else if (key === 'reservedForFutureUse' && head.event.fields.some((f) => f.name === key)) {
      reader.refuse(key, 'reserved field must be blank', 2156)
    } else {
      reader.refuse(key, `not a field of ${head.event.type}`, UNKNOWN_FIELD)
    }
  }
  reader.finish()
  return { type: head.event.type, action: head.action, values: reader.values, findings: reader.findings }
}

interface Header {
  action?: 'NEW' | 'COR' | 'RPR' | 'DEL'
  event?: EventSpec
  findings: FieldFinding[]
}

function readHeader(action: unknown, type: unknown, cat: Catalogue): Header {
  const findings: FieldFinding[] = []
  let act: Header['action']
  if (typeof action === 'string' && ACTIONS.has(action)) act = action as Header['action']
  else {
    findings.push({
      code: BAD_ACTION,
      field: 'actionType',
      message: action === undefined ? 'actionType: required but missing' : 'actionType: must be NEW, COR, RPR or DEL',
    })
  }
  if (act === 'DEL') return { action: act, findings }
  const event = typeof type === 'string' ? cat.events.get(type) : undefined
  if (!event) {
    findings.push({
      code: BAD_TYPE,
      field: 'type',
      message:
        type === undefined
          ? 'type: required but missing'
          : `type: ${typeof type === 'string' ? JSON.stringify(type) : 'value'} is not an event type of file version ${cat.version}`,
    })
  }
  return { action: act, event, findings }
}

// A record delete names the record by errorROEID or by its own id, and carries nothing else.
const DELETE_FIELDS = new Set(['actionType', 'errorROEID', 'firmROEID', 'recordID', 'type', 'CATReporterIMID', 'exchange'])

function decodeJsonDelete(obj: JsonObject, findings: FieldFinding[]): DecodedRecord {
  const values: Values = { actionType: 'DEL' }
  for (const [key, token] of obj) {
    if (key === 'actionType') continue
    if (!DELETE_FIELDS.has(key)) {
      findings.push({ code: UNKNOWN_FIELD, field: key, message: `${key}: not allowed on a DEL record` })
      continue
    }
    if (key === 'errorROEID') {
      if (token instanceof RawNumber && /^[0-9]{1,20}$/.test(token.text)) values.errorROEID = token.text
      else findings.push({ code: 2026, field: key, message: 'errorROEID: must be an unsigned number' })
    } else if (typeof token === 'string' && token.length > 0 && token.length <= 64) {
      values[key] = token
    } else {
      findings.push({ code: key === 'firmROEID' ? 2032 : BAD_FORMAT, field: key, message: `${key}: invalid` })
    }
  }
  checkDeleteTarget(values, findings)
  return { action: 'DEL', values, findings }
}

function checkDeleteTarget(values: Values, findings: FieldFinding[]): void {
  const byError = values.errorROEID !== undefined
  const byId = values.firmROEID !== undefined || values.recordID !== undefined
  if (byError === byId && !findings.some((f) => f.field === 'errorROEID' || f.field === 'firmROEID')) {
    findings.push({
      code: 2137,
      message: 'a DEL record names the record to delete by exactly one of errorROEID and firmROEID',
    })
  }
}

/** Decodes a positional CSV record line (a trailing CR is ignored). */
export function decodeCsvRecord(line: string, cat: Catalogue): DecodedRecord {
  if (line.endsWith('\r')) line = line.slice(0, -1)
  const tooLong = lengthFinding(line)
  const cells = line.split(',')
  const head = readHeader(cells[0]?.trim() || undefined, cells[3]?.trim() || undefined, cat)
  if (tooLong) head.findings.unshift(tooLong)
  if (head.action === 'DEL') return decodeCsvDelete(cells, head.findings)
  if (!head.event) return { action: head.action, values: {}, findings: head.findings }
  const event = head.event
  const reader = new FieldReader(cat, event)
  reader.findings.push(...head.findings)
  if (cells.length < event.fields.length) {
    reader.findings.push({
      code: BAD_FORMAT,
      message: `${event.type} has ${event.fields.length} positions but the line has ${cells.length}`,
    })
    return { type: event.type, action: head.action, values: {}, findings: reader.findings }
  }
  for (let i = event.fields.length; i < cells.length; i++) {
    if (cells[i].trim() !== '') {
      reader.refuse(`position ${i + 1}`, `${event.type} defines only ${event.fields.length} positions`, UNKNOWN_FIELD)
      break
    }
  }
  for (let i = 0; i < event.fields.length; i++) {
    const text = cells[i].trim()
    if (text === '') continue
    const field = event.fields[i]
    if (field.name === 'reservedForFutureUse') reader.refuse(`position ${i + 1}`, 'reserved field must be blank', 2156)
    else if (i !== 0 || head.action) reader.readCsv(field, text)
  }
  reader.finish()
  return { type: event.type, action: head.action, values: reader.values, findings: reader.findings }
}

function decodeCsvDelete(cells: string[], findings: FieldFinding[]): DecodedRecord {
  const values: Values = { actionType: 'DEL' }
  const errorROEID = cells[1]?.trim()
  const id = cells[2]?.trim()
  if (errorROEID) {
    if (/^[0-9]{1,20}$/.test(errorROEID)) values.errorROEID = errorROEID
    else findings.push({ code: 2026, field: 'errorROEID', message: 'errorROEID: must be an unsigned number' })
  }
  if (id) values.firmROEID = id
  if (cells.slice(3).some((c) => c.trim() !== '' )) {
    // A CSV delete may still carry the type and IMID positions; anything past them is not allowed.
    if (cells.slice(5).some((c) => c.trim() !== '')) {
      findings.push({ code: UNKNOWN_FIELD, message: 'a DEL record carries only actionType, errorROEID and firmROEID' })
    }
  }
  checkDeleteTarget(values, findings)
  return { action: 'DEL', values, findings }
}
