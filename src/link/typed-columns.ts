/**
 * Moves whole numeric columns between DuckDB and typed arrays, chunk by chunk: the union-find reads tens of
 * millions of edges and writes back one root per node without creating a JS value per row.
 */
import type { DuckDBDataChunk, DuckDBType } from '@duckdb/node-api'
import type { Database } from '../store/database.ts'
import { engine } from '../store/engine.ts'

/** Column kinds: INTEGER, DOUBLE, TINYINT, BIGINT, UBIGINT (NULL-free: coalesce in the query). */
export type ColumnKind = 'i32' | 'f64' | 'i8' | 'i64' | 'u64'

type Typed = Int32Array | Float64Array | Int8Array | BigInt64Array | BigUint64Array
interface ArrayOf {
  i32: Int32Array
  f64: Float64Array
  i8: Int8Array
  i64: BigInt64Array
  u64: BigUint64Array
}
type Columns<K extends Record<string, ColumnKind>> = { [P in keyof K]: ArrayOf[K[P]] }

function alloc(kind: ColumnKind, n: number): Typed {
  switch (kind) {
    case 'i32':
      return new Int32Array(n)
    case 'f64':
      return new Float64Array(n)
    case 'i8':
      return new Int8Array(n)
    case 'i64':
      return new BigInt64Array(n)
    default:
      return new BigUint64Array(n)
  }
}

// node-api keeps each vector's data as a typed array view (`items`); copying it is the fast path.
function itemsOf(chunk: DuckDBDataChunk, column: number): Typed {
  return (chunk.getColumnVector(column) as unknown as { items: Typed }).items
}

/** Runs `sql` (columns in the order of `kinds`) and returns its columns as typed arrays of `rows` length. */
export async function readColumns<K extends Record<string, ColumnKind>>(
  db: Database,
  sql: string,
  kinds: K,
  rows: number,
): Promise<{ count: number; columns: Columns<K> }> {
  const names = Object.keys(kinds)
  let cap = Math.max(rows, 1024)
  let arrays = names.map((n) => alloc(kinds[n], cap))
  const result = await db.connection.stream(sql)
  let count = 0
  for (;;) {
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) break
    const m = chunk.rowCount
    if (count + m > cap) {
      cap = Math.max(cap * 2, count + m)
      arrays = arrays.map((a, i) => {
        const b = alloc(kinds[names[i]], cap)
        b.set(a as never)
        return b
      })
    }
    for (let c = 0; c < names.length; c++) arrays[c].set(itemsOf(chunk, c).subarray(0, m) as never, count)
    count += m
  }
  const columns = Object.fromEntries(names.map((n, i) => [n, arrays[i].subarray(0, count)])) as Columns<K>
  return { count, columns }
}

/** A column to write: its SQL type and values (one per row). */
export type WriteColumn =
  | { readonly name: string; readonly type: 'INTEGER'; readonly values: Int32Array }
  | { readonly name: string; readonly type: 'TINYINT'; readonly values: Int8Array }
  | { readonly name: string; readonly type: 'BIGINT'; readonly values: BigInt64Array }
  | { readonly name: string; readonly type: 'UBIGINT'; readonly values: BigUint64Array }

function typeOf(kind: WriteColumn['type']): DuckDBType {
  return engine()[kind]
}

/** Creates table `table` in database `catalog` holding the columns, row i of each array in row i. */
export async function writeColumns(
  db: Database,
  table: string,
  columns: readonly WriteColumn[],
  catalog = 'temp',
): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE ${catalog}.main.${table} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
  )
  await appendColumns(db, table, columns, catalog)
}

/** Appends the columns' rows to the existing table `table` of `catalog` (its columns in this order). */
export async function appendColumns(
  db: Database,
  table: string,
  columns: readonly WriteColumn[],
  catalog = 'temp',
): Promise<void> {
  const rows = columns[0]?.values.length ?? 0
  const appender = await db.connection.createAppender(table, 'main', catalog)
  const size = 2048
  const chunk = engine().DuckDBDataChunk.create(
    columns.map((c) => typeOf(c.type)),
    size,
  )
  for (let off = 0; off < rows; off += size) {
    const m = Math.min(size, rows - off)
    chunk.rowCount = m
    for (let i = 0; i < columns.length; i++) {
      const vector = chunk.getColumnVector(i)
      ;(vector as unknown as { items: Typed }).items.set(columns[i].values.subarray(off, off + m) as never)
      vector.flush()
    }
    appender.appendDataChunk(chunk)
  }
  appender.closeSync()
}
