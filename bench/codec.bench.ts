/**
 * Codec throughput: records/s per core decoding and encoding realistic records of the core event types,
 * JSON and CSV. `node bin/run-ts.js bench/codec.bench.ts [--records N] [--json]`
 */
import { CATALOGUE_V4 } from '../src/catalogue/index.ts'
import {
  decodeCsvSlots,
  decodeJsonRecord,
  decodeJsonSlots,
  encodeCsvRecord,
  encodeJsonRecord,
} from '../src/codec/index.ts'
import { bulkLines } from '../test/support/bulk.ts'
import { type BenchRow, measure, numberArg, report } from './harness.ts'

/** Runs the codec benchmark over `records` records. */
export async function benchCodec(records: number): Promise<BenchRow[]> {
  const cat = CATALOGUE_V4
  const json = bulkLines(records, 'B')
  const decoded = json.map((l) => decodeJsonRecord(l, cat))
  const csv = decoded.map((d) => encodeCsvRecord(cat.events.get(d.type!)!, d.values))
  const bytes = json.reduce((s, l) => s + l.length, 0)
  const note = `${Math.round(bytes / records)} B/record (JSON)`
  const rows: BenchRow[] = []
  rows.push(
    await measure(
      'codec',
      'decode JSON (slots, ingestion path)',
      records,
      1,
      () => void json.forEach((l) => decodeJsonSlots(l, cat)),
      note,
    ),
  )
  rows.push(
    await measure(
      'codec',
      'decode JSON (named values)',
      records,
      1,
      () => void json.forEach((l) => decodeJsonRecord(l, cat)),
    ),
  )
  rows.push(
    await measure(
      'codec',
      'decode CSV (slots, ingestion path)',
      records,
      1,
      () => void csv.forEach((l) => decodeCsvSlots(l, cat)),
    ),
  )
  rows.push(
    await measure(
      'codec',
      'encode JSON',
      records,
      1,
      () => void decoded.forEach((d) => encodeJsonRecord(cat, cat.events.get(d.type!)!, d.values)),
    ),
  )
  rows.push(
    await measure(
      'codec',
      'encode CSV',
      records,
      1,
      () => void decoded.forEach((d) => encodeCsvRecord(cat.events.get(d.type!)!, d.values)),
    ),
  )
  return rows
}

if (process.argv[1]?.endsWith('codec.bench.ts')) report(await benchCodec(numberArg('records', 300_000)))
