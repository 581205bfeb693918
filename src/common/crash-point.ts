/**
 * Named points where a fault-injection test may kill the process as `kill -9` would: the run stops dead
 * there, with no cleanup, so the test can check that a rerun recovers. Only the tests set
 * `OPENCAT_CRASH_AT`; without it every point is a no-op.
 */

/** The points, in the order a submission passes them. */
export const CRASH_POINTS = [
  'after-acknowledgement',
  'after-integrity',
  'after-first-ingested-file',
  'after-ingestion',
  'after-customers',
  'after-fdid-check',
  'before-linkage-publish',
  'after-linkage-publish',
  'after-linkage-feedback',
  'after-linkage-recorded',
] as const

/** One named point. */
export type CrashPoint = (typeof CRASH_POINTS)[number]

/** Kills the process with SIGKILL when `OPENCAT_CRASH_AT` names this point. */
export function crashPoint(point: CrashPoint): void {
  if (process.env.OPENCAT_CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}
