/**
 * CAT Customer IDs: a keyed one-way transform (HMAC-SHA-256) of the transformed identifier (TID) a broker
 * sends. The same TID from any broker gives the same CCID; without the key (kept outside the repository)
 * a CCID cannot be traced back, and a TID is never stored.
 */
import { createHmac } from 'node:crypto'
import type { MasterKey } from '../common/envelope-crypto.ts'

/** The CCID of a TID under a key: `CC` and 32 hex digits (128 bits). */
export function ccidOf(key: MasterKey, tid: string): string {
  return `CC${createHmac('sha256', key.key).update(`ccid-v1:${tid}`).digest('hex').slice(0, 32).toUpperCase()}`
}
