/**
 * Turns failures into HTTP answers: OpenCAT failures with their code and status, the framework's own
 * (a parameter the schema refuses, a body too large, JSON that does not parse) as clear 4xx failures, and
 * anything else a 500 whose details go to the server log only.
 */
import { OpenCatError } from '../common/errors.ts'

/** A JSON text of a value: big integers as decimal strings. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
}

interface FrameworkError {
  readonly code?: string
  readonly statusCode?: number
  readonly message?: string
  readonly validation?: readonly {
    instancePath?: string
    message?: string
    params?: Record<string, unknown>
  }[]
  readonly validationContext?: string
}

function validationMessage(e: FrameworkError): string {
  const first = e.validation?.[0]
  const where = e.validationContext ?? 'request'
  const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : ''
  const extra = first?.params?.additionalProperty
  if (extra !== undefined) return `${where}: unknown parameter "${String(extra)}"`
  const missing = first?.params?.missingProperty
  if (missing !== undefined) return `${where}: "${String(missing)}" is required`
  return `${where}${field ? ` ${field}` : ''}: ${first?.message ?? e.message ?? 'is not valid'}`
}

/** The OpenCAT failure a thrown value stands for, or undefined for an internal error. */
export function failureOf(e: unknown): OpenCatError | undefined {
  if (e instanceof OpenCatError) return e
  const f = (e ?? {}) as FrameworkError
  if (f.validation) return new OpenCatError('OCAT_ERR_HTTP_REQUEST', validationMessage(f))
  switch (f.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OpenCatError('OCAT_ERR_HTTP_TOO_LARGE', 'the request body is too large')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new OpenCatError(
        'OCAT_ERR_HTTP_REQUEST',
        'send the body as JSON (content-type: application/json)',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new OpenCatError('OCAT_ERR_HTTP_REQUEST', 'the JSON body is empty')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new OpenCatError('OCAT_ERR_HTTP_REQUEST', 'the body is not valid JSON')
  }
  if (f.statusCode === 413)
    return new OpenCatError('OCAT_ERR_HTTP_TOO_LARGE', 'the request body is too large')
  if (f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500)
    return new OpenCatError('OCAT_ERR_HTTP_REQUEST', f.message ?? 'the request is malformed')
  return undefined
}

/** The answer of an internal error. */
export const INTERNAL_ANSWER = {
  error: 'InternalError',
  code: 'OCAT_ERR_INTERNAL',
  message: 'internal error; see the server log',
  status: 500,
} as const
