/**
 * The event catalogue: the one source of truth for event layouts, field types, choice lists, name/value
 * pairs and CAT codes. Codecs, validation, the store, the docs and the simulator all read it.
 * @module
 */

export type { CatCode, CustomerCodeName, LinkageType, Severity, Stage } from './cat-codes.ts'
export { CAT_CODES, CUSTOMER_CODE, catCode } from './cat-codes.ts'
export {
  CATALOGUE_V4,
  CATALOGUE_V41,
  CATALOGUE_V221,
  CATALOGUES,
  catalogueFor,
  DEFAULT_FILE_VERSION,
} from './catalogue.ts'
export { FINRA_FACILITIES } from './choices.ts'
export { COMPOSITES } from './composites.ts'
export { catTypeName, jsonTypeOf, NUMERIC_LIMITS, STRING_LIMITS } from './data-types.ts'
export { FIELDS, fieldSpec } from './fields.ts'
export { SCHEMA_OMISSIONS_V221 } from './name-values.ts'
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
