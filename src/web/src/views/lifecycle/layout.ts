/**
 * Where the lifecycle picture puts things: a horizontal lane per firm or venue (in the order the lifecycle
 * reaches them), events as nodes left to right in time order (one column each, so none overlap), links as
 * curves between them, and each broken link as a dashed stub to a ghost of the missing counterpart, in the
 * counterpart's lane (a lane of its own when the counterpart is in no lane of the lifecycle).
 * A swim-lane layout is fixed by lanes and time, so it needs no general graph-layout engine. The lanes'
 * names are drawn apart (LANE_LABEL wide) so they stay in view while the events scroll.
 */
import type { BrokenEdge, GraphEdge, GraphNode, LifecycleGraph } from './types.ts'

export const LANE_LABEL = 84
export const COLUMN = 116
export const LANE = 84
export const NODE_W = 88
export const NODE_H = 42
const PAD = 16

export interface PlacedLane {
  readonly id: string
  readonly label: string
  readonly role: string
  readonly ghost: boolean
  readonly y: number
}
export interface PlacedNode {
  readonly node: GraphNode
  readonly x: number
  readonly y: number
  readonly column: number
}
export interface PlacedEdge {
  readonly edge: GraphEdge
  readonly path: string
  readonly labelX: number
  readonly labelY: number
}
export interface PlacedBroken {
  readonly broken: BrokenEdge
  readonly index: number
  readonly path: string
  readonly x: number
  readonly y: number
}
export interface Layout {
  readonly width: number
  readonly height: number
  readonly lanes: PlacedLane[]
  readonly nodes: PlacedNode[]
  readonly edges: PlacedEdge[]
  readonly broken: PlacedBroken[]
}

/** CAT timestamps as the graph gives them (YYYYMMDDTHHMMSS.fffffffff, ET) sort in time order as text. */
const timeKey = (ts: string) => ts

/** Nodes in time order (ties: lane order, then as the lifecycle lists them). */
export function timeOrder(g: LifecycleGraph): GraphNode[] {
  const laneRank = new Map(g.lanes.map((l, i) => [l.id, i]))
  return g.nodes
    .map((n, i) => ({ n, i }))
    .sort(
      (a, b) =>
        timeKey(a.n.eventTimestamp).localeCompare(timeKey(b.n.eventTimestamp)) ||
        (laneRank.get(a.n.lane) ?? 0) - (laneRank.get(b.n.lane) ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.n)
}

export function layoutGraph(g: LifecycleGraph): Layout {
  const lanes: PlacedLane[] = g.lanes.map((l, i) => ({
    id: l.id,
    label: l.id,
    role: l.role,
    ghost: false,
    y: PAD + i * LANE,
  }))
  for (const b of g.broken) {
    const lane = b.counterparty
    if (lane && !lanes.some((l) => l.id === lane))
      lanes.push({ id: lane, label: lane, role: 'missing', ghost: true, y: PAD + lanes.length * LANE })
  }
  const laneY = new Map(lanes.map((l) => [l.id, l.y]))
  const ordered = timeOrder(g)
  const nodes: PlacedNode[] = ordered.map((node, column) => ({
    node,
    column,
    x: PAD + column * COLUMN,
    y: (laneY.get(node.lane) ?? PAD) + (LANE - NODE_H) / 2,
  }))
  const at = new Map(nodes.map((p) => [p.node.id, p]))
  const edges: PlacedEdge[] = []
  for (const edge of g.edges) {
    const a = at.get(edge.from)
    const b = at.get(edge.to)
    if (!a || !b) continue
    edges.push({ edge, ...curve(a, b) })
  }
  const broken: PlacedBroken[] = g.broken.map((b, index) => {
    const from = at.get(b.from)
    const fx = from ? from.x + NODE_W : PAD
    const fy = from ? from.y + NODE_H / 2 : PAD
    const laneTop = b.counterparty ? laneY.get(b.counterparty) : undefined
    const y =
      laneTop !== undefined && laneTop !== (from ? laneY.get(from.node.lane) : undefined)
        ? laneTop + LANE / 2
        : fy - LANE / 3
    const x = fx + COLUMN * 0.55
    return { broken: b, index, x, y, path: `M${fx},${fy} C${fx + 30},${fy} ${x - 30},${y} ${x},${y}` }
  })
  const right = Math.max(PAD + nodes.length * COLUMN, ...broken.map((b) => b.x + 90))
  return { width: right + PAD, height: PAD * 2 + lanes.length * LANE, lanes, nodes, edges, broken }
}

function curve(a: PlacedNode, b: PlacedNode): { path: string; labelX: number; labelY: number } {
  const forward = b.column >= a.column
  const ax = forward ? a.x + NODE_W : a.x
  const bx = forward ? b.x : b.x + NODE_W
  const ay = a.y + NODE_H / 2
  const by = b.y + NODE_H / 2
  if (a.y === b.y && Math.abs(b.column - a.column) > 1) {
    // Along one lane past other events: arc above them, higher the farther it goes, so arcs part.
    const top = a.y - 8 - 5 * Math.min(4, Math.abs(b.column - a.column))
    const sx = a.x + NODE_W / 2
    const ex = b.x + NODE_W / 2
    return {
      path: `M${sx},${a.y} C${sx},${top - 12} ${ex},${top - 12} ${ex},${b.y}`,
      labelX: (sx + ex) / 2,
      labelY: top - 6,
    }
  }
  const dx = Math.max(24, Math.abs(bx - ax) / 2)
  const c1 = forward ? ax + dx : ax - dx
  const c2 = forward ? bx - dx : bx + dx
  // Between neighbours in one lane the gap is too narrow for a word: the kind goes above the two events.
  return {
    path: `M${ax},${ay} C${c1},${ay} ${c2},${by} ${bx},${by}`,
    labelX: (ax + bx) / 2,
    labelY: a.y === b.y ? a.y - 5 : (ay + by) / 2 - 4,
  }
}
