/**
 * Lifecycles as connected components: every link except executions and fills joins two order events into
 * one lifecycle; an execution or fill belongs to the lifecycle of every order it links from. Edges are
 * read from the engine column by column into typed arrays and joined with a union-find; each component is
 * named by its earliest event (time, then the hash of its reporter and record id): the lifecycle id is
 * that event's date and hash, so the same events give the same id whether linked at once or file by file.
 * 64-bit values travel as two 32-bit halves: no BigInt per row.
 *
 * The day is worked a group of symbol buckets at a time, so the arrays are as large as a group, not the
 * day: every linkage key holds the symbol, so a lifecycle's events share a bucket (a hash of the symbol;
 * events without one share a bucket). That is expected, not assumed: buckets that any link joins are one
 * group, worked together, and a component never leaves its group, so nor does the earliest event that
 * names it: the answer is the one a single pass over the day gives.
 */
import type { Database } from '../store/database.ts'
import { appendColumns, readColumns } from './typed-columns.ts'
import { UnionFind } from './union-find.ts'
import { WORK_DB } from './work-database.ts'

/** A lifecycle's number from its first event's record key hash (positive, so it prints as base 32). */
export const LIFECYCLE_NUM = '(vk >> 1)'

/** Link kinds by code, as the engine and the arrays carry them. */
export const KIND_CODES = [
  'route',
  'accept',
  'cancel',
  'modify',
  'internalRoute',
  'child',
  'supplement',
  'execution',
  'fill',
  'report',
  'request',
] as const
const EXECUTION = 7
const FILL = 8

// The halves of a non-negative 64-bit value as INTEGERs (the low half reinterpreted as signed).
const hi = (col: string) => `((${col})::UBIGINT >> 32)::INTEGER`
const lo = (col: string) =>
  `((((${col})::UBIGINT & 4294967295)::BIGINT + 2147483648) % 4294967296 - 2147483648)::INTEGER`

const LIFECYCLE_BUCKET_EVENTS = 2_000_000

/**
 * Events per symbol bucket of the lifecycle pass: OPENCAT_LINK_LIFECYCLE_EVENTS when set, else 2,000,000.
 * The pass holds about 60 bytes per event of its largest group (some 120 MB), whatever the day's size; a
 * day of one bucket skips the bucket tables.
 */
export function lifecycleBucketEvents(): number {
  const set = Number(process.env.OPENCAT_LINK_LIFECYCLE_EVENTS)
  return Number.isSafeInteger(set) && set > 0 ? set : LIFECYCLE_BUCKET_EVENTS
}

/** The symbol buckets of a day of `nodes` events. */
export function lifecycleBuckets(nodes: number, perBucket = lifecycleBucketEvents()): number {
  return Math.max(1, Math.ceil(nodes / perBucket))
}

// What the pass reads of a node (from lk_nodes): its class (1 an order event, 2 an execution or fill,
// 0 neither or rejected), time, number, and the lifecycle it names when first: its own date and number,
// or for an event of an earlier date the lifecycle its own date gave it.
const ORDER = 1
const EXEC = 2
const nodeColumns = (dayStartNs: bigint) => {
  const num = `${LIFECYCLE_NUM}::BIGINT`
  const named = `coalesce(CASE WHEN prior THEN prior_num END, ${LIFECYCLE_NUM})`
  return `rowid::INTEGER AS idx,
    (CASE WHEN rejected THEN 0 WHEN fam IN (1, 2) THEN ${ORDER} WHEN fam = 3 THEN ${EXEC} ELSE 0 END)::TINYINT AS cls,
    (_event_ns - ${dayStartNs})::DOUBLE AS t, ${hi(num)} AS nh, ${lo(num)} AS nl,
    coalesce(CASE WHEN prior THEN prior_date END, event_date, 0)::INTEGER AS rd, ${hi(named)} AS rh, ${lo(named)} AS rl`
}
const NODE_KINDS = {
  r: 'i32',
  idx: 'i32',
  cls: 'i8',
  t: 'f64',
  nh: 'i32',
  nl: 'i32',
  rd: 'i32',
  rh: 'i32',
  rl: 'i32',
} as const
const EDGE_KINDS = { e: 'i32', s: 'i32', sb: 'i32', d: 'i32', db: 'i32', kind: 'i8' } as const
const KIND_CODE = `(CASE kind ${KIND_CODES.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' ')} END)::TINYINT`

