/**
 * Lifecycles as connected components: every link except executions and fills joins two order events into
 * one lifecycle; an execution or fill belongs to the lifecycle of every order it links from. Edges are
 * read from the engine column by column into typed arrays and joined with a union-find; each component is
 * named by its earliest event (time, then the hash of its reporter and record id): the lifecycle id is
 * that event's date and hash, so the same events give the same id whether linked at once or file by file.
 * 64-bit values travel as two 32-bit halves: no BigInt per row.
 */
import type { Database } from '../store/database.ts'
import { readColumns, writeColumns } from './typed-columns.ts'
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

/** What the component pass leaves: lk_life (per node), lk_extra, lk_links_out; returns the lifecycle count. */
export async function computeLifecycles(
  db: Database,
  dayStartNs: bigint,
  trace?: (line: string) => void,
): Promise<number> {
  let mark = process.hrtime.bigint()
  const step = (what: string) => {
    const now = process.hrtime.bigint()
    trace?.(`lifecycles ${(Number(now - mark) / 1e9).toFixed(3)} s  ${what}`)
    mark = now
  }
  const n = Number((await db.one<{ n: string }>('SELECT count(*) AS n FROM lk_nodes'))?.n ?? 0)
  const num = `${LIFECYCLE_NUM}::BIGINT`
  const read = await readColumns(
    db,
    `SELECT rowid::INTEGER AS idx, fam, (NOT rejected)::TINYINT AS ok, (_event_ns - ${dayStartNs})::DOUBLE AS t,
       ${hi(num)} AS nh, ${lo(num)} AS nl, coalesce(event_date, 0)::INTEGER AS d
     FROM lk_nodes`,
    { idx: 'i32', fam: 'i8', ok: 'i8', t: 'f64', nh: 'i32', nl: 'i32', d: 'i32' },
    n,
  )
  const c = read.columns
  step('read nodes')
  // Rows come in node order in practice; placing them by index keeps that an optimisation, not a premise.
  let ordered = read.count === n
  for (let k = 0; ordered && k < read.count; k++) ordered = c.idx[k] === k
  const place = <T extends Int32Array | Int8Array | Float64Array>(a: T, make: (m: number) => T): T => {
    if (ordered) return a
    const out = make(n)
    for (let k = 0; k < read.count; k++) out[c.idx[k]] = a[k]
    return out
  }
  const fam = place(c.fam, (m) => new Int8Array(m))
  const ok = place(c.ok, (m) => new Int8Array(m))
  const t = place(c.t, (m) => new Float64Array(m))
  const nh = place(c.nh, (m) => new Int32Array(m))
  const nl = place(c.nl, (m) => new Int32Array(m))
  // A lifecycle takes its name from its first event: its own date and number, or for an event of an
  // earlier date the lifecycle its own date gave it.
  const rootDate = place(c.d, (m) => new Int32Array(m)).slice()
  const rootHi = nh.slice()
  const rootLo = nl.slice()
  const prior = await readColumns(
    db,
    `SELECT rowid::INTEGER AS idx, coalesce(prior_date, event_date)::INTEGER AS d, ${hi(`coalesce(prior_num, ${LIFECYCLE_NUM})`)} AS h,
       ${lo(`coalesce(prior_num, ${LIFECYCLE_NUM})`)} AS l FROM lk_nodes WHERE prior`,
    { idx: 'i32', d: 'i32', h: 'i32', l: 'i32' },
    16,
  )
  for (let k = 0; k < prior.count; k++) {
    const i = prior.columns.idx[k]
    rootDate[i] = prior.columns.d[k]
    rootHi[i] = prior.columns.h[k]
    rootLo[i] = prior.columns.l[k]
  }
  const ord = new Int8Array(n)
  const exe = new Int8Array(n)
  for (let i = 0; i < n; i++) {
    ord[i] = ok[i] === 1 && (fam[i] === 1 || fam[i] === 2) ? 1 : 0
    exe[i] = ok[i] === 1 && fam[i] === 3 ? 1 : 0
  }
  const edgeCount = Number((await db.one<{ n: string }>('SELECT count(*) AS n FROM lk_all_links'))?.n ?? 0)
  const edges = await readColumns(
    db,
    `SELECT src::INTEGER AS src, dst::INTEGER AS dst,
       (CASE kind ${KIND_CODES.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' ')} END)::TINYINT AS kind FROM lk_all_links`,
    { src: 'i32', dst: 'i32', kind: 'i8' },
    edgeCount,
  )
  const { src, dst, kind } = edges.columns
  step('read edges')
  const uf = new UnionFind(n)
  for (let k = 0; k < edges.count; k++) {
    if (kind[k] !== EXECUTION && kind[k] !== FILL && ord[src[k]] === 1 && ord[dst[k]] === 1)
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
    if (ord[i] !== 1) continue
    const r = uf.find(i)
    if (first[r] < 0 || earlier(i, first[r])) first[r] = i
  }
  // root[i]: the earliest event of i's lifecycle; executions take the roots of the orders they link from.
  const root = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) if (ord[i] === 1) root[i] = first[uf.find(i)]
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
  for (let k = 0; k < edges.count; k++) {
    if ((kind[k] === EXECUTION || kind[k] === FILL) && ord[src[k]] === 1 && exe[dst[k]] === 1)
      join(dst[k], root[src[k]])
  }
  // Supplements and amendments of executions and fills (MEOTS, MEFA) follow them.
  for (let k = 0; k < edges.count; k++) {
    const a = src[k]
    const b = dst[k]
    if (exe[a] !== 1 || exe[b] !== 1 || kind[k] === EXECUTION || kind[k] === FILL) continue
    join(b, root[a])
    if (hasExtra[a] === 1) for (const r of extra.get(a)!) join(b, r)
  }
  let lifecycles = 0
  for (let i = 0; i < n; i++) {
    if (exe[i] === 1 && root[i] < 0) root[i] = i
    if (root[i] === i) lifecycles++
  }
  step('union-find and memberships')
  const smaller = (a: number, b: number) =>
    rootHi[a] !== rootHi[b] ? rootHi[a] < rootHi[b] : rootLo[a] >>> 0 < rootLo[b] >>> 0
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
    lcDate[i] = rootDate[r]
    lcHi[i] = rootHi[r]
    lcLo[i] = rootLo[r]
  }
  step('lifecycle per node')
  // Row i of lk_life_raw is node i: the view below joins them by position (checked: idx = rowid).
  await writeColumns(
    db,
    'lk_life_raw',
    [
      { name: 'idx', type: 'INTEGER', values: Int32Array.from({ length: n }, (_, i) => i) },
      { name: 'member', type: 'TINYINT', values: member },
      { name: 'first', type: 'TINYINT', values: firstFlag },
      { name: 'lc_date', type: 'INTEGER', values: lcDate },
      { name: 'lc_hi', type: 'INTEGER', values: lcHi },
      { name: 'lc_lo', type: 'INTEGER', values: lcLo },
    ],
    WORK_DB,
  )
  await writeColumns(
    db,
    'lk_extra_raw',
    [
      { name: 'idx', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => x.i) },
      { name: 'lc_date', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rootDate[x.r]) },
      { name: 'lc_hi', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rootHi[x.r]) },
      { name: 'lc_lo', type: 'INTEGER', values: Int32Array.from(extraRows, (x) => rootLo[x.r]) },
    ],
    WORK_DB,
  )
  step('write lk_life_raw, lk_extra_raw')
  await db.run(`
    CREATE OR REPLACE TEMP MACRO lk_u64(h, l) AS ((h::BIGINT << 32) | (l::BIGINT & 4294967295));
    CREATE OR REPLACE TABLE lk_life AS
      SELECT l.idx, l.member, l.first, n.event_date, l.lc_date, lk_u64(l.lc_hi, l.lc_lo) AS lc_num, n._event_id AS eid,
        ${LIFECYCLE_NUM}::BIGINT AS key_num, n.rowid AS node, n.prior
      FROM lk_nodes n POSITIONAL JOIN lk_life_raw l;
    DROP TABLE lk_life_raw;
    CREATE OR REPLACE TEMP VIEW lk_extra AS
      SELECT x.lc_date, lk_u64(x.lc_hi, x.lc_lo) AS lc_num, l.eid, l.key_num, l.prior
      FROM lk_extra_raw x JOIN lk_life l ON l.idx = x.idx;
    CREATE OR REPLACE TEMP VIEW lk_links_out AS
      SELECT f.lc_date, f.lc_num, a.from_event_id, a.to_event_id, a.kind, f.event_date AS from_date
      FROM lk_all_links a JOIN lk_life f ON f.idx = a.src WHERE f.member = 1`)
  const misplaced = await db.one<{ n: string }>('SELECT count(*) AS n FROM lk_life WHERE idx <> node')
  if (Number(misplaced?.n ?? 0) !== 0) throw new Error('link: lifecycle rows out of node order')
  step('views')
  return lifecycles
}
