/** An alert: what a detector found, for whom, when, in which events, and why. */

/** Kinds of alert, one per detector (spoofing and layering share theirs). */
export const ALERT_KINDS = ['spoofing', 'layering', 'wash', 'marking-close', 'front-running', 'news'] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

/** One alert, as `opencat surveil --json` prints it and the store keeps it. */
export interface Alert {
  /** Deterministic: the same finding on the same data has the same id. */
  readonly id: string
  readonly kind: AlertKind
  readonly symbol: string
  /** Span of the behaviour, ns since the epoch (decimal strings). */
  readonly from: string
  readonly to: string
  /** 0.5 at the thresholds, up to 1 well past them. */
  readonly score: number
  readonly participants: readonly { reporter: string; fdid: string | null; ccid: string | null }[]
  readonly events: readonly { reporter: string; firmROEID: string; lifecycle: string | null }[]
  readonly reason: string
}
