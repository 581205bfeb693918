/** Turns failures into HTTP answers: OpenCAT failures with their code and status, anything else a 500. */
import type { ServerResponse } from 'node:http'
import { OpenCatError } from '../common/errors.ts'

/** Writes a JSON body with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

/** Writes the error answer for anything a route threw. */
export function sendError(res: ServerResponse, e: unknown, log: (line: string) => void): void {
  if (e instanceof OpenCatError) return sendJson(res, e.status, e.toJSON())
  log(`internal error: ${(e as Error).stack ?? String(e)}`)
  sendJson(res, 500, {
    error: 'InternalError',
    code: 'OCAT_ERR_INTERNAL',
    message: 'internal error; see the server log',
    status: 500,
  })
}
