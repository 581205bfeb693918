/**
 * A lifecycle as a picture's data: a lane per firm or venue, its events as nodes in time order with every
 * field of every stored version (corrections and repairs beside the original), the links as edges, and the
 * linkage findings on its events as broken edges carrying their CAT codes, the code table's meaning and the
 * explanation linkage gave. Built on the lifecycle lookup; reads only the few records the lifecycle holds.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { CAT_CODES } from '../catalogue/cat-codes.ts'
import { FIELDS } from '../catalogue/fields.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import { type Lifecycle, type LifecycleKey, lookupLifecycle } from '../link/lifecycle-lookup.ts'
import { literal } from '../store/database.ts'
import { currentScan, freshDayIndex } from '../store/day-index.ts'
import type { Repository } from '../store/repository.ts'
import { parquetRead } from '../store/store-cipher.ts'
import { formatDecimal } from './display-format.ts'

/** A lane: one reporter (a firm, an ATS, an exchange or FINRA's trade reporting facilities). */
export interface GraphLane {
  readonly id: string
  readonly role: 'firm' | 'ats' | 'exchange'
  readonly name: string
  readonly events: number
}

/** One stored version of an event's record, with its fields as submitted (exact text; times in ET). */
export interface GraphVersion {
  readonly eventId: string
  /** NEW, COR, RPR or DEL. */
  readonly action: string
  /** When the repository received the file (CAT timestamp, Eastern Time). */
  readonly received: string
  readonly fileName: string
  readonly line: number
  /** The version the lifecycle was linked through (the current one when its date was last linked). */
  readonly linked: boolean
  readonly fields: Record<string, string>
}

/** An event of the lifecycle. */
export interface GraphNode {
  /** `<reporter> <firmROEID>`: what edges name. */
  readonly id: string
  readonly lane: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly eventTimestamp: string
  readonly eventDate: number
  readonly symbol: string | null
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  /** Every stored version, in the order received. */
  readonly versions: GraphVersion[]
}

/** A link between two events. */
export interface GraphEdge {
  readonly from: string
  readonly to: string
  /** route, accept, cancel, modify, internalRoute, child, supplement, execution, fill, report */
  readonly kind: string
  /** The link goes from one reporter to another (a route between firms, an exchange's accept). */
  readonly acrossLanes: boolean
}

/** A link that linkage could not make, or made wrongly, on an event of the lifecycle. */
export interface BrokenEdge {
  readonly from: string
  readonly code: number
  readonly severity: string
  /** The code's meaning, from the CAT code table. */
  readonly meaning: string
  /** What linkage found, in words. */
  readonly explanation: string
  readonly linkageType: string
  /** The reporter the other end belongs to, when there is one. */
  readonly counterparty: string | null
  /** Whom the finding is sent to. */
  readonly recipient: string
  /** Best candidate counterparts linkage found, ranked (JSON as linkage wrote it). */
  readonly candidates: unknown
}

/** The graph of one lifecycle. */
export interface LifecycleGraph {
  readonly lifecycleId: string
  readonly symbol: string | null
  readonly alsoIn?: string[]
  readonly lanes: GraphLane[]
  readonly nodes: GraphNode[]
  readonly edges: GraphEdge[]
  readonly broken: BrokenEdge[]
}

/** Looks the lifecycle up by key and draws it as a graph. */
export async function lifecycleGraph(repo: Repository, key: LifecycleKey): Promise<LifecycleGraph> {
  return graphOf(repo, await lookupLifecycle(repo.db, repo.paths, key))
}

/** The graph of a lifecycle already looked up. */
export async function graphOf(repo: Repository, lc: Lifecycle): Promise<LifecycleGraph> {
  const nodeId = (e: { reporter: string; firmROEID: string }) => `${e.reporter} ${e.firmROEID}`
  const versions = await versionsOf(repo, lc)
  const nodes: GraphNode[] = lc.events.map((e) => ({
    id: nodeId(e),
    lane: e.reporter,
    reporter: e.reporter,
    firmROEID: e.firmROEID,
    type: e.type,
    eventTimestamp: e.eventTimestamp,
    eventDate: e.eventDate,
    symbol: e.symbol ?? null,
    side: e.side ?? null,
    price: e.price ?? null,
    quantity: e.quantity ?? null,
    versions: versions.get(nodeId(e)) ?? [],
  }))
  const known = new Set(nodes.map((n) => n.id))
  const edges: GraphEdge[] = lc.links
    .map((l) => ({
      from: nodeId(l.from),
      to: nodeId(l.to),
      kind: l.kind,
      acrossLanes: l.from.reporter !== l.to.reporter,
    }))
    .filter((e) => known.has(e.from) && known.has(e.to))
  const lanes = await lanesOf(repo, nodes)
  const broken = await findingsOf(repo, lc, versions)
  return {
    lifecycleId: lc.lifecycleId,
    symbol: lc.events.find((e) => e.symbol)?.symbol ?? null,
    ...(lc.alsoIn ? { alsoIn: lc.alsoIn } : {}),
    lanes,
    nodes,
    edges,
    broken,
  }
}

