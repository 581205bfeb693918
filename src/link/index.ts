/**
 * Linkage: every order's lifecycle stitched across firms and venues, CAT's linkage findings with the
 * named errors to counterparties, clock drift per reporter, lifecycle lookups and linkage feedback.
 * @module
 */

export type { DriftEstimate } from './clock-drift.ts'
export { KEY_NUM_SQL, lifecyclesOfKeys, lifecyclesOfVersions } from './lifecycle-keys.ts'
export type { Lifecycle, LifecycleEvent, LifecycleKey, LifecycleLink } from './lifecycle-lookup.ts'
export { lifecycleIdOf, lookupLifecycle, parseLifecycleId, trimDecimal } from './lifecycle-lookup.ts'
export { renderLifecycleTree } from './lifecycle-tree.ts'
export type { LinkKind, LinkSummary } from './link-date.ts'
export { linkDate } from './link-date.ts'
export type { LinkOptions, LinkPass, LinkTrigger, ResolvedLinkOptions, WorkStorage } from './link-options.ts'
export { LINK_PASSES, resolveLinkOptions } from './link-options.ts'
export type { DueDate } from './link-pending.ts'
export { datesDue, linkPending } from './link-pending.ts'
export { recoverDate, recoverLinkage } from './link-recovery.ts'
export type { LinkageTable } from './linkage-columns.ts'
export { LINKAGE_FILES } from './linkage-columns.ts'
export type { LinkFeedbackResult } from './linkage-feedback.ts'
export {
  bucketFiles,
  bucketsFor,
  bucketsOf,
  currentRuns,
  hasLookupIndex,
  linkageRoot,
  lookupIndexFile,
  runDir,
  runFiles,
  runsOf,
} from './linkage-layout.ts'
export { createLinkageViews, LIFECYCLE_ID, LINKAGE_VIEWS } from './linkage-views.ts'
export { originalRecords, type RecordRef } from './record-text.ts'
