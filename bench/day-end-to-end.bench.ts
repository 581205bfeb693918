/**
 * A simulated day end to end through the command line, each stage in its own process as an operator runs
 * it: simulate, init, submit (acknowledgement, integrity, ingestion, customers), link (with the day index
 * and feedback); then a regulator's questions on the result, in this process from the repository opened
 * as a reader: lifecycle lookups by firmROEID, a customer's day by broker and FDID, a venue's book at an
 * instant, each checked against the simulator's truth, and a few of each as whole commands.
 * Prints each stage's time and peak memory (the stage process's VmHWM) and p50/p99 of each question.
 * `node bin/run-ts.js bench/day-end-to-end.bench.ts --dir DIR [--orders 8000000] [--symbols 8000]
 *   [--firms 40] [--seed 17] [--memory 4GB] [--questions 200] [--from simulate|submit|link|questions] [--json]`
 * DIR keeps everything (day/, repo/); `--from` starts at a later stage on what an earlier run left there.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isoToDate } from '../src/common/time/cat-date.ts'
import { lookupLifecycle } from '../src/link/index.ts'
import '../src/pipeline/stage-views.ts'
import { customerActivity } from '../src/query/customer.ts'
import { bookView } from '../src/query/market.ts'
import { openRepository } from '../src/store/repository.ts'
import { type BenchRow, CORES, numberArg, peakRssMB, percentile, report, stringArg } from './harness.ts'

const STAGES = ['simulate', 'submit', 'link', 'questions'] as const
type Stage = (typeof STAGES)[number]
const DATE = '2026-03-02'
// Submitted and linked overnight, before the 08:00 ET deadline of T+1: a simulated day has firms' events
// (late cancels) up to the evening, and a record stamped after its submission is refused (2139).
const SUBMITTED_AT = '2026-03-03T06:00:00'
const LINKED_AT = '2026-03-03T07:00:00'
const OPENCAT = join(import.meta.dirname, '..', 'bin', 'opencat.js')

/** Peak resident memory of a running process so far (its high-water mark), MB; 0 once it is gone. */
function highWaterMB(pid: number): number {
  try {
    const m = /VmHWM:\s+([0-9]+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : 0
  } catch {
    return 0
  }
}

/**
 * Loaded into each command's process: at its exit it writes its own high-water mark (kB) to descriptor 3,
 * which sampling from outside misses for commands shorter than the sampling interval.
 */
const HWM_AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "import { readFileSync, writeSync } from 'node:fs';" +
    "process.on('exit', () => { try { writeSync(3, /VmHWM:\\s+([0-9]+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) } catch {} })",
)}`

/** Runs `opencat ARGS` to its end; its time, peak memory and standard output. */
async function opencat(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ seconds: number; peakMB: number; stdout: string }> {
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, ['--import', HWM_AT_EXIT, OPENCAT, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
  })
  let stdout = ''
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  let atExit = ''
  child.stdio[3]?.on('data', (d: Buffer) => {
    atExit += d.toString()
  })
  let peakMB = 0
  const sample = setInterval(() => {
    peakMB = Math.max(peakMB, highWaterMB(child.pid!))
  }, 250)
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)))
  clearInterval(sample)
  if (code !== 0) throw new Error(`opencat ${args.join(' ')} exited with ${code}: ${stdout.slice(0, 2000)}`)
  if (/^[0-9]+$/.test(atExit)) peakMB = Math.max(peakMB, Math.round(Number(atExit) / 1024))
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMB, stdout }
}

function stageRow(
  name: string,
  items: number,
  run: { seconds: number; peakMB: number },
  note?: string,
): BenchRow {
  return {
    bench: 'day',
    case: name,
    items,
    seconds: Number(run.seconds.toFixed(1)),
    perSecond: Math.round(items / run.seconds),
    perSecondPerCore: Math.round(items / run.seconds / CORES),
    peakRssMB: run.peakMB,
    ...(note ? { note } : {}),
  }
}

/** `n` lines of an NDJSON file picked at evenly spread byte offsets (without reading the whole file). */
function spreadLines<T>(path: string, n: number): T[] {
  const size = statSync(path).size
  const fd = openSync(path, 'r')
  const buf = Buffer.alloc(1 << 22)
  const out: T[] = []
  try {
    for (let k = 0; k < n; k++) {
      const at = Math.floor(((k + 0.5) / n) * size)
      const got = readSync(fd, buf, 0, buf.length, at)
      const text = buf.subarray(0, got).toString('utf8')
      const start = text.indexOf('\n') + 1
      const end = text.indexOf('\n', start)
      if (start > 0 && end > start) out.push(JSON.parse(text.slice(start, end)) as T)
    }
  } finally {
    closeSync(fd)
  }
  return out
}

/** Prints a measured row at once: a later stage that fails leaves the earlier figures printed. */
function emit(...rows: BenchRow[]): void {
  report(rows)
}

function percentileNote(times: number[]): string {
  const s = [...times].sort((a, b) => a - b)
  return `p50 ${percentile(s, 0.5).toFixed(1)} ms, p99 ${percentile(s, 0.99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`
}

function questionRow(name: string, times: number[], note = ''): BenchRow {
  const s = [...times].sort((a, b) => a - b)
  return {
    bench: 'day',
    case: name,
    items: times.length,
    seconds: Number((s[Math.floor(s.length / 2)] / 1000).toFixed(3)),
    perSecond: 0,
    perSecondPerCore: 0,
    peakRssMB: peakRssMB(),
    note: `${percentileNote(times)}${note}`,
  }
}

interface TruthLifecycle {
  id: string
  symbol: string
  events: { reporter: string; firmROEID: string; type: string; eventTimestamp: string }[]
}
interface TruthPerson {
  accounts: { imid: string; fdid: string }[]
}

async function questions(dir: string, n: number): Promise<void> {
  const repoDir = join(dir, 'repo')
  const truth = join(dir, 'day', 'truth')
  const lifecycles = spreadLines<TruthLifecycle>(join(truth, 'lifecycles.ndjson'), n)
  const persons = spreadLines<TruthPerson>(join(truth, 'customers.ndjson'), n)
  const date = isoToDate(DATE)!
  const repo = await openRepository(repoDir)
  try {
    // Lifecycle lookups: every event of the true lifecycle should be in the answer.
    const times: number[] = []
    let incomplete = 0
    for (const lc of lifecycles) {
      const first = lc.events[0]
      const t = process.hrtime.bigint()
      const found = await lookupLifecycle(repo.db, repo.paths, {
        reporter: first.reporter,
        firmROEID: first.firmROEID,
      })
      times.push(Number(process.hrtime.bigint() - t) / 1e6)
      const ids = new Set(found.events.map((e) => `${e.reporter} ${e.firmROEID}`))
      if (lc.events.some((e) => !ids.has(`${e.reporter} ${e.firmROEID}`))) incomplete++
    }
    emit(
      questionRow(
        `lifecycle lookup by firmROEID (${times.length})`,
        times,
        incomplete === 0 ? '; every true event found' : `; ${incomplete} answers miss true events`,
      ),
    )

    // A customer's day at one broker: the first page (as the portal and the command ask).
    const customerTimes: number[] = []
    let events = 0
    for (const p of persons) {
      const a = p.accounts[0]
      const t = process.hrtime.bigint()
      const got = await customerActivity(repo, { reporter: a.imid, fdid: a.fdid }, date, date).catch(
        (e: Error) => {
          // A customer the day gave no order is an answer, not a failure.
          if (/no customer matches/.test(e.message)) return undefined
          throw e
        },
      )
      customerTimes.push(Number(process.hrtime.bigint() - t) / 1e6)
      events += got?.events.length ?? 0
    }
    emit(
      questionRow(
        `customer's day by broker and FDID (${customerTimes.length})`,
        customerTimes,
        `; ${events} events in the first pages`,
      ),
    )

    // Books at an instant: a venue's book of a lifecycle's symbol, at a time of its exchange events.
    const books = lifecycles
      .map((lc) => ({ lc, ex: lc.events.find((e) => e.type === 'EXOA') }))
      .filter((b) => b.ex !== undefined)
    const bookTimes: number[] = []
    for (const { lc, ex } of books) {
      const ns = BigInt(ex!.eventTimestamp)
      const t = process.hrtime.bigint()
      const view = await bookView(repo, {
        venue: ex!.reporter,
        symbol: lc.symbol,
        ns,
        depth: 5,
        orders: false,
      })
      bookTimes.push(Number(process.hrtime.bigint() - t) / 1e6)
      if (view.applied === 0) throw new Error(`${ex!.reporter} ${lc.symbol} at ${ns}: an empty book`)
    }
    emit(questionRow(`book at an instant (${bookTimes.length})`, bookTimes))
  } finally {
    repo.close()
  }

  // The same questions as whole commands (process start, repository open, answer), a few of each.
  const few = Math.min(10, lifecycles.length)
  const command = async (label: string, argsOf: (k: number) => string[]) => {
    const times: number[] = []
    let peak = 0
    for (let k = 0; k < few; k++) {
      const r = await opencat([...argsOf(k), '--repo', repoDir, '--operator', '--json'])
      times.push(r.seconds * 1000)
      peak = Math.max(peak, r.peakMB)
    }
    emit({ ...questionRow(label, times), peakRssMB: peak })
  }
  await command('opencat lifecycle (whole command)', (k) => [
    'lifecycle',
    '--reporter',
    lifecycles[k].events[0].reporter,
    '--firm-roe-id',
    lifecycles[k].events[0].firmROEID,
  ])
  await command('opencat customer (whole command)', (k) => [
    'customer',
    '--reporter',
    persons[k].accounts[0].imid,
    '--fdid',
    persons[k].accounts[0].fdid,
    '--from',
    DATE,
    '--to',
    DATE,
  ])
  const venues = lifecycles.flatMap((lc) =>
    lc.events.filter((e) => e.type === 'EXOA').map((e) => [e.reporter, lc.symbol]),
  )
  if (venues.length >= few)
    await command('opencat book (whole command)', (k) => [
      'book',
      '--venue',
      venues[k][0],
      '--symbol',
      venues[k][1],
      '--at',
      `${DATE}T12:00:00`,
    ])
}

