/** The answer of GET /api/lifecycle/graph (docs/query-results.md, "Lifecycle graph"). */
export interface GraphLane {
  readonly id: string
  readonly role: 'firm' | 'ats' | 'exchange'
  readonly name: string
  readonly events: number
}
export interface GraphVersion {
  readonly eventId: string
  readonly action: string
  readonly received: string
  readonly fileName: string
  readonly line: number
  readonly linked: boolean
  readonly fields: Record<string, string>
}
export interface GraphNode {
  readonly id: string
  readonly lane: string
  readonly reporter: string
  readonly firmROEID: string
  readonly type: string
  readonly eventTimestamp: string
  readonly eventDate: number
  readonly symbol: string | null
  readonly side: string | null
  readonly price: string | null
  readonly quantity: string | null
  readonly versions: GraphVersion[]
}
export interface GraphEdge {
  readonly from: string
  readonly to: string
  readonly kind: string
  readonly acrossLanes: boolean
}
export interface BrokenEdge {
  readonly from: string
  readonly code: number
  readonly severity: string
  readonly meaning: string
  readonly explanation: string
  readonly linkageType: string
  readonly counterparty: string | null
  readonly recipient: string
  readonly candidates?: unknown
}
export interface LifecycleGraph {
  readonly lifecycleId: string
  readonly symbol: string | null
  readonly alsoIn?: string[]
  readonly lanes: GraphLane[]
  readonly nodes: GraphNode[]
  readonly edges: GraphEdge[]
  readonly broken: BrokenEdge[]
}