async function lanesOf(repo: Repository, nodes: readonly GraphNode[]): Promise<GraphLane[]> {
  const reporters = [...new Set(nodes.map((n) => n.reporter))]
  const list = reporters.map(literal).join(', ')
  const rows = await repo.db.all<{ id: string; role: 'firm' | 'ats' | 'exchange'; name: string | null }>(
    `SELECT i.imid AS id, CASE WHEN i.ats THEN 'ats' ELSE 'firm' END AS role, f.name
     FROM ref_imids i LEFT JOIN ref_firms f ON f.crd = i.crd WHERE i.imid IN (${list})
     UNION ALL SELECT exchange_id, 'exchange', name FROM ref_exchanges WHERE exchange_id IN (${list})`,
  )
  const info = new Map(rows.map((r) => [r.id, r]))
  // Lanes in the order the lifecycle first reaches each reporter.
  return reporters.map((id) => ({
    id,
    role: info.get(id)?.role ?? 'firm',
    name: info.get(id)?.name ?? '',
    events: nodes.filter((n) => n.reporter === id).length,
  }))
}

const TIMESTAMP_FIELDS = new Set(
  [...FIELDS.values()].filter((f) => f.type.kind === 'timestamp').map((f) => f.name),
)

/** Every stored version of each event's record, by node id. */
async function versionsOf(repo: Repository, lc: Lifecycle): Promise<Map<string, GraphVersion[]>> {
  const out = new Map<string, GraphVersion[]>()
  if (lc.events.length === 0) return out
  const dates = [...new Set(lc.events.map((e) => e.eventDate))]
  const wanted = new Set(lc.events.map((e) => `${e.reporter} ${e.firmROEID}`))
  const roes = [...new Set(lc.events.map((e) => e.firmROEID))].map(literal).join(', ')
  const reporters = [...new Set(lc.events.map((e) => e.reporter))].map(literal).join(', ')
  // First the versions, from a few narrow columns (the date prunes partitions, the ids filter the scan);
  // then their every field: current ones from the day index, others from the store files they were written
  // to (named after their data file).
  const where = `event_date IN (${dates.join(', ')}) AND _reporter IN (${reporters}) AND _roe_id IN (${roes})`
  // The filter pairs every reporter with every id: only the lifecycle's own records are read further.
  const refs = (
    await repo.db.all<{ id: string; file_id: string; event_date: number; reporter: string; roe: string }>(
      `SELECT _event_id::VARCHAR AS id, _file_id::VARCHAR AS file_id, event_date, _reporter AS reporter, _roe_id AS roe
       FROM events WHERE ${where}`,
    )
  ).filter((r) => wanted.has(`${r.reporter} ${r.roe}`))
  if (refs.length === 0) return out
  const linked = new Set(lc.events.map((e) => e.eventId))
  const fileNames = new Map(
    (
      await repo.db.all<{ id: string; name: string }>(
        `SELECT file_id::VARCHAR AS id, name FROM files WHERE file_id IN (${[...new Set(refs.map((r) => r.file_id))].join(', ')})`,
      )
    ).map((r) => [r.id, r.name]),
  )
  const rows = await currentVersionsOf(repo, lc, refs)
  const found = new Set(rows.map((r) => String(r._id)))
  const rest = refs.filter((r) => !found.has(r.id))
  const files = [
    ...new Set(
      rest.flatMap((r) => {
        const dir = join(repo.paths.events, `event_date=${r.event_date}`)
        return existsSync(dir)
          ? readdirSync(dir)
              .filter((f) => f.startsWith(`f${r.file_id}_`) && f.endsWith('.parquet'))
              .map((f) => join(dir, f))
          : []
      }),
    ),
  ]
  if (files.length > 0)
    rows.push(
      ...(await repo.db.all<Record<string, unknown>>(
        `SELECT *, _event_id::VARCHAR AS _id FROM ${parquetRead(repo.db, `[${files.map(literal).join(', ')}]`, ['union_by_name = true', 'hive_partitioning = false'])}
         WHERE _event_id IN (${rest.map((r) => r.id).join(', ')})`,
      )),
    )
  // In the order they were received (ties by event id), wherever they were read from.
  const received = (r: Record<string, unknown>) =>
    BigInt(String(r._received_ns)) * 2n ** 64n + BigInt(String(r._id))
  rows.sort((a, b) => {
    const [x, y] = [received(a), received(b)]
    return x < y ? -1 : x > y ? 1 : 0
  })
  for (const r of rows) {
    const id = `${r._reporter} ${r._roe_id}`
    const fields: Record<string, string> = {}
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith('_') || k === 'event_date' || v === null || v === undefined) continue
      fields[k] = TIMESTAMP_FIELDS.has(k)
        ? formatCatTimestamp(BigInt(String(v)), k === 'eventTimestamp' ? Number(r._ts_digits ?? 9) : 9)
        : typeof v === 'string'
          ? formatDecimalField(k, v)
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v)
    }
    const list = out.get(id) ?? []
    list.push({
      eventId: String(r._id),
      action: String(r._action),
      received: formatCatTimestamp(BigInt(String(r._received_ns))),
      fileName: fileNames.get(String(r._file_id)) ?? '',
      line: Number(r._line),
      linked: linked.has(String(r._id)),
      fields,
    })
    out.set(id, list)
  }
  return out
}

