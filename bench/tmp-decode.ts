import { readFileSync, mkdirSync } from 'node:fs'
import { decodeBatch } from '../src/validate/decode-batch.ts'
const lines = readFileSync('/tmp/prof/lines.csv', 'utf8').split('\n').filter((l) => l)
mkdirSync('/tmp/prof/stage2', { recursive: true })
const reps = Number(process.argv[2] ?? 3)
for (let rep = 0; rep < reps; rep++) {
  const t0 = performance.now()
  let n = 0
  for (let i = 0; i < lines.length; i += 25000) {
    const b = decodeBatch({ lines: lines.slice(i, i + 25000), firstLine: i + 1, fileVersion: '4.0.0', format: 'csv', kind: 'OrderEvents', stageDir: '/tmp/prof/stage2' })
    n += b.count
  }
  console.log(((performance.now() - t0) / n * 1000).toFixed(2), 'us/record')
}