/**
 * Where a group's rows come from. Node rows carry `r`, their row in the bucket table, bucket b's rows
 * being start[b] onwards; edge rows carry their link's row `e` and the rows `s`, `d` of its two nodes and
 * their buckets.
 */
interface Source {
  readonly buckets: number
  readonly nodes: (b: number) => string
  readonly edges: (b: number) => string
  readonly start: readonly number[]
  readonly nodeCount: readonly number[]
  readonly edgeCount: readonly number[]
}

/** A group's nodes in node order (local index k), its edges in link order with local ends. */
interface Group {
  readonly idx: Int32Array
  readonly cls: Int8Array
  readonly t: Float64Array
  readonly nh: Int32Array
  readonly nl: Int32Array
  readonly rd: Int32Array
  readonly rh: Int32Array
  readonly rl: Int32Array
  readonly src: Int32Array
  readonly dst: Int32Array
  readonly kind: Int8Array
}

type Timing = Map<string, number>

/** What the component pass leaves: lk_life (per node), lk_extra, lk_links_out; returns the lifecycle count. */
export async function computeLifecycles(
  db: Database,
  dayStartNs: bigint,
  trace?: (line: string) => void,
  perBucket = lifecycleBucketEvents(),
): Promise<number> {
  let mark = process.hrtime.bigint()
  let peakArrays = 0
  const sampleArrays = () => {
    if (trace) peakArrays = Math.max(peakArrays, process.memoryUsage().arrayBuffers)
  }
  const step = (what: string) => {
    const now = process.hrtime.bigint()
    trace?.(`lifecycles ${(Number(now - mark) / 1e9).toFixed(3)} s  ${what}`)
    mark = now
  }
  const count = async (sql: string) => Number((await db.one<{ n: string }>(sql))?.n ?? 0)
  const n = await count('SELECT count(*) AS n FROM lk_nodes')
  const buckets = lifecycleBuckets(n, perBucket)
  const columns = nodeColumns(dayStartNs)
  let source: Source
  let groups: number[][]
  if (buckets === 1) {
    source = {
      buckets,
      nodes: () => `SELECT rowid::INTEGER AS r, ${columns} FROM lk_nodes`,
      edges: () =>
        `SELECT rowid::INTEGER AS e, src::INTEGER AS s, 0 AS sb, dst::INTEGER AS d, 0 AS db, ${KIND_CODE} AS kind FROM lk_all_links`,
      start: [0],
      nodeCount: [n],
      edgeCount: [await count('SELECT count(*) AS n FROM lk_all_links')],
    }
    groups = [[0]]
  } else {
    // A bucket's rows are consecutive in both tables (and in node, then link order), so a group reads
    // them by the bucket's zone of the table.
    await db.run(`
      CREATE OR REPLACE TABLE lk_lc_nodes AS
        SELECT (hash(symbol) % ${buckets})::INTEGER AS b, ${columns} FROM lk_nodes ORDER BY b, idx`)
    step('nodes by bucket')
    await db.run(`
      CREATE OR REPLACE TABLE lk_lc_half AS
        SELECT a.rowid::INTEGER AS e, s.rowid::INTEGER AS s, s.b AS sb, a.dst::INTEGER AS dst, ${KIND_CODE} AS kind
        FROM lk_all_links a JOIN lk_lc_nodes s ON s.idx = a.src`)
    step('links with their sources')
    await db.run(`
      CREATE OR REPLACE TABLE lk_lc_edges AS
        SELECT h.e, h.s, h.sb, d.rowid::INTEGER AS d, d.b AS db, h.kind
        FROM lk_lc_half h JOIN lk_lc_nodes d ON d.idx = h.dst
        ORDER BY sb, e;
      DROP TABLE lk_lc_half`)
    step('links with their ends')
    const perB = async (sql: string) => {
      const out = new Array<number>(buckets).fill(0)
      for (const r of await db.all<{ b: number; n: string }>(sql)) out[Number(r.b)] = Number(r.n)
      return out
    }
    const nodeCount = await perB('SELECT b, count(*) AS n FROM lk_lc_nodes GROUP BY b')
    const edgeCount = await perB('SELECT sb AS b, count(*) AS n FROM lk_lc_edges GROUP BY sb')
    const start: number[] = []
    for (let b = 0, at = 0; b < buckets; at += nodeCount[b], b++) start.push(at)
    const linked = await count('SELECT count(*) AS n FROM lk_all_links')
    if (edgeCount.reduce((a, x) => a + x, 0) !== linked)
      throw new Error('link: a link names a node the lifecycle pass does not have')
    // Buckets a link joins are worked as one group.
    const uf = new UnionFind(buckets)
    for (const r of await db.all<{ sb: number; db: number }>(
      'SELECT DISTINCT sb, db FROM lk_lc_edges WHERE sb <> db',
    ))
      uf.union(Number(r.sb), Number(r.db))
    const byRoot = new Map<number, number[]>()
    for (let b = 0; b < buckets; b++) {
      const g = byRoot.get(uf.find(b)) ?? []
      g.push(b)
      byRoot.set(uf.find(b), g)
    }
    groups = [...byRoot.values()].filter((g) => g.some((b) => nodeCount[b] > 0))
    source = {
      buckets,
      nodes: (b) =>
        `SELECT rowid::INTEGER AS r, ${Object.keys(NODE_KINDS).slice(1).join(', ')} FROM lk_lc_nodes WHERE b = ${b}`,
      edges: (b) => `SELECT e, s, sb, d, db, kind FROM lk_lc_edges WHERE sb = ${b}`,
      start,
      nodeCount,
      edgeCount,
    }
  }
  step(
    `${buckets} symbol bucket(s), ${groups.length} group(s) of at most ${Math.max(...groups.map((g) => g.reduce((a, b) => a + source.nodeCount[b], 0)))} events`,
  )
  await db.run(`
    CREATE OR REPLACE TABLE ${WORK_DB}.main.lk_life_raw
      (idx INTEGER, member TINYINT, first TINYINT, lc_date INTEGER, lc_hi INTEGER, lc_lo INTEGER);
    CREATE OR REPLACE TABLE ${WORK_DB}.main.lk_extra_raw (idx INTEGER, lc_date INTEGER, lc_hi INTEGER, lc_lo INTEGER)`)
  const timing: Timing = new Map()
  let lifecycles = 0
  for (const group of groups) {
    const g = await readGroup(db, source, group, timing)
    lifecycles += await lifecyclesOf(db, g, timing, sampleArrays)
  }
  for (const [what, ns] of timing) trace?.(`lifecycles ${(ns / 1e9).toFixed(3)} s  ${what} (all groups)`)
  mark = process.hrtime.bigint()
  // Groups wrote their rows group by group: one sort puts them back in node order.
  const rows = buckets > 1 ? 'lk_life_ordered' : 'lk_life_raw'
  if (buckets > 1) {
    await db.run(`
      DROP TABLE lk_lc_nodes;
      DROP TABLE lk_lc_edges;
      CREATE OR REPLACE TABLE ${WORK_DB}.main.${rows} AS FROM lk_life_raw ORDER BY idx;
      DROP TABLE lk_life_raw`)
  }
  await db.run(`
    CREATE OR REPLACE TEMP MACRO lk_u64(h, l) AS ((h::BIGINT << 32) | (l::BIGINT & 4294967295));
    CREATE OR REPLACE TABLE lk_life AS
      SELECT l.idx, l.member, l.first, n.event_date, l.lc_date, lk_u64(l.lc_hi, l.lc_lo) AS lc_num, n._event_id AS eid,
        ${LIFECYCLE_NUM}::BIGINT AS key_num, n.rowid AS node, n.prior
      FROM lk_nodes n POSITIONAL JOIN ${rows} l;
    DROP TABLE ${rows};
    CREATE OR REPLACE TEMP VIEW lk_extra AS
      SELECT x.lc_date, lk_u64(x.lc_hi, x.lc_lo) AS lc_num, l.eid, l.key_num, l.prior
      FROM lk_extra_raw x JOIN lk_life l ON l.idx = x.idx;
    CREATE OR REPLACE TEMP VIEW lk_links_out AS
      SELECT f.lc_date, f.lc_num, a.from_event_id, a.to_event_id, a.kind, f.event_date AS from_date
      FROM lk_all_links a JOIN lk_life f ON f.idx = a.src WHERE f.member = 1`)
  // Every node's row was written by exactly one group, and they meet by position: a node missed, written
  // twice or out of order shows here.
  const misplaced = await count('SELECT count(*) AS n FROM lk_life WHERE idx IS DISTINCT FROM node')
  if (misplaced !== 0) throw new Error('link: lifecycle rows out of node order')
  step(`rows in node order, views${trace ? `; arrays at most ${(peakArrays / 1e6).toFixed(0)} MB` : ''}`)
  return lifecycles
}