/**
 * The versions among `refs` that are current on a date with a fresh day index, every column, from the
 * index's current rows of the lifecycle's symbols (a bucket each): a lifecycle of hundreds of events is
 * otherwise read from dozens of its reporters' batch files. Versions not found there are read from the files.
 */
async function currentVersionsOf(
  repo: Repository,
  lc: Lifecycle,
  refs: readonly { id: string; event_date: number }[],
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const date of new Set(refs.map((r) => r.event_date))) {
    const symbols = [
      ...new Set(lc.events.flatMap((e) => (e.eventDate === date && e.symbol ? [e.symbol] : []))),
    ]
    const index = symbols.length > 0 ? await freshDayIndex(repo, date) : undefined
    if (!index) continue
    const ids = refs.filter((r) => r.event_date === date).map((r) => r.id)
    rows.push(
      ...(await repo.db.all<Record<string, unknown>>(
        `SELECT *, _event_id::VARCHAR AS _id FROM ${await currentScan(repo, index, symbols)}
         WHERE _event_id IN (${ids.join(', ')})`,
      )),
    )
  }
  return rows
}

const DECIMAL_FIELDS = new Set(
  [...FIELDS.values()]
    .filter((f) => f.type.kind === 'price' || f.type.kind === 'realQuantity')
    .map((f) => f.name),
)

function formatDecimalField(name: string, v: string): string {
  return DECIMAL_FIELDS.has(name) ? formatDecimal(v) : v
}

async function findingsOf(
  repo: Repository,
  lc: Lifecycle,
  versions: Map<string, GraphVersion[]>,
): Promise<BrokenEdge[]> {
  const ids = [...versions.values()].flat().map((v) => v.eventId)
  if (ids.length === 0) return []
  const dates = [...new Set(lc.events.map((e) => e.eventDate))]
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT subject_reporter, subject_roe_id, code, severity, linkage_type, counterparty, recipient, explanation, candidates
     FROM linkage_findings WHERE event_date IN (${dates.join(', ')}) AND _event_id IN (${ids.join(', ')})
     ORDER BY subject_reporter, subject_roe_id, code, recipient`,
  )
  return rows.map((r) => {
    const code = Number(r.code)
    let candidates: unknown = null
    try {
      candidates = r.candidates === null ? null : JSON.parse(String(r.candidates))
    } catch {
      candidates = r.candidates
    }
    return {
      from: `${r.subject_reporter} ${r.subject_roe_id}`,
      code,
      severity: String(r.severity),
      meaning: CAT_CODES.get(code)?.title ?? '',
      explanation: String(r.explanation ?? ''),
      linkageType: String(r.linkage_type ?? ''),
      counterparty: r.counterparty === null ? null : String(r.counterparty),
      recipient: String(r.recipient),
      candidates,
    }
  })
}
