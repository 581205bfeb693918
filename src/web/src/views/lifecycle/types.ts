/**
 * The answer of GET /api/lifecycle/graph (docs/query-results.md, "Lifecycle graph"): the query layer's own
 * types, imported as types only, so nothing of the server's code reaches the browser's bundle.
 */
export type {
  BrokenEdge,
  GraphEdge,
  GraphLane,
  GraphNode,
  GraphVersion,
  LifecycleGraph,
} from '../../../../query/lifecycle-graph.ts'
