/** The answer of GET /api/search (docs/query-results.md, "Search"). */
export interface CustomerAccount {
  readonly firm: string
  readonly imids?: string[]
  readonly fdid: string
  readonly role?: string
}
export type SearchHit =
  | { kind: 'lifecycle'; lifecycleId: string; symbol: string | null; events: number; reporters: string[] }
  | {
      kind: 'event'
      matchedOn: string[]
      reporter: string
      firmROEID: string
      eventDate: number
      type: string
      eventTimestamp: string
      eventNs: string
      symbol: string | null
      versions: number
      lifecycleIds: string[]
    }
  | { kind: 'symbol'; symbol: string; name: string; listing: string; records: number }
  | {
      kind: 'reporter'
      matchedOn: string
      reporter: string
      role: string
      crd: string | null
      name: string
      records: number
    }
  | { kind: 'customer'; matchedOn: string; ccid: string; accounts: CustomerAccount[] }

export interface SearchResult {
  readonly query: string
  readonly eventDate: number
  readonly hits: SearchHit[]
  readonly truncated: boolean
}
