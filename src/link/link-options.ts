/**
 * Options of a linkage run: a typed object with documented defaults, resolved and frozen once before the
 * passes start.
 */
import type { Progress } from '../common/progress.ts'
import { SILENT } from '../common/progress.ts'

/** The named passes of a linkage run, in the order they run (IM spec §4.3 discovery order). */
export const LINK_PASSES = [
  'input',
  'duplicates',
  'references',
  'prior',
  'intrafirm',
  'routes',
  'trades',
  'unlinked',
  'lifecycles',
  'drift',
  'write',
  'feedback',
  // Not linkage: the date's day index for the portal's pages (src/store/day-index-write.ts), written once
  // the date's run is complete so it is of the store the run linked.
  'day-index',
] as const

/** One named pass. */
export type LinkPass = (typeof LINK_PASSES)[number]

/** What starts a linkage run (recorded with the run). */
export type LinkTrigger = 'manual' | 'doneForDay' | 'deadline'

/** What a caller may set. */
export interface LinkOptions {
  /** The repository clock for this run (ns since the epoch): run time, feedback timestamps. @default now */
  readonly nowNs?: bigint
  /** Only records ingested by this instant take part (ns). @default nowNs */
  readonly asOfNs?: bigint
  /** `auto` links incrementally when the date was linked before; `full` relinks the whole date. @default 'auto' */
  readonly mode?: 'auto' | 'full'
  /** @default 'manual' */
  readonly trigger?: LinkTrigger
  /** Write CAT linkage feedback files for every reporter. @default true */
  readonly feedback?: boolean
  /** Clock allowance for out-of-sequence electronic events (App. B: 50 ms). @default 50_000_000n ns */
  readonly electronicAllowanceNs?: bigint
  /** Clock allowance when either event is manual (App. B: 1 s). @default 1_000_000_000n ns */
  readonly manualAllowanceNs?: bigint
  /** Firms whose estimated clock offset exceeds this are flagged (50 ms). @default 50_000_000 ns */
  readonly firmDriftToleranceNs?: number
  /** Exchanges whose estimated clock offset exceeds this are flagged (100 µs). @default 100_000 ns */
  readonly exchangeDriftToleranceNs?: number
  /** Candidate counterparts kept with each unlinked event. @default 3 */
  readonly candidates?: number
  /** Rows per Parquet row group of the lookup files (smaller: faster point lookups). @default 16384 */
  readonly rowGroupSize?: number
  /** Passes to skip, by name (for measurement; skipping changes results). @default none */
  readonly skip?: readonly LinkPass[]
  readonly progress?: Progress
  /** Called with the time of every SQL statement the run executes and of each part of its day index (for profiling). */
  readonly trace?: (line: string) => void
  /** Leave the run's work tables (lk_*) on the connection afterwards, for inspection. @default false */
  readonly keepWorkTables?: boolean
  /**
   * Where work tables live: `memory` (fastest), `disk`, a compressed scratch database in the work folder
   * that keeps a large day's memory down, or `auto`: on disk when the date's stored versions would fill
   * more than half the engine's memory limit in memory (`work-database.ts`). @default 'auto'
   */
  readonly workStorage?: WorkStorage
}

/** Where a run's work tables live (`LinkOptions.workStorage`). */
export type WorkStorage = 'memory' | 'disk' | 'auto'

/** Options after defaults. */
export interface ResolvedLinkOptions {
  readonly nowNs: bigint
  readonly asOfNs: bigint
  readonly mode: 'auto' | 'full'
  readonly trigger: LinkTrigger
  readonly feedback: boolean
  readonly electronicAllowanceNs: bigint
  readonly manualAllowanceNs: bigint
  readonly firmDriftToleranceNs: number
  readonly exchangeDriftToleranceNs: number
  readonly candidates: number
  readonly rowGroupSize: number
  readonly skip: ReadonlySet<LinkPass>
  readonly progress: Progress
  readonly trace: ((line: string) => void) | undefined
  readonly keepWorkTables: boolean
  readonly workStorage: WorkStorage
}

/** Fills in defaults and freezes. */
export function resolveLinkOptions(o: LinkOptions = {}): ResolvedLinkOptions {
  const nowNs = o.nowNs ?? BigInt(Date.now()) * 1_000_000n
  return Object.freeze({
    nowNs,
    asOfNs: o.asOfNs ?? nowNs,
    mode: o.mode ?? 'auto',
    trigger: o.trigger ?? 'manual',
    feedback: o.feedback ?? true,
    electronicAllowanceNs: o.electronicAllowanceNs ?? 50_000_000n,
    manualAllowanceNs: o.manualAllowanceNs ?? 1_000_000_000n,
    firmDriftToleranceNs: o.firmDriftToleranceNs ?? 50_000_000,
    exchangeDriftToleranceNs: o.exchangeDriftToleranceNs ?? 100_000,
    candidates: o.candidates ?? 3,
    rowGroupSize: o.rowGroupSize ?? 16_384,
    skip: new Set(o.skip ?? []),
    progress: o.progress ?? SILENT,
    trace: o.trace,
    keepWorkTables: o.keepWorkTables ?? false,
    workStorage: o.workStorage ?? 'auto',
  })
}
