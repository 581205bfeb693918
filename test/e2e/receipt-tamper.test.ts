/**
 * Receipts hold against an insider: `opencat verify-receipt` fails when the stored file's bytes were
 * altered, and a file log re-signed with a key planted inside the repository folder fails `--log`, because
 * the signing key lives in the key folder outside it. A repository whose key an earlier version kept
 * inside has it moved out on its first write, and its receipts still verify.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { rootHash } from '../../src/intake/merkle-tree.ts'
import { Database } from '../../src/store/database.ts'
import { RepoPaths } from '../../src/store/paths.ts'
import { repositoryCipher } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-receipt-'))
const dir = join(root, 'repo')
const keys = `${dir}-keys`
let day: string
let ack: string

interface Verdict {
  ok: boolean
  checks: { check: string; ok: boolean; detail?: string }[]
}

async function verify(...args: string[]): Promise<Verdict & { code: number | null }> {
  const r = await runCli(['verify-receipt', '--repo', dir, '--json', ...args])
  return { ...(JSON.parse(r.stdout) as Verdict), code: r.code }
}

const failed = (v: Verdict) => v.checks.filter((c) => !c.ok).map((c) => c.check)

/** The stored (inbox) file of the acknowledged data file. */
function storedFile(): string {
  const name = readdirSync(join(dir, 'inbox')).find(
    (f) => f.includes('_OrderEvents_') && f.endsWith('.json.bz2'),
  )
  return join(dir, 'inbox', name!)
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 120, seed: 5 })
  expect((await runCli(['init', '--repo', dir, '--reference', join(day, 'reference')])).code).toBe(0)
  const r = await runCli([
    'submit',
    '--repo',
    dir,
    '--no-link',
    '--at',
    '2026-03-02T18:00:00',
    join(day, 'submissions'),
  ])
  expect(r.code, r.stderr).toBe(0)
  const stored = storedFile()
  const base = stored.replace(/^.*\/[0-9]+-/, '').replace(/\.json\.bz2$/, '')
  const found = readdirSync(join(dir, 'feedback'), { recursive: true })
    .map(String)
    .find((f) => f.endsWith(`${base}.ack.json`))
  expect(found, `no acknowledgement of ${base}`).toBeDefined()
  ack = join(dir, 'feedback', found!)
}, 120_000)

