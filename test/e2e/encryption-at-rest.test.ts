/**
 * Encryption at rest on a simulated day: one repository made with `init` (encrypted), one with `--plain`, the same
 * files submitted to both. Every query command answers the same on both; the encrypted store's Parquet
 * files and catalogue hold none of the day's symbols or firmROEIDs in clear, and the engine refuses them
 * without the key; a wrong key folder is OCAT_ERR_STORE_KEY; rotating the store master key or the data
 * key changes no answer and the old key opens nothing; a passphrase protects the master keys (a missing or
 * wrong one is a clear error); after init, submit and link every file of the repository and of the key
 * folder is mode 0600 and every folder 0700.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, literal } from '../../src/store/database.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'

const root = mkdtempSync(join(tmpdir(), 'opencat-enc-'))
const plain = join(root, 'plain')
const enc = join(root, 'enc')
let day = ''
let sample: { reporter: string; firmROEID: string; symbol: string }
let processed = ''

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(dir, f))
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const r = await runCli(args, env)
  return {
    ...r,
    json: r.stdout.trim() === '' ? undefined : (JSON.parse(r.stdout) as Record<string, unknown>),
  }
}

/** The answers of the query commands, with the repository's own path and timings taken out. */
async function answers(repo: string, env: Record<string, string> = {}): Promise<string[]> {
  const commands = [
    ['lifecycle', '--repo', repo, '--reporter', sample.reporter, '--firm-roe-id', sample.firmROEID],
    ['search', '--repo', repo, '--date', '20260302', sample.symbol],
    ['report-card', '--repo', repo, '--reporter', sample.reporter, '--date', processed],
    ['browse', '--repo', repo, '--date', '20260302', '--symbol', sample.symbol],
    [
      'sql',
      '--repo',
      repo,
      '--operator',
      'SELECT _type, count(*) AS n FROM current_events GROUP BY ALL ORDER BY 1',
    ],
  ]
  const out: string[] = []
  for (const c of commands) {
    // report-card exits 1 for a reporter over its maximum error rate: the exit code is part of the answer.
    const r = await runCli([...c, '--json'], env)
    expect(r.stdout, `${c[0]}: ${r.stderr}`).not.toContain('"error"')
    expect(r.code, `${c[0]}: ${r.stderr}`).toBeLessThanOrEqual(1)
    out.push(`${r.code} ${r.stdout.replaceAll(repo, 'REPO').replace(/"elapsedMs":[0-9]+/g, '')}`)
  }
  return out
}

