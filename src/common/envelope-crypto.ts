/**
 * Envelope encryption with AES-256-GCM: each blob gets its own data key, itself encrypted ("wrapped") by a
 * master key that lives outside the repository. Rotating the master key re-wraps data keys without
 * re-encrypting data. Format: "OCATENC1" · key id · wrapped data key · IV · ciphertext · tag.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const MAGIC = Buffer.from('OCATENC1')

/** A master key and its id. */
export interface MasterKey {
  readonly id: string
  readonly key: Buffer
}

function gcm(key: Buffer, data: Buffer): Buffer {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([c.update(data), c.final()])
  return Buffer.concat([iv, body, c.getAuthTag()])
}

function ungcm(key: Buffer, blob: Buffer): Buffer {
  const iv = blob.subarray(0, 12)
  const tag = blob.subarray(blob.length - 16)
  const d = createDecipheriv('aes-256-gcm', key, iv)
  d.setAuthTag(tag)
  return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()])
}

/** Encrypts `data` under a fresh data key wrapped by `master`. */
export function sealEnvelope(master: MasterKey, data: Buffer): Buffer {
  const dataKey = randomBytes(32)
  const wrapped = gcm(master.key, dataKey)
  const id = Buffer.from(master.id)
  const head = Buffer.alloc(4)
  head.writeUInt16BE(id.length, 0)
  head.writeUInt16BE(wrapped.length, 2)
  return Buffer.concat([MAGIC, head, id, wrapped, gcm(dataKey, data)])
}

/** The id of the master key a sealed blob needs. */
export function envelopeKeyId(blob: Buffer): string {
  if (!blob.subarray(0, 8).equals(MAGIC)) throw new Error('not an OpenCAT envelope')
  return blob.subarray(12, 12 + blob.readUInt16BE(8)).toString()
}

/** Decrypts a sealed blob; throws when the key is wrong or the blob was altered. */
export function openEnvelope(keys: (id: string) => MasterKey | undefined, blob: Buffer): Buffer {
  const id = envelopeKeyId(blob)
  const master = keys(id)
  if (!master) throw new Error(`master key ${id} is not available`)
  const idLen = blob.readUInt16BE(8)
  const wrappedLen = blob.readUInt16BE(10)
  const wrapped = blob.subarray(12 + idLen, 12 + idLen + wrappedLen)
  const dataKey = ungcm(master.key, wrapped)
  return ungcm(dataKey, blob.subarray(12 + idLen + wrappedLen))
}

/** Re-wraps a blob's data key under another master key (rotation) without touching the data. */
export function rewrapEnvelope(
  keys: (id: string) => MasterKey | undefined,
  to: MasterKey,
  blob: Buffer,
): Buffer {
  const id = envelopeKeyId(blob)
  const from = keys(id)
  if (!from) throw new Error(`master key ${id} is not available`)
  const idLen = blob.readUInt16BE(8)
  const wrappedLen = blob.readUInt16BE(10)
  const dataKey = ungcm(from.key, blob.subarray(12 + idLen, 12 + idLen + wrappedLen))
  const wrapped = gcm(to.key, dataKey)
  const newId = Buffer.from(to.id)
  const head = Buffer.alloc(4)
  head.writeUInt16BE(newId.length, 0)
  head.writeUInt16BE(wrapped.length, 2)
  return Buffer.concat([MAGIC, head, newId, wrapped, blob.subarray(12 + idLen + wrappedLen)])
}
