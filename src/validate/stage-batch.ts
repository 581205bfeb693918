/**
 * One batch of decoded records on its way into the engine: per event type a tab-separated staging file
 * (the type's own columns only), plus what the codec already found. Values are written in canonical text
 * the engine casts exactly (decimals as written, timestamps as epoch nanoseconds, composites as JSON).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Catalogue, EventField, EventSpec } from '../catalogue/index.ts'
import type {
  Element,
  FieldFinding,
  FieldPlan,
  NameValues,
  Scalar,
  SlotRecord,
  Value,
} from '../codec/index.ts'
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

/**
 * A decoded batch as plain data (it crosses from the decoding worker to the engine's thread): per event
 * type the staging file's path, the deletes, the codec's findings, and each line's identity.
 */
export interface StagedBatch {
  readonly firstLine: number
  readonly count: number
  /** Per event type, its staging file (written by the decoder, so the text never crosses threads). */
  readonly stages: { readonly type: string; readonly path: string; readonly rows: number }[]
  /** The record deletes' staging file, when the batch has any. */
  readonly deletes?: string
  readonly problems: LineFindings[]
  readonly types: (string | undefined)[]
  readonly actions: (string | undefined)[]
  readonly roeIds: (string | undefined)[]
  readonly eventNs: (bigint | undefined)[]
  readonly repairs: (string | undefined)[]
}

/** What is known of the record on a line of a staged batch. */
export function lineInfo(b: StagedBatch, line: number): LineInfo {
  const i = line - b.firstLine
  return {
    type: b.types[i],
    action: b.actions[i],
    roeId: b.roeIds[i],
    eventNs: b.eventNs[i],
    repairs: b.repairs[i],
  }
}

/** The fields of a type's staging file, in order (reserved positions left out). */
export function stageFields(plan: { fields: readonly FieldPlan[] }): FieldPlan[] {
  return plan.fields.filter((f) => f.field.name !== 'reservedForFutureUse')
}

/** The staged rows of one event type. */
export interface TypeStage {
  readonly event: EventSpec
  /** The layout's fields in staging-file order (reserved positions left out). */
  readonly fields: readonly FieldPlan[]
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

// The CSV codec shares one frozen value among the records that wrote the same name/value text: its JSON
// is made once. A value of its own (JSON records) is seen once, so it is not remembered.
const nameValueJson = new WeakMap<NameValues, string>()

function nameValueCell(v: NameValues): string {
  const shared = Object.isFrozen(v)
  let json = shared ? nameValueJson.get(v) : undefined
  if (json === undefined) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = jsonScalar(x)
    json = JSON.stringify(out)
    if (shared) nameValueJson.set(v, json)
  }
  return json
}

function cell(field: EventField, v: Value): string {
  const kind = field.spec.type.kind
  if (kind === 'nameValue') return nameValueCell(v as NameValues)
  if (kind === 'records') {
    return JSON.stringify(
      (v as Element[]).map((el) =>
        Object.fromEntries(Object.entries(el).map(([k, x]) => [k, jsonScalar(x)])),
      ),
    )
  }
  if (kind === 'array') return JSON.stringify(v)
  return scalarCell(v as Scalar)
}

/** Collects one batch. */
export class StageBatch {
  readonly stages = new Map<string, TypeStage>()
  readonly deletes: string[] = []
  readonly problems: LineFindings[] = []
  // Identities of the records, by line − firstLine, kept until the batch's rejects are known.
  private readonly types: (string | undefined)[] = []
  private readonly actions: (string | undefined)[] = []
  private readonly roeIds: (string | undefined)[] = []
  private readonly eventNs: (bigint | undefined)[] = []
  private readonly repairs: (string | undefined)[] = []

  constructor(
    readonly cat: Catalogue,
    readonly firstLine: number,
  ) {}

