/**
 * The original text of stored records, for linkage error files (IM spec §7.5.1: the whole original record):
 * read back from the received file in the inbox by line number, or, when the inbox no longer holds it,
 * re-encoded from the stored values with the codec.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Catalogue, catalogueFor, type DataType, type EventField } from '../catalogue/index.ts'
import {
  type Element,
  encodeCsvRecord,
  encodeJsonRecord,
  type NameValues,
  type Scalar,
  type Value,
  type Values,
} from '../codec/index.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead } from '../store/store-cipher.ts'
import { readLines } from '../validate/line-reader.ts'

/** A stored record to fetch: its version id, file and line. */
export interface RecordRef {
  readonly eventId: string
  readonly fileId: number
  readonly line: number
}

/** Original lines by `_event_id` (as text) of records of `eventDate`. */
export async function originalRecords(
  repo: Repository,
  eventDate: number,
  refs: readonly RecordRef[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const byFile = new Map<number, Map<number, string>>()
  for (const r of refs) {
    const lines = byFile.get(r.fileId) ?? new Map<number, string>()
    lines.set(r.line, r.eventId)
    byFile.set(r.fileId, lines)
  }
  const missing: string[] = []
  for (const [fileId, lines] of byFile) {
    const file = await repo.db.one<{ inbox_path: string | null; name: string }>(
      'SELECT inbox_path, name FROM files WHERE file_id = $1',
      [fileId],
    )
    const path = file?.inbox_path ? join(repo.paths.inbox, file.inbox_path) : undefined
    if (!path || !existsSync(path)) {
      missing.push(...lines.values())
      continue
    }
    const last = Math.max(...lines.keys())
    await readLines(
      path,
      file!.name.endsWith('.bz2'),
      { batchSize: 50_000, maxBytes: Number.MAX_SAFE_INTEGER },
      async (batch, first) => {
        if (first > last) return
        for (let i = 0; i < batch.length; i++) {
          const id = lines.get(first + i)
          if (id !== undefined) out.set(id, batch[i].replace(/\r$/, ''))
        }
      },
    )
    for (const id of lines.values()) if (!out.has(id)) missing.push(id)
  }
  if (missing.length > 0) for (const [id, text] of await reencode(repo, eventDate, missing)) out.set(id, text)
  return out
}

function scalarOf(type: DataType, v: unknown, digits = 9): Scalar | undefined {
  if (v === null || v === undefined) return undefined
  switch (type.kind) {
    case 'timestamp':
      return { ns: BigInt(String(v)), digits, form: 'string' }
    case 'boolean':
      return v === true || v === 'true'
    case 'date':
      return Number(v)
    default:
      return String(v)
  }
}

function storedValue(cat: Catalogue, field: EventField, v: unknown, digits: number): Value | undefined {
  if (v === null || v === undefined) return undefined
  const type = field.spec.type
  if (type.kind === 'nameValue') {
    const spec = cat.nameValues.get(type.pairs)
    const obj = JSON.parse(String(v)) as Record<string, unknown>
    const out: NameValues = {}
    for (const [k, x] of Object.entries(obj))
      out[k] = scalarOf(spec?.entries.get(k) ?? { kind: 'text', max: 64 }, x) ?? true
    return out
  }
  if (type.kind === 'array') return JSON.parse(String(v)) as string[]
  if (type.kind === 'records') {
    return (JSON.parse(String(v)) as Record<string, unknown>[]).map((el) => {
      const out: Element = {}
      for (const sub of field.elements ?? []) {
        const s = scalarOf(sub.spec.type, el[sub.name])
        if (s !== undefined) out[sub.name] = s
      }
      return out
    })
  }
  return scalarOf(type, v, field.name === 'eventTimestamp' ? digits : 9)
}

async function reencode(repo: Repository, eventDate: number, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  // Only the store files written from the data files these records came in (named f<file id>_..._<type>_),
  // one event type at a time so each read has just that type's columns.
  const dir = join(repo.paths.events, `event_date=${eventDate}`)
  const fileIds = new Set(ids.map((i) => String(BigInt(i) >> 32n)))
  const byType = new Map<string, string[]>()
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^f([0-9]+)_b[0-9]+_([A-Z]+)_[0-9]+\.parquet$/.exec(f)
    if (!m || !fileIds.has(m[1])) continue
    byType.set(m[2], [...(byType.get(m[2]) ?? []), join(dir, f)])
  }
  const rows: Record<string, unknown>[] = []
  for (const files of byType.values()) {
    rows.push(
      ...(await repo.db.all<Record<string, unknown>>(
        `SELECT e.*, f.format AS _format
         FROM ${parquetRead(repo.db, `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`, ['union_by_name = true'])} e
         JOIN files f ON f.file_id = e._file_id
         WHERE e._event_id IN (${ids.map((i) => `${BigInt(i)}::UBIGINT`).join(', ')})`,
      )),
    )
  }
  for (const row of rows) {
    const cat = catalogueFor(String(row._file_version ?? '')) ?? catalogueFor('4.0.0')!
    const event = cat.events.get(String(row._type))
    if (!event) continue
    const values: Values = {}
    for (const f of event.fields) {
      if (f.name === 'reservedForFutureUse') continue
      const v = storedValue(cat, f, row[f.name], Number(row._ts_digits ?? 9))
      if (v !== undefined) values[f.name] = v
    }
    out.set(
      String(row._event_id),
      row._format === 'csv' ? encodeCsvRecord(event, values) : encodeJsonRecord(cat, event, values),
    )
  }
  return out
}
