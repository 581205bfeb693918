/**
 * One batch of decoded records on its way into the engine: per event type a tab-separated staging file
 * (the type's own columns only), plus what the codec already found. Values are written in canonical text
 * the engine casts exactly (decimals as written, timestamps as epoch nanoseconds, composites as JSON).
 */
import type { Catalogue, EventField, EventSpec } from '../catalogue/index.ts'
import type { DecodedRecord, Element, FieldFinding, NameValues, Scalar, Value } from '../codec/index.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { sqlTypeOf } from '../store/event-columns.ts'

/** Columns every staging table starts with. */
export const STAGE_META = [
  { name: '_line', sqlType: 'INTEGER' },
  { name: '_action', sqlType: 'VARCHAR' },
  { name: '_roe_id', sqlType: 'VARCHAR' },
  { name: '_event_ns', sqlType: 'BIGINT' },
  { name: '_ts_digits', sqlType: 'TINYINT' },
  { name: '_repairs', sqlType: 'UBIGINT' },
  { name: 'event_date', sqlType: 'INTEGER' },
] as const

/** What is known of a record's identity, for the rejects store. */
export interface LineInfo {
  readonly type?: string
  readonly action?: string
  readonly roeId?: string
  readonly eventNs?: bigint
  readonly repairs?: string
}

/** A record the codec could not stage (unknown type, broken line) or found problems in. */
export interface LineFindings {
  readonly line: number
  readonly findings: FieldFinding[]
}

/** The staged rows of one event type. */
export interface TypeStage {
  readonly event: EventSpec
  readonly fields: readonly EventField[]
  readonly rows: string[]
}

const HOUR_NS = 3_600_000_000_000n
const dateByHour = new Map<bigint, number>()

// Eastern Time offsets are whole hours, so the ET date is constant within each UTC hour.
function eventDate(ns: bigint): number {
  const hour = ns / HOUR_NS
  let d = dateByHour.get(hour)
  if (d === undefined) {
    d = etDateOf(hour * HOUR_NS)
    if (dateByHour.size > 100_000) dateByHour.clear()
    dateByHour.set(hour, d)
  }
  return d
}

function scalarCell(v: Scalar): string {
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return String(v)
  return v.ns.toString()
}

function jsonScalar(v: Scalar): unknown {
  if (typeof v === 'object') return v.ns.toString()
  return v
}

function cell(field: EventField, v: Value): string {
  const kind = field.spec.type.kind
  if (kind === 'nameValue') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v as NameValues)) out[k] = jsonScalar(x)
    return JSON.stringify(out)
  }
  if (kind === 'records') {
    return JSON.stringify((v as Element[]).map((el) => Object.fromEntries(Object.entries(el).map(([k, x]) => [k, jsonScalar(x)]))))
  }
  if (kind === 'array') return JSON.stringify(v)
  return scalarCell(v as Scalar)
}

/** Collects one batch. */
export class StageBatch {
  readonly stages = new Map<string, TypeStage>()
  readonly deletes: string[] = []
  readonly problems: LineFindings[] = []
  /** Raw lines and identities, by line − firstLine, kept until the batch's rejects are known. */
  readonly raw: string[] = []
  readonly info: LineInfo[] = []

  constructor(
    readonly cat: Catalogue,
    readonly firstLine: number,
  ) {}

  /** Adds one decoded line. `allowed` says whether its event type belongs in this kind of file. */
  add(line: number, text: string, rec: DecodedRecord, allowed: (e: EventSpec) => string | undefined): void {
    const v = rec.values
    const roeId = (v.firmROEID ?? v.recordID) as string | undefined
    const ts = v.eventTimestamp as { ns: bigint; digits: number } | undefined
    const repairs = v.errorROEID as string | undefined
    this.raw.push(text)
    this.info.push({ type: rec.type, action: rec.action, roeId, eventNs: ts?.ns, repairs })
    const findings = rec.findings.slice()
    if (rec.action === 'DEL' && findings.length === 0) {
      const date = roeId && /^[0-9]{8}_/.test(roeId) ? roeId.slice(0, 8) : ''
      this.deletes.push(`${line}\tDEL\t${roeId ?? ''}\t\t\t${repairs ?? ''}\t${date}`)
      return
    }
    const event = rec.type ? this.cat.events.get(rec.type) : undefined
    const misplaced = event && allowed(event)
    if (misplaced) findings.push({ code: 2105, field: 'type', message: misplaced })
    if (findings.length > 0 || !event) {
      this.problems.push({ line, findings })
      // Records with field problems are staged too, so the rules can add what else is wrong with them.
      if (!event || misplaced || findings.some((f) => f.field === undefined)) return
    }
    let stage = this.stages.get(event.type)
    if (!stage) {
      stage = { event, fields: event.fields.filter((f) => f.name !== 'reservedForFutureUse'), rows: [] }
      this.stages.set(event.type, stage)
    }
    const cells: string[] = [
      String(line),
      rec.action ?? '',
      roeId ?? '',
      ts ? ts.ns.toString() : '',
      ts ? String(ts.digits) : '',
      repairs ?? '',
      ts ? String(eventDate(ts.ns)) : '',
    ]
    for (const f of stage.fields) {
      const x = v[f.name]
      cells.push(x === undefined ? '' : cell(f, x))
    }
    stage.rows.push(cells.join('\t'))
  }
}

/** The read_csv column spec of a type's staging file. */
export function stageColumns(stage: TypeStage): string {
  const cols = [...STAGE_META.map((c) => [c.name, c.sqlType]), ...stage.fields.map((f) => [f.name, sqlTypeOf(f.spec.type)])]
  return `{${cols.map(([n, t]) => `'${n}': '${t}'`).join(', ')}}`
}

/** The read_csv column spec of the deletes staging file. */
export const DELETE_COLUMNS = `{${STAGE_META.map((c) => `'${c.name}': '${c.sqlType}'`).join(', ')}}`