describe('verify-receipt against an insider', () => {
  it('verifies an untouched receipt and log, with the signing key outside the repository', async () => {
    expect(existsSync(join(keys, 'signing-key.pem'))).toBe(true)
    expect(existsSync(join(dir, 'keys'))).toBe(false)
    const v = await verify(ack)
    expect(failed(v)).toEqual([])
    expect(v.code).toBe(0)
    expect((await verify('--log')).code).toBe(0)
  })

  it('fails when the stored file’s bytes were altered, and passes again once they are restored', async () => {
    const stored = storedFile()
    const original = readFileSync(stored)
    const altered = Buffer.from(original)
    altered[altered.length - 5] ^= 0xff
    writeFileSync(stored, altered)
    try {
      const v = await verify(ack)
      expect(v.code).toBe(1)
      expect(failed(v)).toEqual(['stored file has the bytes the receipt hashes'])
      const log = await verify('--log')
      expect(log.code).toBe(1)
      expect(failed(log)).toEqual(['every stored file has the bytes its leaf hashes'])
    } finally {
      writeFileSync(stored, original)
    }
    expect((await verify(ack)).code).toBe(0)
  })

  it('fails --log when the log was rewritten and re-signed with a key planted inside the repository', async () => {
    const stored = storedFile()
    const original = readFileSync(stored)
    const { privateKey } = generateKeyPairSync('ed25519')
    mkdirSync(join(dir, 'keys'), { recursive: true })
    writeFileSync(
      join(dir, 'keys', 'receipt-signing-key.pem'),
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
    )
    // The insider swaps the file, rewrites its leaf to the new hash and re-signs every tree head (holding
    // the store's data key too, so the encrypted catalogue is no obstacle).
    writeFileSync(stored, Buffer.concat([original, Buffer.from('x')]))
    const cipher = repositoryCipher(new RepoPaths(dir))
    const db = await Database.open(join(dir, 'catalog.duckdb'), cipher ? { cipher } : {})
    try {
      const sha = createHash('sha256').update(readFileSync(stored)).digest('hex')
      const leaf = (await db.one<{ leaf_index: number; leaf_data: string }>(
        `SELECT l.leaf_index, l.leaf_data FROM log_leaves l JOIN files f ON f.file_id = l.file_id WHERE f.inbox_path = $1`,
        [stored.replace(/^.*\//, '')],
      ))!
      const data = leaf.leaf_data.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${sha}"`)
      const hash = (d: string) =>
        createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(d)]))
      await db.run('UPDATE log_leaves SET leaf_data = $1, leaf_hash = $2 WHERE leaf_index = $3', [
        data,
        hash(data).digest('hex'),
        leaf.leaf_index,
      ])
      await db.run('UPDATE files SET sha256 = $1 WHERE inbox_path = $2', [sha, stored.replace(/^.*\//, '')])
      const leaves = (
        await db.all<{ leaf_hash: string }>('SELECT leaf_hash FROM log_leaves ORDER BY leaf_index')
      ).map((r) => Buffer.from(r.leaf_hash, 'hex'))
      for (const h of await db.all<{ tree_size: number; signed_ns: string }>(
        'SELECT tree_size, signed_ns::VARCHAR AS signed_ns FROM log_heads',
      )) {
        const size = Number(h.tree_size)
        const rootHex = rootHash(leaves.slice(0, size)).toString('hex')
        const sig = sign(
          null,
          Buffer.from(`opencat-tree-head-v1\n${size}\n${rootHex}\n${h.signed_ns}`),
          privateKey,
        ).toString('base64')
        await db.run('UPDATE log_heads SET root_hash = $1, signature = $2 WHERE tree_size = $3', [
          rootHex,
          sig,
          size,
        ])
      }
    } finally {
      db.close()
    }
    const log = await verify('--log')
    expect(log.code).toBe(1)
    expect(failed(log).some((c) => c.startsWith('head of size'))).toBe(true)
  })
})

describe('a repository of an earlier version, its signing key inside', () => {
  it('has the key moved out on its first write, and its receipts still verify', async () => {
    const fresh = join(root, 'old')
    expect((await runCli(['init', '--repo', fresh, '--reference', join(day, 'reference')])).code).toBe(0)
    const sub = join(day, 'submissions')
    const r = await runCli(['submit', '--repo', fresh, '--no-link', '--at', '2026-03-02T18:00:00', sub])
    expect(r.code, r.stderr).toBe(0)
    // Where earlier versions kept it.
    mkdirSync(join(fresh, 'keys'))
    renameSync(join(`${fresh}-keys`, 'signing-key.pem'), join(fresh, 'keys', 'receipt-signing-key.pem'))
    const ackOld = ack.replace(dir, fresh)
    const before = JSON.parse(
      (await runCli(['verify-receipt', '--repo', fresh, '--json', ackOld])).stdout,
    ) as Verdict
    expect(failed(before)).toEqual(['signing key kept outside the repository folder'])
    const again = await runCli(['submit', '--repo', fresh, '--no-link', '--at', '2026-03-02T18:00:00', sub])
    expect(again.code, again.stderr).toBe(0)
    expect(existsSync(join(fresh, 'keys', 'receipt-signing-key.pem'))).toBe(false)
    expect(existsSync(join(`${fresh}-keys`, 'signing-key.pem'))).toBe(true)
    const after = await runCli(['verify-receipt', '--repo', fresh, '--json', ackOld])
    expect(after.code, after.stdout).toBe(0)
  }, 120_000)
})
