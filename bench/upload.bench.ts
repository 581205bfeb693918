/**
 * A reporter's upload through the portal against `opencat submit` of the same files: one submitter's
 * largest order-event file and then its metadata file (the metadata's run pairs, ingests, links and
 * surveils), sent to POST /api/files over HTTPS, and given to `opencat submit` in two runs in the same
 * order, each case on a fresh repository, interleaved. Flags: --orders N (default 20000), --runs N
 * (default 3).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBundle, bundleIsFresh } from '../bin/bundle.js'
import { startPortal } from '../src/server/server.ts'
import { type BenchRow, numberArg, peakRssMB, report } from './harness.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'opencat.js')
const orders = numberArg('orders', 20_000)
const runs = numberArg('runs', 3)
if (!bundleIsFresh()) await buildBundle()

const dir = mkdtempSync(join(tmpdir(), 'opencat-upload-bench-'))
const cli = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
const day = join(dir, 'day')
cli(['simulate', '--out', day, '--date', '2026-03-02', '--seed', '7', '--orders', String(orders)])

// The submitter sending the largest order-event file, with its metadata file.
const root = join(day, 'submissions')
const data = readdirSync(root)
  .flatMap((s) => readdirSync(join(root, s)).map((f) => ({ submitter: s, path: join(root, s, f), name: f })))
  .filter((f) => /_OrderEvents_\d+\.json\.bz2$/.test(f.name))
  .sort((a, b) => statSync(b.path).size - statSync(a.path).size)[0]
const meta = { ...data, name: data.name.replace('.json.bz2', '.meta.json') }
meta.path = join(root, data.submitter, meta.name)
const bytes = statSync(data.path).size + statSync(meta.path).size
const records = JSON.parse(readFileSync(meta.path, 'utf8')).files[0].recordCount as number

function freshRepo(name: string): string {
  const repo = join(dir, name)
  cli(['init', '--repo', repo, '--reference', join(day, 'reference')])
  return repo
}

function post(
  url: string,
  ca: string,
  token: string,
  file: { name: string; path: string; submitter: string },
) {
  const body = readFileSync(file.path)
  return new Promise<number>((resolve, reject) => {
    const req = request(
      new URL(`/api/files?submitter=${file.submitter}&name=${file.name}`, url),
      {
        method: 'POST',
        ca,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(body.length),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9
const times: Record<'api' | 'cli', number[]> = { api: [], cli: [] }
try {
  for (let i = 0; i < runs; i++) {
    const viaCli = freshRepo(`cli-${i}`)
    let t = process.hrtime.bigint()
    for (const f of [data, meta])
      cli(['submit', '--repo', viaCli, '--submitter', f.submitter, '--json', f.path])
    times.cli.push(seconds(t))

    const viaApi = freshRepo(`api-${i}`)
    cli([
      'user',
      'add',
      'firm',
      '--repo',
      viaApi,
      '--machine',
      '--role',
      'reporter',
      '--submitter',
      data.submitter,
    ])
    const token = JSON.parse(cli(['token', 'create', '--repo', viaApi, '--user', 'firm', '--json'])).token
    const portal = await startPortal({ repo: viaApi, port: 0 })
    try {
      t = process.hrtime.bigint()
      for (const f of [data, meta]) {
        const status = await post(portal.url, portal.certificate!.cert, token, f)
        if (status !== 200) throw new Error(`upload of ${f.name} answered ${status}`)
      }
      times.api.push(seconds(t))
    } finally {
      await portal.close()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const rows: BenchRow[] = (['cli', 'api'] as const).map((how) => {
  const s = median(times[how])
  return {
    bench: 'upload',
    case: how === 'api' ? 'POST /api/files (data, then metadata)' : 'opencat submit (data, then metadata)',
    items: records,
    seconds: Number(s.toFixed(3)),
    perSecond: Math.round(records / s),
    perSecondPerCore: Math.round(records / s),
    peakRssMB: peakRssMB(),
    note: `${(bytes / 2 ** 20).toFixed(1)} MB; median of ${runs}; api ÷ cli ${(median(times.api) / median(times.cli)).toFixed(2)}`,
  }
})
report(rows)
