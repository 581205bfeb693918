/** An alert's state as GET /api/alerts and /api/alerts/status give it, and how the views name it. */
export interface AlertState {
  status: string
  disposition: string | null
  assignee: string | null
  changes: number
  updated: { at: string; by: string } | null
}

/** `closed (false-positive)`, `under-review`, … */
export function stateText(s: AlertState): string {
  return `${s.status}${s.disposition ? ` (${s.disposition})` : ''}`
}
