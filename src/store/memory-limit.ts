/**
 * The engine's memory limit, and what a partitioned write may buffer under it. A partitioned COPY keeps
 * one open Parquet writer per partition and thread, each holding its row group until the group is full:
 * with the default group (122,880 rows) a day index's buckets of wide rows held most of the day in
 * memory (a 10 M-event day's 100 buckets passed a 370 MB limit, where a 100 M-event day's store scan
 * and linkage keep to it).
 */
import { OpenCatError } from '../common/errors.ts'
import type { Database } from './database.ts'

const UNITS: Record<string, number> = {
  bytes: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
}

/** A size as the engine prints its settings ('18.8 GiB', '4.0 GB', '512 bytes'; no limit: '16383.9 PiB'), in bytes. */
export function parseByteSize(text: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$/.exec(text)
  const unit = m ? UNITS[m[2]] : undefined
  if (!m || unit === undefined) throw new Error(`store: cannot read the size ${JSON.stringify(text)}`)
  return Number(m[1]) * unit
}

/**
 * The memory limit an operator set for the engine (`OPENCAT_MEMORY_LIMIT`, e.g. `4GB`), checked, or
 * undefined for the engine's default (80 % of the machine's memory). Beyond it the engine spills to the
 * repository's work folder; the process's own memory comes on top.
 */
export function engineMemoryLimit(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const text = env.OPENCAT_MEMORY_LIMIT?.trim()
  if (!text) return undefined
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)$/.exec(text)
  if (!m || UNITS[m[2]] === undefined || m[2] === 'bytes' || Number(m[1]) <= 0)
    throw new OpenCatError(
      'OCAT_ERR_CLI_USAGE',
      `OPENCAT_MEMORY_LIMIT=${JSON.stringify(text)} is not a memory size: give a number and a unit, e.g. 4GB or 512MiB`,
    )
  return `${m[1]}${m[2]}`
}

/** The engine's memory limit in bytes. */
export async function memoryLimitBytes(db: Database): Promise<number> {
  const limit = await db.one<{ m: string }>(`SELECT current_setting('memory_limit') AS m`)
  return parseByteSize(limit?.m ?? '0 bytes')
}

/** The engine's default row group, the most a partitioned write's group is given. */
export const DEFAULT_ROW_GROUP = 122_880
/** The least: smaller groups cost more in the files' metadata than they save in memory. */
export const MIN_ROW_GROUP = 4_096
/** Share of the memory limit a partitioned write's open row groups may take. */
const BUFFER_SHARE = 0.25
/** Share its threads' unsorted rows may take before they are handed to the writers. */
const FLUSH_SHARE = 0.1
/** The engine's default for those rows, per thread. */
const DEFAULT_FLUSH_ROWS = 524_288

/**
 * The rows per row group of a partitioned write into `partitions` partitions of rows of about `rowBytes`
 * bytes in memory, so that every partition's open group on every thread fits a quarter of `limitBytes`.
 */
export function partitionedRowGroup(
  limitBytes: number,
  partitions: number,
  rowBytes: number,
  threads: number,
): number {
  const rows = Math.floor((limitBytes * BUFFER_SHARE) / (Math.max(1, partitions) * threads * rowBytes))
  return Math.max(MIN_ROW_GROUP, Math.min(DEFAULT_ROW_GROUP, rows))
}

/**
 * What a partitioned write of rows of about `rowBytes` bytes may buffer under the engine's current limit.
 * `maxFlushRows` caps the rows its threads hold before handing them to the writers: the engine's default
 * unless the write was measured to gain from more (narrow rows: the day index's identifiers took 0.66× the
 * time with 1 M rows a thread instead of 390,625 on a 28.9 M-event day, where wide rows took 1.28×).
 */
export async function partitionedWriteSizes(
  db: Database,
  partitions: number,
  rowBytes: number,
  maxFlushRows = DEFAULT_FLUSH_ROWS,
): Promise<{ rowGroup: number; flushRows: number }> {
  const limit = await memoryLimitBytes(db)
  const t = await db.one<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t")
  const threads = Math.max(1, Number(t?.t ?? 1))
  const flushRows = Math.floor((limit * FLUSH_SHARE) / (threads * rowBytes))
  return {
    rowGroup: partitionedRowGroup(limit, partitions, rowBytes, threads),
    flushRows: Math.max(MIN_ROW_GROUP, Math.min(maxFlushRows, flushRows)),
  }
}
