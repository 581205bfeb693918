/**
 * Vault master key rotation: every sealed blob of the repository (customer files in the inbox, vault
 * files) has its data key re-wrapped under the new master key; the data itself is not re-encrypted.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rewrapEnvelope } from '../common/envelope-crypto.ts'
import type { Repository } from '../store/repository.ts'

/** Re-wraps every sealed file under the current vault key; returns how many. */
export function rewrapSealedFiles(repo: Repository): number {
  const keys = repo.keys()
  let n = 0
  for (const dir of [repo.paths.inbox, join(repo.paths.root, 'vault')]) {
    let entries: string[]
    try {
      entries = readdirSync(dir).filter((f) => f.endsWith('.sealed'))
    } catch {
      continue
    }
    for (const f of entries) {
      const path = join(dir, f)
      writeFileSync(
        `${path}.part`,
        rewrapEnvelope((id) => keys.vaultKey(id), keys.vault, readFileSync(path)),
      )
      renameSync(`${path}.part`, path)
      n++
    }
  }
  return n
}