async function main(): Promise<void> {
  const dir = stringArg('dir') ?? ''
  if (!dir) throw new Error('give --dir DIR (it keeps the day and the repository)')
  const from = (stringArg('from') ?? 'simulate') as Stage
  if (!STAGES.includes(from)) throw new Error(`--from is one of ${STAGES.join(', ')}`)
  const at = (s: Stage) => STAGES.indexOf(s) >= STAGES.indexOf(from)
  const memory = stringArg('memory') ?? '4GB'
  const env = { OPENCAT_MEMORY_LIMIT: memory }
  const day = join(dir, 'day')
  const repo = join(dir, 'repo')
  mkdirSync(dir, { recursive: true })
  let events = 0
  if (at('simulate')) {
    rmSync(day, { recursive: true, force: true })
    const sim = await opencat([
      'simulate',
      '--out',
      day,
      '--date',
      DATE,
      '--seed',
      stringArg('seed') ?? '17',
      '--orders',
      String(numberArg('orders', 8_000_000)),
      '--symbols',
      String(numberArg('symbols', 8000)),
      '--firms',
      String(numberArg('firms', 40)),
      '--format',
      'csv',
      '--json',
    ])
    events = (JSON.parse(sim.stdout) as { events: number }).events
    emit(stageRow('simulate (CSV, bzip2, truth)', events, sim))
  } else
    events = (JSON.parse(readFileSync(join(day, 'truth', 'summary.json'), 'utf8')) as { events: number })
      .events
  if (at('submit')) {
    rmSync(repo, { recursive: true, force: true })
    rmSync(`${repo}-keys`, { recursive: true, force: true })
    await opencat(['init', '--repo', repo, '--reference', join(day, 'reference'), '--json'])
    const sub = await opencat(
      ['submit', '--repo', repo, '--no-link', '--at', SUBMITTED_AT, '--json', join(day, 'submissions')],
      env,
    )
    const s = JSON.parse(sub.stdout) as { records: number; accepted: number; rejected: number }
    emit(
      stageRow(
        'submit (ack, integrity, ingestion, customers)',
        s.records,
        sub,
        `${s.accepted} accepted, ${s.rejected} rejected`,
      ),
    )
  }
  if (at('link')) {
    if (!existsSync(repo)) throw new Error(`no repository in ${dir}: start --from submit`)
    const link = await opencat(
      ['link', '--repo', repo, '--date', DATE, '--full', '--at', LINKED_AT, '--json'],
      env,
    )
    const l = JSON.parse(link.stdout) as { lifecycles: number; passes?: { pass: string; seconds: number }[] }
    emit(
      stageRow(
        'link (day index, feedback)',
        events,
        link,
        `${l.lifecycles} lifecycles${l.passes ? `; ${l.passes.map((p) => `${p.pass} ${p.seconds.toFixed(0)}`).join(', ')}` : ''}`,
      ),
    )
  }
  await questions(dir, numberArg('questions', 200))
}

await main()
