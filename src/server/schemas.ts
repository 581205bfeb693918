/** JSON schema pieces the routes share: parameters, error answers, the engine's loosely typed values. */
import type { JsonSchema } from './route.ts'

/** A query string: the named string parameters and no others. */
export function params(properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false }
}

/** A string parameter, with a description and optional pattern. */
export function text(description: string, extra: Record<string, unknown> = {}): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: 200, description, ...extra }
}

/** A calendar date parameter. */
export function isoDate(description: string): JsonSchema {
  return { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description }
}

/** A flag parameter (`1` for on). */
export function onOff(description: string): JsonSchema {
  return { type: 'string', enum: ['0', '1'], description }
}

/** A count the engine gives as a big integer: a decimal string, or a number when small. */
export const COUNT: JsonSchema = {
  anyOf: [{ type: 'string', pattern: '^-?[0-9]+$' }, { type: 'integer' }],
}

/** An exact decimal as the store keeps it (prices, quantities): a string, or a number. */
export const DECIMAL: JsonSchema = { type: ['string', 'number'] }

/** A nullable value of a type. */
export function nullable(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { type: 'null' }] }
}

/** An object with these properties required (others allowed). */
export function object(
  properties: Record<string, JsonSchema>,
  required = Object.keys(properties),
): JsonSchema {
  return { type: 'object', properties, required }
}

/** An array of items. */
export function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items }
}

/** Every failure answer: an OpenCAT failure code, a message, and the HTTP status. */
export const ERROR_ANSWER: JsonSchema = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    code: { type: 'string', pattern: '^OCAT_ERR_[A-Z0-9_]+$' },
    message: { type: 'string' },
    status: { type: 'integer' },
  },
  required: ['error', 'code', 'message', 'status'],
}
