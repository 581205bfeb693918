/**
 * The PII vault: names, addresses, years of birth and other personal data from customer files, kept apart
 * from everything else, each file's worth sealed with envelope encryption under the vault master key
 * (outside the repository). Off unless the repository was created with it; every reveal is logged.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type MasterKey, openEnvelope, sealEnvelope } from '../common/envelope-crypto.ts'
import type { RepoPaths } from '../store/paths.ts'

/** What the vault holds of one customer. */
export interface VaultRecord {
  readonly ccid: string
  readonly kind: 'natural' | 'entity'
  readonly crd: string
  readonly fields: Record<string, unknown>
}

function vaultDir(paths: RepoPaths): string {
  return join(paths.root, 'vault')
}

/** Stores the PII of one customer file, sealed. */
export function storeInVault(
  paths: RepoPaths,
  key: MasterKey,
  fileId: number,
  records: readonly VaultRecord[],
): void {
  const dir = vaultDir(paths)
  mkdirSync(dir, { recursive: true })
  const target = join(dir, `f${fileId}.sealed`)
  writeFileSync(`${target}.part`, sealEnvelope(key, Buffer.from(JSON.stringify(records))))
  renameSync(`${target}.part`, target)
}

/** Every vault record of a CCID (decrypting each sealed file; latest file last). */
export function readVault(
  paths: RepoPaths,
  keys: (id: string) => MasterKey | undefined,
  ccid: string,
): VaultRecord[] {
  const dir = vaultDir(paths)
  if (!existsSync(dir)) return []
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sealed'))
    .sort((a, b) => Number(a.slice(1, -7)) - Number(b.slice(1, -7)))
  const out: VaultRecord[] = []
  for (const f of files) {
    const records = JSON.parse(openEnvelope(keys, readFileSync(join(dir, f))).toString()) as VaultRecord[]
    out.push(...records.filter((r) => r.ccid === ccid))
  }
  return out
}