const clock = (timing: Timing, what: string, since: bigint) =>
  timing.set(what, (timing.get(what) ?? 0) + Number(process.hrtime.bigint() - since))

/** Reads a group's nodes and edges, ordered and numbered as one pass over them alone would have them. */
async function readGroup(
  db: Database,
  source: Source,
  buckets: readonly number[],
  timing: Timing,
): Promise<Group> {
  let since = process.hrtime.bigint()
  const m = buckets.reduce((a, b) => a + source.nodeCount[b], 0)
  // A node's place in the group: its row, less its bucket's start, after the buckets before it.
  const shift = new Map<number, number>()
  const parts: Awaited<ReturnType<typeof readNodes>>[] = []
  let at = 0
  for (const b of buckets) {
    shift.set(b, at - source.start[b])
    parts.push(await readNodes(db, source, b))
    at += source.nodeCount[b]
  }
  const join = <K extends keyof typeof NODE_KINDS>(key: K) => {
    if (parts.length === 1) return parts[0][key]
    const first = parts[0][key]
    const out = new (first.constructor as new (m: number) => typeof first)(m)
    let off = 0
    for (const p of parts) {
      out.set(p[key] as never, off)
      off += p[key].length
    }
    return out
  }
  let idx = join('idx') as Int32Array
  let cls = join('cls') as Int8Array
  let t = join('t') as Float64Array
  let nh = join('nh') as Int32Array
  let nl = join('nl') as Int32Array
  let rd = join('rd') as Int32Array
  let rh = join('rh') as Int32Array
  let rl = join('rl') as Int32Array
  parts.length = 0
  // Node order (which breaks ties between events alike in time and number) holds within a bucket; a
  // group of several buckets is put back into it.
  let rank: Int32Array | undefined
  let ordered = true
  for (let k = 1; ordered && k < m; k++) ordered = idx[k - 1] < idx[k]
  if (!ordered) {
    const order = Int32Array.from({ length: m }, (_, k) => k).sort((a, b) => idx[a] - idx[b])
    rank = new Int32Array(m)
    for (let k = 0; k < m; k++) rank[order[k]] = k
    idx = permute(idx, order)
    cls = permute(cls, order)
    t = permute(t, order)
    nh = permute(nh, order)
    nl = permute(nl, order)
    rd = permute(rd, order)
    rh = permute(rh, order)
    rl = permute(rl, order)
  }
  clock(timing, 'read nodes', since)
  since = process.hrtime.bigint()
  const edgeTotal = buckets.reduce((a, b) => a + source.edgeCount[b], 0)
  const e = new Int32Array(edgeTotal)
  const src = new Int32Array(edgeTotal)
  const dst = new Int32Array(edgeTotal)
  const kind = new Int8Array(edgeTotal)
  let k = 0
  const local = (row: number, b: number) => {
    const s = shift.get(b)
    const p = s === undefined ? -1 : row + s
    if (p < 0 || p >= m) throw new Error('link: a link leaves its group of symbol buckets')
    return rank ? rank[p] : p
  }
  for (const b of buckets) {
    const read = await readColumns(db, source.edges(b), EDGE_KINDS, source.edgeCount[b])
    const c = read.columns
    if (k + read.count > edgeTotal) throw new Error('link: more links than counted')
    if (buckets.length === 1 && rank === undefined) {
      const s = shift.get(b)!
      for (let j = 0; j < read.count; j++) {
        const a = c.s[j] + s
        const z = c.d[j] + s
        if (a < 0 || a >= m || z < 0 || z >= m)
          throw new Error('link: a link leaves its group of symbol buckets')
        src[k + j] = a
        dst[k + j] = z
      }
    } else {
      for (let j = 0; j < read.count; j++) {
        src[k + j] = local(c.s[j], c.sb[j])
        dst[k + j] = local(c.d[j], c.db[j])
      }
    }
    e.set(c.e, k)
    kind.set(c.kind, k)
    k += read.count
  }
  // Links are taken in link order (a supplement of a supplement follows the one before it).
  let inOrder = true
  for (let j = 1; inOrder && j < k; j++) inOrder = e[j - 1] < e[j]
  let g: Group = {
    idx,
    cls,
    t,
    nh,
    nl,
    rd,
    rh,
    rl,
    src: src.subarray(0, k),
    dst: dst.subarray(0, k),
    kind: kind.subarray(0, k),
  }
  if (!inOrder) {
    const order = Int32Array.from({ length: k }, (_, j) => j).sort((a, b) => e[a] - e[b])
    g = { ...g, src: permute(g.src, order), dst: permute(g.dst, order), kind: permute(g.kind, order) }
  }
  clock(timing, 'read edges', since)
  return g
}