beforeAll(async () => {
  // Five firms and two exchanges: what is checked is per file, and fewer files make each submit cheaper.
  day = await simulatedDay({ orders: 300, firms: 5, exchanges: 2 })
  const first = truth<{ symbol: string; events: { reporter: string; firmROEID: string }[] }>(
    day,
    'lifecycles.ndjson',
  )[0]
  sample = { ...first.events[0], symbol: first.symbol }
  for (const [repo, extra] of [
    [plain, ['--plain']],
    [enc, []],
  ] as const) {
    const init = await runCli(['init', '--repo', repo, '--reference', join(day, 'reference'), ...extra])
    expect(init.code, init.stderr).toBe(0)
    const submit = await runCli(['submit', '--repo', repo, join(day, 'submissions'), '--json'])
    expect(submit.code, submit.stderr).toBe(0)
  }
  const dates = await cli([
    'sql',
    '--repo',
    plain,
    '--operator',
    `SELECT DISTINCT _processing_date::VARCHAR AS d FROM events WHERE _reporter = '${sample.reporter}'`,
    '--json',
  ])
  const d = String((dates.json!.rows as { d: string }[])[0].d)
  processed = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`
}, 600_000)

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(join(day, '..'), { recursive: true, force: true })
})

describe('an encrypted repository', () => {
  it('answers every query command as the plain one does', async () => {
    const [a, b] = [await answers(plain), await answers(enc)]
    expect(a.join('\n')).toContain(sample.firmROEID)
    expect(b).toEqual(a)
  }, 300_000)

  it('holds no symbol or firmROEID in clear, where the plain one does', () => {
    // The firmROEID (16 bytes: symbols of a letter or two would match random bytes) and the day's prefix.
    const needles = [sample.firmROEID, '20260302_000'].map((n) => Buffer.from(n))
    const contains = (files: string[]) =>
      files.filter((f) => needles.some((n) => readFileSync(f).includes(n))).length
    const encFiles = parquetFiles(join(enc, 'store'))
    expect(encFiles.length).toBeGreaterThan(10)
    expect(contains(parquetFiles(join(plain, 'store'))), 'the plain store has them').toBeGreaterThan(0)
    expect(contains(encFiles)).toBe(0)
    // The reporter's file names: a four-letter IMID alone turns up by chance in megabytes of ciphertext.
    const fileName = Buffer.from(`_${sample.reporter}_20260302_OrderEvents_`)
    expect(readFileSync(join(plain, 'catalog.duckdb')).includes(fileName)).toBe(true)
    expect(readFileSync(join(enc, 'catalog.duckdb')).includes(fileName)).toBe(false)
  })

  it('keeps every file of the repository and the key folder private (0600, folders 0700)', async () => {
    const link = await runCli(['link', '--repo', enc, '--date', '2026-03-02', '--full'])
    expect(link.code, link.stderr).toBe(0)
    const loose: string[] = []
    for (const top of [enc, `${enc}-keys`]) {
      for (const rel of ['', ...readdirSync(top, { recursive: true }).map(String)]) {
        const path = join(top, rel)
        const st = statSync(path)
        const want = st.isDirectory() ? 0o700 : 0o600
        if ((st.mode & 0o777) !== want) loose.push(`${path} ${(st.mode & 0o777).toString(8)}`)
      }
    }
    expect(readdirSync(join(enc, 'feedback'), { recursive: true }).length).toBeGreaterThan(0)
    expect(loose).toEqual([])
  }, 300_000)

  it('is refused by a reader without the key', async () => {
    const db = await Database.open(':memory:')
    try {
      const events = parquetFiles(join(enc, 'store', 'events'))[0]
      await expect(db.all(`SELECT * FROM read_parquet(${literal(events)})`)).rejects.toThrow(/encrypt/i)
      await expect(db.run(`ATTACH ${literal(join(enc, 'catalog.duckdb'))} AS c (READ_ONLY)`)).rejects.toThrow(
        /encrypted/i,
      )
    } finally {
      db.close()
    }
  })

  it('says OCAT_ERR_STORE_KEY when the key folder is not its own', async () => {
    const other = join(root, 'other')
    const init = await runCli(['init', '--repo', other, '--reference', join(day, 'reference')])
    expect(init.code, init.stderr).toBe(0)
    const r = await cli(['sql', '--repo', enc, '--operator', 'SELECT 1', '--json'], {
      OPENCAT_KEYS: `${other}-keys`,
    })
    expect(r.code).not.toBe(0)
    expect(r.json?.code).toBe('OCAT_ERR_STORE_KEY')
  }, 120_000)

  it('rotates the store master key: same answers, the old key opens nothing', async () => {
    const before = await answers(enc)
    const keys = `${enc}-keys`
    const old = JSON.parse(readFileSync(join(keys, 'store-data.json'), 'utf8')) as { master: string }
    const r = await cli(['keys', 'rotate', '--repo', enc, '--kind', 'store', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json?.key).not.toBe(old.master)
    expect(readdirSync(keys)).not.toContain(`${old.master}.key`)
    expect(await answers(enc)).toEqual(before)
  }, 300_000)

  it('rotates the data key: every file rewritten, same answers, the old data key opens nothing', async () => {
    const before = await answers(enc)
    const keys = `${enc}-keys`
    const oldWrapped = readFileSync(join(keys, 'store-data.json'))
    const oldBytes = readFileSync(parquetFiles(join(enc, 'store', 'events'))[0])
    const r = await cli(['keys', 'rotate', '--repo', enc, '--kind', 'store-data', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json?.rewrittenFiles).toBeGreaterThan(10)
    expect(readFileSync(parquetFiles(join(enc, 'store', 'events'))[0]).equals(oldBytes)).toBe(false)
    expect(await answers(enc)).toEqual(before)
    const current = readFileSync(join(keys, 'store-data.json'))
    writeFileSync(join(keys, 'store-data.json'), oldWrapped)
    try {
      const old = await cli(['sql', '--repo', enc, '--operator', 'SELECT count(*) FROM events', '--json'])
      expect(old.json?.code).toBe('OCAT_ERR_STORE_KEY')
    } finally {
      writeFileSync(join(keys, 'store-data.json'), current)
    }
  }, 300_000)

  it('protects the master keys with a passphrase: none or a wrong one is a clear error', async () => {
    const copy = join(root, 'pp')
    cpSync(enc, copy, { recursive: true })
    cpSync(`${enc}-keys`, `${copy}-keys`, { recursive: true })
    const manifest = JSON.parse(readFileSync(join(copy, 'opencat.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(copy, 'opencat.json'), JSON.stringify({ ...manifest, keys: `${copy}-keys` }))
    const good = join(root, 'good-passphrase')
    writeFileSync(good, 'correct horse battery staple\n')
    const protect = await cli([
      'keys',
      'protect',
      '--repo',
      copy,
      '--with',
      'passphrase',
      '--new-passphrase-file',
      good,
      '--json',
    ])
    expect(protect.code, protect.stderr).toBe(0)
    expect(readFileSync(join(`${copy}-keys`, 'ccid-v1.key'), 'utf8')).toContain('"passphrase"')
    const query = ['sql', '--repo', copy, '--operator', 'SELECT count(*) AS n FROM events', '--json']
    const none = await cli(query)
    expect(none.json?.code).toBe('OCAT_ERR_KEY_LOCKED')
    const wrong = await cli(query, { OPENCAT_KEY_PASSPHRASE: 'not the passphrase' })
    expect(wrong.json?.code).toBe('OCAT_ERR_KEY_PASSPHRASE')
    const right = await cli(query, { OPENCAT_KEY_PASSPHRASE_FILE: good })
    const plainCount = await cli([
      'sql',
      '--repo',
      plain,
      '--operator',
      'SELECT count(*) AS n FROM events',
      '--json',
    ])
    expect(right.json?.rows).toEqual(plainCount.json?.rows)
    const rotated = await cli(['keys', 'rotate', '--repo', copy, '--kind', 'store', '--json'], {
      OPENCAT_KEY_PASSPHRASE_FILE: good,
    })
    expect(rotated.code, rotated.stderr).toBe(0)
    expect(readFileSync(join(`${copy}-keys`, `${rotated.json?.key}.key`), 'utf8')).toContain('"passphrase"')
    expect((await cli(query, { OPENCAT_KEY_PASSPHRASE_FILE: good })).json?.rows).toEqual(
      plainCount.json?.rows,
    )
  }, 300_000)

  it('takes the master keys from a key command (a KMS-style provider) once they are protected by one', async () => {
    const copy = join(root, 'kms')
    cpSync(enc, copy, { recursive: true })
    cpSync(`${enc}-keys`, `${copy}-keys`, { recursive: true })
    const manifest = JSON.parse(readFileSync(join(copy, 'opencat.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(copy, 'opencat.json'), JSON.stringify({ ...manifest, keys: `${copy}-keys` }))
    const kek = { OPENCAT_KEY_COMMAND: `echo ${'5a'.repeat(32)}` }
    const protect = await cli(['keys', 'protect', '--repo', copy, '--with', 'command', '--json'], kek)
    expect(protect.code, protect.stderr).toBe(0)
    expect(readFileSync(join(`${copy}-keys`, 'ccid-v1.key'), 'utf8')).toContain('"command"')
    const query = ['sql', '--repo', copy, '--operator', 'SELECT count(*) AS n FROM events', '--json']
    expect((await cli(query)).json?.code).toBe('OCAT_ERR_KEY_LOCKED')
    const other = await cli(query, { OPENCAT_KEY_COMMAND: `echo ${'a5'.repeat(32)}` })
    expect(other.json?.code).toBe('OCAT_ERR_KEY_PASSPHRASE')
    const plainCount = await cli([
      'sql',
      '--repo',
      plain,
      '--operator',
      'SELECT count(*) AS n FROM events',
      '--json',
    ])
    expect((await cli(query, kek)).json?.rows).toEqual(plainCount.json?.rows)
  }, 300_000)
})
