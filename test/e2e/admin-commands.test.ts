/**
 * The commands that change a repository holding a simulated day, and the demo's portal: `reference
 * --load`, `keys rotate` (CCID and vault keys), `import lobster` of what `export lobster` wrote, and
 * `demo --serve`. Each is checked against the simulator's truth or against another command.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { runCli, startCli } from '../support/cli.ts'
import { addMachineToken, PortalClient } from '../support/portal.ts'
import { truth } from '../support/simulated-day.ts'

const DATE = '2026-03-02'
const EVENING = '2026-03-02T20:00:00'
const root = mkdtempSync(join(tmpdir(), 'opencat-admin-'))
const day = join(root, 'day')
const repo = join(root, 'repo')

interface Person {
  kind: string
  name: string
  accounts: { imid: string; fdid: string }[]
}
interface Activity {
  ccids: string[]
  accounts: Record<string, unknown>[]
  events: Record<string, unknown>[]
}

async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json'])
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0)
  return JSON.parse(r.stdout) as T
}

let submitted: { files: { name: string; status: string }[] }

beforeAll(async () => {
  await json([
    'simulate',
    '--out',
    day,
    '--date',
    DATE,
    '--seed',
    '3',
    '--orders',
    '250',
    '--customers',
    '40',
  ])
  await json(['init', '--repo', repo, '--reference', join(day, 'reference'), '--pii-vault'])
  submitted = await json(['submit', '--repo', repo, '--at', EVENING, join(day, 'submissions')])
}, 300_000)

describe('opencat reference --load', () => {
  it('loads newer reference data, keeps the previous files, and refuses a broken folder', async () => {
    const newer = join(root, 'reference-newer')
    cpSync(join(day, 'reference'), newer, { recursive: true })
    const symbols = JSON.parse(readFileSync(join(newer, 'symbols.json'), 'utf8'))
    const listing = symbols.symbols[0].listing
    symbols.symbols.push({ ...symbols.symbols[0], symbol: 'ZZNEW', listing, name: 'Newly Listed Corp' })
    writeFileSync(join(newer, 'symbols.json'), JSON.stringify(symbols, null, 2))
    const reporters = JSON.parse(readFileSync(join(newer, 'reporters.json'), 'utf8'))
    const loaded = await json<{ firms: number; exchanges: number; submitters: number; symbols: number }>([
      'reference',
      '--repo',
      repo,
      '--load',
      newer,
    ])
    expect(loaded).toEqual({
      firms: reporters.firms.length,
      exchanges: reporters.exchanges.length,
      submitters: reporters.submitters.length,
      symbols: symbols.symbols.length,
    })
    expect(readFileSync(join(repo, 'reference', 'symbols.json'), 'utf8')).toBe(
      readFileSync(join(newer, 'symbols.json'), 'utf8'),
    )
    const history = readdirSync(join(repo, 'reference', 'history'))
    expect(history).toHaveLength(1)
    expect(readFileSync(join(repo, 'reference', 'history', history[0], 'symbols.json'), 'utf8')).toBe(
      readFileSync(join(day, 'reference', 'symbols.json'), 'utf8'),
    )
    const broken = join(root, 'reference-broken')
    cpSync(newer, broken, { recursive: true })
    writeFileSync(join(broken, 'symbols.json'), '{"version": 1, "symbols": [')
    const refused = await runCli(['reference', '--repo', repo, '--load', broken, '--json'])
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout).code).toMatch(/^OCAT_ERR_REFERENCE/)
    expect(readFileSync(join(repo, 'reference', 'symbols.json'), 'utf8')).toBe(
      readFileSync(join(newer, 'symbols.json'), 'utf8'),
    )
  })
})

describe('opencat submit --submitter', () => {
  it("refuses metadata sent in another submitter's name (1109) and accepts the submitter the files name", async () => {
    // The simulator files each submitter's files in a folder named after it.
    const submitter = readdirSync(join(day, 'submissions')).find((d) =>
      readdirSync(join(day, 'submissions', d)).some((f) => /_OrderEvents_\d+\.meta\.json$/.test(f)),
    )!
    const folder = join(day, 'submissions', submitter)
    const metas = readdirSync(folder).filter((f) => /\.meta\.json$/.test(f))
    const outcome = async (as: string) => {
      const fresh = mkdtempSync(join(root, 'submitter-'))
      await json(['init', '--repo', join(fresh, 'repo'), '--reference', join(day, 'reference')])
      return json<{ files: { name: string; status: string; codes: number[] }[] }>([
        'submit',
        '--repo',
        join(fresh, 'repo'),
        '--submitter',
        as,
        '--at',
        EVENING,
        '--no-link',
        folder,
      ])
    }
    const stranger = await outcome('999999')
    const strangerMetas = stranger.files.filter((f) => metas.includes(f.name))
    expect(strangerMetas).toHaveLength(metas.length)
    for (const f of strangerMetas) expect(f.codes, f.name).toContain(1109)
    const own = await outcome(submitter)
    for (const f of own.files.filter((x) => metas.includes(x.name)))
      expect(f.codes, f.name).not.toContain(1109)
    expect(own.files.filter((f) => f.status === 'ingested').length).toBeGreaterThan(0)
  })
})

describe('opencat keys rotate', () => {
  const span = ['--from', DATE, '--to', DATE]
  let person: Person

  beforeAll(() => {
    person = truth<Person>(day, 'customers.ndjson').find(
      (p) => p.kind === 'natural' && p.accounts.length > 0,
    )!
  })

  const byFdid = () =>
    json<Activity>([
      'customer',
      '--repo',
      repo,
      '--reporter',
      person.accounts[0].imid,
      '--fdid',
      person.accounts[0].fdid,
      ...span,
    ])

  it('rotates the CCID key: every customer file pair is re-keyed, the customer keeps accounts and events under a new CCID', async () => {
    const before = await byFdid()
    expect(before.ccids).toHaveLength(1)
    const pairs = submitted.files.filter((f) => /_CAISData_/.test(f.name) && f.status === 'ingested').length
    expect(pairs).toBeGreaterThan(0)
    const rotated = await json<{ kind: string; key: string; rekeyedPairs: number }>([
      'keys',
      'rotate',
      '--repo',
      repo,
      '--kind',
      'ccid',
    ])
    expect(rotated.kind).toBe('ccid')
    expect(rotated.rekeyedPairs).toBe(pairs)
    const after = await byFdid()
    expect(after.ccids).toHaveLength(1)
    expect(after.ccids[0]).not.toBe(before.ccids[0])
    const withoutCcid = (a: Activity) =>
      JSON.stringify({ ...a, ccids: [] })
        .replaceAll(before.ccids[0], '')
        .replaceAll(after.ccids[0], '')
    expect(withoutCcid(after)).toBe(withoutCcid(before))
    const old = await runCli(['customer', '--repo', repo, '--ccid', before.ccids[0], ...span, '--json'])
    expect(old.code).toBe(1)
    expect(JSON.parse(old.stdout).code).toBe('OCAT_ERR_NOT_FOUND')
  })

  it('rotates the vault key: every sealed file is re-wrapped and the PII still reads as the truth has it', async () => {
    const sealed = ['inbox', 'vault']
      .map((d) => readdirSync(join(repo, d)).filter((f) => f.endsWith('.sealed')).length)
      .reduce((a, b) => a + b, 0)
    expect(sealed).toBeGreaterThan(0)
    const rotated = await json<{ key: string; rewrappedFiles: number }>([
      'keys',
      'rotate',
      '--repo',
      repo,
      '--kind',
      'vault',
      '--keys',
      `${repo}-keys`,
    ])
    expect(rotated.rewrappedFiles).toBe(sealed)
    const token = await addMachineToken(repo, 'ana', ['regulator', 'pii'])
    const { ccids } = await byFdid()
    const shown = await json<{ pii: { fields: { firstName: string; lastName: string } }[] }>([
      'customer',
      '--repo',
      repo,
      '--ccid',
      ccids[0],
      ...span,
      '--reveal-pii',
      '--token',
      token,
      '--reason',
      'key rotation check',
    ])
    expect(person.name.startsWith(shown.pii[0].fields.firstName)).toBe(true)
    expect(person.name.endsWith(shown.pii[0].fields.lastName)).toBe(true)
    expect((await runCli(['keys', 'turn', '--repo', repo, '--kind', 'vault'])).code).toBe(2)
    expect((await runCli(['keys', 'rotate', '--repo', repo, '--kind', 'tls'])).code).toBe(2)
  })
})

describe('opencat import lobster', () => {
  let venue: string
  let symbol: string
  let exported: { files: string[]; messages: number }
  const copy = join(root, 'repo-lobster')

  beforeAll(async () => {
    // The truth's busiest venue and symbol.
    const adds = new Map<string, number>()
    for (const l of truth<TruthLifecycle>(day, 'lifecycles.ndjson'))
      for (const e of l.events.filter((x) => x.type === 'EXOA'))
        adds.set(`${e.reporter} ${l.symbol}`, (adds.get(`${e.reporter} ${l.symbol}`) ?? 0) + 1)
    ;[venue, symbol] = [...adds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0].split(' ')
    const out = mkdtempSync(join(root, 'lobster-'))
    exported = await json([
      'export',
      'lobster',
      '--repo',
      repo,
      '--venue',
      venue,
      '--symbol',
      symbol,
      '--date',
      DATE,
      '--out',
      out,
      '--levels',
      '5',
    ])
    await json(['init', '--repo', copy, '--reference', join(day, 'reference')])
  }, 120_000)

  const importArgs = () => [
    'import',
    'lobster',
    '--repo',
    copy,
    '--venue',
    venue,
    '--symbol',
    symbol,
    '--date',
    DATE,
    '--messages',
    exported.files[0],
    '--book',
    exported.files[1],
  ]

  it('stores every message of an exported day as exchange events, each of which replay lists', async () => {
    expect(exported.messages).toBeGreaterThan(0)
    const imported = await json<{ messages: number; records: number; accepted: number; rejected: number }>(
      importArgs(),
    )
    expect(imported.messages).toBe(exported.messages)
    expect(imported.rejected).toBe(0)
    expect(imported.accepted).toBe(imported.records)
    const replay = await runCli([
      'replay',
      '--repo',
      copy,
      '--symbols',
      symbol,
      '--from',
      `${DATE}T00:00:00`,
      '--to',
      `${DATE}T23:59:59`,
      '--json',
    ])
    expect(replay.code, replay.stderr).toBe(0)
    const events = replay.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; reporter?: string })
      .filter((i) => i.kind === 'event')
    expect(events).toHaveLength(imported.records)
    expect(new Set(events.map((e) => e.reporter))).toEqual(new Set([venue]))
    const wrong = await runCli(['import', 'itch', '--repo', copy])
    expect(wrong.code).toBe(2)
  })

  it('gives the new repository the same book as the one exported, at instants all over the day', async () => {
    const book = (r: string, at: string) =>
      json<{ bids: { price: string; size: string }[]; asks: { price: string; size: string }[] }>([
        'book',
        '--repo',
        r,
        '--venue',
        venue,
        '--symbol',
        symbol,
        '--at',
        at,
        '--depth',
        '1000',
      ])
    const levels = (b: Awaited<ReturnType<typeof book>>) => ({
      bids: b.bids.map((l) => [l.price, l.size]),
      asks: b.asks.map((l) => [l.price, l.size]),
    })
    // The venue's own event times, spread over the day: each instant right after one of its messages.
    const replay = await runCli([
      'replay',
      '--repo',
      repo,
      '--symbols',
      symbol,
      '--from',
      `${DATE}T00:00:00`,
      '--to',
      `${DATE}T23:59:59`,
      '--json',
    ])
    expect(replay.code, replay.stderr).toBe(0)
    const times = [
      ...new Set(
        replay.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { kind: string; reporter?: string; ns: string })
          .filter((i) => i.kind === 'event' && i.reporter === venue)
          .map((i) => i.ns),
      ),
    ]
    expect(times.length).toBeGreaterThan(40)
    const instants = Array.from({ length: 12 }, (_, i) => times[Math.floor((i * (times.length - 1)) / 11)])
    let shown = 0
    for (const at of [...instants, EVENING]) {
      const want = levels(await book(repo, at))
      expect(levels(await book(copy, at)), at).toEqual(want)
      shown += want.bids.length + want.asks.length
    }
    expect(shown).toBeGreaterThan(12)
    const again = mkdtempSync(join(root, 'lobster-again-'))
    const reexported = await json<{ files: string[] }>([
      'export',
      'lobster',
      '--repo',
      copy,
      '--venue',
      venue,
      '--symbol',
      symbol,
      '--date',
      DATE,
      '--out',
      again,
      '--levels',
      '5',
    ])
    expect(readFileSync(reexported.files[0], 'utf8')).toBe(readFileSync(exported.files[0], 'utf8'))
  }, 300_000)
})

describe('opencat demo --serve', () => {
  it('serves the portal on the repository it made until SIGTERM', async () => {
    const out = join(root, 'demo')
    const run = startCli([
      'demo',
      '--out',
      out,
      '--orders',
      '150',
      '--seed',
      '7',
      '--date',
      DATE,
      '--serve',
      '--port',
      '0',
    ])
    let seen = ''
    const url = await new Promise<string>((resolve, reject) => {
      run.child.stdout!.on('data', (d) => {
        seen += d
        const m = /portal on (https:\/\/127\.0\.0\.1:\d+)/.exec(seen)
        if (m && /Ctrl-C to stop/.test(seen)) resolve(m[1])
      })
      run.child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${seen}`)))
    })
    try {
      const lifecycles = Number(
        /^Linkage\s+[\d,]+ events, ([\d,]+) lifecycles$/m.exec(seen)?.[1].replaceAll(',', ''),
      )
      // Signed in with exactly what the demo printed: user, password, the current code.
      const printed = (name: string) => new RegExp(`^  ${name}\\s+(\\S+)`, 'm').exec(seen)?.[1] ?? ''
      const certFile = /fingerprint [0-9A-F:]+ \([^:]+: (.+)\)\n/.exec(seen)?.[1] ?? ''
      const client = new PortalClient(url, readFileSync(certFile, 'utf8'))
      expect(printed('otpauth URI')).toContain(`secret=${printed('TOTP secret')}`)
      expect((await client.get('/api/summary')).status).toBe(401)
      const who = { user: printed('user'), password: printed('password'), totpSecret: printed('TOTP secret') }
      const signedIn = await client.signIn(who, printed('code'))
      expect(signedIn.status, signedIn.text).toBe(200)
      expect(signedIn.json().roles).toEqual(['regulator'])
      const summary = (await client.get('/api/summary')).json<{
        dates: { event_date: number; lifecycles: string }[]
      }>()
      expect(summary.dates.map((d) => d.event_date)).toEqual([20260302])
      expect(Number(summary.dates[0].lifecycles)).toBe(lifecycles)
    } finally {
      run.child.kill('SIGTERM')
    }
    expect((await run.done).code).toBe(0)
  }, 180_000)
})
