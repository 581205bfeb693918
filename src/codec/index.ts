/**
 * Record codecs: one record line of JSON or positional CSV to typed values and back, driven by the
 * catalogue, with exact numbers and CAT findings for anything malformed.
 * @module
 */

export type { SlotRecord } from './decode.ts'
export {
  decodeCsvRecord,
  decodeCsvSlots,
  decodeJsonRecord,
  decodeJsonSlots,
  MAX_RECORD_BYTES,
  roeField,
  tooLongRecord,
} from './decode.ts'
export { encodeCsvRecord, encodeDeleteRecord, encodeJsonRecord } from './encode.ts'
export type { EventPlan, FieldPlan } from './field-plan.ts'
export type { JsonObject, JsonValue } from './json-scan.ts'
export { RawNumber, scanJsonDocument, scanJsonObject } from './json-scan.ts'
export type {
  DecodedRecord,
  Element,
  FieldFinding,
  NameValues,
  Scalar,
  Timestamp,
  Value,
  Values,
} from './values.ts'
export { isTimestamp } from './values.ts'
