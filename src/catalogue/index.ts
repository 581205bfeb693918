/**
 * The event catalogue: the one source of truth for event layouts, field types, choice lists, name/value
 * pairs and CAT codes. Codecs, validation, the store, the docs and the simulator all read it.
 * @module
 */
export { CATALOGUE_V221, CATALOGUE_V4, CATALOGUES, DEFAULT_FILE_VERSION, catalogueFor } from './catalogue.ts'
export { CAT_CODES, catCode } from './cat-codes.ts'
export type { CatCode, LinkageType, Severity, Stage } from './cat-codes.ts'
export { COMPOSITES } from './composites.ts'
export { NUMERIC_LIMITS, STRING_LIMITS, catTypeName, jsonTypeOf } from './data-types.ts'
export { FIELDS, fieldSpec } from './fields.ts'
export type {
  Catalogue,
  DataType,
  EventClass,
  EventField,
  EventSpec,
  Family,
  FieldSpec,
  Include,
  KeyKind,
  NameValueSpec,
} from './types.ts'