async function readNodes(db: Database, source: Source, b: number) {
  const want = source.nodeCount[b]
  const read = await readColumns(db, source.nodes(b), NODE_KINDS, want)
  if (read.count !== want) throw new Error('link: lifecycle nodes changed while read')
  const c = read.columns
  // Rows come in table order in practice; placing them by row keeps that an optimisation, not a premise.
  const s = source.start[b]
  let ordered = true
  for (let k = 0; ordered && k < want; k++) ordered = c.r[k] === s + k
  if (ordered) return c
  const place = <T extends Int32Array | Int8Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (m: number) => T)(want)
    for (let k = 0; k < want; k++) out[c.r[k] - s] = a[k]
    return out
  }
  return {
    r: c.r,
    idx: place(c.idx),
    cls: place(c.cls),
    t: place(c.t),
    nh: place(c.nh),
    nl: place(c.nl),
    rd: place(c.rd),
    rh: place(c.rh),
    rl: place(c.rl),
  }
}

function permute<T extends Int32Array | Int8Array | Float64Array>(a: T, order: Int32Array): T {
  const out = new (a.constructor as new (m: number) => T)(order.length)
  for (let k = 0; k < order.length; k++) out[k] = a[order[k]]
  return out
}

/** One group's lifecycles, appended to lk_life_raw and lk_extra_raw; returns how many it has. */
async function lifecyclesOf(db: Database, g: Group, timing: Timing, sample: () => void): Promise<number> {
  let since = process.hrtime.bigint()
  const { cls, t, nh, nl, rd, rh, rl, src, dst, kind } = g
  const n = cls.length
  const uf = new UnionFind(n)
  for (let k = 0; k < src.length; k++) {
    if (kind[k] !== EXECUTION && kind[k] !== FILL && cls[src[k]] === ORDER && cls[dst[k]] === ORDER)
      uf.union(src[k], dst[k])
  }
  // Earlier: time, then the record key hash (the low half compares unsigned), which depends on the
  // events alone, so a tie breaks the same way in every run.
  const earlier = (a: number, b: number) => {
    if (t[a] !== t[b]) return t[a] < t[b]
    if (nh[a] !== nh[b]) return nh[a] < nh[b]
    return nl[a] >>> 0 < nl[b] >>> 0
  }
  const first = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) {
    if (cls[i] !== ORDER) continue
    const r = uf.find(i)
    if (first[r] < 0 || earlier(i, first[r])) first[r] = i
  }
  // root[i]: the earliest event of i's lifecycle; executions take the roots of the orders they link from.
  const root = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) if (cls[i] === ORDER) root[i] = first[uf.find(i)]
  const extra = new Map<number, Set<number>>()
  const hasExtra = new Int8Array(n)
  const join = (e: number, r: number) => {
    if (r < 0) return
    if (root[e] < 0) root[e] = r
    else if (root[e] !== r) {
      const s = extra.get(e) ?? new Set<number>()
      s.add(r)
      extra.set(e, s)
      hasExtra[e] = 1
    }
  }
  for (let k = 0; k < src.length; k++) {
    if ((kind[k] === EXECUTION || kind[k] === FILL) && cls[src[k]] === ORDER && cls[dst[k]] === EXEC)
      join(dst[k], root[src[k]])
  }
  // Supplements and amendments of executions and fills (MEOTS, MEFA) follow them.
  for (let k = 0; k < src.length; k++) {
    const a = src[k]
    const b = dst[k]
    if (cls[a] !== EXEC || cls[b] !== EXEC || kind[k] === EXECUTION || kind[k] === FILL) continue
    join(b, root[a])
    if (hasExtra[a] === 1) for (const r of extra.get(a)!) join(b, r)
  }
  let lifecycles = 0
  for (let i = 0; i < n; i++) {
    if (cls[i] === EXEC && root[i] < 0) root[i] = i
    if (root[i] === i) lifecycles++
  }
  clock(timing, 'union-find and memberships', since)
  since = process.hrtime.bigint()
  const smaller = (a: number, b: number) => (rh[a] !== rh[b] ? rh[a] < rh[b] : rl[a] >>> 0 < rl[b] >>> 0)
  // An execution's first lifecycle is the one with the smaller number; the others go to lk_extra.
  const member = new Int8Array(n)
  const firstFlag = new Int8Array(n)
  const lcDate = new Int32Array(n)
  const lcHi = new Int32Array(n)
  const lcLo = new Int32Array(n)
  const extraRows: { i: number; r: number }[] = []
  for (let i = 0; i < n; i++) {
    let r = root[i]
    if (r < 0) continue
    if (hasExtra[i] === 1) {
      const more = extra.get(i)!
      for (const x of more) if (smaller(x, r)) r = x
      for (const x of [root[i], ...more]) if (x !== r) extraRows.push({ i, r: x })
    }
    member[i] = 1
    firstFlag[i] = r === i ? 1 : 0
    lcDate[i] = rd[r]
    lcHi[i] = rh[r]
    lcLo[i] = rl[r]
  }
  sample()
  clock(timing, 'lifecycle per node', since)
  since = process.hrtime.bigint()
  await appendColumns(
    db,
    'lk_life_raw',
    [
      { name: 'idx', type: 'INTEGER', values: g.idx },
      { name: 'member', type: 'TINYINT', values: member },
      { name: 'first', type: 'TINYINT', values: firstFlag },
      { name: 'lc_date', type: 'INTEGER', values: lcDate },
      { name: 'lc_hi', type: 'INTEGER', values: lcHi },
      { name: 'lc_lo', type: 'INTEGER', values: lcLo },
    ],
    WORK_DB,
  )
  await appendColumns(
    db,
    'lk_extra_raw',
    [
      { name: 'idx', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => g.idx[x.i]) },
      { name: 'lc_date', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rd[x.r]) },
      { name: 'lc_hi', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rh[x.r]) },
      { name: 'lc_lo', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rl[x.r]) },
    ],
    WORK_DB,
  )
  clock(timing, 'write lk_life_raw, lk_extra_raw', since)
  return lifecycles
}
