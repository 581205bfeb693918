/**
 * The market simulator: realistic multi-firm, multi-venue trading days in CAT formats, with the truth
 * (lifecycles and links, injected faults and manipulations, customers) that tests use as the oracle.
 * @module
 */
export { tidOf } from './customers.ts'
export {
  ABUSE_KINDS,
  type AbuseKind,
  PRODUCTS,
  type Product,
  parseAbuseList,
  parseProducts,
  type SimulateOptions,
} from './options.ts'
export { type SimulationSummary, simulateDay } from './simulate-day.ts'
export { type DayRecord, type MetadataFile, readMetadata, readRecords, readTruth } from './verify/read-day.ts'
export { type DayReport, type TruthFault, type TruthLifecycle, verifyDay } from './verify/verify-day.ts'
