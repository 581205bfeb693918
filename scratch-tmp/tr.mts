import { openRepository } from '../src/store/repository.ts'
import { linkDate } from '../src/link/index.ts'
const repo = await openRepository('/tmp/link5/repo', { write: true })
await repo.db.run(`SET threads = 2`)
await repo.db.run(`SET memory_limit = '10GB'`)
const lines: string[] = []
const s = await linkDate(repo, 20260302, { mode: 'full', feedback: true, trace: (l) => lines.push(l) })
console.log(s.passes.map((p) => `${p.pass} ${p.seconds.toFixed(1)}`).join(', '))
lines.sort((a, b) => Number(b.split(' ')[1]) - Number(a.split(' ')[1]))
console.log(lines.slice(0, 40).join('\n'))