  /** The batch as plain data, its staging files written into `dir`. */
  toStaged(dir: string): StagedBatch {
    return {
      firstLine: this.firstLine,
      count: this.types.length,
      stages: [...this.stages].map(([type, st]) => ({
        type,
        path: this.write(dir, type, st.rows),
        rows: st.rows.length,
      })),
      ...(this.deletes.length > 0 ? { deletes: this.write(dir, 'DEL', this.deletes) } : {}),
      problems: this.problems,
      types: this.types,
      actions: this.actions,
      roeIds: this.roeIds,
      eventNs: this.eventNs,
      repairs: this.repairs,
    }
  }

  /** Writes one staging file of the batch; returns its path. */
  private write(dir: string, name: string, rows: readonly string[]): string {
    const path = join(dir, `l${this.firstLine}_${name}.tsv`)
    writeFileSync(path, `${rows.join('\n')}\n`)
    return path
  }

  /** Adds one decoded line. `allowed` says whether its event type belongs in this kind of file. */
  add(line: number, rec: SlotRecord, allowed: (e: EventSpec) => string | undefined): void {
    const plan = rec.plan
    const slots = rec.slots
    let roeId: string | undefined
    let ts: { ns: bigint; digits: number } | undefined
    let repairs: string | undefined
    if (rec.action === 'DEL') {
      roeId = rec.deleteTarget?.roeId
      repairs = rec.deleteTarget?.errorROEID
    } else if (plan && slots.length > 0) {
      roeId = (slots[2] as string | undefined) ?? undefined
      const tsField = plan.byName.get('eventTimestamp')
      ts = tsField ? (slots[tsField.index] as { ns: bigint; digits: number } | undefined) : undefined
      repairs = slots[1] as string | undefined
    }
    this.types.push(plan?.event.type)
    this.actions.push(rec.action)
    this.roeIds.push(roeId)
    this.eventNs.push(ts?.ns)
    this.repairs.push(repairs)
    const findings = rec.findings
    if (rec.action === 'DEL' && findings.length === 0) {
      const date = roeId && /^[0-9]{8}_/.test(roeId) ? roeId.slice(0, 8) : ''
      this.deletes.push(`${line}\tDEL\t${roeId ?? ''}\t\t\t${repairs ?? ''}\t${date}`)
      return
    }
    const event = rec.action === 'DEL' ? undefined : plan?.event
    const misplaced = event && allowed(event)
    if (misplaced) findings.push({ code: 2105, field: 'type', message: misplaced })
    if (findings.length > 0 || !event) {
      this.problems.push({ line, findings })
      // Records with field problems are staged too, so the rules can add what else is wrong with them.
      if (!event || misplaced || slots.length === 0 || findings.some((f) => f.field === undefined)) return
    }
    let stage = this.stages.get(event.type)
    if (!stage) {
      stage = { event, fields: stageFields(plan!), rows: [] }
      this.stages.set(event.type, stage)
    }
    const fields = stage.fields
    // Cells are joined once: a string built by += would stay a tree of pieces for the collector to walk.
    const cells: string[] = new Array(7 + fields.length)
    cells[0] = String(line)
    cells[1] = rec.action ?? ''
    cells[2] = roeId ?? ''
    cells[3] = ts ? ts.ns.toString() : ''
    cells[4] = ts ? String(ts.digits) : ''
    cells[5] = repairs ?? ''
    cells[6] = ts ? String(eventDate(ts.ns)) : ''
    for (let i = 0; i < fields.length; i++) {
      const x = slots[fields[i].index]
      cells[7 + i] = x === undefined ? '' : cell(fields[i].field, x)
    }
    stage.rows.push(cells.join('\t'))
  }
}

/** The read_csv column spec of a type's staging file. */
export function stageColumns(fields: readonly FieldPlan[]): string {
  const cols = [
    ...STAGE_META.map((c) => [c.name, c.sqlType]),
    ...fields.map((f) => [f.field.name, sqlTypeOf(f.field.spec.type)]),
  ]
  return `{${cols.map(([n, t]) => `'${n}': '${t}'`).join(', ')}}`
}

/** The read_csv column spec of the deletes staging file. */
export const DELETE_COLUMNS = `{${STAGE_META.map((c) => `'${c.name}': '${c.sqlType}'`).join(', ')}}`
