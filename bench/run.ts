/**
 * `npm run bench`: runs every benchmark in its own process (so each reports its own peak memory) and
 * prints one table. `npm run bench -- --only codec,ingest` runs some; sizes are each benchmark's flags.
 */
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { type BenchRow, report } from './harness.ts'

const BENCHES: Record<string, string[]> = {
  codec: ['codec.bench.ts', '--records', '300000'],
  simulate: ['simulate.bench.ts'],
  ingest: ['ingest.bench.ts', '--records', '1000000', '--files', '10'],
  link: ['link.bench.ts'],
  book: ['book.bench.ts'],
  customer: ['customer.bench.ts'],
  startup: ['startup.bench.ts'],
  portal: ['portal-load.bench.ts'],
  encryption: ['encryption.bench.ts'],
}

const onlyArg = process.argv.indexOf('--only')
const only = onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : Object.keys(BENCHES)
process.stdout.write(
  `OpenCAT benchmarks · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}) · ${Math.round(totalmem() / 2 ** 30)} GB · Node ${process.version}\n`,
)
const rows: BenchRow[] = []
for (const name of only) {
  const spec = BENCHES[name]
  if (!spec) throw new Error(`no benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`)
  const [file, ...args] = spec
  process.stderr.write(`running ${name}…\n`)
  try {
    const out = execFileSync(
      process.execPath,
      [
        join(import.meta.dirname, '..', 'bin', 'run-ts.js'),
        join(import.meta.dirname, file),
        ...args,
        '--json',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    for (const line of out.split('\n')) if (line.startsWith('{')) rows.push(JSON.parse(line) as BenchRow)
  } catch (e) {
    process.stderr.write(`${name} failed: ${(e as Error).message}\n`)
  }
}
report(rows)
