import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDay, writeReferenceForBench } from './bench/link.bench.ts'
import { linkDate } from './src/link/index.ts'
import { initRepository, openRepository } from './src/store/repository.ts'
const orders = Number(process.argv[2] ?? 150000)
const root = mkdtempSync(join(tmpdir(), 'lkmem-'))
const day = { orders, firms: 40, exchanges: 3, symbols: 4000, faultRate: 0.001 }
writeReferenceForBench(join(root, 'reference'), day)
const created = await initRepository(join(root, 'repo'), join(root, 'reference'), undefined, { encrypted: false })
await generateDay(created, day)
created.close()
const repo = await openRepository(join(root, 'repo'), { write: true })
const db = repo.db
await db.run(`SET threads = 2`)
let peak = 0
const t0 = Date.now()
const s = await linkDate(repo, 20260302, { feedback: false, keepWorkTables: true, workStorage: (process.argv[3] ?? 'memory') as never, skip: new Set(['day-index']) as never,
  trace: () => { void db.one<{ b: string }>(`SELECT sum(memory_usage_bytes)::VARCHAR AS b FROM duckdb_memory()`).then((r) => { peak = Math.max(peak, Number(r?.b ?? 0)) }) } })
const end = await db.one<{ b: string }>(`SELECT sum(memory_usage_bytes)::VARCHAR AS b FROM duckdb_memory()`)
console.log(process.env.COMPRESS ?? '', process.argv[3], 'events', s.events, 'took', Date.now() - t0, 'ms; engine memory at end', (Number(end?.b) / s.events).toFixed(0), 'B/event; peak seen', (peak / s.events).toFixed(0), 'B/event', s.passes.map((p) => `${p.pass} ${p.seconds.toFixed(1)}`).join(', '))
repo.close()
